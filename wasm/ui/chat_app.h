// chat_app: the whole window. Owns the open chats (each a conversation and the session that
// streams into it, so a reply keeps streaming while another chat is shown), the views that draw
// the current one, and the settings; each frame lays out the top bar, the transcript, the
// composer and the status line, and turns clicks and keys into the sessions' intents.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "app/chat_session.h"
#include "app/conversation_saver.h"
#include "core/conversation.h"
#include "ui/chat_settings_panel.h"
#include "ui/composer.h"
#include "ui/layout_fonts.h"
#include "ui/settings_window.h"
#include "ui/sidebar.h"
#include "ui/transcript.h"
#include "ui/transcript_mirror.h"

namespace imchat::ui {

struct Chat {
    Conversation conversation;
    std::unique_ptr<ChatSession> session;
    double retry_at_ms = 0;       // a 429/503 said when to try again: retry then (0 = no)
    std::unique_ptr<ConversationSaver> saver;  // writes it to the history as it changes
    bool fit_history = false;     // the user chose to drop the oldest turns to fit the context
    int64_t estimated_tokens = 0; // of the active path and the prompt, for the context warning
    uint64_t estimate_revision = ~0ull;
    size_t estimate_prompt_size = ~size_t(0);
};

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
    Conversation& conversation() { return current_->conversation; }
    ChatSession& session() { return *current_->session; }
    Transcript& transcript() { return transcript_; }

    // Chats: a new empty one becomes current; switching keeps the others streaming.
    Chat& new_chat();
    void show_chat(Chat* chat);
    const std::vector<std::unique_ptr<Chat>>& chats() const { return chats_; }
    Chat* current() { return current_; }

private:
    // History (ui/chat_history.cpp): the sidebar's list, loading, deleting, import and export.
    void open_history();
    void refresh_history();
    void open_conversation(const std::string& id);
    void remove_conversation(const std::string& id);
    void do_sidebar_actions(const SidebarActions& a);
    void import_text(const std::string& text);
    void add_imported(bool keep_known);  // pending_import_ into chats; known ones skipped or marked
    void draw_import_question();
    bool is_known(const std::string& id) const;  // a conversation with this id is open or stored
    void export_all();
    std::vector<SidebarEntry> sidebar_entries() const;
    Chat* find_chat(const std::string& id);
    void close_chat(Chat* chat);
    void chat_changed(Chat& chat);  // from network callbacks: save, then ask for a frame

    void draw_top_bar(float width, bool narrow);
    void draw_drawer();
    void open_drawer_on_edge_swipe();
    const std::string& sidebar_notice() const;
    void draw_status_line();
    void draw_find_bar(float width);
    void draw_help();
    void handle_shortcuts();
    // Esc (ui/chat_escape.cpp): the topmost popup or window first, a reply only when none is open.
    void handle_escape();
    bool close_topmost_window();
    void close_find_bar();
    void send_from_composer();
    void apply_prefs();       // theme, language
    void update_retry_timer(Chat& chat);
    void prepare_request(Chat& chat);  // settings into the chat's session before a request
    // The settings this chat's requests use: the global ones with the chat's own on top.
    AppSettings settings_for(const Chat& chat) const { return with_overrides(settings_, chat.conversation.overrides()); }
    bool context_exceeded(Chat& chat);  // the estimate of path + prompt is over the context
    void draw_context_warning(Chat& chat);
    std::string last_code_block() const;

    std::vector<std::unique_ptr<Chat>> chats_;
    Chat* current_ = nullptr;
    AppSettings settings_;  // the session part is shared by every chat, copied in before each request
    Transcript transcript_;
    TranscriptMirror mirror_;  // the current chat for screen readers
    Composer composer_;
    LayoutFontsImGui fonts_;
    SettingsWindow settings_window_;
    ChatSettingsPanel chat_settings_;  // "This chat": the current chat's own settings
    uint32_t editing_ = 0;  // user message being edited, 0 when none
    bool help_open_ = false;

    Sidebar sidebar_;
    bool sidebar_open_ = true;   // wide screens: the sidebar beside the transcript
    static constexpr float kDrawerBelowWidth = 640;  // narrower: the sidebar is a drawer
    static constexpr float kEdgeSwipeZone = 24, kEdgeSwipeDistance = 48;  // px
    bool drawer_open_ = false;
    float edge_swipe_from_ = -1;  // x where a finger landed at the left edge, -1 when none
    std::vector<ConversationSummary> history_;
    std::vector<std::string> search_ids_;  // conversations matching the sidebar's query
    bool history_opened_ = false;
    std::string deleted_id_, deleted_title_;  // the last delete, while it can be undone
    double deleted_at_ms_ = 0;
    std::string notice_;  // a one-line message about the last import/export
    std::vector<Conversation> pending_import_;  // read from a file, waiting for an answer
    int pending_import_known_ = 0;              // how many of them are already here (asking while > 0)

    bool find_open_ = false;
    bool find_focus_ = false;
    TextField find_field_;
    int find_index_ = 0;
    std::vector<uint32_t> find_hits_;  // per match of find_hits_query_, its message (a cache, see draw_find_bar)
    std::string find_hits_query_;
    uint64_t find_hits_revision_ = ~0ull;
    const Chat* find_hits_chat_ = nullptr;

    std::string state_;
};

}  // namespace imchat::ui
