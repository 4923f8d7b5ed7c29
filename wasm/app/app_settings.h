// app_settings: what the settings window edits and the browser keeps (localStorage
// "imchat.settings", wasm/storage/settings_store.h), and its JSON form.
// The API key is kept only in this browser: settings_json() writes it only when asked to (for
// the browser's own storage), never for an export, a log or a test snapshot.
#pragma once
#include <optional>
#include <string>
#include <string_view>

#include "app/chat_session.h"

namespace imchat {

struct AppSettings {
    // The session's part (endpoint, base_url, api_key, model, system_prompt, temperature, top_p,
    // max_tokens). server_url and the retry tuning are not settings: they are not stored.
    SessionSettings session;
    std::optional<int> context_length;  // tokens of history to send; unset = the whole path
    std::string theme = "system";       // "system" | "dark" | "light"
    std::string language = "auto";      // "auto" | "en" | "zh"
    float text_size = 16.0f;            // px, clamped to [kMinTextSize, kMaxTextSize]

    static constexpr float kMinTextSize = 10.0f, kMaxTextSize = 32.0f;
};

enum class SecretPolicy { Omit, Include };

// {"version":1,"endpoint":"builtin"|"direct"|"plain","base_url","plain_url","api_key"?,"model","system_prompt",
//  "temperature"?,"top_p"?,"max_tokens"?,"context_length"?,"theme","language","text_size"}
std::string settings_json(const AppSettings& settings, SecretPolicy secrets);

// Reads what settings_json wrote over `out`, field by field: a missing field keeps out's value,
// a field of the wrong type or out of range is skipped and named in `warnings` ("" when none),
// so one bad value never costs the others. False (out untouched) only when text is not a JSON
// object.
bool parse_settings_json(std::string_view text, AppSettings& out, std::string& warnings);

// The settings one chat's requests use: the global ones with the chat's overrides on top, field
// by field (an unset override keeps the global value). Endpoint, key and look stay global.
AppSettings with_overrides(const AppSettings& global, const ChatOverrides& overrides);

// "sk-…wxyz" for showing a key without revealing it: at most the first 3 and last 4 characters,
// and only dots for a short key. "" for "".
std::string mask_api_key(std::string_view key);

}  // namespace imchat
