#include "ui/text_field.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/utf8.h"
#include "imgui_internal.h"  // active/focus ids, key owners and the IME data, as InputText uses them
#include "platform/cluster_raster.h"
#include "platform/platform.h"
#include "ui/a11y_twins.h"
#include "ui/layout_fonts.h"
#include "ui/fit_text.h"
#include "ui/layout_probe.h"
#include "ui/theme.h"

namespace imchat::ui {

namespace {

const TextContext kProse{};  // a paragraph in the body font

} // namespace

void TextField::update_layout(const LayoutFontsImGui& fonts, float width)
{
    line_height_ = fonts.face(Face_Body).metrics.line_height;
    uint32_t dirty = edit_.revision() != last_revision_ ? edit_.take_dirty_from() : 0;
    last_revision_ = edit_.revision();
    box_.update(edit_.text(), edit_.revision(), dirty, fonts, kProse, kind_ == FieldKind::SingleLine ? 0 : width, password_);
}

float TextField::text_height(const LayoutFontsImGui& fonts, float width)
{
    update_layout(fonts, width);
    return std::clamp(box_.height(), line_height_, line_height_ * kMaxPromptLines);
}

// Typed or pasted text, less what this field does not take: line breaks in a single line
// become spaces, and a numeric field keeps only its characters.
void TextField::insert_filtered(std::string_view text, TextEdit::Kind kind)
{
    std::string kept;
    kept.reserve(text.size());
    for (char c : text) {
        if (kind_ == FieldKind::SingleLine && (c == '\n' || c == '\r' || c == '\t'))
            c = ' ';
        if (accept_ && (c == 0 || !std::strchr(accept_, c)))
            continue;
        kept += c;
    }
    if (!kept.empty())
        edit_.insert(kept, kind);
}

// Keys while focused, the way text fields do it on this OS. True when the caret moved or the
// text changed.
bool TextField::handle_keys(TextFieldResult& result, float visible_height)
{
    ImGuiIO& io = ImGui::GetIO();
    const bool osx = io.ConfigMacOSXBehaviors;  // ImGui has swapped Cmd and Ctrl already
    const bool word = (osx ? io.KeyAlt : io.KeyCtrl) && !password_;  // a password is one word
    const bool shift = io.KeyShift;
    const bool single = kind_ == FieldKind::SingleLine;
    const uint64_t revision = edit_.revision();
    const uint32_t caret = edit_.caret(), anchor = edit_.anchor();
    const uint32_t end = (uint32_t)edit_.text().size();
    auto pressed = [](ImGuiKey key) { return ImGui::IsKeyPressed(key, true); };
    auto chord = [](ImGuiKeyChord c) { return ImGui::IsKeyChordPressed(c); };
    bool vertical = false;

    // Line starts and ends: of the whole text in a single line (a password's layout is bullets).
    auto home = [&] { return single ? 0 : box_.line_home(edit_.caret()); };
    auto line_end = [&] { return single ? end : box_.line_end(edit_.caret()); };
    auto move_lines = [&](int delta) {
        edit_.set_caret(box_.move_lines(edit_.caret(), delta, preferred_x_), shift);
        vertical = true;
    };

    if (pressed(ImGuiKey_LeftArrow) || pressed(ImGuiKey_RightArrow)) {
        int dir = ImGui::IsKeyDown(ImGuiKey_LeftArrow) ? -1 : 1;
        if (osx && io.KeyCtrl)  // Cmd+arrow: start or end of the line
            edit_.set_caret(dir < 0 ? home() : line_end(), shift);
        else if (word)
            edit_.move_word(dir, shift);
        else
            edit_.move_char(dir, shift);
    } else if (!single && (pressed(ImGuiKey_UpArrow) || pressed(ImGuiKey_DownArrow))) {
        int dir = ImGui::IsKeyDown(ImGuiKey_UpArrow) ? -1 : 1;
        if (osx && io.KeyCtrl)
            edit_.set_caret(dir < 0 ? 0 : end, shift);
        else
            move_lines(dir);
    } else if (!single && (pressed(ImGuiKey_PageUp) || pressed(ImGuiKey_PageDown))) {
        int lines = std::max(1, (int)(visible_height / line_height_) - 1);
        move_lines(ImGui::IsKeyDown(ImGuiKey_PageUp) ? -lines : lines);
    } else if (pressed(ImGuiKey_Home)) {
        edit_.set_caret(io.KeyCtrl ? 0 : home(), shift);
    } else if (pressed(ImGuiKey_End)) {
        edit_.set_caret(io.KeyCtrl ? end : line_end(), shift);
    } else if (pressed(ImGuiKey_Backspace)) {
        edit_.erase_backward(word);
    } else if (pressed(ImGuiKey_Delete)) {
        edit_.erase_forward(word);
    } else if (pressed(ImGuiKey_Enter) || pressed(ImGuiKey_KeypadEnter)) {
        if (kind_ == FieldKind::MultiLine || (kind_ == FieldKind::Prompt && shift))
            edit_.insert("\n");
        else
            result.submit = true;
    } else if (ImGui::IsKeyPressed(ImGuiKey_Escape, false)) {
        result.cancel = true;
    } else if (chord(ImGuiMod_Ctrl | ImGuiKey_A)) {
        edit_.select_all();
    } else if (chord(ImGuiMod_Ctrl | ImGuiKey_C) || chord(ImGuiMod_Ctrl | ImGuiKey_X)) {
        if (edit_.has_selection() && !password_) {
            ImGui::SetClipboardText(std::string(edit_.selected_text()).c_str());
            if (ImGui::IsKeyDown(ImGuiKey_X))
                edit_.erase_selection();
        }
    } else if (chord(ImGuiMod_Ctrl | ImGuiKey_V)) {
        if (const char* clip = ImGui::GetClipboardText())
            insert_filtered(clip, TextEdit::Kind::Paste);
    } else if (chord(ImGuiMod_Ctrl | ImGuiKey_Z)) {
        edit_.undo();
    } else if (chord(ImGuiMod_Ctrl | ImGuiMod_Shift | ImGuiKey_Z) || chord(ImGuiMod_Ctrl | ImGuiKey_Y)) {
        edit_.redo();
    }

    // Typed and committed text (a line break in it, from dictation or an on-screen keyboard's
    // text insertion, stays: the Enter key itself sends no character). Ctrl shortcuts send none.
    if (!io.InputQueueCharacters.empty()) {
        std::string typed;
        for (ImWchar c : io.InputQueueCharacters)
            if (c != '\r')
                utf8_encode_append(typed, (uint32_t)c);
        insert_filtered(typed, TextEdit::Kind::Typing);
    }

    if (!vertical && (edit_.caret() != caret || edit_.revision() != revision))
        preferred_x_ = -1;
    return edit_.caret() != caret || edit_.anchor() != anchor || edit_.revision() != revision;
}

void TextField::draw_selection(ImDrawList* draw, ImVec2 origin, float top, float bottom) const
{
    if (!edit_.has_selection())
        return;
    static std::vector<TextView::Rect> rects;
    rects.clear();
    box_.selection_rects(edit_.selection_begin(), edit_.selection_end(), top, bottom, rects);
    for (const TextView::Rect& r : rects)
        draw->AddRectFilled(ImVec2(origin.x + r.x0, origin.y + r.y), ImVec2(origin.x + r.x1, origin.y + r.y + r.height),
                            ImGui::GetColorU32(theme().selection));
}

TextFieldResult TextField::draw(const char* label, const LayoutFontsImGui& fonts, ImVec2 size, const TextFieldOptions& options)
{
    TextFieldResult result;
    ImGuiContext& g = *ImGui::GetCurrentContext();
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    ImGuiIO& io = ImGui::GetIO();
    const ImGuiStyle& style = ImGui::GetStyle();
    const bool password = options.password && options.kind == FieldKind::SingleLine;
    if (password != password_)
        last_revision_ = ~0ull;  // lay out the other text
    kind_ = options.kind;
    password_ = password;
    accept_ = options.accept;
    const bool single = kind_ == FieldKind::SingleLine;
    const ImVec2 padding = options.padding.x >= 0 ? options.padding : style.FramePadding;
    const float rounding = options.rounding >= 0 ? options.rounding : style.FrameRounding;

    const ImGuiID id = window->GetID(label);
    const ImVec2 pos = window->DC.CursorPos;
    const ImRect bb(pos, ImVec2(pos.x + size.x, pos.y + size.y));
    ImGui::ItemSize(bb, single ? style.FramePadding.y : -1.0f);  // a single line sits on the row's text baseline
    const char* twin_name = take_next_twin_name();  // taken even when clipped: it named this field
    if (!twin_name)
        twin_name = options.hint;
    if (!ImGui::ItemAdd(bb, id, nullptr, ImGuiItemFlags_Inputable))
        return result;
    // Its accessible twin: Tab onto it (or a screen reader's action) gives this field the keyboard.
    // A password's twin holds one bullet per code point, never the text.
    std::string masked;
    if (password_)
        for (char c : edit_.text())
            if ((static_cast<unsigned char>(c) & 0xC0) != 0x80)
                masked += "\xE2\x80\xA2";
    if (twin_name && twin_textbox(twin_name, password_ ? std::string_view(masked) : std::string_view(edit_.text()), g.ActiveId == id))
        focus_request_ = true;
    const bool disabled = (g.LastItemData.ItemFlags & ImGuiItemFlags_Disabled) != 0;
    const bool hovered = ImGui::ItemHoverable(bb, id, g.LastItemData.ItemFlags);
    if (hovered)
        ImGui::SetMouseCursor(ImGuiMouseCursor_TextInput);

    const float text_width = std::max(1.0f, size.x - padding.x * 2);
    update_layout(fonts, text_width);
    // A single line is centred in its frame (the layout's line pitch is taller than ImGui's).
    const float visible_h = single ? line_height_ : std::max(line_height_, size.y - padding.y * 2);
    const ImVec2 inner(bb.Min.x + padding.x, single ? std::floor((bb.Min.y + bb.Max.y - line_height_) * 0.5f) : bb.Min.y + padding.y);

    // Focus: asked for by the app, by a click, or by Tab (ImGui's tabbing activates inputable
    // items with PreferInput) and SetKeyboardFocusHere().
    const bool clicked = hovered && io.MouseClicked[0];
    const bool by_nav = g.NavActivateId == id && (g.NavActivateFlags & ImGuiActivateFlags_PreferInput);
    if ((focus_request_ || clicked || by_nav) && g.ActiveId != id && !disabled) {
        ImGui::SetActiveID(id, window);
        ImGui::SetFocusID(id, window);
        ImGui::FocusWindow(window);
        blink_start_ = (float)ImGui::GetTime();
    }
    focus_request_ = false;
    bool active = g.ActiveId == id;
    // A click elsewhere, or Tab to another item, takes the focus away.
    if (active && ((io.MouseClicked[0] && !hovered) || disabled || (g.NavJustMovedToIsTabbing && g.NavJustMovedToId != 0 && g.NavJustMovedToId != id))) {
        ImGui::ClearActiveID();
        active = false;
        dragging_ = false;
    }

    const uint64_t revision = edit_.revision();
    bool moved = false;
    if (active) {
        ImGui::KeepAliveID(id);
        // Others can be hovered (and clicked) while we only hold the keyboard, as with InputText.
        g.ActiveIdAllowOverlap = !io.MouseDown[0];
        g.ActiveIdUsingNavDirMask |= (1 << ImGuiDir_Left) | (1 << ImGuiDir_Right);
        for (ImGuiKey key : {ImGuiKey_LeftArrow, ImGuiKey_RightArrow, ImGuiKey_Enter, ImGuiKey_KeypadEnter, ImGuiKey_Delete,
                             ImGuiKey_Backspace, ImGuiKey_Home, ImGuiKey_End})
            ImGui::SetKeyOwner(key, id);
        if (!single) {
            g.ActiveIdUsingNavDirMask |= (1 << ImGuiDir_Up) | (1 << ImGuiDir_Down);
            for (ImGuiKey key : {ImGuiKey_UpArrow, ImGuiKey_DownArrow, ImGuiKey_PageUp, ImGuiKey_PageDown})
                ImGui::SetKeyOwner(key, id);
        }

        const float mx = io.MousePos.x - inner.x + scroll_x_, my = io.MousePos.y - inner.y + scroll_y_;
        if (clicked) {
            ImGui::SetKeyOwner(ImGuiKey_MouseLeft, id);
            uint32_t at = box_.offset_at(mx, my);
            if (io.MouseClickedCount[0] >= 2 && (single || password_))
                edit_.select_all();
            else if (io.MouseClickedCount[0] == 2)
                edit_.select_word(at);
            else if (io.MouseClickedCount[0] >= 3) {  // the whole line, up to its '\n'
                uint32_t b, e;
                box_.paragraph_around(at, b, e);
                edit_.select_range(b, e);
            } else
                edit_.set_caret(at, io.KeyShift);
            dragging_ = io.MouseClickedCount[0] == 1;
            preferred_x_ = -1;
            moved = true;
        } else if (dragging_ && io.MouseDown[0] && io.MouseSource == ImGuiMouseSource_TouchScreen && !single) {
            // A finger drags the text (a tap already placed the caret), as in the transcript.
            scroll_y_ -= io.MouseDelta.y;
        } else if (dragging_ && io.MouseDown[0]) {
            // Dragging past an edge scrolls, a line (or a few pixels sideways) per frame.
            if (single && io.MousePos.x < inner.x)
                scroll_x_ -= line_height_ * 0.5f;
            else if (single && io.MousePos.x > inner.x + text_width)
                scroll_x_ += line_height_ * 0.5f;
            else if (!single && io.MousePos.y < inner.y)
                scroll_y_ -= line_height_ * 0.5f;
            else if (!single && io.MousePos.y > inner.y + visible_h)
                scroll_y_ += line_height_ * 0.5f;
            uint32_t at = box_.offset_at(mx, my);
            if (at != edit_.caret()) {
                edit_.set_caret(at, true);
                moved = true;
            }
            platform::request_frame();
        }
        if (!io.MouseDown[0])
            dragging_ = false;
        if (handle_keys(result, visible_h)) {
            moved = true;
            update_layout(fonts, text_width);
        }
        // A single line gives up the keyboard on Enter, and every field but the prompt on Escape.
        if ((result.submit && single) || (result.cancel && kind_ != FieldKind::Prompt)) {
            ImGui::ClearActiveID();
            active = false;
        }
    }
    if (edit_.revision() != revision) {
        result.edited = true;
        ImGui::MarkItemEdited(id);
    }
    result.deactivated = was_active_ && !active;
    was_active_ = active;
    if (moved) {
        blink_start_ = (float)ImGui::GetTime();
        follow_caret_ = true;
    }
    const float full_height = std::max(0.0f, box_.height() - visible_h);  // the edits above may have changed it
    if (hovered && io.MouseWheel != 0 && full_height > 0) {
        scroll_y_ -= io.MouseWheel * line_height_ * 3;
        io.MouseWheel = 0;  // the transcript behind must not scroll too
    }

    ImVec2 caret = caret_pos(edit_.caret());
    if (follow_caret_) {
        if (caret.y < scroll_y_)
            scroll_y_ = caret.y;
        else if (caret.y + line_height_ > scroll_y_ + visible_h)
            scroll_y_ = caret.y + line_height_ - visible_h;
        if (caret.x < scroll_x_)
            scroll_x_ = caret.x;
        else if (caret.x + 1 > scroll_x_ + text_width)
            scroll_x_ = caret.x + 1 - text_width;
        follow_caret_ = false;
    }
    scroll_y_ = std::clamp(scroll_y_, 0.0f, full_height);
    scroll_x_ = single ? std::clamp(scroll_x_, 0.0f, std::max(0.0f, box_.layout().lines[0].width + 1 - text_width)) : 0.0f;

    // Frame, then text, selection and caret clipped to the frame.
    ImDrawList* draw = window->DrawList;
    draw->AddRectFilled(bb.Min, bb.Max, ImGui::GetColorU32(hovered && !active ? ImGuiCol_FrameBgHovered : ImGuiCol_FrameBg), rounding);
    if (active)
        draw->AddRect(bb.Min, bb.Max, theme().accent, rounding, 0, 1.0f);
    if (single)
        ImGui::PushClipRect(ImVec2(bb.Min.x + padding.x * 0.5f, bb.Min.y), ImVec2(bb.Max.x - padding.x * 0.5f, bb.Max.y), true);
    else
        ImGui::PushClipRect(ImVec2(bb.Min.x + 2, inner.y), ImVec2(bb.Max.x - 2, inner.y + visible_h), true);
    const ImVec2 origin(inner.x - scroll_x_, inner.y - scroll_y_);
    const Face& face = fonts.face(Face_Body);
    const std::string& text = box_.shown();
    const TextLayout& layout = box_.layout();
    if (text.empty() && options.hint && !(active && *platform::ime_composition())) {  // the pre-edit is drawn over it
        // A placeholder wider than the box ends in "…" rather than running past its edge.
        const std::string hint = fit_text(options.hint, bb.GetWidth() - padding.x * 2);
        const ImVec2 at(origin.x, origin.y + (line_height_ - face.size) * 0.5f);
        draw->AddText(face.font, face.size, at, ImGui::GetColorU32(theme().text_dim), hint.c_str());
        probe_text("field hint", hint.c_str(), at, face.font->CalcTextSizeA(face.size, FLT_MAX, 0, hint.c_str()), bb.Min, bb.Max);
    }
    draw_selection(draw, origin, scroll_y_, scroll_y_ + visible_h);
    const ImU32 color = ImGui::GetColorU32(options.text_color ? options.text_color : theme().text);
    auto first = std::lower_bound(layout.lines.begin(), layout.lines.end(), scroll_y_,
                                  [](const LayoutLine& l, float y) { return l.y + l.height < y; });
    for (auto it = first; it != layout.lines.end() && it->y <= scroll_y_ + visible_h; ++it) {
        for (uint32_t r = it->run_begin; r < it->run_end; r++) {
            const LayoutRun& run = layout.runs[r];
            platform::draw_text_clusters(draw, face.font, face.size,
                                         ImVec2(origin.x + run.x, origin.y + it->y + (it->height - face.size) * 0.5f), color,
                                         text.data() + run.begin, text.data() + run.end);
        }
    }
    if (active) {
        const float clock = (float)ImGui::GetTime() - blink_start_;
        const bool visible = !io.ConfigInputTextCursorBlink || std::fmod(clock, 1.2f) < 0.8f;
        const ImVec2 c(origin.x + caret.x, origin.y + caret.y);
        if (visible)
            draw->AddLine(ImVec2(c.x, c.y + 1), ImVec2(c.x, c.y + line_height_ - 1), ImGui::GetColorU32(ImGuiCol_InputTextCursor), 1.0f);
        // The page's text agent (and so the IME candidate window and the mobile keyboard)
        // follows this caret, as it follows InputText's.
        ImGuiPlatformImeData& ime = g.PlatformImeData;
        ime.WantVisible = ime.WantTextInput = true;
        ime.InputPos = ImVec2(c.x - 1, c.y);
        ime.InputLineHeight = line_height_;
        ime.ViewportId = window->Viewport->ID;
        platform::note_focused_text_field(text.c_str(), clock);  // a password's bullets, not the key
    }
    ImGui::PopClipRect();
    // A thin bar shows where a long text is scrolled to.
    if (full_height > 0) {
        float track = visible_h, thumb = std::max(12.0f, track * visible_h / box_.height());
        float y = inner.y + (track - thumb) * (scroll_y_ / full_height);
        draw->AddRectFilled(ImVec2(bb.Max.x - 5, y), ImVec2(bb.Max.x - 2, y + thumb), theme().text_dim, 2.0f);
    }
    return result;
}

} // namespace imchat::ui
