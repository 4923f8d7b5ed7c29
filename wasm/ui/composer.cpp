#include "ui/composer.h"

#include <algorithm>

#include "ui/a11y_twins.h"
#include "ui/strings.h"
#include "ui/palette.h"
#include "ui/test_rects.h"
#include "ui/theme.h"

namespace imchat::ui {

namespace {

const ImVec2 kPadding(12, 8);
constexpr float kRounding = 10.0f;

} // namespace

float Composer::button_width() const
{
    // Wide enough for the longer of Send and Stop, so the box does not jump when they swap.
    float w = std::max(ImGui::CalcTextSize(tr(S_Send)).x, ImGui::CalcTextSize(tr(S_Stop)).x);
    return w + ImGui::GetStyle().FramePadding.x * 4;
}

float Composer::height(const LayoutFontsImGui& fonts, float width)
{
    float text_w = width - button_width() - ImGui::GetStyle().ItemSpacing.x - kPadding.x * 2;
    return editor_.text_height(fonts, text_w) + kPadding.y * 2 + 4;
}

ComposerResult Composer::draw(const LayoutFontsImGui& fonts, float width, bool streaming, bool editing)
{
    ComposerResult result;
    const ImGuiStyle& style = ImGui::GetStyle();
    const char* action = streaming ? tr(S_Stop) : tr(S_Send);
    const float button_w = button_width();

    if (editing) {
        ImGui::TextDisabled("%s", tr(S_EditingBanner));
        ImGui::SameLine();
        if (ImGui::SmallButton(tr(S_Cancel)) | twin(tr(S_Cancel)))
            result.cancel_edit = true;
    }

    float box_w = width - button_w - style.ItemSpacing.x;
    float box_h = editor_.text_height(fonts, box_w - kPadding.x * 2) + kPadding.y * 2;
    TextFieldOptions options;
    options.kind = FieldKind::Prompt;
    options.hint = tr(S_InputHint);
    options.padding = kPadding;
    options.rounding = kRounding;
    set_next_twin_name(twin_name(Twin_MessageInput));  // the name the page's text agent has too
    TextFieldResult e = editor_.draw("##prompt", fonts, ImVec2(box_w, box_h), options);
    remember_item("prompt");
    if (e.cancel && editing)
        result.cancel_edit = true;
    bool empty = text().find_first_not_of(" \t\r\n") == std::string::npos;
    if (e.submit && !streaming && !empty)
        result.send = true;

    ImGui::SameLine();
    ImGui::PushStyleVar(ImGuiStyleVar_FrameRounding, kRounding);
    // Strong fills in every state, each checked for its white label (ui/palette).
    const Palette& p = theme().dark ? dark_palette() : light_palette();
    const auto rgb = [](uint32_t v) { return IM_COL32((v >> 16) & 255, (v >> 8) & 255, v & 255, 255); };
    ImGui::PushStyleColor(ImGuiCol_Button, rgb(streaming ? p.stop : p.send));
    ImGui::PushStyleColor(ImGuiCol_ButtonHovered, rgb(streaming ? p.stop_hovered : p.send_hovered));
    ImGui::PushStyleColor(ImGuiCol_ButtonActive, rgb(streaming ? p.stop_active : p.send_active));
    ImGui::PushStyleColor(ImGuiCol_Text, rgb(p.on_strong));
    ImGui::BeginDisabled(!streaming && empty);
    // The button keeps a one-line height at the bottom of a tall box, as chat apps do.
    float button_h = std::min(box_h, ImGui::GetTextLineHeight() + kPadding.y * 2 + 8);
    ImGui::SetCursorPosY(ImGui::GetCursorPosY() + box_h - button_h);
    bool clicked = ImGui::Button(action, ImVec2(button_w, button_h)) | twin(action);
    remember_item(streaming ? "stop" : "send");
    if (clicked) {
        if (streaming)
            result.stop = true;
        else if (!empty)
            result.send = true;
        editor_.focus();
    }
    ImGui::EndDisabled();
    ImGui::PopStyleColor(4);
    ImGui::PopStyleVar();
    return result;
}

} // namespace imchat::ui
