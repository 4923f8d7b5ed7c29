// Markdown: parsing never crashes (raw bytes included); a MarkdownDocument fed the text in
// input-derived pieces equals parse_markdown of the same prefix after every piece; spans are
// sorted, disjoint and inside their text, and links point at real links.
#include <string>

#include "core/markdown.h"
#include "core/utf8.h"
#include "fuzz_common.h"

using namespace imchat;

namespace {

void check_spans(const std::string& text, const std::vector<Span>& spans, size_t links) {
    uint32_t at = 0;
    for (const Span& s : spans) {
        FUZZ_CHECK(s.begin >= at && s.begin <= s.end && s.end <= text.size());
        if (s.style & SpanStyle_Link) FUZZ_CHECK(s.link < links);
        at = s.end;
    }
}

void check(const ParsedMarkdown& p) {
    for (const Block& b : p.blocks) {
        FUZZ_CHECK(utf8_is_valid(b.text));
        check_spans(b.text, b.spans, p.links.size());
        for (const TableRow& row : b.rows) {
            FUZZ_CHECK(row.cells.size() == b.alignments.size());
            for (const TableCell& cell : row.cells) check_spans(cell.text, cell.spans, p.links.size());
        }
        FUZZ_CHECK(b.quote_depth <= kMaxMarkdownDepth && b.list_depth <= kMaxMarkdownDepth);
    }
}

bool same(const MarkdownDocument& doc, const ParsedMarkdown& ref) {
    return doc.blocks() == ref.blocks && doc.links() == ref.links;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view raw = fuzz::as_view(data, size);
    MarkdownOptions options;
    options.soft_break_as_newline = size % 2 == 1;
    options.highlight_code = size % 3 != 0;
    parse_markdown(raw, options);  // whatever the bytes: no crash

    // Replies reach the markdown as valid UTF-8, appended a decoded piece at a time.
    std::string text;
    utf8_decode_append(text, raw);
    MarkdownDocument doc(options);
    size_t at = 0;
    for (std::string_view piece : fuzz::split(text)) {
        at += piece.size();
        size_t end = at;
        while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) ++end;
        if (end != at) continue;  // not a character boundary: the next piece completes it
        std::string_view prefix = std::string_view(text).substr(0, at);
        doc.set_text_appended(prefix);
        ParsedMarkdown ref = parse_markdown(prefix, options);
        check(ref);
        FUZZ_CHECK(same(doc, ref));
        FUZZ_CHECK(doc.final_block_count() <= doc.blocks().size());
    }
    return 0;
}
