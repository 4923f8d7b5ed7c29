// text_field: every text field of the page, drawn by us rather than with ImGui's InputText.
// The prompt box needs soft wrapping, which InputText in ImGui 1.92.2b cannot do, and once the
// page has its own editor, InputText (with stb_textedit, its drag/slider/combo siblings and
// their temporary inputs) is ~25 KB of wasm kept for a few settings fields: they use this too.
// It wraps with the core's line breaker (the transcript's, so CJK and long words break the same
// way), edits through core/text_edit (characters, words, undo), and takes keys, typed text,
// the clipboard and the IME caret from ImGui exactly as InputText does, so the page's text
// agent, the candidate window and the mobile keyboard follow it with no extra glue.
//
// The alternative, a real <textarea> laid over the canvas, was set aside: it would draw with
// the browser's fonts instead of ours, sit above every ImGui popup and window that overlaps it,
// and split keyboard handling between the DOM and ImGui.
#pragma once
#include <cstdint>
#include <string>

#include "core/text_edit.h"
#include "core/text_view.h"
#include "imgui.h"

namespace imchat::ui {

class LayoutFontsImGui;

enum class FieldKind : uint8_t {
    Prompt,      // wraps; Enter submits, Shift+Enter breaks the line; Escape reported, focus kept
    MultiLine,   // wraps inside the caller's height; Enter breaks the line
    SingleLine,  // one line scrolled sideways to keep the caret in view; Enter submits
};

struct TextFieldOptions {
    FieldKind kind = FieldKind::SingleLine;
    const char* hint = nullptr;     // shown dimmed while the field is empty
    bool password = false;          // a single line drawn as bullets, never copied or cut
    const char* accept = nullptr;   // when set, typed or pasted characters outside it are dropped
    ImU32 text_color = 0;           // 0: the theme's text colour (callers show invalid input in red)
    ImVec2 padding = ImVec2(-1, -1);  // text inset; negative: ImGui's FramePadding
    float rounding = -1;            // negative: ImGui's FrameRounding
};

struct TextFieldResult {
    bool submit = false;       // Enter (without Shift in a prompt)
    bool cancel = false;       // Escape while focused
    bool edited = false;       // the text changed this frame
    bool deactivated = false;  // lost the keyboard this frame (a click elsewhere, Tab, Enter, Escape)
};

class TextField {
public:
    static constexpr int kMaxPromptLines = 8;

    // Height of the text (not the frame) at wrap width `width`: its lines, between one and
    // kMaxPromptLines; more scroll inside the box.
    float text_height(const LayoutFontsImGui& fonts, float width);
    // Draws the field as an item of `size` at the cursor.
    TextFieldResult draw(const char* id, const LayoutFontsImGui& fonts, ImVec2 size, const TextFieldOptions& options);

    TextEdit& edit() { return edit_; }
    const std::string& text() const { return edit_.text(); }
    void focus() { focus_request_ = true; }
    bool active() const { return was_active_; }

private:
    void update_layout(const LayoutFontsImGui& fonts, float width);
    ImVec2 caret_pos(uint32_t offset) const {
        TextPoint p = box_.caret_at(offset);
        return ImVec2(p.x, p.y);
    }
    void insert_filtered(std::string_view text, TextEdit::Kind kind);
    bool handle_keys(TextFieldResult& result, float visible_height);
    void draw_selection(ImDrawList* draw, ImVec2 origin, float top, float bottom) const;

    TextEdit edit_;
    TextBox box_;  // the layout of the text (or a password's bullets) and its geometry
    uint64_t last_revision_ = ~0ull;  // of the text box_ last saw
    float line_height_ = 16;
    float scroll_x_ = 0, scroll_y_ = 0;
    float preferred_x_ = -1;     // kept across Up/Down so the caret returns to its column
    float blink_start_ = 0;      // ImGui time of the last edit or move: the caret shows solid then
    FieldKind kind_ = FieldKind::Prompt;
    bool password_ = false;
    const char* accept_ = nullptr;
    bool follow_caret_ = false;  // scroll the caret into view on this frame
    bool focus_request_ = false;
    bool dragging_ = false;
    bool was_active_ = false;
};

}  // namespace imchat::ui
