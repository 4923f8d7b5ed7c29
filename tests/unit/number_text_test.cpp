// The settings forms' numbers (core/number_text): what typed text is accepted, how values are
// shown, and where a slider's grab or arrow keys put a value.
#include "core/number_text.h"

#include <gtest/gtest.h>

namespace imchat {
namespace {

TEST(NumberText, AcceptsNumbersInRange) {
    double v = -1;
    EXPECT_TRUE(parse_number_text("1.5", 0, 2, 2, v));
    EXPECT_DOUBLE_EQ(v, 1.5);
    EXPECT_TRUE(parse_number_text(".5", 0, 2, 2, v));
    EXPECT_DOUBLE_EQ(v, 0.5);
    EXPECT_TRUE(parse_number_text("2.", 0, 2, 2, v));
    EXPECT_DOUBLE_EQ(v, 2.0);
    EXPECT_TRUE(parse_number_text("0", 0, 2, 2, v));
    EXPECT_DOUBLE_EQ(v, 0.0);
    EXPECT_TRUE(parse_number_text("-3", -5, 5, 0, v));
    EXPECT_DOUBLE_EQ(v, -3.0);
    EXPECT_TRUE(parse_number_text("1048576", 1, 1 << 20, 0, v));
    EXPECT_DOUBLE_EQ(v, 1048576.0);
}

TEST(NumberText, RejectsTextAndOutOfRangeLeavingTheValue) {
    double v = 0.7;
    for (const char* bad : {"", "-", ".", "abc", "1.2.3", "1,5", " 1", "1 ", "1e3", "+1", "2.01", "-0.1", "0x10", "nan", "inf"})
        EXPECT_FALSE(parse_number_text(bad, 0, 2, 2, v)) << bad;
    EXPECT_FALSE(parse_number_text("1.5", 0, 10, 0, v)) << "no point in an integer";
    EXPECT_FALSE(parse_number_text("0", 1, 100, 0, v)) << "below the minimum";
    EXPECT_DOUBLE_EQ(v, 0.7);
}

TEST(NumberText, Formats) {
    EXPECT_EQ(format_number_text(0.7, 2), "0.70");
    EXPECT_EQ(format_number_text(1.005, 0), "1");
    EXPECT_EQ(format_number_text(8192, 0), "8192");
    EXPECT_EQ(format_number_text(-2.5, 1), "-2.5");
}

TEST(NumberText, SliderRoundsToTheStepWithinRange) {
    EXPECT_DOUBLE_EQ(slider_value_at(0.0, 0, 2, 0.05), 0.0);
    EXPECT_DOUBLE_EQ(slider_value_at(1.0, 0, 2, 0.05), 2.0);
    EXPECT_NEAR(slider_value_at(0.5, 0, 2, 0.05), 1.0, 1e-12);
    EXPECT_NEAR(slider_value_at(0.26, 0, 2, 0.05), 0.5, 1e-12);
    EXPECT_DOUBLE_EQ(slider_value_at(-3, 10, 32, 1), 10.0);
    EXPECT_DOUBLE_EQ(slider_value_at(7, 10, 32, 1), 32.0);
    EXPECT_DOUBLE_EQ(slider_value_at(0.49, 10, 32, 1), 21.0);
    // A step that does not divide the range never goes past its end.
    EXPECT_LE(slider_value_at(0.999, 0, 1, 0.3), 1.0);
}

TEST(NumberText, SliderSteps) {
    EXPECT_NEAR(slider_step(0.7, 1, 0, 2, 0.05), 0.75, 1e-12);
    EXPECT_NEAR(slider_step(0.72, -1, 0, 2, 0.05), 0.65, 1e-12);
    EXPECT_DOUBLE_EQ(slider_step(2.0, 1, 0, 2, 0.05), 2.0);
    EXPECT_DOUBLE_EQ(slider_step(0.0, -3, 0, 2, 0.05), 0.0);
}

}  // namespace
}  // namespace imchat
