#include "ui/transcript.h"

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstdio>

#include "app/chat_session.h"
#include "imgui_internal.h"
#include "platform/platform.h"
#include "ui/a11y_twins.h"
#include "ui/layout_fonts.h"
#include "ui/strings.h"
#include "ui/fit_text.h"
#include "ui/layout_probe.h"
#include "ui/test_rects.h"
#include "ui/theme.h"

namespace imchat::ui {

namespace {

constexpr float kColumnMaxWidth = 780;
constexpr float kSideMargin = 20;
constexpr double kLayoutBudgetMs = 4.0;  // off-screen layout per frame
constexpr size_t kKeepLaidOut = 24;       // off-screen messages this near the view keep their layout
constexpr float kTouchSlop = 8;           // px a touch moves before it is a drag instead of a tap
constexpr float kFlingMinSpeed = 40;      // px/s: slower releases and flings stop
constexpr float kFlingTimeConstant = 0.325f;  // s: the fling's speed falls by 1/e in this time

double now_ms()
{
    return ImGui::GetTime() * 1000.0;
}

} // namespace

MessageView& Transcript::view(uint32_t id)
{
    if (views_.size() <= id)
        views_.resize(id + 1);
    if (!views_[id]) {
        views_[id] = std::make_unique<MessageView>();
        views_[id]->id = id;
    }
    return *views_[id];
}

void Transcript::clear()
{
    views_.clear();
    path_.clear();
    tops_.clear();
    heights_.clear();
    path_revision_ = ~0ull;
    follow_ = true;
    sel_message_ = 0;
    selecting_ = false;
    anchor_id_ = 0;
}

float Transcript::estimate_height(const Message& m, const LayoutFontsImGui& fonts, float width) const
{
    const Face& body = fonts.face(Face_Body);
    float chars_per_line = std::max(8.0f, width / (body.size * 0.5f));
    float lines = 1;
    size_t run = 0;
    for (char c : m.text) {
        if (c == '\n' || ++run >= chars_per_line) {
            lines++;
            run = 0;
        }
    }
    return lines * body.metrics.line_height + message_metrics().footer_height + 20;
}

TranscriptActions Transcript::draw(ChatSession& session, const LayoutFontsImGui& fonts, ImVec2 size,
                                   const std::string& find_query)
{
    TranscriptActions actions;
    Conversation& conv = session.conversation();
    const MessageMetrics& mm = message_metrics();
    const ImGuiStyle& style = ImGui::GetStyle();

    float column = std::min(kColumnMaxWidth, size.x - 2 * kSideMargin - style.ScrollbarSize);
    column = std::max(column, 120.0f);
    float x0 = std::floor((size.x - style.ScrollbarSize - column) * 0.5f);

    laid_out_ = drawn_ = 0;

    // The path and its heights are kept between frames. They are rebuilt when the tree, the
    // width or the fonts change; otherwise only the messages that can change are looked at (the
    // visible ones and the streaming reply), so a frame costs the same at 10 or 10 000 messages.
    const uint64_t fonts_key = fonts.key();
    if (conv.structure_revision() != path_revision_ || column != width_ || fonts_key != fonts_key_ ||
        conv.size() != path_messages_) {
        path_ = conv.active_path();
        path_revision_ = conv.structure_revision();
        path_messages_ = conv.size();
        width_ = column;
        fonts_key_ = fonts_key;
        heights_.resize(path_.size());
        for (size_t i = 0; i < path_.size(); i++) {
            const Message* m = conv.find(path_[i]);
            MessageView& v = view(path_[i]);
            bool current = v.width == column && v.fonts_key == fonts_key && v.revision == m->revision;
            heights_[i] = current ? v.height : estimate_height(*m, fonts, column);
        }
        unmeasured_left_ = true;
        tops_dirty_from_ = 0;
    }
    auto refresh = [&](size_t i) {
        MessageView& v = view(path_[i]);
        if (v.update(*conv.find(path_[i]), fonts, column))
            laid_out_++;
        if (v.height != heights_[i]) {
            heights_[i] = v.height;
            tops_dirty_from_ = std::min(tops_dirty_from_, i);
        }
    };
    auto recompute_tops = [&] {
        tops_.resize(path_.size() + 1);
        size_t from = std::min(tops_dirty_from_, path_.size());
        float y = from == 0 ? 12.0f : tops_[from - 1] + heights_[from - 1] + mm.gap;
        for (size_t i = from; i < path_.size(); i++) {
            tops_[i] = y;
            y += heights_[i] + mm.gap;
        }
        tops_[path_.size()] = y;
        tops_dirty_from_ = SIZE_MAX;
    };
    // The streaming reply grows wherever the view is.
    if (uint32_t live = session.streaming_reply()) {
        for (size_t i = path_.size(); i-- > 0 && i + 4 >= path_.size();)
            if (path_[i] == live)
                refresh(i);
    }
    recompute_tops();

    // Visible range from last frame's scroll; lay those out for real, then the anchor keeps the
    // first visible message where it was while heights above it change.
    float view_h = view_h_ > 0 ? view_h_ : size.y;
    float scroll = follow_ ? std::max(0.0f, tops_.back() - view_h) : scroll_y_;
    if (scroll_to_) {
        auto it = std::find(path_.begin(), path_.end(), scroll_to_);
        if (it != path_.end()) {
            anchor_id_ = scroll_to_;
            anchor_offset_ = -8;
            follow_ = false;
        }
        scroll_to_ = 0;
    }
    // Wheel, touch drag and fling move the anchor, so the layout passes below keep the move.
    // Reading upward stops following the stream at once.
    const float scroll_by = scroll_input(view_h);
    if (scroll_by != 0 && !path_.empty()) {
        follow_ = follow_ && scroll_by > 0;
        float wanted = scroll + scroll_by;
        scroll = std::clamp(wanted, 0.0f, std::max(0.0f, tops_.back() + 12 - view_h));
        if (scroll != wanted)
            fling_velocity_ = 0;  // a fling stops at either end
        auto it = std::find(path_.begin(), path_.end(), anchor_id_);
        size_t i = it != path_.end() ? static_cast<size_t>(it - path_.begin()) : 0;
        anchor_id_ = path_[i];
        anchor_offset_ = scroll - tops_[i];
    }
    double deadline = now_ms() + kLayoutBudgetMs;
    bool pending = false;
    for (int pass = 0; pass < 2; pass++) {
        size_t first = std::upper_bound(tops_.begin(), tops_.end() - 1, scroll) - tops_.begin();
        first = first > 0 ? first - 1 : 0;
        for (size_t i = first; i < path_.size() && tops_[i] < scroll + view_h; i++)
            refresh(i);
        // Off-screen messages at this width, nearest first, within the frame's budget, until
        // a scan finds none left.
        if (unmeasured_left_) {
            bool found = false;
            for (size_t step = 1; step <= path_.size() && !pending; step++) {
                for (int side = -1; side <= 1; side += 2) {
                    ptrdiff_t i = static_cast<ptrdiff_t>(first) + side * static_cast<ptrdiff_t>(step);
                    if (i < 0 || i >= static_cast<ptrdiff_t>(path_.size()))
                        continue;
                    MessageView& v = view(path_[i]);
                    const Message* m = conv.find(path_[i]);
                    if (v.width == column && v.fonts_key == fonts_key && v.revision == m->revision)
                        continue;
                    found = true;
                    if (now_ms() > deadline) {
                        pending = true;
                        break;
                    }
                    refresh(static_cast<size_t>(i));
                    // Far from the view only the height is needed: memory then grows with
                    // what was looked at, not with the history.
                    if (step > kKeepLaidOut)
                        v.release();
                }
            }
            if (!found)
                unmeasured_left_ = false;
        }
        if (tops_dirty_from_ == SIZE_MAX)
            break;
        recompute_tops();
        if (follow_) {
            scroll = std::max(0.0f, tops_.back() - view_h);
        } else if (anchor_id_) {
            auto it = std::find(path_.begin(), path_.end(), anchor_id_);
            if (it != path_.end())
                scroll = std::max(0.0f, tops_[it - path_.begin()] + anchor_offset_);
        }
    }
    // Layout left for later frames: ask for them, or the page would go idle half-measured.
    more_layout_pending_ = pending;

    float total = tops_.back() + 12;
    ImGui::SetNextWindowScroll(ImVec2(-1.0f, follow_ || anchor_id_ ? std::min(scroll, std::max(0.0f, total - view_h)) : -1.0f));
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    // The wheel is ours too (scroll_input): ImGui's own wheel scrolling would be overridden by
    // the anchored position set above.
    ImGui::BeginChild("transcript", size, ImGuiChildFlags_None, ImGuiWindowFlags_NoNavInputs | ImGuiWindowFlags_NoScrollWithMouse);
    ImGui::PopStyleVar();
    scroll_y_ = ImGui::GetScrollY();
    view_h_ = ImGui::GetWindowHeight();
    hovered_ = ImGui::IsWindowHovered();
    ImVec2 win = ImGui::GetWindowPos();
    ImGui::Dummy(ImVec2(column, total));

    ImDrawList* draw = ImGui::GetWindowDrawList();
    ImVec4 clip(win.x, win.y, win.x + size.x, win.y + view_h_);
    size_t first = std::upper_bound(tops_.begin(), tops_.end() - 1, scroll_y_) - tops_.begin();
    first = first > 0 ? first - 1 : 0;
    anchor_id_ = 0;
    for (size_t i = first; i < path_.size() && tops_[i] < scroll_y_ + view_h_; i++) {
        uint32_t id = path_[i];
        const Message& m = *conv.find(id);
        MessageView& v = view(id);
        refresh(i);  // the thinking block may have been toggled: its height is kept in sync
        ImVec2 origin(win.x + x0, win.y + tops_[i] - scroll_y_);
        if (!anchor_id_ && tops_[i] + v.height >= scroll_y_) {
            anchor_id_ = id;
            anchor_offset_ = scroll_y_ - tops_[i];
        }
        DrawContext ctx;
        ctx.draw = draw;
        ctx.fonts = &fonts;
        ctx.origin = origin;
        ctx.width = column;
        ctx.clip = clip;
        ctx.find_query = &find_query;
        if (sel_message_ == id) {
            ctx.has_selection = true;
            ctx.sel_start = ref_less(sel_head_, sel_anchor_) ? sel_head_ : sel_anchor_;
            ctx.sel_end = ref_less(sel_head_, sel_anchor_) ? sel_anchor_ : sel_head_;
        }
        draw_message_text(m, v, ctx);
        char name[32];
        snprintf(name, sizeof(name), "message-%u", id);
        remember_rect(name, origin.x, origin.y + v.body_y, column, v.footer_y - v.body_y);
        ImGui::PushID(static_cast<int>(id));
        if (m.role == Role::Assistant)
            draw_code_tools(fonts, v, origin, clip);
        draw_footer(session, fonts, m, v, origin, column, actions);
        ImGui::PopID();
        drawn_++;
    }
    // "Jump to latest" while the reader is up in the history. Inside the child, whose window
    // is the one hovered there, and before the selection so a click on it selects nothing.
    float max_scroll = std::max(0.0f, total - view_h_);
    if (!follow_ && max_scroll - scroll_y_ > 40) {
        ImVec2 button_size(ImGui::CalcTextSize(tr(S_JumpToLatest)).x + 24, ImGui::GetFrameHeight());
        ImVec2 pos(win.x + (size.x - button_size.x) * 0.5f, win.y + view_h_ - button_size.y - 10);
        ImGui::SetCursorScreenPos(pos);
        ImGui::PushStyleVar(ImGuiStyleVar_FrameRounding, button_size.y * 0.5f);
        if (ImGui::Button(tr(S_JumpToLatest), button_size) | twin(tr(S_JumpToLatest))) {
            follow_ = true;
            fling_velocity_ = 0;
        }
        remember_item("jump-latest");
        ImGui::PopStyleVar();
    }
    handle_selection(session, fonts, ImVec2(win.x + x0, win.y - scroll_y_), x0);

    // Following resumes when the reader comes back to the bottom by themselves.
    if (!follow_ && scroll_y_ >= max_scroll - 2 && !ImGui::IsMouseDown(0))
        follow_ = true;
    if (follow_ && hovered_ && ImGui::IsMouseDragging(0) && !selecting_ && scroll_y_ < max_scroll - 4)
        follow_ = false;
    ImGui::EndChild();
    return actions;
}

void Transcript::draw_footer(ChatSession& session, const LayoutFontsImGui& fonts, const Message& m, MessageView& v, ImVec2 origin, float width,
                             TranscriptActions& actions)
{
    const Theme& t = theme();
    const MessageMetrics& mm = message_metrics();
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(6, 1));
    ImGui::PushStyleColor(ImGuiCol_Button, 0);
    ImGui::PushStyleColor(ImGuiCol_Text, t.text_dim);

