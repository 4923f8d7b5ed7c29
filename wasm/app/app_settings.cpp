#include "app/app_settings.h"

#include <cmath>
#include <memory>

#include "core/json_util.h"

namespace imchat {
namespace {

const char* endpoint_word(EndpointKind kind) {
    return kind == EndpointKind::Direct ? "direct" : kind == EndpointKind::PlainSse ? "plain" : "builtin";
}

}  // namespace

std::string settings_json(const AppSettings& s, SecretPolicy secrets) {
    rapidjson::StringBuffer buffer;
    json::Writer w(buffer);
    w.StartObject();
    w.Key("version"); w.Int(1);
    w.Key("endpoint"); w.String(endpoint_word(s.session.endpoint));
    w.Key("base_url"); json::write_string(w, s.session.base_url);
    w.Key("plain_url"); json::write_string(w, s.session.plain_url);
    if (secrets == SecretPolicy::Include && !s.session.api_key.empty()) {
        w.Key("api_key");
        json::write_string(w, s.session.api_key);
    }
    w.Key("model"); json::write_string(w, s.session.model);
    w.Key("system_prompt"); json::write_string(w, s.session.system_prompt);
    if (s.session.temperature) { w.Key("temperature"); w.Double(*s.session.temperature); }
    if (s.session.top_p) { w.Key("top_p"); w.Double(*s.session.top_p); }
    if (s.session.max_tokens) { w.Key("max_tokens"); w.Int(*s.session.max_tokens); }
    if (s.context_length) { w.Key("context_length"); w.Int(*s.context_length); }
    w.Key("theme"); json::write_string(w, s.theme);
    w.Key("language"); json::write_string(w, s.language);
    w.Key("text_size"); w.Double(s.text_size);
    w.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize());
}

namespace {

struct SettingsReader {
    const json::Value& root;
    std::string& warnings;

    void warn(const char* key, const char* why) {
        if (!warnings.empty()) warnings += "; ";
        warnings += std::string(key) + " " + why;
    }

    // Present and a string: out = it. Present but not a string: warning.
    void text(const char* key, std::string& out) {
        const json::Value* v = json::member(root, key);
        if (!v) return;
        std::string_view s;
        if (json::get_string(v, s)) out.assign(s);
        else warn(key, "is not a string");
    }

    // One of the allowed words.
    void word(const char* key, std::string& out, std::initializer_list<std::string_view> allowed) {
        std::string value = out;
        text(key, value);
        for (std::string_view a : allowed)
            if (value == a) { out = value; return; }
        warn(key, "has an unknown value");
    }

    // null or absent → unset (absent keeps); a number in [lo, hi] → set.
    void number(const char* key, std::optional<double>& out, double lo, double hi) {
        const json::Value* v = json::member(root, key);
        if (!v) return;
        if (v->IsNull()) { out.reset(); return; }
        double d;
        if (json::get_number(v, d) && std::isfinite(d) && d >= lo && d <= hi) out = d;
        else warn(key, "is not a number in range");
    }

    void integer(const char* key, std::optional<int>& out, int64_t lo, int64_t hi) {
        const json::Value* v = json::member(root, key);
        if (!v) return;
        if (v->IsNull()) { out.reset(); return; }
        int64_t n;
        if (json::get_int64(v, n) && n >= lo && n <= hi) out = static_cast<int>(n);
        else warn(key, "is not a whole number in range");
    }
};

}  // namespace

bool parse_settings_json(std::string_view text, AppSettings& out, std::string& warnings) {
    warnings.clear();
    auto reader = std::make_unique<json::JsonReader>();
    if (!reader->parse(text) || !reader->root().IsObject()) {
        warnings = reader->error().empty() ? "settings are not a JSON object" : "settings: " + reader->error();
        return false;
    }
    SettingsReader r{reader->root(), warnings};
    SessionSettings& s = out.session;
    std::string endpoint = endpoint_word(s.endpoint);
    r.word("endpoint", endpoint, {"builtin", "direct", "plain"});
    s.endpoint = endpoint == "direct" ? EndpointKind::Direct
               : endpoint == "plain"  ? EndpointKind::PlainSse
                                      : EndpointKind::BuiltIn;
    r.text("base_url", s.base_url);
    r.text("plain_url", s.plain_url);
    r.text("api_key", s.api_key);
    r.text("model", s.model);
    r.text("system_prompt", s.system_prompt);
    r.number("temperature", s.temperature, 0, 2);
    r.number("top_p", s.top_p, 0, 1);
    r.integer("max_tokens", s.max_tokens, 1, 10'000'000);
    r.integer("context_length", out.context_length, 1, 100'000'000);
    r.word("theme", out.theme, {"system", "dark", "light"});
    r.word("language", out.language, {"auto", "en", "zh"});
    std::optional<double> size;
    r.number("text_size", size, AppSettings::kMinTextSize, AppSettings::kMaxTextSize);
    if (size) out.text_size = static_cast<float>(*size);
    return true;
}

AppSettings with_overrides(const AppSettings& global, const ChatOverrides& o) {
    AppSettings out = global;
    SessionSettings& s = out.session;
    if (o.model) s.model = *o.model;
    if (o.system_prompt) s.system_prompt = *o.system_prompt;
    if (o.temperature) s.temperature = o.temperature;
    if (o.top_p) s.top_p = o.top_p;
    if (o.max_tokens) s.max_tokens = o.max_tokens;
    if (o.context_length) out.context_length = o.context_length;
    return out;
}

std::string mask_api_key(std::string_view key) {
    if (key.empty()) return {};
    constexpr std::string_view dots = "\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2";  // ••••
    // Keys are ASCII in practice; anything else is shown as dots only.
    for (char c : key)
        if (static_cast<unsigned char>(c) >= 0x80) return std::string(dots);
    if (key.size() < 12) return std::string(dots);
    return std::string(key.substr(0, 3)) + "\xE2\x80\xA6" + std::string(key.substr(key.size() - 4));
}

}  // namespace imchat
