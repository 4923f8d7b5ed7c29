// settings_window: where the endpoint, key, model and sampling settings are changed, plus the
// look (theme, language, text size). Lists the models the endpoint offers (GET /v1/models) and
// reads llama.cpp's context length (GET /props) when the server has it.
#pragma once
#include <memory>
#include <string>
#include <vector>

#include "app/app_settings.h"
#include "net/transport.h"
#include "ui/text_field.h"

namespace imchat::ui {

class SettingsWindow {
public:
    explicit SettingsWindow(Network& network) : network_(network) {}
    // Draws the window when open; returns true when a setting changed (the app saves them).
    bool draw(AppSettings& settings, const LayoutFontsImGui& fonts);
    void open() { open_ = true; just_opened_ = true; }
    bool is_open() const { return open_; }
    bool* open_flag() { return &open_; }  // Esc closes the topmost window (ui/chat_escape)
    // Asks the endpoint for its models (and llama.cpp's /props); results arrive later.
    void refresh_models(const SessionSettings& settings);
    const std::vector<std::string>& models() const { return models_; }
    // The endpoint (kind, URL or key) changed since the last call: old failures no longer apply.
    bool take_endpoint_changed() { bool changed = endpoint_changed_; endpoint_changed_ = false; return changed; }
    // The endpoint listed its models and the chosen one is not among them.
    bool model_not_listed(const std::string& model) const;
    int64_t server_context_length() const { return server_context_; }

private:
    Network& network_;
    bool open_ = false;
    bool just_opened_ = false;
    std::vector<std::string> models_;
    TextField base_url_field_, plain_url_field_, key_field_, model_field_, system_field_, max_tokens_field_, context_field_;
    std::string models_error_;
    bool models_listed_ = false;  // models_ is the current endpoint's answer
    bool endpoint_changed_ = false;
    int64_t server_context_ = 0;
    std::unique_ptr<Transport> models_call_, props_call_;
    std::shared_ptr<int> alive_ = std::make_shared<int>(0);  // callbacks check it before touching this
};

}  // namespace imchat::ui
