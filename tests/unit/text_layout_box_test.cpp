// Inline boxes (typeset formulas) in text layout: one unit of the box's width, lines break
// around it and grow to its height, hit testing treats it whole; without a box the span is text.
#include "core/text_layout.h"

#include <gtest/gtest.h>

#include <string>

using namespace imchat;

namespace {

FontMetrics ten_px() {
    FontMetrics f;
    f.id = 1;
    f.line_height = 20;
    for (float& a : f.ascii) a = 10;
    f.ascii[' '] = 5;
    return f;
}

// Every math span is a 60 x 44 box when `boxes` is on.
struct BoxFonts : LayoutFonts {
    FontMetrics f = ten_px();
    bool boxes = true;
    const FontMetrics& metrics(BlockKind, int, bool, uint16_t) const override { return f; }
    uint64_t key() const override { return boxes ? 2 : 1; }
    bool inline_box(std::string_view, uint16_t style, InlineBox& box) const override {
        if (!boxes || !(style & SpanStyle_Math)) return false;
        box.width = 60;
        box.line_height = 44;
        return true;
    }
};

const std::string kText = "ab $x^2+y$ cd";  // the formula is bytes 3..10
const std::vector<Span> kSpans = {Span{3, 10, SpanStyle_Math, kNoLink}};

}  // namespace

TEST(TextLayoutBox, AFormulaIsOneUnitOfItsBoxWidth) {
    BoxFonts fonts;
    TextLayout l = layout_text(kText, kSpans, fonts, TextContext{}, 0, WrapMode::Words);
    ASSERT_EQ(l.lines.size(), 1u);
    // "ab" 20 + " " 5 + box 60 + " " 5 + "cd" 20
    EXPECT_FLOAT_EQ(l.width, 110);
    EXPECT_FLOAT_EQ(l.lines[0].height, 44);
    const LayoutRun* box = nullptr;
    for (const LayoutRun& r : l.runs)
        if (r.box) box = &r;
    ASSERT_NE(box, nullptr);
    EXPECT_EQ(box->begin, 3u);
    EXPECT_EQ(box->end, 10u);
    EXPECT_FLOAT_EQ(box->x, 25);
    EXPECT_FLOAT_EQ(box->width, 60);
    // Hit testing: the formula is selected whole.
    EXPECT_EQ(text_offset_at(l, kText, fonts, TextContext{}, 40, 5), 3u);
    EXPECT_EQ(text_offset_at(l, kText, fonts, TextContext{}, 70, 5), 10u);
    EXPECT_FLOAT_EQ(text_position_of(l, kText, fonts, TextContext{}, 6).x, 85);
}

TEST(TextLayoutBox, LinesBreakAroundAFormula) {
    BoxFonts fonts;
    TextLayout l = layout_text(kText, kSpans, fonts, TextContext{}, 70, WrapMode::Words);
    ASSERT_EQ(l.lines.size(), 3u);
    EXPECT_EQ(kText.substr(l.lines[1].begin, l.lines[1].end - l.lines[1].begin), "$x^2+y$");
    EXPECT_FLOAT_EQ(l.lines[0].height, 20);
    EXPECT_FLOAT_EQ(l.lines[1].height, 44);
}

TEST(TextLayoutBox, WithoutABoxTheSourceIsText) {
    BoxFonts fonts;
    fonts.boxes = false;
    TextLayout l = layout_text(kText, kSpans, fonts, TextContext{}, 0, WrapMode::Words);
    EXPECT_FLOAT_EQ(l.width, 20 + 5 + 70 + 5 + 20);  // "$x^2+y$": 7 characters of 10 px
    for (const LayoutRun& r : l.runs) EXPECT_FALSE(r.box);
}
