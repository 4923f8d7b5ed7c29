// Incremental layout of a streaming reply: after every random append, the cached MessageLayout
// equals a from-scratch layout of the same text, and the bytes it laid out stay about a line
// plus the token (or a table row), however long the block has grown.
#include "core/text_layout.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "core/markdown.h"

using namespace imchat;

namespace {

float fallback(const void*, uint32_t cp) { return cp >= 0x2E80 && cp <= 0x9FFF ? 16 : 9; }

FontMetrics make_font(uint64_t id, float scale, float line_height) {
    FontMetrics f;
    f.id = id;
    f.line_height = line_height;
    for (int c = 0; c < 128; ++c) f.ascii[c] = (c == ' ' ? 4 : 5 + c % 5) * scale;
    f.fallback = fallback;
    return f;
}

struct Fonts : LayoutFonts {
    FontMetrics regular = make_font(1, 1, 18), bold = make_font(2, 1.2f, 18), mono = make_font(3, 1, 16),
                heading = make_font(4, 1.5f, 28);
    const FontMetrics& metrics(BlockKind kind, int, bool header, uint16_t style) const override {
        if (kind == BlockKind::CodeBlock || (style & SpanStyle_Code)) return mono;
        if (kind == BlockKind::Heading) return heading;
        if (header || (style & SpanStyle_Strong)) return bold;
        return regular;
    }
    uint64_t key() const override { return 1; }
};

void expect_same_text(const TextLayout& a, const TextLayout& b, const std::string& where) {
    ASSERT_EQ(a.lines.size(), b.lines.size()) << where;
    for (size_t i = 0; i < a.lines.size(); ++i) {
        const LayoutLine &x = a.lines[i], &y = b.lines[i];
        ASSERT_TRUE(x.begin == y.begin && x.end == y.end && x.next == y.next && x.read_end == y.read_end &&
                    x.run_begin == y.run_begin && x.run_end == y.run_end && x.y == y.y &&
                    x.height == y.height && x.width == y.width)
            << where << " line " << i;
    }
    ASSERT_EQ(a.runs.size(), b.runs.size()) << where;
    for (size_t i = 0; i < a.runs.size(); ++i) {
        const LayoutRun &x = a.runs[i], &y = b.runs[i];
        ASSERT_TRUE(x.begin == y.begin && x.end == y.end && x.x == y.x && x.width == y.width &&
                    x.style == y.style && x.link == y.link)
            << where << " run " << i;
    }
    ASSERT_EQ(a.width, b.width) << where;
    ASSERT_EQ(a.height, b.height) << where;
}

void expect_same(const MessageLayout& a, const MessageLayout& b, const std::string& where) {
    ASSERT_EQ(a.blocks().size(), b.blocks().size()) << where;
    ASSERT_EQ(a.height(), b.height()) << where;
    for (size_t i = 0; i < a.blocks().size(); ++i) {
        const BlockLayout &x = a.blocks()[i], &y = b.blocks()[i];
        std::string at = where + " block " + std::to_string(i);
        ASSERT_TRUE(x.x == y.x && x.y == y.y && x.width == y.width && x.height == y.height) << at;
        expect_same_text(x.text, y.text, at);
        ASSERT_EQ(x.column_x, y.column_x) << at;
        ASSERT_EQ(x.column_width, y.column_width) << at;
        ASSERT_EQ(x.row_y, y.row_y) << at;
        ASSERT_EQ(x.row_height, y.row_height) << at;
        ASSERT_EQ(x.cells.size(), y.cells.size()) << at;
        for (size_t c = 0; c < x.cells.size(); ++c) expect_same_text(x.cells[c], y.cells[c], at + " cell " + std::to_string(c));
    }
}

// Tokens a model might stream in each shape, markup included so styles open and close.
const std::vector<std::vector<std::string>> kShapes = {
    {" the", " stream", " of", " **bold", " words**", " and", " `code`", " *em*", ",", " x", "y", "z",
     " https://example.com/a", " [link](https://e.com)", " ~~gone~~", " averyveryverylongwordthatmustbreak"},
    {"\n- item", " one", " two", " **b**", "\n  - nested", " deep", "\n1. first", " `c`", "\n- [ ] task"},
    {"\n| a", " | b", " |", " **c** |", " longer cell text", " | x |"},
    {"中文", "的", "文本", "，", "没有", "换行", "。", "「", "引号", "」", "English", " 混合"},
    {"\n", "int", " x", " =", " 42;", "\t", "// comment", " \"str\"", "aaaaaaaaaaaaaaaaaaaaaaaa"},
    {" quoted", " text", "\n> more", " **q**", " words", " and", " on"},
};
const std::vector<std::string> kOpeners = {"", "", "| h1 | h2 | h3 |\n|---|:-:|--:|\n| a | b | c |", "",
                                           "```cpp\n", "> "};

}  // namespace

