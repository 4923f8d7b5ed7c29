// palette: the UI's colours as plain 0xRRGGBB numbers, dark and light, kept apart from ImGui so a
// native unit test can hold every text colour to WCAG AA (4.5:1) against every background it is
// drawn on, button states included (ui/theme turns a palette into ImGui's style).
#pragma once
#include <cstdint>

namespace imchat::ui {

struct Palette {
    bool dark;
    uint32_t background, panel, text, text_dim, link, error, user_bubble, code_bg, code_border,
        inline_code_bg, quote_bar, rule, table_border, table_header_bg;
    uint32_t token[5];  // highlight TokenKind: plain, keyword, string, comment, number
    uint32_t accent;    // the caret, focus rings and other marks that carry no text
    // Buttons, selectable rows (header) and fields (frame) at rest, hovered and pressed; their
    // labels are `text`, or `text_dim` on the transcript's quiet buttons (no fill at rest).
    uint32_t button, button_hovered, button_active;
    uint32_t header, header_hovered, header_active;
    uint32_t frame, frame_hovered, frame_active;
    // The composer's Send and Stop: white labels on a strong fill.
    uint32_t on_strong, send, send_hovered, send_active, stop, stop_hovered, stop_active;
};

const Palette& dark_palette();
const Palette& light_palette();

// WCAG 2 contrast ratio of two opaque colours, from 1 (same) to 21 (black on white).
double contrast_ratio(uint32_t a, uint32_t b);

}  // namespace imchat::ui
