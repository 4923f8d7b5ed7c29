// Every label colour of both themes against every fill it is drawn on, button states included,
// meets WCAG AA for text (4.5:1). Disabled controls are exempt (WCAG 1.4.3) and not listed.
#include <gtest/gtest.h>

#include <cstdio>

#include "ui/palette.h"

using namespace imchat::ui;

namespace {

struct Pair {
    const char* what;
    uint32_t text, fill;
};

void expect_readable(const Palette& p, const Pair* pairs, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        double ratio = contrast_ratio(pairs[i].text, pairs[i].fill);
        EXPECT_GE(ratio, 4.5) << (p.dark ? "dark" : "light") << ": " << pairs[i].what << " " << std::hex
                              << pairs[i].text << " on " << pairs[i].fill << " is " << ratio << ":1";
    }
}

void check(const Palette& p)
{
    const Pair pairs[] = {
        {"text on the window", p.text, p.background},
        {"text on the sidebar and popups", p.text, p.panel},
        {"text in the user's bubble", p.text, p.user_bubble},
        {"a button's label", p.text, p.button},
        {"a hovered button's label", p.text, p.button_hovered},
        {"a pressed button's label", p.text, p.button_active},
        {"a selected row's label", p.text, p.header},
        {"a hovered row or menu item", p.text, p.header_hovered},
        {"a pressed row or menu item", p.text, p.header_active},
        {"a field's text", p.text, p.frame},
        {"a hovered field's text", p.text, p.frame_hovered},
        {"an active field's text", p.text, p.frame_active},
        {"dim text on the window", p.text_dim, p.background},
        {"dim text on the sidebar", p.text_dim, p.panel},
        {"a field's placeholder", p.text_dim, p.frame},
        {"a reply's quiet button, hovered", p.text_dim, p.button_hovered},
        {"a reply's quiet button, pressed", p.text_dim, p.button_active},
        {"an error on the window", p.error, p.background},
        {"an error on the sidebar", p.error, p.panel},
        {"a link", p.link, p.background},
        {"Send", p.on_strong, p.send},
        {"Send, hovered", p.on_strong, p.send_hovered},
        {"Send, pressed", p.on_strong, p.send_active},
        {"Stop", p.on_strong, p.stop},
        {"Stop, hovered", p.on_strong, p.stop_hovered},
        {"Stop, pressed", p.on_strong, p.stop_active},
        {"code", p.token[0], p.code_bg},
        {"code keywords", p.token[1], p.code_bg},
        {"code strings", p.token[2], p.code_bg},
        {"code numbers", p.token[4], p.code_bg},
    };
    expect_readable(p, pairs, sizeof(pairs) / sizeof(pairs[0]));
}

} // namespace

TEST(Palette, ContrastRatioMatchesWcagExamples) {
    EXPECT_NEAR(contrast_ratio(0x000000, 0xffffff), 21.0, 1e-9);
    EXPECT_NEAR(contrast_ratio(0x777777, 0x777777), 1.0, 1e-9);
    EXPECT_NEAR(contrast_ratio(0x767676, 0xffffff), 4.54, 0.01);  // the lightest AA grey on white
}

TEST(Palette, DarkThemeTextMeetsAA) { check(dark_palette()); }
TEST(Palette, LightThemeTextMeetsAA) { check(light_palette()); }

// What the theme used before: ImGui's dark style, light grey on the hovered blue (#4296fa).
TEST(Palette, ImGuiDefaultHoveredBlueWouldFail) { EXPECT_LT(contrast_ratio(0xe6e6e6, 0x4296fa), 4.5); }