    // The thinking block's header toggles it.
    if (m.role == Role::Assistant && !m.reasoning.empty()) {
        ImGui::SetCursorScreenPos(origin);
        char label[96];
        const ReplyFigures& f = m.figures;
        bool live = m.text.empty() && (m.status == MessageStatus::Streaming || m.status == MessageStatus::Waiting);
        if (live)
            snprintf(label, sizeof(label), "%s %s###think", v.thinking_open ? "v" : ">", tr(S_Thinking));
        else
            snprintf(label, sizeof(label), "%s %s###think", v.thinking_open ? "v" : ">",
                     format_thought_for((f.thinking_ended_ms > f.thinking_started_ms ? f.thinking_ended_ms - f.thinking_started_ms : 0) / 1000.0).c_str());
        if (ImGui::Button(label) | twin(label + 2)) {  // the name without the arrow
            v.thinking_open = !v.thinking_open;
            v.thinking_touched = true;
            v.revision = ~0ull;  // height changes: lay out again
        }
    }

    ImVec2 pos(origin.x, origin.y + v.footer_y + 3);
    bool user = m.role != Role::Assistant;
    if (user) {
        // Right-aligned under the bubble, like the bubble itself.
        // The branch arrows go to the left of Copy and Edit, which keep their place.
        float w = ImGui::CalcTextSize(tr(S_Edit)).x + ImGui::CalcTextSize(tr(S_Copy)).x + 40;
        pos.x = origin.x + width - w;
    }
    ImGui::SetCursorScreenPos(pos);
    bool busy = session.streaming();

