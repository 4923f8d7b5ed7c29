#include "ui/theme.h"

#include "platform/platform.h"
#include "ui/palette.h"

namespace imchat::ui {

namespace {

Theme g_theme;

constexpr ImU32 rgb(unsigned v, unsigned a = 255)
{
    return IM_COL32((v >> 16) & 255, (v >> 8) & 255, v & 255, a);
}

// The opaque colours come from the palette (ui/palette, contrast-checked); the translucent
// marks laid over text (selection, find hits) are set here.
Theme make_theme(const Palette& p)
{
    Theme t;
    t.dark = p.dark;
    t.background = rgb(p.background);
    t.panel = rgb(p.panel);
    t.text = rgb(p.text);
    t.text_dim = rgb(p.text_dim);
    t.accent = rgb(p.accent);
    t.link = rgb(p.link);
    t.error = rgb(p.error);
    t.user_bubble = rgb(p.user_bubble);
    t.code_bg = rgb(p.code_bg);
    t.code_border = rgb(p.code_border);
    t.inline_code_bg = rgb(p.inline_code_bg);
    t.quote_bar = rgb(p.quote_bar);
    t.rule = rgb(p.rule);
    t.table_border = rgb(p.table_border);
    t.table_header_bg = rgb(p.table_header_bg);
    for (int i = 0; i < 5; i++)
        t.token[i] = rgb(p.token[i]);
    t.selection = p.dark ? rgb(0x3d6fd6, 120) : rgb(0x3b82f6, 90);
    t.find_match = p.dark ? rgb(0xd6a83d, 90) : rgb(0xf5c542, 110);
    t.find_current = p.dark ? rgb(0xff9f1a, 170) : rgb(0xff8c00, 170);
    return t;
}

ImVec4 v4(ImU32 c)
{
    return ImGui::ColorConvertU32ToFloat4(c);
}

} // namespace

const Theme& theme()
{
    return g_theme;
}

void apply_theme(bool dark)
{
    const Palette& p = dark ? dark_palette() : light_palette();
    g_theme = make_theme(p);
    ImGuiStyle& style = ImGui::GetStyle();
    if (dark)
        ImGui::StyleColorsDark(&style);
    else
        ImGui::StyleColorsLight(&style);
    style.WindowRounding = 0;
    style.ChildRounding = 6;
    style.FrameRounding = 6;
    style.PopupRounding = 6;
    style.GrabRounding = 6;
    style.ScrollbarRounding = 6;
    style.ScrollbarSize = 12;
    style.WindowBorderSize = 0;
    style.FramePadding = ImVec2(8, 5);
    style.ItemSpacing = ImVec2(8, 6);
    ImVec4* c = style.Colors;
    c[ImGuiCol_WindowBg] = v4(g_theme.background);
    c[ImGuiCol_ChildBg] = v4(g_theme.background);
    c[ImGuiCol_PopupBg] = v4(g_theme.panel);
    c[ImGuiCol_Text] = v4(g_theme.text);
    c[ImGuiCol_TextDisabled] = v4(g_theme.text_dim);
    const auto set = [c](ImGuiCol col, uint32_t value) { c[col] = v4(rgb(value)); };
    set(ImGuiCol_FrameBg, p.frame);
    set(ImGuiCol_FrameBgHovered, p.frame_hovered);
    set(ImGuiCol_FrameBgActive, p.frame_active);
    set(ImGuiCol_Button, p.button);
    set(ImGuiCol_ButtonHovered, p.button_hovered);
    set(ImGuiCol_ButtonActive, p.button_active);
    set(ImGuiCol_Header, p.header);
    set(ImGuiCol_HeaderHovered, p.header_hovered);
    set(ImGuiCol_HeaderActive, p.header_active);
    set(ImGuiCol_CheckMark, p.text);
    c[ImGuiCol_TextSelectedBg] = v4(g_theme.selection);
    const ImVec4 bg = v4(g_theme.background);
    platform::set_clear_color(bg.x, bg.y, bg.z);
}

} // namespace imchat::ui
