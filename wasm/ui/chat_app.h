// chat_app: the whole window. Owns the conversation, the session that streams into it and the
// views that draw it; each frame lays out the top bar, the transcript, the composer and the
// status line, and turns clicks and keys into the session's intents.
#pragma once
#include <memory>
#include <string>

#include "app/chat_session.h"
#include "core/conversation.h"
#include "ui/composer.h"
#include "ui/layout_fonts.h"
#include "ui/settings_window.h"
#include "ui/transcript.h"

namespace imchat::ui {

class ChatApp {
public:
    ChatApp();
    void frame();
    // The JSON snapshot of window.imchat.state().
    const std::string& state_json();
    // Test and automation intents (window.imchat.act): "regenerate", "sibling" (arg = step),
    // "stop", "retry", "new".
    void act(const char* name, double arg);

    // For benchmarks and tests (ui/bench_hooks.cpp).
    Conversation& conversation() { return conversation_; }
    ChatSession& session() { return *session_; }
    Transcript& transcript() { return transcript_; }

private:
    void draw_top_bar(float width);
    void draw_status_line();
    void draw_find_bar(float width);
    void handle_shortcuts();
    void send_from_composer();
    void apply_prefs();  // theme, language

    Conversation conversation_;
    std::unique_ptr<ChatSession> session_;
    Transcript transcript_;
    Composer composer_;
    LayoutFontsImGui fonts_;
    SettingsWindow settings_window_;
    UiPrefs prefs_;
    uint32_t editing_ = 0;  // user message being edited, 0 when none

    bool find_open_ = false;
    bool find_focus_ = false;
    std::string find_query_;
    int find_index_ = 0;

    std::string state_;
};

}  // namespace imchat::ui
