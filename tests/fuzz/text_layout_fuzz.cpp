// Text layout with a fake font: lines cover the text in order without gaps or overlaps, every
// offset is on a UTF-8 boundary, no line is wider than the wrap width unless it holds a single
// grapheme cluster, runs stay inside their lines, hit testing lands on character boundaries, and
// re-laying out a grown text's tail (from any unchanged prefix) equals laying out the whole text
// afresh.
// Input: [wrap width][flags][text…].
#include <cmath>
#include <string>
#include <vector>

#include "core/graphemes.h"
#include "core/text_layout.h"
#include "core/utf8.h"
#include "fuzz_common.h"

using namespace imchat;

namespace {

// Every glyph has a positive advance, so "a single glyph" is "a single code point".
float fake_fallback(const void* scale, uint32_t cp) {
    float s = *static_cast<const float*>(scale);
    if (cp >= 0x2E80 && cp <= 0x9FFF) return 16 * s;  // CJK
    if (cp >= 0x1F000) return 18 * s;                 // emoji
    return (6 + cp % 7) * s;
}

struct FakeFonts : LayoutFonts {
    float regular_scale = 1, bold_scale = 1.25f, mono_scale = 1;
    FontMetrics regular = make(1, 18, &regular_scale), bold = make(2, 18, &bold_scale),
                mono = make(3, 16, &mono_scale);
    static FontMetrics make(uint64_t id, float line_height, const float* scale) {
        FontMetrics f;
        f.id = id;
        f.line_height = line_height;
        for (int c = 0; c < 128; ++c) f.ascii[c] = (c == ' ' ? 4 : 3 + c % 9) * *scale;
        f.fallback = fake_fallback;
        f.user = scale;
        return f;
    }
    const FontMetrics& metrics(BlockKind kind, int, bool header, uint16_t style) const override {
        if (kind == BlockKind::CodeBlock || (style & SpanStyle_Code)) return mono;
        if (header || kind == BlockKind::Heading || (style & SpanStyle_Strong)) return bold;
        return regular;
    }
    uint64_t key() const override { return 7; }
};

bool is_boundary(std::string_view s, size_t at) {
    return at == 0 || at >= s.size() || (static_cast<unsigned char>(s[at]) & 0xC0) != 0x80;
}

// Sorted, disjoint spans on character boundaries, chosen by the text's own hash.
std::vector<Span> make_spans(std::string_view text) {
    static const uint16_t kStyles[] = {SpanStyle_Strong, SpanStyle_Emphasis, SpanStyle_Code,
                                       SpanStyle_Strike, SpanStyle_Strong | SpanStyle_Emphasis};
    std::vector<Span> spans;
    uint32_t at = 0;
    for (std::string_view piece : fuzz::split(text, 99)) {
        uint32_t begin = at;
        at += static_cast<uint32_t>(piece.size());
        if (piece.size() % 3 != 0) continue;
        uint32_t end = at;
        while (begin < end && !is_boundary(text, begin)) ++begin;
        while (end < text.size() && !is_boundary(text, end)) ++end;
        if (begin >= end || (!spans.empty() && begin < spans.back().end)) continue;
        spans.push_back(Span{begin, end, kStyles[static_cast<unsigned char>(piece[0]) % 5], kNoLink});
    }
    return spans;
}

void check_layout(const TextLayout& l, std::string_view text, float wrap) {
    FUZZ_CHECK(!l.lines.empty());
    FUZZ_CHECK(l.lines.front().begin == 0);
    FUZZ_CHECK(l.lines.back().next == text.size());
    float y = 0;
    for (size_t i = 0; i < l.lines.size(); ++i) {
        const LayoutLine& line = l.lines[i];
        FUZZ_CHECK(line.begin <= line.end && line.end <= line.next && line.next <= text.size());
        FUZZ_CHECK(is_boundary(text, line.begin) && is_boundary(text, line.end) && is_boundary(text, line.next));
        if (i + 1 < l.lines.size()) {
            FUZZ_CHECK(l.lines[i + 1].begin == line.next);
            FUZZ_CHECK(line.next > line.begin);  // progress: no endless empty lines
        }
        if (wrap > 0 && line.width > wrap + 0.01f)
            FUZZ_CHECK(line.end <= grapheme_end(text, line.begin));  // one cluster, too wide for any line
        FUZZ_CHECK(std::fabs(line.y - y) < 0.01f);
        y += line.height;
        FUZZ_CHECK(line.run_begin <= line.run_end && line.run_end <= l.runs.size());
        uint32_t at = line.begin;
        for (uint32_t r = line.run_begin; r < line.run_end; ++r) {
            const LayoutRun& run = l.runs[r];
            FUZZ_CHECK(run.begin >= at && run.begin <= run.end && run.end <= line.end);
            FUZZ_CHECK(is_boundary(text, run.begin) && is_boundary(text, run.end));
            at = run.end;
        }
    }
}

bool same_layout(const TextLayout& a, const TextLayout& b) {
    if (a.lines.size() != b.lines.size() || a.runs.size() != b.runs.size()) return false;
    auto near = [](float x, float y) { return std::fabs(x - y) < 0.01f; };
    for (size_t i = 0; i < a.lines.size(); ++i) {
        const LayoutLine &x = a.lines[i], &y = b.lines[i];
        if (x.begin != y.begin || x.end != y.end || x.next != y.next || x.run_begin != y.run_begin ||
            x.run_end != y.run_end || !near(x.y, y.y) || !near(x.height, y.height) || !near(x.width, y.width))
            return false;
    }
    for (size_t i = 0; i < a.runs.size(); ++i) {
        const LayoutRun &x = a.runs[i], &y = b.runs[i];
        if (x.begin != y.begin || x.end != y.end || x.style != y.style || !near(x.x, y.x) || !near(x.width, y.width))
            return false;
    }
    return near(a.width, b.width) && near(a.height, b.height);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 2) return 0;
    static FakeFonts fonts;
    float wrap = static_cast<float>(data[0]);  // 0: no wrapping
    WrapMode mode = data[1] & 1 ? WrapMode::Characters : WrapMode::Words;
    TextContext context;
    context.kind = data[1] & 2 ? BlockKind::CodeBlock : data[1] & 4 ? BlockKind::Heading : BlockKind::Paragraph;
    context.table_header = data[1] & 8;
    std::string text;
    utf8_decode_append(text, fuzz::as_view(data + 2, size - 2));  // block text is valid UTF-8
    std::vector<Span> spans = make_spans(text);

