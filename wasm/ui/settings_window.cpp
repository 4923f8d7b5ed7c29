#include "ui/settings_window.h"

#include <algorithm>
#include <cstdio>

#include "core/server_info.h"
#include "imgui.h"
#include "platform/platform.h"
#include "ui/a11y_twins.h"
#include "ui/layout_probe.h"
#include "ui/settings_fields.h"
#include "ui/strings.h"
#include "ui/test_rects.h"
#include "ui/theme.h"

namespace imchat::ui {

namespace {

const char* g_row = "";  // the label of the row being drawn

// "<row label>: <what>", the accessible name of a row's second control (its "Set" box).
const char* row_and(const char* what)
{
    static char name[128];
    snprintf(name, sizeof(name), "%s: %s", g_row, what);
    return name;
}

// An optional setting edited with a checkbox ("set") beside it: unset means the server decides.
// edit(value) draws the editor and returns true when the user changed value.
template <class T, class Edit>
bool optional_setting(const char* label, std::optional<T>& value, T fallback, Edit edit)
{
    bool changed = false;
    bool set = value.has_value();
    char name[48];
    ImGui::PushID(label);
    // "Set": a visible name for the box, read with its row's label ("Temperature  [x] Set").
    if (checkbox(tr(S_SetValue), set, row_and(tr(S_SetValue)))) {
        value = set ? std::optional<T>(fallback) : std::nullopt;
        changed = true;
    }
    snprintf(name, sizeof(name), "settings-%s-set", label);
    remember_item(name);
    probe_label_item("settings check box", tr(S_SetValue), LabelAt::Right);
    ImGui::SameLine();
    ImGui::BeginDisabled(!set);
    T v = value.value_or(fallback);
    ImGui::SetNextItemWidth(-FLT_MIN);
    if (edit(v) && set) {
        value = v;
        changed = true;
    }
    snprintf(name, sizeof(name), "settings-%s", label);
    remember_item(name);
    ImGui::EndDisabled();
    ImGui::PopID();
    return changed;
}

// One row of the form: the label, then the row's widgets in a group from a fixed column (plain
// layout rather than an ImGui table, which would bring ImGui's table code into the bundle).
// In a narrow window (a phone) the label goes above its widgets instead, which then have the
// whole width.
constexpr float kLabelWidth = 158.0f;
constexpr float kStackBelowWidth = 460.0f;

void label(const char* text)
{
    g_row = text;
    set_next_twin_name(text);  // the row's field or slider is named by it
    const bool stacked = ImGui::GetContentRegionAvail().x < kStackBelowWidth;
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(text);
    probe_text_item("settings label", text);
    if (!stacked)
        ImGui::SameLine(kLabelWidth);
    ImGui::BeginGroup();
}

// A message that may be long (an error, a URL): wrapped at the window's edge.
void wrapped(ImU32 color, const char* text, const char* where)
{
    ImGui::PushStyleColor(ImGuiCol_Text, color);
    ImGui::PushTextWrapPos(0);
    ImGui::TextUnformatted(text);
    ImGui::PopTextWrapPos();
    ImGui::PopStyleColor();
    probe_text_item(where, text);
}

void end_row() { ImGui::EndGroup(); }

} // namespace

void SettingsWindow::refresh_models(const SessionSettings& settings)
{
    std::vector<Header> headers;
    std::string base;
    if (settings.endpoint == EndpointKind::Direct) {
        base = settings.base_url;
        while (!base.empty() && base.back() == '/')
            base.pop_back();
        if (!settings.api_key.empty())
            headers.push_back({"Authorization", "Bearer " + settings.api_key});
    } else {
        base = settings.server_url + "/v1";
    }
    if (base.empty() || settings.endpoint == EndpointKind::PlainSse)
        return;  // a plain stream has no model list
    std::weak_ptr<int> alive = alive_;
    models_error_.clear();
    models_listed_ = false;
    models_call_ = network_.fetch_json(base + "/models", "GET", "", headers, [this, alive](const HttpResponse& r) {
        if (alive.expired())
            return;
        models_listed_ = r.ok();
        if (!r.ok())
            models_error_ = r.error.message.empty() ? "HTTP " + std::to_string(r.status) : r.error.message;
        else if (!parse_model_list(r.body, models_, models_error_))
            models_.clear();
        platform::request_frame();
    });
    // llama.cpp serves /props beside /v1: its context length, when it is that server.
    if (settings.endpoint != EndpointKind::Direct)
        return;
    std::string root = base.size() > 3 && base.compare(base.size() - 3, 3, "/v1") == 0 ? base.substr(0, base.size() - 3) : base;
    props_call_ = network_.fetch_json(root + "/props", "GET", "", headers, [this, alive](const HttpResponse& r) {
        if (alive.expired())
            return;
        server_context_ = r.ok() ? parse_context_length(r.body) : 0;
        platform::request_frame();
    });
}

bool SettingsWindow::model_not_listed(const std::string& model) const
{
    return models_listed_ && !models_.empty() && std::find(models_.begin(), models_.end(), model) == models_.end();
}

bool SettingsWindow::draw(AppSettings& app, const LayoutFontsImGui& fonts)
{
    SessionSettings& s = app.session;
    if (!open_)
        return false;
    bool changed = false;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + vp->WorkSize.y * 0.5f),
                            ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSize(ImVec2(std::min(640.0f, vp->WorkSize.x - 20), std::min(560.0f, vp->WorkSize.y - 20)), ImGuiCond_Appearing);
    if (just_opened_) {
        ImGui::SetNextWindowFocus();
        just_opened_ = false;
        if (models_.empty())
            refresh_models(s);
    }
    if (!ImGui::Begin(tr(S_Settings), &open_, ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings)) {
        ImGui::End();
        return false;
    }
    twin_group_begin(tr(S_Settings), TwinRole::Dialog);
    if (twin_close_button(tr(S_Close)))
        open_ = false;
    {
        label(tr(S_Endpoint));
        int endpoint = static_cast<int>(s.endpoint);
        bool picked = radio(tr(S_EndpointBuiltIn), endpoint, 0);
        remember_item("settings-endpoint-builtin");
        probe_label_item("settings radio", tr(S_EndpointBuiltIn), LabelAt::Right);
        picked |= radio(tr(S_EndpointDirect), endpoint, 1);
        remember_item("settings-endpoint-direct");
        probe_label_item("settings radio", tr(S_EndpointDirect), LabelAt::Right);
        picked |= ImGui::RadioButton(tr(S_EndpointPlain), &endpoint, 2);
        remember_item("settings-endpoint-plain");
        probe_label_item("settings radio", tr(S_EndpointPlain), LabelAt::Right);
        if (picked && s.endpoint != static_cast<EndpointKind>(endpoint)) {
            s.endpoint = static_cast<EndpointKind>(endpoint);
            models_.clear();
            refresh_models(s);
            endpoint_changed_ = true;
            changed = true;
        }
        end_row();
        if (s.endpoint == EndpointKind::PlainSse) {
            label(tr(S_StreamUrl));
            ImGui::SetNextItemWidth(-FLT_MIN);
            TextFieldOptions url;
            url.hint = "/chat/stream?prompt={prompt}";
            TextFieldResult plain = text_field(plain_url_field_, "##plain", fonts, s.plain_url, url);
            remember_item("settings-plain-url");
            changed |= plain.edited;
            endpoint_changed_ |= plain.edited;
            end_row();
        }
        if (s.endpoint == EndpointKind::Direct) {
            label(tr(S_BaseUrl));
            ImGui::SetNextItemWidth(-FLT_MIN);
            TextFieldOptions url;
            url.hint = "http://127.0.0.1:8080/v1";
            TextFieldResult base = text_field(base_url_field_, "##base", fonts, s.base_url, url);
            remember_item("settings-base-url");
            changed |= base.edited;
            endpoint_changed_ |= base.edited;
            if (base.deactivated || base.submit) {
                models_.clear();
                refresh_models(s);  // the model is checked against this server's list
            }
            end_row();
            label(tr(S_ApiKey));
            ImGui::SetNextItemWidth(-FLT_MIN);
            // Masked; kept only in this browser's storage, never exported or logged.
            TextFieldOptions key;
            key.password = true;
            TextFieldResult key_result = text_field(key_field_, "##key", fonts, s.api_key, key);
            changed |= key_result.edited;
            endpoint_changed_ |= key_result.edited;
            remember_item("settings-key");
            end_row();
        }

        label(tr(S_Model));
        ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x - ImGui::CalcTextSize(tr(S_RefreshModels)).x - ImGui::GetFrameHeight() - 24);
        // The list comes from the endpoint; a model it does not list can still be typed in.
        changed |= text_field(model_field_, "##model", fonts, s.model).edited;
        remember_item("settings-model");
        ImGui::SameLine(0, 0);
        changed |= choice_button("##models", models_, s.model);
        ImGui::SameLine();
        if (ImGui::Button(tr(S_RefreshModels)) | twin(tr(S_RefreshModels)))
            refresh_models(s);
        remember_item("settings-refresh-models");
        probe_label_item("settings button", tr(S_RefreshModels));
        if (!models_error_.empty())
            wrapped(theme().error, models_error_.c_str(), "settings error");
        else if (model_not_listed(s.model)) {
            char warning[160];
            snprintf(warning, sizeof(warning), tr(S_ModelNotListed), s.model.c_str());
            wrapped(theme().error, warning, "settings model warning");
        }
        end_row();

