// theme: the colours of the chat UI, dark and light, applied to ImGui's style and used by the
// transcript's own drawing (which goes straight to the draw list).
#pragma once
#include "imgui.h"

namespace imchat::ui {

struct Theme {
    bool dark = true;
    ImU32 background, panel, text, text_dim, accent, link, error, user_bubble, code_bg, code_border,
        inline_code_bg, quote_bar, rule, selection, find_match, find_current, table_border,
        table_header_bg;
    ImU32 token[5];  // highlight TokenKind: plain, keyword, string, comment, number
};

const Theme& theme();
// Switches the palette and ImGui's style colours.
void apply_theme(bool dark);

}  // namespace imchat::ui
