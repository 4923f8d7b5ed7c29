// Settings JSON: round trip, the API key only where asked for, bad fields skipped one by one;
// a chat's own settings over the global ones.
#include <gtest/gtest.h>

#include "app/app_settings.h"

using namespace imchat;

namespace {

AppSettings sample() {
    AppSettings s;
    s.session.endpoint = EndpointKind::Direct;
    s.session.base_url = "http://127.0.0.1:8080/v1";
    s.session.api_key = "sk-secret-0123456789";
    s.session.model = "qwen \"7b\"";
    s.session.system_prompt = "Be brief.\n简洁";
    s.session.temperature = 0.7;
    s.session.top_p = 0.95;
    s.session.max_tokens = 512;
    s.context_length = 8192;
    s.theme = "dark";
    s.language = "zh";
    s.text_size = 18;
    return s;
}

}  // namespace

TEST(AppSettings, RoundTripWithTheKeyForTheBrowserOnly) {
    AppSettings s = sample();
    std::string stored = settings_json(s, SecretPolicy::Include);
    AppSettings back;
    std::string warnings;
    ASSERT_TRUE(parse_settings_json(stored, back, warnings));
    EXPECT_EQ(warnings, "");
    EXPECT_EQ(back.session.endpoint, EndpointKind::Direct);
    EXPECT_EQ(back.session.base_url, s.session.base_url);
    EXPECT_EQ(back.session.api_key, s.session.api_key);
    EXPECT_EQ(back.session.model, s.session.model);
    EXPECT_EQ(back.session.system_prompt, s.session.system_prompt);
    EXPECT_EQ(back.session.temperature, 0.7);
    EXPECT_EQ(back.session.top_p, 0.95);
    EXPECT_EQ(back.session.max_tokens, 512);
    EXPECT_EQ(back.context_length, 8192);
    EXPECT_EQ(back.theme, "dark");
    EXPECT_EQ(back.language, "zh");
    EXPECT_EQ(back.text_size, 18.0f);

    std::string shown = settings_json(s, SecretPolicy::Omit);
    EXPECT_EQ(shown.find("sk-secret"), std::string::npos) << shown;
    EXPECT_EQ(shown.find("api_key"), std::string::npos) << shown;
}

TEST(AppSettings, UnsetOptionalsStayUnset) {
    AppSettings s;
    std::string json = settings_json(s, SecretPolicy::Include);
    EXPECT_EQ(json.find("temperature"), std::string::npos);
    AppSettings back = sample();
    std::string warnings;
    // null clears an optional; an absent field keeps what was there.
    ASSERT_TRUE(parse_settings_json(R"({"temperature":null,"max_tokens":null})", back, warnings));
    EXPECT_FALSE(back.session.temperature);
    EXPECT_FALSE(back.session.max_tokens);
    EXPECT_EQ(back.session.top_p, 0.95);
    EXPECT_EQ(back.session.model, sample().session.model);
}

TEST(AppSettings, BadFieldsAreSkippedAndNamed) {
    AppSettings s = sample();
    std::string warnings;
    ASSERT_TRUE(parse_settings_json(
        R"({"endpoint":"ftp","temperature":7,"top_p":"high","max_tokens":0,"theme":"neon",)"
        R"("language":"en","text_size":400,"model":5,"base_url":"http://x/v1"})",
        s, warnings));
    EXPECT_EQ(s.session.endpoint, EndpointKind::Direct);
    EXPECT_EQ(s.session.temperature, 0.7);
    EXPECT_EQ(s.session.top_p, 0.95);
    EXPECT_EQ(s.session.max_tokens, 512);
    EXPECT_EQ(s.theme, "dark");
    EXPECT_EQ(s.text_size, 18.0f);
    EXPECT_EQ(s.session.model, sample().session.model);
    EXPECT_EQ(s.language, "en");            // the good fields still apply
    EXPECT_EQ(s.session.base_url, "http://x/v1");
    for (const char* name : {"endpoint", "temperature", "top_p", "max_tokens", "theme", "text_size", "model"})
        EXPECT_NE(warnings.find(name), std::string::npos) << name << " in: " << warnings;
}

