// prompt_editor: the prompt box's text field. Drawn by us rather than with ImGui's InputText,
// because InputText in ImGui 1.92.2b cannot soft-wrap and a prompt is prose: long lines must
// wrap at the box's width, and the box must grow with them. It wraps with the core's line
// breaker (the transcript's, so CJK and long words break the same way), edits through
// core/text_edit (characters, words, undo), and takes keys, typed text, the clipboard and the
// IME caret from ImGui exactly as InputText does, so the page's text agent, the candidate
// window and the mobile keyboard follow it with no extra glue.
//
// The alternative, a real <textarea> laid over the canvas, was set aside: it would draw with
// the browser's fonts instead of ours, sit above every ImGui popup and window that overlaps it,
// and split keyboard handling between the DOM and ImGui.
#pragma once
#include <cstdint>

#include "core/text_edit.h"
#include "core/text_layout.h"
#include "imgui.h"

namespace imchat::ui {

class LayoutFontsImGui;

struct PromptEditorResult {
    bool submit = false;   // Enter without Shift
    bool escape = false;   // Escape while focused
};

class PromptEditor {
public:
    static constexpr int kMaxVisibleLines = 8;

    // Height of the text (not the frame) at wrap width `width`: its lines, between one and
    // kMaxVisibleLines; more scroll inside the box.
    float text_height(const LayoutFontsImGui& fonts, float width);
    // Draws the field as an item of `size` at the cursor; `padding` insets the text.
    PromptEditorResult draw(const char* id, const LayoutFontsImGui& fonts, ImVec2 size, ImVec2 padding,
                            float rounding, const char* hint);

    TextEdit& edit() { return edit_; }
    const std::string& text() const { return edit_.text(); }
    void focus() { focus_request_ = true; }

private:
    void update_layout(const LayoutFontsImGui& fonts, float width);
    uint32_t offset_at(const LayoutFontsImGui& fonts, float x, float y) const;
    ImVec2 caret_pos(const LayoutFontsImGui& fonts, uint32_t offset) const;
    size_t line_of(uint32_t offset) const;
    uint32_t line_last_offset(size_t line) const;
    bool handle_keys(const LayoutFontsImGui& fonts, PromptEditorResult& result, float visible_height);
    void draw_selection(const LayoutFontsImGui& fonts, ImDrawList* draw, ImVec2 origin, float top, float bottom) const;

    TextEdit edit_;
    TextLayout layout_;
    uint64_t layout_revision_ = ~0ull, layout_fonts_ = 0;
    float layout_width_ = -1;
    bool virtual_tail_ = false;  // layout_ ends with our empty line after a final '\n'
    float line_height_ = 16;
    float scroll_y_ = 0;
    float preferred_x_ = -1;     // kept across Up/Down so the caret returns to its column
    float blink_start_ = 0;      // ImGui time of the last edit or move: the caret shows solid then
    bool follow_caret_ = false;  // scroll the caret into view on this frame
    bool focus_request_ = true;
    bool dragging_ = false;
};

}  // namespace imchat::ui
