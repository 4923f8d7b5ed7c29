// Line breaking, runs, hit testing and the per-message layout cache, with made-up fonts whose
// advances are round numbers so expected positions can be written down.
#include "core/text_layout.h"

#include <gtest/gtest.h>

#include <string>

#include "core/markdown.h"

using namespace imchat;

namespace {

float wide_fallback(const void*, uint32_t) { return 20; }  // every non-ASCII glyph: 20 px

FontMetrics make_font(uint64_t id, float ascii, float line_height) {
    FontMetrics f;
    f.id = id;
    f.line_height = line_height;
    for (float& a : f.ascii) a = ascii;
    f.ascii[' '] = ascii / 2;
    f.fallback = wide_fallback;
    return f;
}

// Regular 10 px per ASCII char (space 5), bold 12, mono 10, headings 20 tall and 16 wide.
struct TestFonts : LayoutFonts {
    FontMetrics regular = make_font(1, 10, 20);
    FontMetrics bold = make_font(2, 12, 20);
    FontMetrics mono = [] { FontMetrics f = make_font(3, 10, 18); f.ascii[' '] = 10; return f; }();
    FontMetrics heading = make_font(4, 16, 30);
    uint64_t k = 1;
    const FontMetrics& metrics(BlockKind kind, int level, bool header, uint16_t style) const override {
        if (kind == BlockKind::CodeBlock || (style & SpanStyle_Code)) return mono;
        if (kind == BlockKind::Heading) return heading;
        if (header || (style & SpanStyle_Strong)) return bold;
        return regular;
    }
    uint64_t key() const override { return k; }
};

std::vector<std::string> lines_of(const TextLayout& l, const std::string& text) {
    std::vector<std::string> out;
    for (const LayoutLine& line : l.lines) out.push_back(text.substr(line.begin, line.end - line.begin));
    return out;
}

using Lines = std::vector<std::string>;

TextLayout words(const std::string& text, float width, const std::vector<Span>& spans = {}) {
    static TestFonts fonts;
    return layout_text(text, spans, fonts, TextContext{}, width, WrapMode::Words);
}

}  // namespace

TEST(TextLayout, BreaksEnglishAtSpaces) {
    std::string t = "hello world again";
    // "hello" = 50, " " = 5, "world" = 50: "hello world" is 105 px.
    EXPECT_EQ(lines_of(words(t, 110), t), (Lines{"hello world", "again"}));
    EXPECT_EQ(lines_of(words(t, 104), t), (Lines{"hello", "world", "again"}));
    EXPECT_EQ(lines_of(words(t, 0), t), (Lines{"hello world again"}));
    TextLayout l = words(t, 110);
    EXPECT_FLOAT_EQ(l.lines[0].width, 105);
    EXPECT_FLOAT_EQ(l.lines[1].y, 20);
    EXPECT_FLOAT_EQ(l.height, 40);
    EXPECT_FLOAT_EQ(l.width, 105);
    EXPECT_EQ(l.lines[0].next, 12u);  // the next line starts after the space
}

TEST(TextLayout, TrailingSpacesHang) {
    std::string t = "aaaa      bbbb";
    TextLayout l = words(t, 45);  // "aaaa" + spaces overflow, but spaces hang
    EXPECT_EQ(lines_of(l, t), (Lines{"aaaa", "bbbb"}));
    EXPECT_FLOAT_EQ(l.lines[0].width, 40);
    EXPECT_EQ(l.lines[1].begin, 10u);
}

TEST(TextLayout, LongWordsBreakByCharacter) {
    std::string t = "ab abcdefghij";
    EXPECT_EQ(lines_of(words(t, 40), t), (Lines{"ab", "abcd", "efgh", "ij"}));
    // A single character wider than the line still takes a line of its own, never an empty one.
    std::string w = "中";
    EXPECT_EQ(lines_of(words(w, 5), w), (Lines{"中"}));
}