TEST(AppSettings, NotAnObjectChangesNothing) {
    AppSettings s = sample();
    std::string warnings;
    EXPECT_FALSE(parse_settings_json("[1,2]", s, warnings));
    EXPECT_FALSE(parse_settings_json("{\"model\":", s, warnings));
    EXPECT_FALSE(warnings.empty());
    EXPECT_FALSE(parse_settings_json("", s, warnings));
    EXPECT_EQ(s.session.model, sample().session.model);
}

TEST(AppSettings, MaskedKeyRevealsLittle) {
    EXPECT_EQ(mask_api_key(""), "");
    EXPECT_EQ(mask_api_key("sk-abcdefghijklmnop1234"), "sk-\xE2\x80\xA6" "1234");
    EXPECT_EQ(mask_api_key("short"), "\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2");
    EXPECT_EQ(mask_api_key("ключ-очень-длинный-ключ"), "\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2");
}

TEST(AppSettings, NoChatOverridesFollowTheGlobalSettings) {
    AppSettings g = sample();
    AppSettings e = with_overrides(g, ChatOverrides());
    EXPECT_EQ(settings_json(e, SecretPolicy::Include), settings_json(g, SecretPolicy::Include));
}

TEST(AppSettings, EachChatOverrideWinsAndTheRestFollow) {
    AppSettings g = sample();
    g.session.top_p.reset();  // left to the server globally
    ChatOverrides o;
    o.temperature = 0.1;
    AppSettings e = with_overrides(g, o);
    EXPECT_EQ(e.session.temperature, 0.1);
    EXPECT_EQ(e.session.model, g.session.model);
    EXPECT_EQ(e.session.max_tokens, 512);

    o.model = "chat-model";
    o.system_prompt = "Answer in French.";
    o.top_p = 0.5;
    o.max_tokens = 64;
    o.context_length = 2048;
    e = with_overrides(g, o);
    EXPECT_EQ(e.session.model, "chat-model");
    EXPECT_EQ(e.session.system_prompt, "Answer in French.");
    EXPECT_EQ(e.session.top_p, 0.5);
    EXPECT_EQ(e.session.max_tokens, 64);
    EXPECT_EQ(e.context_length, 2048);
    // Where to connect, with which key, and the look are never per chat.
    EXPECT_EQ(e.session.endpoint, EndpointKind::Direct);
    EXPECT_EQ(e.session.base_url, g.session.base_url);
    EXPECT_EQ(e.session.api_key, g.session.api_key);
    EXPECT_EQ(e.theme, "dark");
}

TEST(AppSettings, AnEmptySystemPromptOverrideSendsNone) {
    ChatOverrides o;
    o.system_prompt = "";
    EXPECT_TRUE(o.any());
    EXPECT_EQ(with_overrides(sample(), o).session.system_prompt, "");
}

TEST(AppSettings, PlainSseEndpointAndItsUrlRoundTrip) {
    AppSettings s;
    s.session.endpoint = EndpointKind::PlainSse;
    s.session.plain_url = "/chat/stream?q={prompt}";
    AppSettings back;
    std::string warnings;
    ASSERT_TRUE(parse_settings_json(settings_json(s, SecretPolicy::Omit), back, warnings));
    EXPECT_EQ(warnings, "");
    EXPECT_EQ(back.session.endpoint, EndpointKind::PlainSse);
    EXPECT_EQ(back.session.plain_url, "/chat/stream?q={prompt}");
    // Settings stored before the plain endpoint existed keep their endpoint and get the default URL.
    AppSettings old;
    ASSERT_TRUE(parse_settings_json(R"({"version":1,"endpoint":"direct","base_url":"http://x/v1"})", old, warnings));
    EXPECT_EQ(old.session.endpoint, EndpointKind::Direct);
    EXPECT_EQ(old.session.plain_url, "/chat/stream?prompt={prompt}");
}