    // "< n/m >" between branches. A reply shows them after its buttons and a prompt before its
    // right-aligned ones, so the buttons stay under the pointer when a Regenerate adds them.
    const auto position = session.conversation().sibling_position(m.id);
    const int n = static_cast<int>(position.first), count = static_cast<int>(position.second);
    auto draw_arrows = [&] {
        if (count <= 1)
            return;
        ImGui::BeginDisabled(busy || n <= 1);
        if (ImGui::SmallButton("<") | twin(twin_name(Twin_PreviousBranch)))
            session.conversation().select(session.conversation().sibling(m.id, -1));
        ImGui::EndDisabled();
        ImGui::SameLine(0, 2);
        ImGui::Text("%d/%d", n, count);
        ImGui::SameLine(0, 2);
        ImGui::BeginDisabled(busy || n >= count);
        if (ImGui::SmallButton(">") | twin(twin_name(Twin_NextBranch)))
            session.conversation().select(session.conversation().sibling(m.id, +1));
        ImGui::EndDisabled();
    };
    if (user && count > 1) {
        char counter[24];
        snprintf(counter, sizeof(counter), "%d/%d", n, count);
        const ImGuiStyle& style = ImGui::GetStyle();
        float arrows_w = ImGui::CalcTextSize("<").x + ImGui::CalcTextSize(">").x + style.FramePadding.x * 4 +
                         ImGui::CalcTextSize(counter).x + 4 + style.ItemSpacing.x;
        ImGui::SetCursorScreenPos(ImVec2(pos.x - arrows_w, pos.y));
        draw_arrows();
        ImGui::SetCursorScreenPos(pos);
    }
    char copy_name[32];
    snprintf(copy_name, sizeof(copy_name), "copy-%u", m.id);
    if (ImGui::SmallButton(tr(S_Copy)) | twin(tr(S_Copy)))
        ImGui::SetClipboardText(m.text.c_str());
    remember_item(copy_name);
    probe_label_item("reply buttons", tr(S_Copy));
    ImGui::SameLine();
    if (user) {
        ImGui::BeginDisabled(busy);
        if (ImGui::SmallButton(tr(S_Edit)) | twin(tr(S_Edit)))
            actions.edit = m.id;
        char name[32];
        snprintf(name, sizeof(name), "edit-%u", m.id);
        remember_item(name);
        ImGui::EndDisabled();
    } else {
        bool ended = m.status == MessageStatus::Done || m.status == MessageStatus::Stopped;
        bool broken = m.status == MessageStatus::Failed || m.status == MessageStatus::Interrupted;
        ImGui::BeginDisabled(busy);
        // A reply the server still has continues where it broke (resume by event id), when
        // some of it arrived (Interrupted); otherwise (Failed: nothing came) Retry asks again.
        bool can_continue = m.status == MessageStatus::Interrupted && session.can_resume(m.id);
        const char* again = can_continue ? tr(S_Continue) : tr(S_Retry);
        if (broken && (ImGui::SmallButton(again) | twin(again)))
            actions.retry = m.id;
        if (broken) {
            char name[32];
            snprintf(name, sizeof(name), "%s-%u", can_continue ? "continue" : "retry", m.id);
            remember_item(name);
        }
        if (broken)
            ImGui::SameLine();
        // A reply that failed before any text: its prompt goes back to the composer, and sending
        // makes the edited prompt a new branch beside the failed turn (which a refused prompt
        // would fail again).
        const Message* prompt = m.status == MessageStatus::Failed ? session.conversation().find(m.parent) : nullptr;
        if (prompt && prompt->role == Role::User) {
            if (ImGui::SmallButton(tr(S_Edit)) | twin(tr(S_Edit)))
                actions.edit = prompt->id;
            char name[32];
            snprintf(name, sizeof(name), "edit-failed-%u", m.id);
            remember_item(name);
            ImGui::SameLine();
        }
        if ((ended || broken) && (ImGui::SmallButton(tr(S_Regenerate)) | twin(tr(S_Regenerate))))
            actions.regenerate = m.id;
        if (ended || broken) {
            char name[32];
            snprintf(name, sizeof(name), "regenerate-%u", m.id);
            remember_item(name);
            probe_label_item("reply buttons", tr(S_Regenerate));
        }
        ImGui::EndDisabled();
        if (count > 1) {
            ImGui::SameLine();
            draw_arrows();
        }
        // The figures go after the last button, on the draw list: no SameLine() is left
        // pending, which would pull the next message's first button up to this line.
        std::string figures = format_figures(m);
        if (!figures.empty()) {
            // In what is left of the row, cut with "…" on a narrow screen.
            const Face& small = fonts.face(Face_Small);
            const ImVec2 at(ImGui::GetItemRectMax().x + 12, pos.y + 3);
            const float room = origin.x + width - at.x;
            ImGui::PushFont(small.font, small.size);
            std::string shown = fit_text(figures, room);
            ImGui::PopFont();
            ImGui::GetWindowDrawList()->AddText(small.font, small.size, at, t.text_dim, shown.c_str());
            probe_text("reply figures", shown.c_str(), at, small.font->CalcTextSizeA(small.size, FLT_MAX, 0, shown.c_str()),
                       ImVec2(origin.x, at.y), ImVec2(origin.x + width, at.y + small.size * 2));
        }
    }
    ImGui::PopStyleColor(2);
    ImGui::PopStyleVar();
    (void)mm;
}