TEST(TextLayout, AnEndlessWordOfClustersBreaksBetweenThemNeverInside) {
    const std::string flag = "\xF0\x9F\x87\xA9\xF0\x9F\x87\xAA";  // 🇩🇪: two regional indicators
    const std::string e_acute = "e\xCC\x81";                           // e + combining acute
    std::string t;
    for (int i = 0; i < 4; ++i) t += flag;
    t += e_acute + e_acute;
    // Without a cluster advance a flag is its two code points (40 px), "é" is 10 + 20 px.
    EXPECT_EQ(lines_of(words(t, 85), t), (Lines{flag + flag, flag + flag, e_acute + e_acute}));
    // With one (the glyph renderer draws a cluster as one image), a flag is 20 px wide.
    TestFonts fonts;
    fonts.regular.cluster = [](const void*, std::string_view) { return 20.0f; };
    TextLayout l = layout_text(t, {}, fonts, TextContext{}, 85, WrapMode::Words);
    EXPECT_EQ(lines_of(l, t), (Lines{flag + flag + flag + flag, e_acute + e_acute}));
    // Hit testing never lands inside a cluster: the middle of the first flag is its start or end.
    EXPECT_EQ(text_offset_at(l, t, fonts, TextContext{}, 9, 5), 0u);
    EXPECT_EQ(text_offset_at(l, t, fonts, TextContext{}, 11, 5), flag.size());
    EXPECT_EQ(text_position_of(l, t, fonts, TextContext{}, uint32_t(flag.size())).x, 20);
}

TEST(TextLayout, CjkBreaksBetweenCharacters) {
    std::string t = "我们今天去公园";  // 7 x 20 px
    EXPECT_EQ(lines_of(words(t, 60), t), (Lines{"我们今", "天去公", "园"}));
}

TEST(TextLayout, KinsokuKeepsPunctuationOffLineStarts) {
    // "我们今" fits in 60, but "，" may not start the next line: "今，" move together.
    std::string t = "我们今，天去";
    EXPECT_EQ(lines_of(words(t, 60), t), (Lines{"我们", "今，天", "去"}));
    // An opening bracket does not end a line, a closing one does not start one.
    std::string o = "我们「今天」";
    EXPECT_EQ(lines_of(words(o, 60), o), (Lines{"我们", "「今", "天」"}));
}

TEST(TextLayout, MixedLatinAndCjk) {
    std::string t = "use 中文 text";
    // "use " = 35, "中文" = 40: "use 中" = 55 fits 60, "文" would make 75.
    EXPECT_EQ(lines_of(words(t, 60), t), (Lines{"use 中", "文", "text"}));
    std::string glued = "abc中文";
    EXPECT_EQ(lines_of(words(glued, 50), glued), (Lines{"abc中", "文"}));
    EXPECT_EQ(lines_of(words(glued, 45), glued), (Lines{"abc", "中文"}));
}

TEST(TextLayout, ExplicitNewlines) {
    std::string t = "one\n\ntwo\n";
    TextLayout l = words(t, 0);
    EXPECT_EQ(lines_of(l, t), (Lines{"one", "", "two"}));  // a final '\n' adds no empty line
    EXPECT_FLOAT_EQ(l.height, 60);
    std::string empty;
    TextLayout e = words(empty, 100);
    ASSERT_EQ(e.lines.size(), 1u);
    EXPECT_FLOAT_EQ(e.height, 20);
}

TEST(TextLayout, SpansBecomeRunsAcrossBreaks) {
    std::string t = "aa bbbb cc";
    std::vector<Span> spans{{3, 10, SpanStyle_Strong, kNoLink}};  // "bbbb cc" bold (12 px)
    TextLayout l = words(t, 80, spans);
    // "aa " = 25, "bbbb" = 48 -> 73 fits; " cc" = 6 + 24 -> breaks.
    ASSERT_EQ(lines_of(l, t), (Lines{"aa bbbb", "cc"}));
    ASSERT_EQ(l.lines[0].run_end - l.lines[0].run_begin, 2u);
    const LayoutRun& plain = l.runs[l.lines[0].run_begin];
    const LayoutRun& bold = l.runs[l.lines[0].run_begin + 1];
    EXPECT_EQ(plain.style, 0);
    EXPECT_EQ(bold.style, SpanStyle_Strong);
    EXPECT_FLOAT_EQ(bold.x, 25);
    EXPECT_FLOAT_EQ(bold.width, 48);
    const LayoutRun& second = l.runs[l.lines[1].run_begin];
    EXPECT_EQ(second.style, SpanStyle_Strong);
    EXPECT_FLOAT_EQ(second.x, 0);
    EXPECT_EQ(second.begin, 8u);
}

