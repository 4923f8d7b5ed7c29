#include "ui/theme.h"

#include "platform/platform.h"

namespace imchat::ui {

namespace {

Theme g_theme;

constexpr ImU32 rgb(unsigned v, unsigned a = 255)
{
    return IM_COL32((v >> 16) & 255, (v >> 8) & 255, v & 255, a);
}

Theme make_dark()
{
    Theme t;
    t.dark = true;
    t.background = rgb(0x1e1f22);
    t.panel = rgb(0x17181a);
    t.text = rgb(0xe6e6e6);
    t.text_dim = rgb(0x9a9ca3);
    t.accent = rgb(0x4c8dff);
    t.link = rgb(0x6ea8ff);
    t.error = rgb(0xff6b6b);
    t.user_bubble = rgb(0x2f3136);
    t.code_bg = rgb(0x141517);
    t.code_border = rgb(0x34363c);
    t.inline_code_bg = rgb(0x34363c);
    t.quote_bar = rgb(0x4a4d55);
    t.rule = rgb(0x3a3c42);
    t.selection = rgb(0x3d6fd6, 120);
    t.find_match = rgb(0xd6a83d, 90);
    t.find_current = rgb(0xff9f1a, 170);
    t.table_border = rgb(0x3a3c42);
    t.table_header_bg = rgb(0x26282c);
    t.token[0] = rgb(0xdcdcdc);
    t.token[1] = rgb(0xc586c0);
    t.token[2] = rgb(0xce9178);
    t.token[3] = rgb(0x6a9955);
    t.token[4] = rgb(0xb5cea8);
    return t;
}

Theme make_light()
{
    Theme t;
    t.dark = false;
    t.background = rgb(0xffffff);
    t.panel = rgb(0xf4f4f6);
    t.text = rgb(0x1f2328);
    t.text_dim = rgb(0x6a6f77);
    t.accent = rgb(0x2563eb);
    t.link = rgb(0x1d4ed8);
    t.error = rgb(0xc62828);
    t.user_bubble = rgb(0xeef0f3);
    t.code_bg = rgb(0xf6f8fa);
    t.code_border = rgb(0xd8dde3);
    t.inline_code_bg = rgb(0xebedf0);
    t.quote_bar = rgb(0xc9ced6);
    t.rule = rgb(0xd8dde3);
    t.selection = rgb(0x3b82f6, 90);
    t.find_match = rgb(0xf5c542, 110);
    t.find_current = rgb(0xff8c00, 170);
    t.table_border = rgb(0xd0d7de);
    t.table_header_bg = rgb(0xf0f2f5);
    t.token[0] = rgb(0x24292f);
    t.token[1] = rgb(0xa626a4);
    t.token[2] = rgb(0x0a7d32);
    t.token[3] = rgb(0x6e7781);
    t.token[4] = rgb(0x986801);
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
    g_theme = dark ? make_dark() : make_light();
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
    c[ImGuiCol_FrameBg] = v4(g_theme.user_bubble);
    c[ImGuiCol_TextSelectedBg] = v4(g_theme.selection);
    const ImVec4 bg = v4(g_theme.background);
    platform::set_clear_color(bg.x, bg.y, bg.z);
}

} // namespace imchat::ui