// Code blocks carry their language at the top-right corner, and a Copy button there while the
// pointer is over them.
void Transcript::draw_code_tools(const LayoutFontsImGui& fonts, const MessageView& v, ImVec2 origin, ImVec4 clip)
{
    const auto& blocks = v.doc.blocks();
    const auto& layouts = v.body.blocks();
    const Face& small = fonts.face(Face_Small);
    ImVec2 mouse = ImGui::GetIO().MousePos;
    size_t first = v.body.first_block_below(clip.y - origin.y - v.body_y);
    for (size_t i = first; i < blocks.size() && i < layouts.size(); i++) {
        const BlockLayout& bl = layouts[i];
        ImVec2 a(origin.x + bl.x, origin.y + v.body_y + bl.y);
        if (a.y > clip.w)
            break;
        if (blocks[i].kind != BlockKind::CodeBlock)
            continue;
        ImVec2 b(a.x + bl.width, a.y + bl.height);
        bool over = hovered_ && mouse.x >= a.x && mouse.x < b.x && mouse.y >= a.y && mouse.y < b.y;
        float top = std::max(a.y + 2, std::min(clip.y + 2, b.y - 24));  // stays in view on tall blocks
        if (over) {
            ImGui::PushID(static_cast<int>(i));
            ImVec2 size(ImGui::CalcTextSize(tr(S_Copy)).x + 14, 22);
            ImGui::SetCursorScreenPos(ImVec2(b.x - size.x - 4, top));
            if (ImGui::Button(tr(S_Copy), size) | twin(tr(S_Copy)))
                ImGui::SetClipboardText(blocks[i].text.c_str());
            ImGui::PopID();
        } else if (!blocks[i].code_lang.empty()) {
            const char* lang = blocks[i].code_lang.c_str();
            float w = small.font->CalcTextSizeA(small.size, FLT_MAX, 0, lang).x;
            ImGui::GetWindowDrawList()->AddText(small.font, small.size, ImVec2(b.x - w - 8, top + 2), theme().text_dim, lang);
        }
    }
}