TEST(IncrementalLayout, RandomAppendsEqualAFreshLayout) {
    Fonts fonts;
    LayoutParams params;
    params.wrap_width = 240;
    for (size_t shape = 0; shape < kShapes.size(); ++shape) {
        for (unsigned seed = 1; seed <= 6; ++seed) {
            std::mt19937 rng(seed * 977 + unsigned(shape));
            std::string text = kOpeners[shape];
            MarkdownDocument doc;
            MessageLayout layout;
            for (int step = 0; step < 160; ++step) {
                const auto& tokens = kShapes[shape];
                text += tokens[rng() % tokens.size()];
                doc.set_text_appended(text);
                layout.update(doc.blocks(), fonts, params, doc.final_block_count());
                MessageLayout fresh;
                fresh.update(parse_markdown(text).blocks, fonts, params);
                expect_same(layout, fresh, "shape " + std::to_string(shape) + " seed " + std::to_string(seed) +
                                               " step " + std::to_string(step));
                if (HasFatalFailure()) return;
            }
        }
    }
}

TEST(IncrementalLayout, WorkPerTokenStaysFlatAsAParagraphGrows) {
    Fonts fonts;
    LayoutParams params;
    params.wrap_width = 300;
    MarkdownDocument doc;
    MessageLayout layout;
    std::string text;
    size_t worst = 0;
    for (int i = 0; i < 6000; ++i) {
        text += i % 7 == 0 ? " **strong** word" : " word";
        doc.set_text_appended(text);
        layout.update(doc.blocks(), fonts, params, doc.final_block_count());
        if (text.size() > 1000) worst = std::max(worst, layout.last_laid_out_bytes());
    }
    ASSERT_EQ(doc.blocks().size(), 1u);
    EXPECT_GT(text.size(), 30000u);
    EXPECT_GT(layout.blocks()[0].text.lines.size(), 300u);
    // The last line (at most ~75 characters at 300 px) and the token, never the paragraph.
    EXPECT_LT(worst, 200u);
}

TEST(IncrementalLayout, ReasoningStyleTextRewrapsFromItsLastLine) {
    Fonts fonts;
    std::string text;
    TextLayout layout = layout_text(text, {}, fonts, TextContext{}, 200, WrapMode::Words);
    size_t worst = 0;
    for (int i = 0; i < 5000; ++i) {
        size_t before = text.size();
        text += i % 3 ? "思考" : " step";
        worst = std::max<size_t>(worst, relayout_text_tail(layout, text, {}, fonts, TextContext{}, 200, WrapMode::Words,
                                                           uint32_t(before)));
    }
    expect_same_text(layout, layout_text(text, {}, fonts, TextContext{}, 200, WrapMode::Words), "reasoning");
    EXPECT_LT(worst, 120u);
}

TEST(IncrementalLayout, ATableGrowingByRowsLaysOutTheNewRowOnly) {
    Fonts fonts;
    LayoutParams params;
    params.wrap_width = 400;
    MarkdownDocument doc;
    MessageLayout layout;
    std::string text = "| name | value |\n|---|---|\n";
    size_t worst = 0;
    for (int r = 0; r < 300; ++r) {
        const std::string number = std::to_string(r);
        for (const std::string& piece : {std::string("| row "), number, std::string(" | v"), std::string(" |\n")}) {
            text += piece;
            doc.set_text_appended(text);
            size_t relayouts = layout.table_relayouts();
            layout.update(doc.blocks(), fonts, params, doc.final_block_count());
            // A change of column widths lays out every row, and says so.
            if (layout.table_relayouts() == relayouts) worst = std::max(worst, layout.last_laid_out_bytes());
        }
    }
    ASSERT_EQ(layout.blocks().size(), 1u);
    EXPECT_EQ(layout.blocks()[0].row_y.size(), 301u);
    EXPECT_LT(worst, 40u);  // a row's cells (measured, then wrapped), not the table
    // The first column widened when the row numbers got a digit longer (10, 100).
    EXPECT_GE(layout.table_relayouts(), 2u);
    EXPECT_LT(layout.table_relayouts(), 20u);
    MessageLayout fresh;
    fresh.update(parse_markdown(text).blocks, fonts, params);
    expect_same(layout, fresh, "table");
}
