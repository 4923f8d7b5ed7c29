#include "core/plain_sse.h"

#include <gtest/gtest.h>

namespace imchat {

TEST(PlainSse, PromptFillsItsSlotPercentEncoded) {
    EXPECT_EQ(plain_sse_url("/chat/stream?prompt={prompt}", "a b&c=你"),
              "/chat/stream?prompt=a%20b%26c%3D%E4%BD%A0");
    EXPECT_EQ(plain_sse_url("http://h:1/s?q={prompt}&again={prompt}", "x~y"), "http://h:1/s?q=x~y&again=x~y");
}

TEST(PlainSse, TemplateWithoutSlotGetsAQueryParameter) {
    EXPECT_EQ(plain_sse_url("/chat/stream", "hi"), "/chat/stream?prompt=hi");
    EXPECT_EQ(plain_sse_url("/chat/stream?model=m", "hi"), "/chat/stream?model=m&prompt=hi");
    EXPECT_EQ(plain_sse_url("/chat/stream?", "hi"), "/chat/stream?prompt=hi");
    EXPECT_EQ(plain_sse_url("/s#top", "hi"), "/s?prompt=hi#top");
}

TEST(PlainSse, MessagesAreTextDoneEndsOthersAreHeartbeats) {
    StreamDelta d;
    ASSERT_TRUE(decode_plain_sse_event("message", "你好,消息 0\n{\"not\":\"json\"}", d));
    EXPECT_EQ(d.content, "你好,消息 0\n{\"not\":\"json\"}");
    EXPECT_FALSE(d.done);
    ASSERT_TRUE(decode_plain_sse_event("done", "", d));
    EXPECT_TRUE(d.done);
    EXPECT_TRUE(d.content.empty());
    ASSERT_TRUE(decode_plain_sse_event("ping", "{}", d));
    EXPECT_TRUE(d.ping);
    EXPECT_FALSE(d.done);
    EXPECT_TRUE(d.content.empty());
}

}  // namespace imchat