// This frame's scroll in px (positive: down) from the wheel, a touch drag and a fling.
float Transcript::scroll_input(float view_h)
{
    ImGuiIO& io = ImGui::GetIO();
    const float dt = std::clamp(io.DeltaTime, 1e-3f, 0.05f);
    float by = edge_scroll_;
    edge_scroll_ = 0;
    if (hovered_ && io.MouseWheel != 0) {
        by -= io.MouseWheel * std::min(5 * ImGui::GetFontSize(), view_h * 0.67f);  // ImGui's own step
        fling_velocity_ = 0;
    }
    if (touch_active_ && ImGui::IsMouseDown(0)) {
        const ImVec2 mouse = io.MousePos;
        if (!touch_dragging_ && std::fabs(mouse.y - press_pos_.y) + std::fabs(mouse.x - press_pos_.x) > kTouchSlop) {
            touch_dragging_ = true;
            touch_last_y_ = press_pos_.y;  // the content follows the finger from where it landed
        }
        if (touch_dragging_ && mouse.y != touch_last_y_) {
            by += touch_last_y_ - mouse.y;  // the content follows the finger
            touch_last_y_ = mouse.y;
        }
    } else if (fling_velocity_ != 0) {
        by += fling_velocity_ * dt;
        fling_velocity_ *= std::exp(-dt / kFlingTimeConstant);
        if (std::fabs(fling_velocity_) < kFlingMinSpeed)
            fling_velocity_ = 0;
        platform::request_frame();  // frames only while it moves
    }
    return by;
}

