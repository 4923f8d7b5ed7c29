// The built-in API's events (serve.py's own stream) decoded into StreamDelta.
#include <gtest/gtest.h>

#include "core/builtin_protocol.h"

using namespace imchat;

TEST(BuiltinProtocol, ContentEvent) {
    StreamDelta d;
    ASSERT_TRUE(decode_builtin_event("message", R"({"content":"Hello"})", d));
    EXPECT_EQ(d.content, "Hello");
    EXPECT_TRUE(d.reasoning.empty());
    EXPECT_FALSE(d.done);
    EXPECT_FALSE(d.failed());
}

TEST(BuiltinProtocol, EmptyTypeMeansMessage) {
    StreamDelta d;
    ASSERT_TRUE(decode_builtin_event("", R"({"content":"x"})", d));
    EXPECT_EQ(d.content, "x");
}

TEST(BuiltinProtocol, ReasoningEvent) {
    StreamDelta d;
    ASSERT_TRUE(decode_builtin_event("message", R"({"reasoning":"Let me think"})", d));
    EXPECT_EQ(d.reasoning, "Let me think");
    EXPECT_TRUE(d.content.empty());
}

TEST(BuiltinProtocol, EscapesAndUnicodeAreDecoded) {
    StreamDelta d;
    ASSERT_TRUE(decode_builtin_event("message", R"({"content":"a\nb \"q\" \u4f60\u597d \ud83d\ude00 日本"})", d));
    EXPECT_EQ(d.content, "a\nb \"q\" 你好 \xF0\x9F\x98\x80 日本");
}

TEST(BuiltinProtocol, EmbeddedNulCharacterEscapeIsKept) {
    StreamDelta d;
    ASSERT_TRUE(decode_builtin_event("message", R"({"content":"a\u0000b"})", d));
    EXPECT_EQ(d.content, std::string("a\0b", 3));
}

TEST(BuiltinProtocol, DoneWithUsage) {
    StreamDelta d;
    ASSERT_TRUE(decode_builtin_event(
        "done", R"({"finish_reason":"stop","usage":{"prompt_tokens":12,"completion_tokens":345}})", d));
    EXPECT_TRUE(d.done);
    EXPECT_FALSE(d.stopped);
    EXPECT_EQ(d.finish_reason, "stop");
    EXPECT_TRUE(d.has_usage);
    EXPECT_EQ(d.usage.prompt_tokens, 12);
    EXPECT_EQ(d.usage.completion_tokens, 345);
}

TEST(BuiltinProtocol, DoneStopped) {
    StreamDelta d;
    ASSERT_TRUE(decode_builtin_event("done", R"({"finish_reason":"stop","stopped":true})", d));
    EXPECT_TRUE(d.done);
    EXPECT_TRUE(d.stopped);
    EXPECT_FALSE(d.has_usage);
    EXPECT_EQ(d.usage.prompt_tokens, -1);
}

TEST(BuiltinProtocol, DoneWithoutDataIsStillDone) {
    StreamDelta d;
    ASSERT_TRUE(decode_builtin_event("done", "", d));
    EXPECT_TRUE(d.done);
}

TEST(BuiltinProtocol, FailEvent) {
    StreamDelta d;
    ASSERT_TRUE(decode_builtin_event("fail", R"({"status":503,"message":"model overloaded","retry_after":2.5})", d));
    EXPECT_TRUE(d.failed());
    EXPECT_EQ(d.error, "model overloaded");
    EXPECT_EQ(d.error_status, 503);
    EXPECT_EQ(d.retry_after_ms, 2500);
    EXPECT_FALSE(d.done);
}

TEST(BuiltinProtocol, FailWithoutMessageStillFails) {
    StreamDelta d;
    ASSERT_TRUE(decode_builtin_event("fail", R"({"status":500})", d));
    EXPECT_TRUE(d.failed());
    EXPECT_EQ(d.error_status, 500);
    EXPECT_EQ(d.retry_after_ms, -1);
}

TEST(BuiltinProtocol, Ping) {
    StreamDelta d;
    ASSERT_TRUE(decode_builtin_event("ping", "", d));
    EXPECT_TRUE(d.ping);
    EXPECT_FALSE(d.done);
    EXPECT_FALSE(d.failed());
}

TEST(BuiltinProtocol, UnknownEventTypeIsIgnored) {
    StreamDelta d;
    ASSERT_TRUE(decode_builtin_event("metrics", "{whatever", d));
    EXPECT_TRUE(d.content.empty());
    EXPECT_FALSE(d.failed());
}

TEST(BuiltinProtocol, InvalidJsonGivesClearError) {
    StreamDelta d;
    EXPECT_FALSE(decode_builtin_event("message", R"({"content":"abc)", d));
    EXPECT_TRUE(d.failed());
    EXPECT_NE(d.error.find("message"), std::string::npos) << d.error;
    EXPECT_NE(d.error.find("invalid JSON"), std::string::npos) << d.error;
    EXPECT_TRUE(d.content.empty());
}

TEST(BuiltinProtocol, WrongShapesAreErrors) {
    StreamDelta d;
    EXPECT_FALSE(decode_builtin_event("message", R"(["content"])", d));
    EXPECT_NE(d.error.find("object"), std::string::npos) << d.error;
    EXPECT_FALSE(decode_builtin_event("message", R"({"content":42})", d));
    EXPECT_NE(d.error.find("content"), std::string::npos) << d.error;
    EXPECT_FALSE(decode_builtin_event("done", "nope", d));
    EXPECT_FALSE(decode_builtin_event("fail", "", d));
}

TEST(BuiltinProtocol, InvalidUtf8AndNulAreRejected) {
    StreamDelta d;
    EXPECT_FALSE(decode_builtin_event("message", "{\"content\":\"\xC3\x28\"}", d));
    EXPECT_FALSE(decode_builtin_event("message", std::string("{\"content\":\"a\"}\0junk", 19), d));
}

TEST(BuiltinProtocol, OddUsageValuesDoNotCrash) {
    StreamDelta d;
    ASSERT_TRUE(decode_builtin_event("done", R"({"usage":{"prompt_tokens":"12","completion_tokens":1e300}})", d));
    EXPECT_TRUE(d.has_usage);
    EXPECT_EQ(d.usage.prompt_tokens, -1);
    EXPECT_EQ(d.usage.completion_tokens, -1);
    ASSERT_TRUE(decode_builtin_event("done", R"({"usage":null,"finish_reason":7})", d));
    EXPECT_FALSE(d.has_usage);
    EXPECT_TRUE(d.finish_reason.empty());
}

TEST(BuiltinProtocol, ManyEventsReuseTheReader) {
    // A long stream: every event decodes independently (the reused pools must be reset).
    StreamDelta d;
    std::string all;
    for (int i = 0; i < 2000; ++i) {
        std::string data = "{\"content\":\"" + std::to_string(i) + ",\"}";
        ASSERT_TRUE(decode_builtin_event("message", data, d));
        all += d.content;
    }
    EXPECT_EQ(all.substr(0, 10), "0,1,2,3,4,");
    EXPECT_EQ(all.substr(all.size() - 5), "1999,");
    // A large event (beyond the pools' fixed buffers) then a small one.
    std::string big(200000, 'x');
    ASSERT_TRUE(decode_builtin_event("message", "{\"content\":\"" + big + "\"}", d));
    EXPECT_EQ(d.content.size(), big.size());
    ASSERT_TRUE(decode_builtin_event("message", R"({"content":"small"})", d));
    EXPECT_EQ(d.content, "small");
}
