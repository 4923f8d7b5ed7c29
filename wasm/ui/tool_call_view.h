// tool_call_view: a reply's function calls (core/tool_calls) drawn as cards under its text: the
// tool's name, its arguments as the model wrote them (monospace, wrapped), and whether it ran.
// Laid out with the message, so the virtualised transcript knows their height before drawing.
#pragma once
#include <vector>

#include "core/text_layout.h"

namespace imchat {
struct Message;
}

namespace imchat::ui {

class LayoutFontsImGui;
struct DrawContext;

struct ToolCallCards {
    std::vector<TextLayout> arguments;  // one per call
    float height = 0;                   // all cards, with the gaps between them
};

// Lays out the cards of m's calls in a column `width` wide; returns their height (0: no calls).
float layout_tool_call_cards(const Message& m, const LayoutFontsImGui& fonts, float width, ToolCallCards& out);
// Draws them with their top at `top` (screen space).
void draw_tool_call_cards(const Message& m, const ToolCallCards& cards, const DrawContext& ctx, float top);

}  // namespace imchat::ui