TEST(TextLayout, CodeWrapsByCharacterAndKeepsSpaces) {
    TestFonts fonts;
    std::string code = "int  x = 1;\n\tab\n";
    TextLayout l = layout_text(code, {}, fonts, TextContext{BlockKind::CodeBlock}, 50, WrapMode::Characters);
    ASSERT_EQ(lines_of(l, code), (Lines{"int  ", "x = 1", ";", "\ta", "b"}));
    EXPECT_FLOAT_EQ(l.lines[0].height, 18);
    EXPECT_FLOAT_EQ(l.lines[3].width, 50);  // a tab is four spaces of the font (10 px each)
    TextLayout unwrapped = layout_text(code, {}, fonts, TextContext{BlockKind::CodeBlock}, 0, WrapMode::Characters);
    EXPECT_EQ(lines_of(unwrapped, code), (Lines{"int  x = 1;", "\tab"}));
}

TEST(TextLayout, HitTestRoundTrips) {
    std::string t = "hello 中文 world wide text";
    TestFonts fonts;
    TextLayout l = layout_text(t, {}, fonts, TextContext{}, 80, WrapMode::Words);
    for (uint32_t off = 0; off <= t.size(); ++off) {
        if (off < t.size() && (static_cast<unsigned char>(t[off]) & 0xC0) == 0x80) continue;
        TextPoint p = text_position_of(l, t, fonts, TextContext{}, off);
        uint32_t back = text_offset_at(l, t, fonts, TextContext{}, p.x + 0.1f, p.y + 1);
        // Offsets in hanging spaces map to their line's end; everything else comes back exactly.
        bool in_hanging_space = false;
        for (const LayoutLine& line : l.lines)
            if (off > line.end && off < line.next) in_hanging_space = true;
        if (in_hanging_space) continue;
        EXPECT_EQ(back, off) << "offset " << off << " at " << p.x << "," << p.y;
    }
    // Outside the text: clamped to the nearest line.
    EXPECT_EQ(text_offset_at(l, t, fonts, TextContext{}, -5, -5), 0u);
    EXPECT_EQ(text_offset_at(l, t, fonts, TextContext{}, 1e6f, 1e6f), l.lines.back().end);
    // The nearer edge of a glyph wins.
    EXPECT_EQ(text_offset_at(l, t, fonts, TextContext{}, 14, 5), 1u);
    EXPECT_EQ(text_offset_at(l, t, fonts, TextContext{}, 16, 5), 2u);
}

TEST(TextLayout, RelayoutTailEqualsFullLayout) {
    TestFonts fonts;
    std::string code;
    for (int i = 0; i < 50; ++i) code += "line " + std::to_string(i) + " with some longer code text\n";
    std::string grown = code + "new last line that wraps around the width\nand one more\n";
    TextLayout l = layout_text(code, {}, fonts, TextContext{BlockKind::CodeBlock}, 150, WrapMode::Characters);
    relayout_text_tail(l, grown, {}, fonts, TextContext{BlockKind::CodeBlock}, 150, WrapMode::Characters,
                       uint32_t(code.size()));
    TextLayout full = layout_text(grown, {}, fonts, TextContext{BlockKind::CodeBlock}, 150, WrapMode::Characters);
    ASSERT_EQ(l.lines.size(), full.lines.size());
    for (size_t i = 0; i < l.lines.size(); ++i) {
        EXPECT_EQ(l.lines[i].begin, full.lines[i].begin);
        EXPECT_EQ(l.lines[i].end, full.lines[i].end);
        EXPECT_FLOAT_EQ(l.lines[i].y, full.lines[i].y);
    }
    EXPECT_EQ(l.runs.size(), full.runs.size());
    EXPECT_FLOAT_EQ(l.height, full.height);
    EXPECT_FLOAT_EQ(l.width, full.width);
}

