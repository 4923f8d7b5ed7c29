// transcript: the conversation's active path as a virtualised list. Each message keeps its
// laid-out form (MessageView); heights are prefix-summed so the first visible message is found
// by binary search, and only visible messages are drawn. Messages never seen at the current
// width carry an estimated height until they are laid out: visible ones first, the rest a few
// at a time in later frames, the scroll position anchored so the view does not jump.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ui/message_view.h"

namespace imchat {
class ChatSession;
}

namespace imchat::ui {

class LayoutFontsImGui;

// What the transcript asks of the app (buttons under the messages).
struct TranscriptActions {
    uint32_t edit = 0;        // user message to edit
    uint32_t regenerate = 0;  // assistant reply to regenerate
    uint32_t retry = 0;       // failed/interrupted reply to retry
    uint32_t resume = 0;      // interrupted built-in reply to resume
};

class Transcript {
public:
    // Draws into the current window a child region of the given size.
    TranscriptActions draw(ChatSession& session, const LayoutFontsImGui& fonts, ImVec2 size,
                           const std::string& find_query);

    void follow_bottom() { follow_ = true; }
    void clear();  // another conversation: drop every cached layout
    // Scrolls so that message id is at the top of the view (find).
    void scroll_to(uint32_t id) { scroll_to_ = id; }
    // Selected text, "" if none.
    std::string selected_text(const ChatSession& session) const;
    bool has_selection() const { return sel_message_ != 0 && ref_less(sel_anchor_, sel_head_) != ref_less(sel_head_, sel_anchor_); }

    // Figures for tests and benchmarks.
    size_t laid_out_last_frame() const { return laid_out_; }
    size_t drawn_last_frame() const { return drawn_; }
    bool more_layout_pending() const { return more_layout_pending_; }
    float content_height() const { return tops_.empty() ? 0 : tops_.back(); }
    float scroll_y() const { return scroll_y_; }

private:
    MessageView& view(uint32_t id);
    float estimate_height(const Message& m, const LayoutFontsImGui& fonts, float width) const;
    void draw_footer(ChatSession& session, const LayoutFontsImGui& fonts, const Message& m, MessageView& v, ImVec2 origin, float width,
                     TranscriptActions& actions);
    void draw_code_tools(const LayoutFontsImGui& fonts, const MessageView& v, ImVec2 origin, ImVec4 clip);
    void handle_selection(ChatSession& session, const LayoutFontsImGui& fonts, ImVec2 origin0, float x0);
    float scroll_input(float view_h);

    std::vector<std::unique_ptr<MessageView>> views_;  // by message id
    std::vector<uint32_t> path_;
    std::vector<float> tops_;   // tops_[i]: y of path_[i]; tops_[n]: total height
    std::vector<float> heights_;  // heights_[i]: laid-out or estimated height of path_[i]
    size_t tops_dirty_from_ = 0;  // tops_ from here on need recomputing (SIZE_MAX: none)
    uint64_t path_revision_ = ~0ull;  // Conversation::structure_revision() path_ was built for
    size_t path_messages_ = 0;
    uint64_t fonts_key_ = 0;
    bool unmeasured_left_ = true;  // some message is not laid out at the current width/fonts
    float width_ = 0;
    bool follow_ = true;
    float scroll_y_ = 0, view_h_ = 0;
    uint32_t anchor_id_ = 0;    // the first visible message last frame and the offset into it
    float anchor_offset_ = 0;
    uint32_t scroll_to_ = 0;
    size_t laid_out_ = 0, drawn_ = 0;
    bool hovered_ = false;
    bool more_layout_pending_ = false;

    // Selection: within one message, from anchor to head.
    uint32_t sel_message_ = 0;
    TextRef sel_anchor_, sel_head_;
    bool selecting_ = false;
    ImVec2 press_pos_;
    float edge_scroll_ = 0;        // a selection dragged past the top or bottom edge scrolls by this

    // Touch: a drag scrolls (it never selects), and a quick one flings on after the release.
    bool touch_active_ = false;    // a touch that began on the text is down
    bool touch_dragging_ = false;  // it moved far enough to be a drag, not a tap
    float touch_last_y_ = 0;
    float fling_velocity_ = 0;     // px/s while flinging, 0 when still
};

}  // namespace imchat::ui
