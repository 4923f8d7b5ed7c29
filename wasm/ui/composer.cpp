#include "ui/composer.h"

#include <algorithm>

#include "imgui_internal.h"  // GetActiveID, SetKeyOwner: Enter must not reach InputText when it sends
#include "imgui_stdlib.h"
#include "ui/strings.h"
#include "ui/test_rects.h"
#include "ui/theme.h"

namespace imchat::ui {

namespace {

constexpr int kMaxVisibleLines = 8;

int count_lines(const std::string& s)
{
    return 1 + static_cast<int>(std::count(s.begin(), s.end(), '\n'));
}

} // namespace

int Composer::callback(ImGuiInputTextCallbackData* data)
{
    Composer* self = static_cast<Composer*>(data->UserData);
    if (data->EventFlag == ImGuiInputTextFlags_CallbackAlways) {
        // The field keeps its own copy of the text while it has focus: empty that one too.
        if (self->clear_pending_ && data->BufTextLen > 0)
            data->DeleteChars(0, data->BufTextLen);
        self->clear_pending_ = false;
        return 0;
    }
    const ImGuiIO& io = ImGui::GetIO();
    bool enter_key = ImGui::IsKeyPressed(ImGuiKey_Enter) || ImGui::IsKeyPressed(ImGuiKey_KeypadEnter);
    if (data->EventChar == '\n' && enter_key && !io.KeyShift) {
        self->enter_send_ = true;
        return 1;
    }
    return 0;
}

float Composer::height() const
{
    int lines = std::clamp(count_lines(text_), 1, kMaxVisibleLines);
    return lines * ImGui::GetTextLineHeight() + ImGui::GetStyle().FramePadding.y * 2 + 12;
}

ComposerResult Composer::draw(float width, bool streaming, bool editing)
{
    ComposerResult result;
    ImGuiIO& io = ImGui::GetIO();
    const ImGuiStyle& style = ImGui::GetStyle();
    const char* action = streaming ? tr(S_Stop) : tr(S_Send);
    float button_w = ImGui::CalcTextSize(action).x + style.FramePadding.x * 4;
    float box_h = height() - 12;

    if (editing) {
        ImGui::TextDisabled("%s", tr(S_EditingBanner));
        ImGui::SameLine();
        if (ImGui::SmallButton(tr(S_Cancel)))
            result.cancel_edit = true;
    }

    // Enter without Shift sends. InputText turns Enter into a '\n' character and runs it through
    // the character filter, so the filter drops that one (not pasted line breaks) and flags the
    // send; Shift+Enter passes and breaks the line.
    ImGuiID id = ImGui::GetID("##prompt");
    bool active = ImGui::GetActiveID() == id;
    enter_send_ = false;
    if (active && ImGui::IsKeyPressed(ImGuiKey_Escape, false) && editing)
        result.cancel_edit = true;

    if (reload_) {
        // A focused field ignores its buffer being replaced: drop focus, then take it again so
        // the field reads the new text.
        if (active)
            ImGui::ClearActiveID();
        reload_ = false;
        focus_ = true;
    }
    if (focus_) {
        ImGui::SetKeyboardFocusHere();
        focus_ = false;
    }
    ImGui::PushStyleVar(ImGuiStyleVar_FrameRounding, 10.0f);
    ImGui::PushStyleVar(ImGuiStyleVar_FramePadding, ImVec2(12, 8));
    ImGui::InputTextMultiline("##prompt", &text_, ImVec2(width - button_w - style.ItemSpacing.x, box_h + 8),
                              ImGuiInputTextFlags_CallbackCharFilter | ImGuiInputTextFlags_CallbackAlways, callback, this);
    if (enter_send_ && !streaming)
        result.send = true;
    if (text_.empty() && !ImGui::IsItemActive()) {
        ImVec2 min = ImGui::GetItemRectMin();
        ImGui::GetWindowDrawList()->AddText(ImVec2(min.x + 12, min.y + 8), theme().text_dim, tr(S_InputHint));
    }
    ImGui::PopStyleVar(2);
    ImGui::SameLine();
    ImGui::PushStyleVar(ImGuiStyleVar_FrameRounding, 10.0f);
    ImGui::PushStyleColor(ImGuiCol_Button, streaming ? theme().error : theme().accent);
    ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(255, 255, 255, 255));
    bool empty = text_.find_first_not_of(" \t\r\n") == std::string::npos;
    ImGui::BeginDisabled(!streaming && empty);
    bool clicked = ImGui::Button(action, ImVec2(button_w, box_h + 8));
    remember_item(streaming ? "stop" : "send");
    if (clicked) {
        if (streaming)
            result.stop = true;
        else
            result.send = true;
        focus_ = true;
    }
    ImGui::EndDisabled();
    ImGui::PopStyleColor(2);
    ImGui::PopStyleVar();
    if (result.send && empty)
        result.send = false;
    return result;
}

} // namespace imchat::ui
