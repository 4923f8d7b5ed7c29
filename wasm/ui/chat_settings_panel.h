// chat_settings_panel: "This chat", the settings one conversation keeps for itself (model,
// system prompt, temperature, top p, max tokens, context length; conversation.h ChatOverrides).
// Opened from the model button of the top bar. Each field has a "Default" box: ticked, the field
// follows the global settings (shown greyed out); unticked, the chat's own value is edited,
// starting from the global one. Endpoint and API key are global only, so they are not here.
#pragma once
#include "app/app_settings.h"
#include "core/conversation.h"
#include "ui/text_field.h"

namespace imchat::ui {

class SettingsWindow;

class ChatSettingsPanel {
public:
    void open() { open_ = true; just_opened_ = true; }
    bool is_open() const { return open_; }
    bool* open_flag() { return &open_; }  // Esc closes the topmost window (ui/chat_escape)
    // Draws the panel for `conversation` when open. Returns true when its overrides changed (set
    // through Conversation::set_overrides; the caller has them saved). The model list comes from
    // the settings window, which asks the endpoint for it.
    bool draw(Conversation& conversation, const AppSettings& global, SettingsWindow& settings_window,
              const LayoutFontsImGui& fonts);

private:
    bool open_ = false;
    bool just_opened_ = false;
    TextField model_, system_, temperature_, top_p_, max_tokens_, context_;
};

}  // namespace imchat::ui
