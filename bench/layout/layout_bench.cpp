// Per-token cost of streaming markdown: append a token to the reply, update the incremental
// MarkdownDocument, re-lay out the changed blocks with MessageLayout. The reply is a mixed
// document (paragraphs, lists, tables, Chinese text, closed code blocks) of a given size whose
// last fifth is a still-open code fence; tokens go into that fence ("code tail"). A second
// scenario streams prose into a reply that ends in a paragraph ("prose tail").
// Fonts are synthetic (an ASCII table and a constant for other code points): this measures our
// code, not glyph lookup. Prints a table; never pass/fail.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "core/bench_document.h"
#include "core/markdown.h"
#include "core/text_layout.h"

using namespace imchat;

namespace {

float fallback_advance(const void*, uint32_t cp) { return cp >= 0x2E80 ? 14.0f : 8.0f; }

FontMetrics make_font(uint64_t id, float scale, float line_height) {
    FontMetrics f;
    f.id = id;
    f.line_height = line_height;
    for (int c = 0; c < 128; ++c) f.ascii[c] = scale * (c == ' ' ? 3.5f : c == 'i' || c == 'l' ? 3.0f : 7.0f);
    f.fallback = fallback_advance;
    return f;
}

struct BenchFonts : LayoutFonts {
    FontMetrics regular = make_font(1, 1.0f, 18), bold = make_font(2, 1.1f, 18), mono = make_font(3, 1.0f, 17),
                heading = make_font(4, 1.4f, 26);
    const FontMetrics& metrics(BlockKind kind, int level, bool header, uint16_t style) const override {
        if (kind == BlockKind::CodeBlock || (style & SpanStyle_Code)) return mono;
        if (kind == BlockKind::Heading) return heading;
        if (header || (style & SpanStyle_Strong)) return bold;
        return regular;
    }
    uint64_t key() const override { return 42; }
};

// Token streams: code for the fence, words (and now and then a paragraph break) for prose.
std::vector<std::string> make_tokens(size_t n, bool code) {
    static const char* const code_tokens[] = {"    val", "ue", " =", " comp", "ute", "(", "x", ",", " 2", ")", "\n"};
    static const char* const prose_tokens[] = {" the", " model", " writes", " some", " more", " text", ",",
                                               " 中文", "字符", "。", " and", " **bold**", " words", ".\n\n", "Next"};
    std::vector<std::string> out;
    for (size_t i = 0; i < n; ++i)
        out.push_back(code ? code_tokens[i % (sizeof code_tokens / sizeof *code_tokens)]
                           : prose_tokens[i % (sizeof prose_tokens / sizeof *prose_tokens)]);
    return out;
}

struct Result {
    double us_per_token = 0;
    double parsed_bytes_per_token = 0;
    double relayouts_per_token = 0;
    size_t blocks = 0;
};

Result run_once(const std::string& start, const std::vector<std::string>& tokens) {
    BenchFonts fonts;
    LayoutParams params;
    params.wrap_width = 640;
    MarkdownDocument doc;
    MessageLayout layout;
    std::string text = start;
    text.reserve(start.size() + 64 * tokens.size());
    doc.set_text_appended(text);
    layout.update(doc.blocks(), fonts, params, doc.final_block_count());
    size_t parsed = 0, relayouts = 0;
    auto t0 = std::chrono::steady_clock::now();
    for (const std::string& tok : tokens) {
        text += tok;
        doc.set_text_appended(text);
        layout.update(doc.blocks(), fonts, params, doc.final_block_count());
        parsed += doc.last_parsed_bytes();
        relayouts += layout.last_relayout_count();
    }
    auto t1 = std::chrono::steady_clock::now();
    Result r;
    r.us_per_token = std::chrono::duration<double, std::micro>(t1 - t0).count() / double(tokens.size());
    r.parsed_bytes_per_token = double(parsed) / double(tokens.size());
    r.relayouts_per_token = double(relayouts) / double(tokens.size());
    r.blocks = doc.blocks().size();
    return r;
}

Result median_of(const std::string& start, const std::vector<std::string>& tokens, int runs) {
    std::vector<Result> rs;
    for (int i = 0; i < runs; ++i) rs.push_back(run_once(start, tokens));
    std::sort(rs.begin(), rs.end(), [](const Result& a, const Result& b) { return a.us_per_token < b.us_per_token; });
    return rs[rs.size() / 2];
}

std::vector<size_t> parse_sizes(const char* s) {
    std::vector<size_t> out;
    while (*s) {
        out.push_back(size_t(std::strtoull(s, const_cast<char**>(&s), 10)));
        if (*s == ',') ++s;
        else break;
    }
    return out;
}

std::string human(size_t bytes) {
    char buf[32];
    if (bytes >= (1u << 20)) std::snprintf(buf, sizeof buf, "%.0f MB", double(bytes) / (1u << 20));
    else if (bytes >= 1024) std::snprintf(buf, sizeof buf, "%.0f KB", double(bytes) / 1024);
    else std::snprintf(buf, sizeof buf, "%zu B", bytes);
    return buf;
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<size_t> sizes{1024, 100 * 1024, 1024 * 1024};
    size_t tokens = 2000;
    int runs = 7;
    std::string only;  // "code" or "prose": one scenario
    for (int i = 1; i < argc; ++i) {
        if (!std::strcmp(argv[i], "--sizes") && i + 1 < argc) sizes = parse_sizes(argv[++i]);
        else if (!std::strcmp(argv[i], "--tokens") && i + 1 < argc) tokens = size_t(std::atoll(argv[++i]));
        else if (!std::strcmp(argv[i], "--runs") && i + 1 < argc) runs = std::max(1, std::atoi(argv[++i]));
        else if (!std::strcmp(argv[i], "--scenario") && i + 1 < argc) only = argv[++i];
        else {
            std::fprintf(stderr, "usage: %s [--sizes 1024,102400,1048576] [--tokens N] [--runs N] [--scenario code|prose]\n", argv[0]);
            return 2;
        }
    }
    if (sizes.empty() || tokens == 0) {
        std::fprintf(stderr, "nothing to measure\n");
        return 2;
    }
    std::printf("streaming markdown: per-token cost of append -> MarkdownDocument -> MessageLayout\n");
    std::printf("%zu tokens per run, median of %d runs, wrap width 640 px, synthetic fonts\n\n", tokens, runs);
    std::printf("%-11s %-8s %8s %12s %14s %12s %10s\n", "scenario", "size", "blocks", "us/token",
                "parsed B/token", "relayouts/t", "vs first");
    for (int scenario = 0; scenario < 2; ++scenario) {
        bool code = scenario == 0;
        if (!only.empty() && only != (code ? "code" : "prose")) continue;
        double first = 0;
        for (size_t size : sizes) {
            std::string start = code ? bench::document_with_open_fence(size) : bench::document_with_open_paragraph(size);
            Result r = median_of(start, make_tokens(tokens, code), runs);
            if (first == 0) first = r.us_per_token;
            std::printf("%-11s %-8s %8zu %12.2f %14.1f %12.2f %9.2fx\n", code ? "code tail" : "prose tail",
                        human(size).c_str(), r.blocks, r.us_per_token, r.parsed_bytes_per_token,
                        r.relayouts_per_token, r.us_per_token / first);
        }
    }
    return 0;
}
