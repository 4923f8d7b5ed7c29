// a11y_dom: the page's accessibility DOM, the screen reader's view of what the canvas draws.
//
// Two parts, both written with createElement and text nodes only (no model text ever becomes
// markup), by wasm/platform/a11y_glue.js:
// - Twins (#a11y-controls): one real element per control drawn this frame (button, listbox and
//   option, dialog, radio, checkbox, slider, textbox), transparent, laid over the control's canvas
//   rectangle, pointer events passing through to the canvas. The UI hands over the whole list every frame; the page is
//   touched only when the list differs from the last one. Activating a twin (click, Enter,
//   a screen reader's default action) is reported back: twin_activated() names it for one frame.
//   Text fields keep their editing in the page's text agent: focusing a textbox twin (Tab onto
//   it) activates its field and hands the keyboard to the agent, and Tab from the agent goes on
//   from the active field's twin, so the fields and the controls make one focus order.
// - The transcript mirror (#transcript-mirror): one <article> per message of the active path,
//   holding its markdown blocks as headings, paragraphs, lists, tables, <pre>; and the live
//   region (#reply-live) that is handed a streaming reply's whole sentences.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace imchat::platform {

// ---- Twins --------------------------------------------------------------------------------

enum class TwinRole : uint8_t { Button, Option, Listbox, Dialog, Radio, Checkbox, Slider, Textbox };
// Selected: an option's selection, a radio's or checkbox's check. Active: the text field that
// holds the keyboard.
enum TwinFlags : uint8_t { TwinFlags_None = 0, TwinFlags_Disabled = 1, TwinFlags_Selected = 2, TwinFlags_Active = 4 };

struct Twin {
    uint32_t id = 0;            // stable across frames (the ImGui item id)
    TwinRole role = TwinRole::Button;
    uint8_t flags = 0;          // TwinFlags
    int16_t parent = -1;        // index of the enclosing listbox or dialog in the list, or -1
    int16_t x = 0, y = 0, w = 0, h = 0;  // CSS pixels, relative to the canvas
    std::string name;
    std::string value;          // a slider's value as shown, a textbox's text (or bullets)
    float now = 0, lo = 0, hi = 0;  // a slider's value and range
    bool operator==(const Twin&) const = default;
};

// This frame's controls, in reading (and focus) order. Does nothing when equal to the last list.
void publish_twins(const Twin* twins, size_t count);
// The twin activated since the last publish_twins(), or 0.
uint32_t twin_activated();
// With it, a slider's step: +1 or -1 (arrow keys, a screen reader's increment), 0 for a click.
int twin_activation_step();

// ---- Transcript mirror --------------------------------------------------------------------

// Entry kinds of mirror_block(), the markdown block kinds (core/markdown.h) the mirror knows.
enum class MirrorKind : uint8_t { Paragraph, Heading, Code, ListItem, Table, Rule };

struct MirrorBlock {
    MirrorKind kind = MirrorKind::Paragraph;
    uint8_t level = 0;        // heading level
    uint8_t quote_depth = 0, list_depth = 0;
    bool ordered = false;
    int number = 0;           // ordered list item
    int task_state = -1;      // -1 none, 0 open, 1 done
};

// Style runs of a piece of text: [begin, end) byte offsets into it with InlineStyle bits.
// Inline_Link: the run is a link; style >> 8 indexes the URLs handed with the runs.
enum InlineStyle : uint8_t { Inline_Strong = 1, Inline_Emphasis = 2, Inline_Strike = 4, Inline_Code = 8, Inline_Link = 16 };
struct InlineRun {
    uint32_t begin, end;
    uint32_t style;
};
// The URLs of a call's links, each ending in U+001E (only http: and https: ones: the page makes
// no link of anything else).
using InlineLinks = std::string;

// Message `index` starts again, empty (created if it is the next one), named `role` ("You");
// with role nullptr, the article there only becomes the one later blocks go into.
void mirror_message(int index, const char* role);
// Keeps the first `count` messages.
void mirror_truncate(int count);
// Keeps the first `count` blocks of the last message.
void mirror_truncate_blocks(int count);
// Appends a block to the last message with its first text. A table's text is its rows, cells
// separated by U+001F and rows ending in U+001E, the header row first.
void mirror_block(const MirrorBlock& block, std::string_view text, const std::vector<InlineRun>& runs,
                  const InlineLinks& links);
// Appends text to the last block of the last message (the open block of a streaming reply).
void mirror_append(std::string_view text, const std::vector<InlineRun>& runs, const InlineLinks& links);
// The last block is a table: its rows from `first_row` on are replaced by `rows` (as above).
void mirror_table_rows(int first_row, std::string_view rows);

// Hands whole sentences to the live region, which a screen reader reads out as they arrive.
void announce(std::string_view sentences);

}  // namespace imchat::platform
