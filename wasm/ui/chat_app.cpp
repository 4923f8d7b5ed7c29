#include "ui/chat_app.h"

#include <algorithm>

#include "app/session_state.h"
#include "imgui_stdlib.h"
#include "net/browser_network.h"
#include "platform/page_info.h"
#include "platform/platform.h"
#include "ui/bench_hooks.h"
#include "ui/strings.h"
#include "ui/theme.h"

namespace imchat::ui {

ChatApp::ChatApp()
    : settings_window_(browser_network())
{
    session_ = std::make_unique<ChatSession>(conversation_, browser_network(), platform::now_ms,
                                             platform::request_frame);
    apply_prefs();
}

void ChatApp::apply_prefs()
{
    bool dark = prefs_.theme == ThemeMode::System ? platform::prefers_dark_scheme() : prefs_.theme == ThemeMode::Dark;
    apply_theme(dark);
    bool chinese = prefs_.language == LanguageMode::Chinese ||
                   (prefs_.language == LanguageMode::Auto && platform::browser_language().rfind("zh", 0) == 0);
    set_language(chinese ? Language::Chinese : Language::English);
}

void ChatApp::send_from_composer()
{
    std::string text = composer_.text();
    bool ok = editing_ ? session_->edit_and_resend(editing_, text) : session_->send(text);
    if (ok) {
        if (conversation_.title.empty())
            conversation_.title = title_from_prompt(text);
        composer_.clear();
        editing_ = 0;
        transcript_.follow_bottom();
    }
}

void ChatApp::handle_shortcuts()
{
    ImGuiIO& io = ImGui::GetIO();
    if (ImGui::IsKeyChordPressed(ImGuiMod_Ctrl | ImGuiKey_F)) {
        find_open_ = true;
        find_focus_ = true;
    }
    if (ImGui::IsKeyChordPressed(ImGuiMod_Ctrl | ImGuiKey_Equal) || ImGui::IsKeyChordPressed(ImGuiMod_Ctrl | ImGuiKey_KeypadAdd))
        prefs_.text_size = std::min(prefs_.text_size + 1.0f, 32.0f);
    if (ImGui::IsKeyChordPressed(ImGuiMod_Ctrl | ImGuiKey_Minus) || ImGui::IsKeyChordPressed(ImGuiMod_Ctrl | ImGuiKey_KeypadSubtract))
        prefs_.text_size = std::max(prefs_.text_size - 1.0f, 10.0f);
    if (ImGui::IsKeyChordPressed(ImGuiMod_Ctrl | ImGuiKey_0))
        prefs_.text_size = 16.0f;
    if (ImGui::IsKeyPressed(ImGuiKey_Escape, false) && session_->streaming() && !find_open_)
        session_->stop();
    (void)io;
}

void ChatApp::draw_top_bar(float width)
{
    const Theme& t = theme();
    ImGui::PushStyleColor(ImGuiCol_Text, t.text_dim);
    const char* title = conversation_.title.empty() ? "imchat" : conversation_.title.c_str();
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(title);
    ImGui::PopStyleColor();
    const ImGuiStyle& style = ImGui::GetStyle();
    float buttons = ImGui::CalcTextSize(tr(S_Find)).x + ImGui::CalcTextSize(tr(S_Settings)).x + style.FramePadding.x * 4 + style.ItemSpacing.x;
    ImGui::SameLine(std::max(width - buttons, 0.0f));
    if (ImGui::Button(tr(S_Find))) {
        find_open_ = !find_open_;
        find_focus_ = find_open_;
    }
    ImGui::SameLine();
    if (ImGui::Button(tr(S_Settings)))
        settings_window_.open();
}

void ChatApp::draw_find_bar(float width)
{
    // Matches are counted per message of the active path; Enter/Shift+Enter step through them.
    std::vector<uint32_t> hits;
    if (!find_query_.empty()) {
        for (uint32_t id : conversation_.active_path()) {
            const Message* m = conversation_.find(id);
            auto it = std::search(m->text.begin(), m->text.end(), find_query_.begin(), find_query_.end(),
                                  [](char a, char b) { return (a >= 'A' && a <= 'Z' ? a + 32 : a) == (b >= 'A' && b <= 'Z' ? b + 32 : b); });
            if (it != m->text.end())
                hits.push_back(id);
        }
    }
    if (find_focus_) {
        ImGui::SetKeyboardFocusHere();
        find_focus_ = false;
    }
    ImGui::SetNextItemWidth(std::min(360.0f, width * 0.5f));
    bool enter = ImGui::InputTextWithHint("##find", tr(S_FindHint), &find_query_, ImGuiInputTextFlags_EnterReturnsTrue);
    if (ImGui::IsItemEdited())
        find_index_ = 0;
    if (enter && !hits.empty()) {
        find_index_ = (find_index_ + (ImGui::GetIO().KeyShift ? -1 : 1) + static_cast<int>(hits.size())) % static_cast<int>(hits.size());
        transcript_.scroll_to(hits[find_index_]);
        find_focus_ = true;  // Enter deactivates the field: keep typing there
    }
    ImGui::SameLine();
    if (find_query_.empty())
        ImGui::TextDisabled(" ");
    else if (hits.empty())
        ImGui::TextDisabled("%s", tr(S_NoMatches));
    else
        ImGui::TextDisabled(tr(S_FindCount), std::min(find_index_ + 1, static_cast<int>(hits.size())), static_cast<int>(hits.size()));
    ImGui::SameLine();
    if (ImGui::SmallButton(tr(S_Close)) || (ImGui::IsKeyPressed(ImGuiKey_Escape, false))) {
        find_open_ = false;
        find_query_.clear();
        composer_.focus();
    }
}

void ChatApp::draw_status_line()
{
    const Theme& t = theme();
    const std::string& status = session_->status_line();
    bool failed = status.rfind("failed", 0) == 0;
    ImGui::PushStyleColor(ImGuiCol_Text, failed ? t.error : t.text_dim);
    ImGui::TextUnformatted(status.c_str());
    ImGui::PopStyleColor();
}

void ChatApp::frame()
{
    fonts_.refresh(prefs_.text_size);
    handle_shortcuts();

    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->WorkPos);
    ImGui::SetNextWindowSize(vp->WorkSize);
    ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                             ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse;
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(12, 8));
    ImGui::Begin("imchat", nullptr, flags);
    ImGui::PopStyleVar();
    ImGui::PushFont(platform::ui_font(), prefs_.text_size);

    float width = ImGui::GetContentRegionAvail().x;
    draw_top_bar(width);
    if (find_open_)
        draw_find_bar(width);

    float status_h = ImGui::GetTextLineHeightWithSpacing();
    float composer_h = composer_.height() + (editing_ ? ImGui::GetTextLineHeightWithSpacing() : 0);
    float transcript_h = ImGui::GetContentRegionAvail().y - composer_h - status_h - ImGui::GetStyle().ItemSpacing.y * 2;
    ImVec2 transcript_size(width, std::max(transcript_h, 40.0f));

    if (conversation_.empty()) {
        // An empty chat greets instead of showing a blank page.
        ImVec2 start = ImGui::GetCursorScreenPos();
        const Face& h = fonts_.face(Face_H1);
        const char* title = tr(S_EmptyTitle);
        ImVec2 ts = h.font->CalcTextSizeA(h.size, FLT_MAX, 0, title);
        ImGui::GetWindowDrawList()->AddText(h.font, h.size, ImVec2(start.x + (width - ts.x) * 0.5f, start.y + transcript_size.y * 0.38f),
                                            theme().text, title);
        const char* hint = tr(S_EmptyHint);
        ImVec2 hs = ImGui::CalcTextSize(hint);
        ImGui::GetWindowDrawList()->AddText(ImVec2(start.x + (width - hs.x) * 0.5f, start.y + transcript_size.y * 0.38f + ts.y + 10),
                                            theme().text_dim, hint);
        ImGui::Dummy(transcript_size);
    } else {
        TranscriptActions actions = transcript_.draw(*session_, fonts_, transcript_size, find_open_ ? find_query_ : std::string());
        if (transcript_.more_layout_pending())
            platform::request_frame();
        if (actions.edit) {
            if (const Message* m = conversation_.find(actions.edit)) {
                editing_ = actions.edit;
                composer_.set_text(m->text);
                composer_.focus();
            }
        }
        if (actions.regenerate)
            session_->regenerate(actions.regenerate);
        if (actions.retry)
            session_->retry(actions.retry);
    }

    ComposerResult c = composer_.draw(width, session_->streaming(), editing_ != 0);
    if (c.cancel_edit) {
        editing_ = 0;
        composer_.clear();
    }
    if (c.send)
        send_from_composer();
    if (c.stop)
        session_->stop();
    draw_status_line();

    ImGui::PopFont();
    ImGui::End();

    ImGui::PushFont(platform::ui_font(), prefs_.text_size);
    if (settings_window_.draw(session_->settings, prefs_))
        apply_prefs();
    ImGui::PopFont();
    platform::draw_ime_composition();
}

void ChatApp::act(const char* name, double arg)
{
    std::string_view n(name);
    uint32_t leaf = conversation_.leaf();
    if (n == "regenerate")
        session_->regenerate(leaf);
    else if (n == "retry")
        session_->retry(leaf);
    else if (n == "stop")
        session_->stop();
    else if (n == "sibling" && leaf && !session_->streaming()) {
        if (uint32_t s = conversation_.sibling(leaf, static_cast<int>(arg)))
            conversation_.select(s);
    } else {
        bench_act(*this, n, arg);
    }
}

const std::string& ChatApp::state_json()
{
    rapidjson::StringBuffer buffer;
    json::Writer w(buffer);
    w.StartObject();
    write_session_state(w, *session_);
    json::write_key(w, "title");
    json::write_string(w, conversation_.title);
    json::write_key(w, "composer");
    json::write_string(w, composer_.text());
    json::write_key(w, "laidOutLastFrame");
    w.Uint64(transcript_.laid_out_last_frame());
    json::write_key(w, "drawnLastFrame");
    w.Uint64(transcript_.drawn_last_frame());
    w.EndObject();
    state_.assign(buffer.GetString(), buffer.GetSize());
    return state_;
}

} // namespace imchat::ui
