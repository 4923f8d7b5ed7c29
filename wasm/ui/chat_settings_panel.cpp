#include "ui/chat_settings_panel.h"

#include <algorithm>
#include <cstdio>

#include "imgui.h"
#include "ui/a11y_twins.h"
#include "ui/settings_fields.h"
#include "ui/settings_window.h"
#include "ui/strings.h"
#include "ui/test_rects.h"
#include "ui/theme.h"

namespace imchat::ui {

namespace {

// One field: its label, the "Default" box and the editor. While the box is ticked the field is
// unset and the editor shows the global value, greyed out ("not set" when there is none: the
// request leaves it out); unticking starts the chat's own value from the global one, or from
// `fallback`.
// edit(value) draws the editor and returns true when the user changed value.
template <class T, class Edit>
bool field_row(const char* name, const char* label, std::optional<T>& field, const std::optional<T>& global,
               const T& fallback, Edit edit)
{
    // Three fixed columns laid out by hand: an ImGui table would bring its code into the bundle.
    const float label_w = 130, default_w = ImGui::CalcTextSize(tr(S_UseDefault)).x + 40;
    char id[48];
    ImGui::PushID(name);
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(label);
    ImGui::SameLine(label_w);
    bool changed = false;
    bool use_default = !field.has_value();
    char twin_label[128];
    snprintf(twin_label, sizeof(twin_label), "%s: %s", label, tr(S_UseDefault));
    if (checkbox(tr(S_UseDefault), use_default, twin_label)) {
        field = use_default ? std::nullopt : std::optional<T>(global.value_or(fallback));
        changed = true;
    }
    snprintf(id, sizeof(id), "chat-%s-default", name);
    remember_item(id);
    ImGui::SameLine(label_w + default_w);
    ImGui::BeginGroup();  // one rectangle for the editor's parts (tests click its middle)
    if (!field && !global) {
        ImGui::AlignTextToFramePadding();
        ImGui::TextDisabled("%s", tr(S_NotSet));
    } else {
        T value = field ? *field : *global;
        ImGui::BeginDisabled(!field);
        set_next_twin_name(label);
        if (edit(value) && field) {
            field = std::move(value);
            changed = true;
        }
        ImGui::EndDisabled();
    }
    ImGui::EndGroup();
    snprintf(id, sizeof(id), "chat-%s", name);
    remember_item(id);
    ImGui::PopID();
    return changed;
}

bool edit_number(TextField& field, const LayoutFontsImGui& fonts, double& v, double lo, double hi)
{
    ImGui::SetNextItemWidth(-FLT_MIN);
    return number_field(field, "##v", fonts, v, lo, hi, 2);
}

bool edit_count(TextField& field, const LayoutFontsImGui& fonts, int& v, int hi)
{
    ImGui::SetNextItemWidth(-FLT_MIN);
    return number_field(field, "##v", fonts, v, 1, hi);
}

} // namespace

bool ChatSettingsPanel::draw(Conversation& conversation, const AppSettings& global, SettingsWindow& settings_window,
                             const LayoutFontsImGui& fonts)
{
    if (!open_)
        return false;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + vp->WorkSize.y * 0.5f),
                            ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    float height = ImGui::GetFrameHeightWithSpacing() * 8 + ImGui::GetTextLineHeightWithSpacing() * 6;
    ImGui::SetNextWindowSize(ImVec2(std::min(600.0f, vp->WorkSize.x - 20), std::min(height, vp->WorkSize.y - 20)),
                             ImGuiCond_Appearing);
    if (just_opened_) {
        ImGui::SetNextWindowFocus();
        just_opened_ = false;
        if (settings_window.models().empty())
            settings_window.refresh_models(global.session);
    }
    // "###" keeps one window identity whichever language titles it.
    char title[96];
    snprintf(title, sizeof(title), "%s###chat-settings", tr(S_ChatSettings));
    if (!ImGui::Begin(title, &open_, ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings)) {
        ImGui::End();
        return false;
    }
    twin_group_begin(tr(S_ChatSettings), TwinRole::Dialog);
    if (twin_close_button(tr(S_Close)))
        open_ = false;
    // Esc closes the panel, unless it is cancelling an edit in one of its fields.
    if (ImGui::IsWindowFocused(ImGuiFocusedFlags_RootAndChildWindows) && !ImGui::IsAnyItemActive() &&
        ImGui::IsKeyPressed(ImGuiKey_Escape, false))
        open_ = false;
    ImGui::PushStyleColor(ImGuiCol_Text, theme().text_dim);
    ImGui::TextWrapped("%s", tr(S_ChatSettingsIntro));
    ImGui::PopStyleColor();

    ChatOverrides o = conversation.overrides();
    const SessionSettings& g = global.session;
    bool changed = false;
    {
        const std::vector<std::string>& models = settings_window.models();
        changed |= field_row<std::string>("model", tr(S_Model), o.model, g.model, g.model, [&](std::string& v) {
            // The endpoint's models to pick from; one it does not list can still be typed.
            ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - ImGui::GetFrameHeight());
            bool edited = text_field(model_, "##v", fonts, v).edited;
            ImGui::SameLine(0, 0);
            edited |= choice_button("##models", models, v);
            return edited;
        });
        changed |= field_row<std::string>("system", tr(S_SystemPrompt), o.system_prompt, g.system_prompt, g.system_prompt,
                                          [&](std::string& v) {
            ImGui::SetNextItemWidth(-FLT_MIN);
            return text_field(system_, "##v", fonts, v, {}, 3).edited;
        });
        changed |= field_row<double>("temperature", tr(S_Temperature), o.temperature, g.temperature, 0.7,
                                     [&](double& v) { return edit_number(temperature_, fonts, v, 0.0, 2.0); });
        changed |= field_row<double>("top_p", tr(S_TopP), o.top_p, g.top_p, 1.0,
                                     [&](double& v) { return edit_number(top_p_, fonts, v, 0.0, 1.0); });
        changed |= field_row<int>("max_tokens", tr(S_MaxTokens), o.max_tokens, g.max_tokens, 1024,
                                  [&](int& v) { return edit_count(max_tokens_, fonts, v, 10'000'000); });
        changed |= field_row<int>("context", tr(S_ContextLength), o.context_length, global.context_length, 8192,
                                  [&](int& v) { return edit_count(context_, fonts, v, 100'000'000); });
    }
    ImGui::BeginDisabled(!o.any());
    if (ImGui::Button(tr(S_AllDefaults)) | twin(tr(S_AllDefaults))) {
        o = ChatOverrides();
        changed = true;
    }
    remember_item("chat-all-defaults");
    ImGui::EndDisabled();
    twin_group_end();
    ImGui::End();
    if (changed)
        conversation.set_overrides(std::move(o));
    return changed;
}

} // namespace imchat::ui