    TextLayout whole = layout_text(text, spans, fonts, context, wrap, mode);
    check_layout(whole, text, wrap);

    // Hit testing and caret positions.
    for (const LayoutLine& line : whole.lines) {
        for (float x : {-5.0f, 0.0f, line.width / 2, line.width + 5}) {
            uint32_t at = text_offset_at(whole, text, fonts, context, x, line.y + line.height / 2);
            FUZZ_CHECK(at <= text.size() && is_boundary(text, at));
        }
        text_position_of(whole, text, fonts, context, line.begin);
        text_position_of(whole, text, fonts, context, line.end);
    }
    text_offset_at(whole, text, fonts, context, 0, -10);
    text_offset_at(whole, text, fonts, context, 0, whole.height + 10);

    // A text that grew (or changed) after some byte: keep the lines placed before it, redo the
    // rest. The earlier text is a prefix of this one, its spans cut there, so bytes and styles
    // before `stable` (any character boundary up to the earlier text's end) are unchanged.
    uint32_t earlier_size = static_cast<uint32_t>(text.size() * (data[0] % 4) / 4);
    while (!is_boundary(text, earlier_size)) ++earlier_size;
    uint32_t stable = earlier_size * (data[1] / 16) / 15;
    while (!is_boundary(text, stable)) ++stable;
    std::string_view earlier = std::string_view(text).substr(0, earlier_size);
    std::vector<Span> earlier_spans;
    for (Span s : spans) {
        if (s.begin >= earlier_size) break;
        s.end = std::min(s.end, earlier_size);
        earlier_spans.push_back(s);
    }
    TextLayout grown = layout_text(earlier, earlier_spans, fonts, context, wrap, mode);
    relayout_text_tail(grown, text, spans, fonts, context, wrap, mode, stable);
    FUZZ_CHECK(same_layout(grown, whole));
    return 0;
}
