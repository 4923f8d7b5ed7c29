// bench_document: the one test document of the benchmarks, shared by the native layout benchmark
// (bench/layout) and the page's benchmark intents (ui/bench_hooks), so both measure the same
// text: paragraphs, nested lists, a table, Chinese, a quote and closed code blocks, repeated.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

namespace imchat::bench {

// A reply of about `size` bytes whose last fifth is a still-open code fence (the hard case for
// incremental markdown).
std::string document_with_open_fence(size_t size);
// A reply of about `size` bytes ending in an open paragraph.
std::string document_with_open_paragraph(size_t size);
// Section k of the document (k wraps around): for building other texts of the same mix.
std::string_view section(size_t k);
// The lines of code that fill the open fence.
size_t code_line_count();
std::string_view code_line(size_t i);

}  // namespace imchat::bench