        label(tr(S_SystemPrompt));
        ImGui::SetNextItemWidth(-FLT_MIN);
        changed |= text_field(system_field_, "##system", fonts, s.system_prompt, {}, 3).edited;
        end_row();
        label(tr(S_Temperature));
        changed |= optional_setting<double>("temperature", s.temperature, 0.7,
                                            [](double& v) { return slider("##v", v, 0.0, 2.0, 0.05, "%.2f"); });
        end_row();
        label(tr(S_TopP));
        changed |= optional_setting<double>("top_p", s.top_p, 1.0,
                                            [](double& v) { return slider("##v", v, 0.0, 1.0, 0.01, "%.2f"); });
        end_row();
        label(tr(S_MaxTokens));
        changed |= optional_setting<int>("max_tokens", s.max_tokens, 1024,
                                         [&](int& v) { return number_field(max_tokens_field_, "##v", fonts, v, 1, 1 << 20); });
        end_row();
        label(tr(S_ContextLength));
        int context = app.context_length.value_or(0);
        ImGui::SetNextItemWidth(160);
        if (number_field(context_field_, "##ctx", fonts, context, 0, 1 << 22, tr(S_Unknown))) {
            app.context_length = context > 0 ? std::optional<int>(context) : std::nullopt;
            changed = true;
        }
        if (server_context_ > 0) {
            ImGui::SameLine();
            ImGui::TextDisabled(tr(S_ServerContext), static_cast<long long>(server_context_));
        }
        end_row();

