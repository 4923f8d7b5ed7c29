// message_view: one message of the transcript, laid out once per (text revision, fonts, width)
// and drawn from that cache. The assistant's text goes through the incremental markdown
// document, so a new token re-parses and re-lays out only the message's open tail.
#pragma once
#include <cstdint>
#include <string>

#include "core/conversation.h"
#include "core/markdown.h"
#include "core/text_layout.h"
#include "ui/tool_call_view.h"
#include "imgui.h"

namespace imchat::ui {

class LayoutFontsImGui;

// A position in a message's text, for selection: which text (body block, table cell, user
// text) and the byte offset in it.
struct TextRef {
    int32_t block = -1;   // body block index; -1 = the user's plain text / not set
    int32_t cell = -1;    // table cell index within the block, -1 otherwise
    uint32_t offset = 0;
    bool valid() const { return block >= -1 && !(block == -1 && cell != -1); }
};

struct MessageView {
    uint32_t id = 0;
    uint64_t revision = ~0ull;     // Message::revision the layout is for
    uint64_t fonts_key = 0;
    float width = -1;              // column width the layout is for
    bool thinking_open = false;    // the "Thinking" block is expanded
    bool thinking_touched = false; // the user toggled it: stop following the automatic state
    MarkdownDocument doc;          // assistant replies: the markdown of text
    MessageLayout body;
    TextLayout plain;              // user messages: the text, wrapped, no markdown
    TextLayout reasoning;          // the thinking text, when shown
    size_t reasoning_bytes = 0;    // reasoning laid out up to here
    float body_y = 0;              // where the body starts (below the thinking block)
    float tools_y = 0, tools_h = 0;  // the tool call cards, below the body (tools_h 0: none)
    ToolCallCards tool_cards;
    float footer_y = 0;
    float height = 0;              // whole message, footer included
    float bubble_width = 0;        // user messages: the bubble's width

    bool laid_out = false;         // the layout is held (see release())
    uint64_t math_generation = 0;  // ui/math_images' generation the layout saw (0: no formula)

    // Lays out the message if anything it depends on changed. Returns true if it did.
    bool update(const Message& m, const LayoutFontsImGui& fonts, float width);
    // Frees the layout of a message far from the view but keeps its height (valid for the
    // same revision, width and fonts); update() lays it out again when it comes into view.
    void release();
};

struct DrawContext {
    ImDrawList* draw = nullptr;
    const LayoutFontsImGui* fonts = nullptr;
    ImVec2 origin;        // top-left of the message
    float width = 0;      // column width
    ImVec4 clip;          // visible rectangle (screen space)
    // Find highlights: byte ranges of this message's texts (body block + cell or plain).
    const std::string* find_query = nullptr;
    // Selection inside this message, normalised (start <= end), or none.
    bool has_selection = false;
    TextRef sel_start, sel_end;
};

// Draws the message's text (not its buttons) from the cache.
void draw_message_text(const Message& m, const MessageView& view, const DrawContext& ctx);

// The text under a point of the message (coordinates relative to its top-left).
TextRef text_ref_at(const Message& m, const MessageView& view, const LayoutFontsImGui& fonts,
                    float x, float y);
// The text between two refs (ordered), as plain text for the clipboard.
std::string text_between(const Message& m, const MessageView& view, TextRef a, TextRef b);
// The word around a ref, as a pair of refs.
void word_at(const Message& m, const MessageView& view, TextRef at, TextRef& start, TextRef& end);
bool ref_less(const TextRef& a, const TextRef& b);
// The URL of the link at ref, or nullptr.
const char* link_at(const Message& m, const MessageView& view, const TextRef& ref);
// Opens an http(s) URL in a new tab (other schemes are refused).
void open_link(const char* url);

// Metrics of the parts around the text.
struct MessageMetrics {
    float bubble_padding = 10;
    float footer_height = 26;
    float thinking_header = 28;
    float gap = 18;  // between messages
};
const MessageMetrics& message_metrics();

}  // namespace imchat::ui
