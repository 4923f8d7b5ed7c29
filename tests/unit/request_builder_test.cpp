// Request bodies for both protocols, checked by parsing them back.
#include <gtest/gtest.h>

#include <limits>

#include "core/request_builder.h"
#include "rapidjson/document.h"

using namespace imchat;

namespace {
rapidjson::Document parse(const std::string& json) {
    rapidjson::Document d;
    d.Parse(json.c_str(), json.size());
    EXPECT_FALSE(d.HasParseError()) << json;
    return d;
}

ChatRequest sample() {
    ChatRequest r;
    r.model = "demo";
    r.messages = {{Role::User, "Hi \"there\"\n你好"}, {Role::Assistant, "Hello"}, {Role::User, "tab\there"}};
    return r;
}
}  // namespace

TEST(RequestBuilder, BuiltinMinimal) {
    ChatRequest r = sample();
    std::string body = build_builtin_request(r);
    rapidjson::Document d = parse(body);
    EXPECT_STREQ(d["model"].GetString(), "demo");
    ASSERT_EQ(d["messages"].Size(), 3u);
    EXPECT_STREQ(d["messages"][0]["role"].GetString(), "user");
    EXPECT_STREQ(d["messages"][0]["content"].GetString(), "Hi \"there\"\n你好");
    EXPECT_STREQ(d["messages"][1]["role"].GetString(), "assistant");
    EXPECT_STREQ(d["messages"][2]["content"].GetString(), "tab\there");
    EXPECT_FALSE(d.HasMember("temperature"));
    EXPECT_FALSE(d.HasMember("top_p"));
    EXPECT_FALSE(d.HasMember("max_tokens"));
    EXPECT_FALSE(d.HasMember("stream"));
}

TEST(RequestBuilder, ExactBytesOfASmallRequest) {
    ChatRequest r;
    r.model = "m";
    r.messages = {{Role::User, "a"}};
    r.temperature = 0.7;
    r.max_tokens = 256;
    EXPECT_EQ(build_builtin_request(r),
              R"({"model":"m","messages":[{"role":"user","content":"a"}],"temperature":0.7,"max_tokens":256})");
    EXPECT_EQ(build_openai_request(r),
              R"({"model":"m","messages":[{"role":"user","content":"a"}],"temperature":0.7,"max_tokens":256,"stream":true,"stream_options":{"include_usage":true}})");
}

TEST(RequestBuilder, SystemPromptComesFirst) {
    ChatRequest r = sample();
    r.system_prompt = "Be brief.";
    rapidjson::Document d = parse(build_openai_request(r));
    ASSERT_EQ(d["messages"].Size(), 4u);
    EXPECT_STREQ(d["messages"][0]["role"].GetString(), "system");
    EXPECT_STREQ(d["messages"][0]["content"].GetString(), "Be brief.");
    EXPECT_STREQ(d["messages"][1]["role"].GetString(), "user");
}

TEST(RequestBuilder, SamplingParameters) {
    ChatRequest r = sample();
    r.temperature = 0.0;
    r.top_p = 0.95;
    r.max_tokens = 1024;
    rapidjson::Document d = parse(build_openai_request(r));
    EXPECT_DOUBLE_EQ(d["temperature"].GetDouble(), 0.0);
    EXPECT_DOUBLE_EQ(d["top_p"].GetDouble(), 0.95);
    EXPECT_EQ(d["max_tokens"].GetInt(), 1024);
    EXPECT_TRUE(d["stream"].GetBool());
    EXPECT_TRUE(d["stream_options"]["include_usage"].GetBool());
}

TEST(RequestBuilder, NonFiniteNumbersAreLeftOut) {
    ChatRequest r = sample();
    r.temperature = std::numeric_limits<double>::quiet_NaN();
    r.top_p = std::numeric_limits<double>::infinity();
    rapidjson::Document d = parse(build_builtin_request(r));
    EXPECT_FALSE(d.HasMember("temperature"));
    EXPECT_FALSE(d.HasMember("top_p"));
}

TEST(RequestBuilder, ControlCharactersAndNulAreEscaped) {
    ChatRequest r;
    r.model = "m";
    r.messages = {{Role::User, std::string("a\0b\x01\x1f", 5)}};
    std::string body = build_builtin_request(r);
    EXPECT_NE(body.find("\\u0000"), std::string::npos) << body;
    rapidjson::Document d = parse(body);
    EXPECT_EQ(std::string(d["messages"][0]["content"].GetString(), d["messages"][0]["content"].GetStringLength()),
              std::string("a\0b\x01\x1f", 5));
}