        label(tr(S_Theme));
        static const char* const kThemes[] = {"system", "dark", "light"};
        int theme_mode = app.theme == "dark" ? 1 : app.theme == "light" ? 2 : 0;
        if (radio(tr(S_ThemeSystem), theme_mode, 0) | (ImGui::SameLine(), radio(tr(S_ThemeDark), theme_mode, 1)) |
            (ImGui::SameLine(), radio(tr(S_ThemeLight), theme_mode, 2))) {
            app.theme = kThemes[theme_mode];
            changed = true;
        }
        end_row();
        label(tr(S_Language));
        static const char* const kLanguages[] = {"auto", "en", "zh"};
        int lang = app.language == "en" ? 1 : app.language == "zh" ? 2 : 0;
        if (radio(tr(S_LanguageAuto), lang, 0) | (ImGui::SameLine(), radio("English", lang, 1)) |
            (ImGui::SameLine(), radio("中文", lang, 2))) {
            app.language = kLanguages[lang];
            changed = true;
        }
        end_row();
        label(tr(S_TextSize));
        ImGui::SetNextItemWidth(160);
        double size = app.text_size;
        if (slider("##size", size, AppSettings::kMinTextSize, AppSettings::kMaxTextSize, 1.0, "%.0f px")) {
            app.text_size = static_cast<float>(size);
            changed = true;
        }
        end_row();
    }
    twin_group_end();
    ImGui::End();
    return changed;
}

} // namespace imchat::ui
