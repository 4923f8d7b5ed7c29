// Math pre-pass: never crashes; regions are sorted, disjoint, inside the text and start with a
// delimiter; the incremental scanner fed input-derived pieces equals find_math of each prefix,
// streaming or complete; and a streaming document with formulas equals its one-shot parse.
#include <string>

#include "core/markdown.h"
#include "core/math_detect.h"
#include "fuzz_common.h"

using namespace imchat;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view text = fuzz::as_view(data, size);
    bool complete = size % 2 == 0;
    std::vector<MathRegion> all = find_math(text, complete);
    uint32_t at = 0;
    for (const MathRegion& r : all) {
        FUZZ_CHECK(r.begin >= at && r.begin < r.end && r.end <= text.size());
        FUZZ_CHECK(text[r.begin] == '$' || text[r.begin] == '\\');
        std::string source = math_source_text(text, r);
        FUZZ_CHECK(source.size() <= r.end - r.begin);
        math_tex(source);
        at = r.end;
    }
    MathScanner scanner;
    MarkdownDocument doc;
    size_t upto = 0;
    for (std::string_view piece : fuzz::split(text)) {
        upto += piece.size();
        std::string_view prefix = text.substr(0, upto);
        scanner.update(prefix, complete);
        FUZZ_CHECK(scanner.regions() == find_math(prefix, complete));
        doc.set_text_appended(prefix, complete);
        ParsedMarkdown ref = parse_markdown(prefix, {}, complete);
        FUZZ_CHECK(doc.blocks() == ref.blocks);
    }
    return 0;
}