TEST(RequestBuilder, MessagesFromTheActivePath) {
    Conversation c;
    uint32_t u1 = c.add(0, Role::User, "first");
    uint32_t a1 = c.add_reply(u1, "m", 1);
    c.find(a1)->text = "answer";
    c.set_status(a1, MessageStatus::Done, 2);
    uint32_t u2 = c.add(a1, Role::User, "second");
    uint32_t failed = c.add_reply(u2, "m", 3);
    c.set_status(failed, MessageStatus::Failed, 4, "boom");
    std::vector<ChatMessage> m = chat_messages_from(c);
    ASSERT_EQ(m.size(), 3u);
    EXPECT_EQ(m[0].content, "first");
    EXPECT_EQ(m[1].role, Role::Assistant);
    EXPECT_EQ(m[2].content, "second");
    // Up to a given message (regenerating the first answer sends only the first prompt).
    m = chat_messages_from(c, u1);
    ASSERT_EQ(m.size(), 1u);
    // A sibling branch: edit of the first prompt.
    uint32_t edited = c.add(0, Role::User, "first, edited");
    m = chat_messages_from(c);
    ASSERT_EQ(m.size(), 1u);
    EXPECT_EQ(m[0].content, "first, edited");
    c.select(u2);
    EXPECT_EQ(chat_messages_from(c).size(), 3u);
    (void)edited;
}

TEST(RequestBuilder, ReplyIdFromJson) {
    EXPECT_EQ(builtin_reply_id_from_json(R"({"id":"r-42abc"})"), "r-42abc");
    EXPECT_EQ(builtin_reply_id_from_json(R"({"id":"x","stream":"/api/chat/x/stream"})"), "x");
    EXPECT_EQ(builtin_reply_id_from_json(R"({"id":42})"), "");
    EXPECT_EQ(builtin_reply_id_from_json(R"({"nope":"x"})"), "");
    EXPECT_EQ(builtin_reply_id_from_json("not json"), "");
    EXPECT_EQ(builtin_reply_id_from_json(""), "");
    EXPECT_EQ(builtin_reply_id_from_json(R"(["id"])"), "");
}

namespace {
// u1 → a1 (failed with `status` before any text) → u2 → a2 (waiting): the user typed on after
// the failure instead of editing or retrying.
Conversation typed_on_after_failure(int status, std::string partial = "") {
    Conversation c;
    uint32_t u1 = c.add(0, Role::User, "a prompt far too long");
    uint32_t a1 = c.add_reply(u1, "m", 0);
    c.find(a1)->text = std::move(partial);
    c.set_status(a1, c.find(a1)->text.empty() ? MessageStatus::Failed : MessageStatus::Interrupted, 1,
                 "HTTP " + std::to_string(status), status);
    uint32_t u2 = c.add(a1, Role::User, "a short one");
    c.add_reply(u2, "m", 2);
    return c;
}
}  // namespace

TEST(RequestBuilder, APromptTheServerRefusedIsLeftOutOfLaterRequests) {
    for (int status : {400, 413, 422}) {
        Conversation c = typed_on_after_failure(status);
        std::vector<ChatMessage> m = chat_messages_from(c, c.find(c.leaf())->parent);
        ASSERT_EQ(m.size(), 1u) << status;
        EXPECT_EQ(m[0].content, "a short one");
        EXPECT_EQ(context_ids(c), std::vector<uint32_t>{3});  // the empty waiting reply is not context
    }
}

TEST(RequestBuilder, OtherFailuresKeepTheirPrompt) {
    // Busy, rate-limited, unreachable, a bad key or model: the prompt was not the problem.
    for (int status : {0, 401, 404, 408, 429, 500, 503}) {
        Conversation c = typed_on_after_failure(status);
        std::vector<ChatMessage> m = chat_messages_from(c, 3);
        ASSERT_EQ(m.size(), 2u) << status;
        EXPECT_EQ(m[0].content, "a prompt far too long");
    }
    // A refusal after some text came (an in-stream error) answered something: the prompt stays.
    Conversation c = typed_on_after_failure(400, "half an answer");
    EXPECT_EQ(chat_messages_from(c, 3).size(), 3u);
}

TEST(RequestBuilder, RetryingTheRefusedReplySendsItsPromptAgain) {
    Conversation c = typed_on_after_failure(413);
    c.select(2);  // back on the refused turn, as Retry acts on it
    c.reset_reply(2, 5);  // what ChatSession::retry does before asking again
    std::vector<ChatMessage> m = chat_messages_from(c, 1);
    ASSERT_EQ(m.size(), 1u);
    EXPECT_EQ(m[0].content, "a prompt far too long");
    EXPECT_EQ(c.find(2)->error_status, 0);
}
