#include "ui/settings_fields.h"

#include <algorithm>
#include <cstdio>

#include "core/number_text.h"
#include "imgui_internal.h"  // ItemAdd, ButtonBehavior: a slider as ImGui builds its own
#include "ui/a11y_twins.h"
#include "ui/layout_fonts.h"
#include "ui/theme.h"

namespace imchat::ui {

TextFieldResult text_field(TextField& field, const char* id, const LayoutFontsImGui& fonts, std::string& value,
                           TextFieldOptions options, int lines)
{
    // The value may change elsewhere (a model picked from the list, settings loaded): the field
    // follows it unless the user is typing in it.
    if (!field.active() && field.text() != value)
        field.edit().set_text(value);
    const ImGuiStyle& style = ImGui::GetStyle();
    float height = ImGui::GetFrameHeight();
    if (lines > 1) {
        options.kind = FieldKind::MultiLine;
        height = fonts.face(Face_Body).metrics.line_height * lines + style.FramePadding.y * 2;
    }
    TextFieldResult r = field.draw(id, fonts, ImVec2(ImGui::CalcItemWidth(), height), options);
    if (r.edited)
        value = field.text();
    return r;
}

bool number_field(TextField& field, const char* id, const LayoutFontsImGui& fonts, double& value, double lo, double hi,
                  int decimals, const char* empty_hint)
{
    const bool empty_is_zero = empty_hint != nullptr;
    if (!field.active()) {
        std::string shown = empty_is_zero && value == 0 ? std::string() : format_number_text(value, decimals);
        double typed;
        // Keep what was typed while it means the value ("1.5" stays, not "1.50" until it differs).
        if (field.text() != shown && !(parse_number_text(field.text(), lo, hi, decimals, typed) && typed == value))
            field.edit().set_text(shown);
    }
    // What the field's text means now: false when it means no value.
    auto read = [&](double& out) {
        out = 0;
        return (empty_is_zero && field.text().empty()) || parse_number_text(field.text(), lo, hi, decimals, out);
    };
    double parsed;
    const bool valid = read(parsed);
    TextFieldOptions options;
    options.hint = empty_hint;
    options.accept = decimals > 0 ? "0123456789.-" : "0123456789-";
    options.text_color = valid ? 0 : theme().error;
    TextFieldResult r = field.draw(id, fonts, ImVec2(ImGui::CalcItemWidth(), ImGui::GetFrameHeight()), options);
    if (!r.edited || !read(parsed) || parsed == value)
        return false;
    value = parsed;
    return true;
}

bool number_field(TextField& field, const char* id, const LayoutFontsImGui& fonts, int& value, int lo, int hi,
                  const char* empty_hint)
{
    double v = value;
    if (!number_field(field, id, fonts, v, lo, hi, 0, empty_hint))
        return false;
    value = static_cast<int>(v);
    return true;
}

bool slider(const char* label, double& value, double lo, double hi, double step, const char* format)
{
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    const ImGuiStyle& style = ImGui::GetStyle();
    const ImGuiID id = window->GetID(label);
    const ImVec2 pos = window->DC.CursorPos;
    const ImRect bb(pos, ImVec2(pos.x + ImGui::CalcItemWidth(), pos.y + ImGui::GetFrameHeight()));
    ImGui::ItemSize(bb, style.FramePadding.y);
    const char* twin_name = take_next_twin_name();
    if (!ImGui::ItemAdd(bb, id))
        return false;
    char text[32];
    snprintf(text, sizeof(text), format, value);
    // Its twin is a slider a screen reader reads and moves (arrow keys on it step the value).
    const int twin_step = twin_name ? twin_slider(twin_name, value, lo, hi, text) : 0;
    bool hovered = false, held = false;
    ImGui::ButtonBehavior(bb, id, &hovered, &held);

    // The grab's centre travels between the track's ends, inset by half the grab.
    const float grab_w = std::max(style.GrabMinSize, 10.0f);
    const float x0 = bb.Min.x + style.FramePadding.y + grab_w * 0.5f, x1 = bb.Max.x - style.FramePadding.y - grab_w * 0.5f;
    double v = value;
    if (held && x1 > x0)
        v = slider_value_at((ImGui::GetIO().MousePos.x - x0) / (x1 - x0), lo, hi, step);
    else if (ImGui::IsItemFocused() && ImGui::GetActiveID() == 0) {
        if (ImGui::IsKeyPressed(ImGuiKey_LeftArrow) || ImGui::IsKeyPressed(ImGuiKey_DownArrow))
            v = slider_step(v, -1, lo, hi, step);
        else if (ImGui::IsKeyPressed(ImGuiKey_RightArrow) || ImGui::IsKeyPressed(ImGuiKey_UpArrow))
            v = slider_step(v, 1, lo, hi, step);
    }
    if (twin_step != 0 && !(ImGui::GetItemFlags() & ImGuiItemFlags_Disabled))
        v = slider_step(v, twin_step, lo, hi, step);
    const bool changed = v != value;
    if (changed) {
        value = v;
        ImGui::MarkItemEdited(id);
    }

    ImDrawList* draw = window->DrawList;
    const ImGuiCol frame = held ? ImGuiCol_FrameBgActive : hovered ? ImGuiCol_FrameBgHovered : ImGuiCol_FrameBg;
    draw->AddRectFilled(bb.Min, bb.Max, ImGui::GetColorU32(frame), style.FrameRounding);
    if (ImGui::IsItemFocused())
        draw->AddRect(bb.Min, bb.Max, ImGui::GetColorU32(theme().accent), style.FrameRounding);
    const float t = hi > lo ? static_cast<float>((value - lo) / (hi - lo)) : 0.0f;
    const float gx = x0 + (x1 - x0) * std::clamp(t, 0.0f, 1.0f);
    draw->AddRectFilled(ImVec2(gx - grab_w * 0.5f, bb.Min.y + 2), ImVec2(gx + grab_w * 0.5f, bb.Max.y - 2),
                        ImGui::GetColorU32(held ? ImGuiCol_SliderGrabActive : ImGuiCol_SliderGrab), style.GrabRounding);
    snprintf(text, sizeof(text), format, value);
    const ImVec2 size = ImGui::CalcTextSize(text);
    draw->AddText(ImVec2(bb.Min.x + (bb.GetWidth() - size.x) * 0.5f, bb.Min.y + style.FramePadding.y),
                  ImGui::GetColorU32(ImGuiCol_Text), text);
    return changed;
}

bool radio(const char* label, int& value, int mine)
{
    bool picked = ImGui::RadioButton(label, &value, mine);
    if (twin(label, TwinRole::Radio, value == mine)) {
        value = mine;
        picked = true;
    }
    return picked;
}

bool checkbox(const char* label, bool& value, const char* name)
{
    bool toggled = ImGui::Checkbox(label, &value);
    if (twin(name ? name : label, TwinRole::Checkbox, value)) {
        value = !value;
        toggled = true;
    }
    return toggled;
}

bool choice_button(const char* id, const std::vector<std::string>& choices, std::string& value)
{
    if (ImGui::ArrowButton(id, ImGuiDir_Down) | twin(twin_name(Twin_ChooseModel)))
        ImGui::OpenPopup(id);
    // Right under the button, its right edge on the button's.
    ImGui::SetNextWindowPos(ImVec2(ImGui::GetItemRectMax().x, ImGui::GetItemRectMax().y), ImGuiCond_Appearing, ImVec2(1, 0));
    bool picked = false;
    if (ImGui::BeginPopup(id)) {
        for (const std::string& c : choices)
            if (ImGui::Selectable(c.c_str(), c == value) | twin(c.c_str(), TwinRole::Option, c == value)) {
                value = c;
                picked = true;
            }
        ImGui::EndPopup();
    }
    return picked;
}

}  // namespace imchat::ui