void Transcript::handle_selection(ChatSession& session, const LayoutFontsImGui& fonts, ImVec2 origin0, float x0)
{
    ImGuiIO& io = ImGui::GetIO();
    const Conversation& conv = session.conversation();
    auto message_at = [&](float y) -> int {
        if (path_.empty())
            return -1;
        size_t i = std::upper_bound(tops_.begin(), tops_.end() - 1, y) - tops_.begin();
        return i > 0 ? static_cast<int>(i - 1) : 0;
    };
    ImVec2 mouse = io.MousePos;
    float local_y = mouse.y - origin0.y;
    // Over the transcript but not over one of its buttons (items submitted this frame set
    // HoveredId; IsAnyItemHovered() also looks at the previous frame, which a click on the
    // background itself leaves set, and would eat the second click of a double-click).
    bool over_text = hovered_ && GImGui->HoveredId == 0;

    // Links: the URL shows on hover; a click (not a drag) opens it in a new tab.
    const char* hovered_link = nullptr;
    if (over_text && !selecting_ && !touch_dragging_) {
        int i = message_at(local_y);
        if (i >= 0) {
            const Message& m = *conv.find(path_[i]);
            MessageView& v = view(path_[i]);
            TextRef ref = text_ref_at(m, v, fonts, mouse.x - origin0.x, local_y - tops_[i]);
            hovered_link = link_at(m, v, ref);
            if (hovered_link) {
                ImGui::SetMouseCursor(ImGuiMouseCursor_Hand);
                ImGui::SetTooltip("%s", hovered_link);
            } else if (ref.block != -3) {
                ImGui::SetMouseCursor(ImGuiMouseCursor_TextInput);
            }
        }
    }

    // A touch never selects by dragging: it scrolls (scroll_input), a tap opens a link and a
    // double tap selects a word.
    const bool touch = io.MouseSource == ImGuiMouseSource_TouchScreen;
    if (over_text && touch && ImGui::IsMouseClicked(0) && io.MouseClickedCount[0] < 2) {
        sel_message_ = 0;
        touch_active_ = true;
        touch_dragging_ = false;
        fling_velocity_ = 0;  // a touch catches a fling
        press_pos_ = mouse;
    } else if (touch_active_ && !ImGui::IsMouseDown(0)) {
        touch_active_ = false;
        if (touch_dragging_) {
            const float speed = -platform::touch_release_velocity_y();  // the content goes with the finger
            fling_velocity_ = std::fabs(speed) >= kFlingMinSpeed ? speed : 0.0f;
            if (fling_velocity_ != 0)
                platform::request_frame();
        } else if (hovered_link) {
            open_link(hovered_link);
        }
        touch_dragging_ = false;
    } else if (over_text && ImGui::IsMouseClicked(0)) {
        int i = message_at(local_y);
        sel_message_ = 0;
        if (i >= 0) {
            const Message& m = *conv.find(path_[i]);
            MessageView& v = view(path_[i]);
            TextRef ref = text_ref_at(m, v, fonts, mouse.x - origin0.x, local_y - tops_[i]);
            sel_message_ = path_[i];
            sel_anchor_ = sel_head_ = ref;
            selecting_ = true;
            press_pos_ = mouse;
            if (ImGui::GetIO().MouseClickedCount[0] >= 2)
                word_at(m, v, ref, sel_anchor_, sel_head_), selecting_ = false;
        }
    } else if (selecting_ && ImGui::IsMouseDown(0) && sel_message_) {
        auto it = std::find(path_.begin(), path_.end(), sel_message_);
        if (it != path_.end()) {
            size_t i = it - path_.begin();
            const Message& m = *conv.find(sel_message_);
            sel_head_ = text_ref_at(m, view(sel_message_), fonts, mouse.x - origin0.x, local_y - tops_[i]);
        }
        // Dragging past the edges scrolls.
        float top = ImGui::GetWindowPos().y, bottom = top + view_h_;
        if (mouse.y < top + 10)
            edge_scroll_ = -12;
        else if (mouse.y > bottom - 10)
            edge_scroll_ = 12;
    } else if (selecting_ && ImGui::IsMouseReleased(0)) {
        selecting_ = false;
        float dx = mouse.x - press_pos_.x, dy = mouse.y - press_pos_.y;
        if (dx * dx + dy * dy < 9 && !has_selection()) {
            sel_message_ = 0;
            if (hovered_link == nullptr) {
                int i = message_at(local_y);
                if (i >= 0)
                    hovered_link = link_at(*conv.find(path_[i]), view(path_[i]),
                                           text_ref_at(*conv.find(path_[i]), view(path_[i]), fonts,
                                                       mouse.x - origin0.x, local_y - tops_[i]));
            }
            if (hovered_link)
                open_link(hovered_link);
        }
    }

    // Ctrl/Cmd+C copies the selection when no text field has the keyboard.
    if (has_selection() && !ImGui::GetIO().WantTextInput &&
        (ImGui::IsKeyChordPressed(ImGuiMod_Ctrl | ImGuiKey_C)))
        ImGui::SetClipboardText(selected_text(session).c_str());
    (void)x0;
}

std::string Transcript::selected_text(const ChatSession& session) const
{
    if (!has_selection() || sel_message_ >= views_.size() || !views_[sel_message_])
        return {};
    const Message* m = session.conversation().find(sel_message_);
    return m ? text_between(*m, *views_[sel_message_], sel_anchor_, sel_head_) : std::string();
}

} // namespace imchat::ui