TEST(MessageLayout, StreamingRelaysOutOnlyTheChangedBlock) {
    TestFonts fonts;
    LayoutParams params;
    params.wrap_width = 300;
    MarkdownDocument doc;
    std::string text;
    for (int i = 0; i < 50; ++i) text += "Paragraph " + std::to_string(i) + " has a few words to wrap.\n\n";
    text += "```cpp\n";
    for (int i = 0; i < 100; ++i) text += "int v" + std::to_string(i) + " = " + std::to_string(i) + ";\n";
    doc.set_text_appended(text);
    MessageLayout layout;
    layout.update(doc.blocks(), fonts, params, doc.final_block_count());
    EXPECT_EQ(layout.last_relayout_count(), doc.blocks().size());
    float height = layout.height();

    text += "int last = 1;";
    doc.set_text_appended(text);
    layout.update(doc.blocks(), fonts, params, doc.final_block_count());
    EXPECT_EQ(layout.last_relayout_count(), 1u);
    EXPECT_GT(layout.height(), height);

    // The cached result equals a fresh layout.
    MessageLayout fresh;
    fresh.update(doc.blocks(), fonts, params);
    ASSERT_EQ(fresh.blocks().size(), layout.blocks().size());
    for (size_t i = 0; i < fresh.blocks().size(); ++i) {
        EXPECT_FLOAT_EQ(fresh.blocks()[i].y, layout.blocks()[i].y);
        EXPECT_FLOAT_EQ(fresh.blocks()[i].height, layout.blocks()[i].height);
        EXPECT_EQ(fresh.blocks()[i].text.lines.size(), layout.blocks()[i].text.lines.size());
    }
    EXPECT_FLOAT_EQ(fresh.height(), layout.height());

    // A width change re-lays out everything.
    params.wrap_width = 200;
    layout.update(doc.blocks(), fonts, params, doc.final_block_count());
    EXPECT_EQ(layout.last_relayout_count(), doc.blocks().size());
    // Nothing changed: nothing to do.
    layout.update(doc.blocks(), fonts, params, doc.final_block_count());
    EXPECT_EQ(layout.last_relayout_count(), 0u);
    // New fonts (a size change): everything again.
    fonts.k = 2;
    layout.update(doc.blocks(), fonts, params, doc.final_block_count());
    EXPECT_EQ(layout.last_relayout_count(), doc.blocks().size());
}

TEST(MessageLayout, IndentsTablesRulesAndLookup) {
    TestFonts fonts;
    LayoutParams params;
    params.wrap_width = 200;
    ParsedMarkdown p = parse_markdown(
        "> - quoted item\n\n---\n\n| a | long column text here |\n|---|---|\n| 1 | two words |\n\n```\ncode\n```\n");
    MessageLayout layout;
    layout.update(p.blocks, fonts, params);
    ASSERT_EQ(layout.blocks().size(), 4u);
    const BlockLayout& item = layout.blocks()[0];
    EXPECT_FLOAT_EQ(item.x, params.quote_indent + params.list_indent);
    const BlockLayout& rule = layout.blocks()[1];
    EXPECT_FLOAT_EQ(rule.height, params.rule_height);
    EXPECT_FLOAT_EQ(rule.y, item.y + item.height + params.block_spacing);
    const BlockLayout& table = layout.blocks()[2];
    ASSERT_EQ(table.column_width.size(), 2u);
    ASSERT_EQ(table.cells.size(), 4u);
    EXPECT_LE(table.width, params.wrap_width + 0.01f);
    // The long header cell wraps inside its column.
    EXPECT_GT(table.cells[1].lines.size(), 1u);
    EXPECT_FLOAT_EQ(table.column_x[1], table.column_width[0]);
    const BlockLayout& code = layout.blocks()[3];
    EXPECT_FLOAT_EQ(code.text_x, params.code_padding);
    EXPECT_FLOAT_EQ(code.height, 18 + 2 * params.code_padding);
    EXPECT_FLOAT_EQ(layout.height(), code.y + code.height);
    EXPECT_EQ(layout.first_block_below(0), 0u);
    EXPECT_EQ(layout.first_block_below(code.y + 1), 3u);
    EXPECT_EQ(layout.first_block_below(1e9f), 4u);
}
