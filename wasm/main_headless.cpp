// imchat_headless: the chat session, transports and conversation without ImGui or WebGL, for
// Node. Tests drive it through embind:
//   const client = new Module.HeadlessClient("http://127.0.0.1:PORT", '{"stall_timeout_ms":1000}');
//   client.onUpdate(() => …);  client.send("hello");  JSON.parse(client.state());  client.delete();
// Under Node the transports find EventSource (set globalThis.EventSource from the npm package
// before loading) and fetch on globalThis, exactly as in the page.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <string>

#include "app/chat_session.h"
#include "core/conversation_io.h"
#include "app/session_state.h"
#include "core/json_util.h"
#include "net/browser_network.h"
#include "net/js_callbacks.h"

namespace imchat {
namespace {

using emscripten::val;

// Settings from JSON: {"endpoint":"builtin"|"direct","base_url","api_key","model","system_prompt",
// "temperature","top_p","max_tokens","stall_timeout_ms","max_retries","retry_backoff_ms"}.
// Unknown keys are ignored; a bad document leaves the defaults and reports why.
bool settings_from_json(std::string_view text, SessionSettings& s, std::string& error) {
    if (text.empty()) return true;
    json::JsonReader reader;
    if (!reader.parse(text)) {
        error = reader.error();
        return false;
    }
    const json::Value& root = reader.root();
    if (!root.IsObject()) {
        error = "settings must be a JSON object";
        return false;
    }
    std::string_view str;
    double number = 0;
    if (json::get_string(json::member(root, "endpoint"), str))
        s.endpoint = str == "direct" ? EndpointKind::Direct : str == "plain" ? EndpointKind::PlainSse : EndpointKind::BuiltIn;
    if (json::get_string(json::member(root, "base_url"), str)) s.base_url = str;
    if (json::get_string(json::member(root, "api_key"), str)) s.api_key = str;
    if (json::get_string(json::member(root, "model"), str)) s.model = str;
    if (json::get_string(json::member(root, "system_prompt"), str)) s.system_prompt = str;
    if (json::get_number(json::member(root, "temperature"), number)) s.temperature = number;
    if (json::get_number(json::member(root, "top_p"), number)) s.top_p = number;
    if (json::get_number(json::member(root, "max_tokens"), number)) s.max_tokens = static_cast<int>(number);
    if (json::get_number(json::member(root, "stall_timeout_ms"), number)) s.stall_timeout_ms = number;
    if (json::get_number(json::member(root, "max_retries"), number)) s.max_retries = static_cast<int>(number);
    if (json::get_number(json::member(root, "retry_backoff_ms"), number)) s.retry_backoff_ms = number;
    return true;
}

class HeadlessClient {
public:
    HeadlessClient(std::string server_url, std::string settings_json)
        : session_(conversation_, browser_network(), monotonic_ms, [this] { notify(); }) {
        std::string error;
        if (!settings_from_json(settings_json, session_.settings, error)) settings_error_ = "settings: " + error;
        session_.settings.server_url = std::move(server_url);
    }

    bool send(std::string prompt) { return session_.send(prompt); }
    void stop() { session_.stop(); }
    bool regenerate(uint32_t id) { return session_.regenerate(id); }
    bool retry(uint32_t id) { return session_.retry(id); }
    bool edit_and_resend(uint32_t id, std::string text) { return session_.edit_and_resend(id, std::move(text)); }
    bool resume(uint32_t id) { return session_.resume(id); }
    bool resume_after_load() { return session_.resume_after_load(); }
    bool streaming() const { return session_.streaming(); }
    // fn('{"models":[…],"error":"…"}') once the list (or an error) arrives.
    void list_models(val fn) {
        session_.list_models([fn](std::vector<std::string> ids, std::string error) {
            rapidjson::StringBuffer buffer;
            json::Writer w(buffer);
            w.StartObject();
            json::write_key(w, "models");
            w.StartArray();
            for (const std::string& id : ids) json::write_string(w, id);
            w.EndArray();
            json::write_key(w, "error");
            json::write_string(w, error);
            w.EndObject();
            fn(std::string(buffer.GetString(), buffer.GetSize()));
        });
    }
    // Calls fn() (no arguments) whenever the session would ask the page for a frame.
    void on_update(val fn) { on_update_ = fn; }

    // Changes settings given in JSON (others keep their values); the server URL stays.
    bool set_settings(std::string settings_json) {
        settings_error_.clear();
        if (settings_from_json(settings_json, session_.settings, settings_error_)) return true;
        settings_error_ = "settings: " + settings_error_;
        return false;
    }

    // The conversation in the app's storage format, and back (a "page reload" in tests).
    std::string export_json() const { return imchat::export_json(conversation_); }
    std::string import_json(std::string text) {
        if (session_.streaming()) return "busy";
        std::string error;
        return imchat::import_json(text, conversation_, error) ? std::string() : error;
    }

    // {"messages":[…active path…],"streaming","status","lastError","reconnects","skipped"}
    std::string state() const {
        rapidjson::StringBuffer buffer;
        json::Writer w(buffer);
        w.StartObject();
        write_session_state(w, session_, settings_error_);
        w.EndObject();
        return std::string(buffer.GetString(), buffer.GetSize());
    }

private:
    void notify() {
        if (on_update_.typeOf().as<std::string>() == "function") on_update_();
    }

    Conversation conversation_;
    ChatSession session_;
    val on_update_ = val::undefined();
    std::string settings_error_;
};

}  // namespace
}  // namespace imchat

EMSCRIPTEN_BINDINGS(imchat_headless) {
    using imchat::HeadlessClient;
    emscripten::class_<HeadlessClient>("HeadlessClient")
        .constructor<std::string, std::string>()
        .function("send", &HeadlessClient::send)
        .function("stop", &HeadlessClient::stop)
        .function("regenerate", &HeadlessClient::regenerate)
        .function("retry", &HeadlessClient::retry)
        .function("editAndResend", &HeadlessClient::edit_and_resend)
        .function("resume", &HeadlessClient::resume)
        .function("resumeAfterLoad", &HeadlessClient::resume_after_load)
        .function("streaming", &HeadlessClient::streaming)
        .function("listModels", &HeadlessClient::list_models)
        .function("onUpdate", &HeadlessClient::on_update)
        .function("setSettings", &HeadlessClient::set_settings)
        .function("exportJson", &HeadlessClient::export_json)
        .function("importJson", &HeadlessClient::import_json)
        .function("state", &HeadlessClient::state);
}

int main() { return 0; }
