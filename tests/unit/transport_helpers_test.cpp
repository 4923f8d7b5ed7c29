// The portable helpers behind the transports: URL pieces, Retry-After, media types.
#include <gtest/gtest.h>

#include "net/transport.h"

namespace imchat {
namespace {

constexpr double kNov6_1994_084937 = 784111777.0 * 1000;  // Sun, 06 Nov 1994 08:49:37 GMT

TEST(RetryAfter, DeltaSeconds) {
    EXPECT_EQ(parse_retry_after("2", 0), 2);
    EXPECT_EQ(parse_retry_after(" 120 ", 0), 120);
    EXPECT_EQ(parse_retry_after("0", 0), 0);
    EXPECT_EQ(parse_retry_after("99999999999999", 0), 999999999);
}

TEST(RetryAfter, HttpDate) {
    EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:50:37 GMT", kNov6_1994_084937), 60);
    EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", kNov6_1994_084937), 0);
    EXPECT_EQ(parse_retry_after("Sat, 05 Nov 1994 08:49:37 GMT", kNov6_1994_084937), 0) << "past dates: now";
    EXPECT_EQ(parse_retry_after("Thu, 01 Jan 1970 00:00:10 GMT", 0), 10);
    EXPECT_EQ(parse_retry_after("Tue, 01 Mar 2000 00:00:00 GMT", 951868800.0 * 1000 - 5000), 5) << "after 29 Feb 2000";
}

TEST(RetryAfter, Unreadable) {
    EXPECT_EQ(parse_retry_after("", 0), -1);
    EXPECT_EQ(parse_retry_after("soon", 0), -1);
    EXPECT_EQ(parse_retry_after("-5", 0), -1);
    EXPECT_EQ(parse_retry_after("Sun, 06 Foo 1994 08:49:37 GMT", 0), -1);
    EXPECT_EQ(parse_retry_after("Sun, 06 Nov 1994 08:49:37 PST", 0), -1);
}

TEST(Url, Origin) {
    EXPECT_EQ(url_origin("http://127.0.0.1:8000/api/chat"), "http://127.0.0.1:8000");
    EXPECT_EQ(url_origin("HTTPS://Example.test?q"), "https://Example.test");
    EXPECT_EQ(url_origin("https://h#x"), "https://h");
    EXPECT_EQ(url_origin("/api/chat"), "");
    EXPECT_EQ(url_origin("ftp://h/"), "");
    EXPECT_EQ(url_origin("http:///path"), "");
}

TEST(Url, Usable) {
    EXPECT_TRUE(url_is_usable("/api/chat"));
    EXPECT_TRUE(url_is_usable("http://127.0.0.1:1/v1"));
    EXPECT_FALSE(url_is_usable("//host/path")) << "scheme-relative: not what a user means";
    EXPECT_FALSE(url_is_usable("not a url"));
    EXPECT_FALSE(url_is_usable("http://h/a b"));
    EXPECT_FALSE(url_is_usable(""));
    EXPECT_FALSE(url_is_usable("javascript:alert(1)"));
}

TEST(Url, WithQuery) {
    EXPECT_EQ(url_with_query("/api/chat/x/stream", "last_event_id", "42"), "/api/chat/x/stream?last_event_id=42");
    EXPECT_EQ(url_with_query("http://h/p?a=1#frag", "k", "a b&c"), "http://h/p?a=1&k=a%20b%26c#frag");
    EXPECT_EQ(url_with_query("/p", "k", "\xC3\xA9"), "/p?k=%C3%A9");
}

TEST(MediaType, LowerCaseWithoutParameters) {
    EXPECT_EQ(media_type("text/event-stream"), "text/event-stream");
    EXPECT_EQ(media_type(" Text/Event-Stream ; charset=utf-8"), "text/event-stream");
    EXPECT_EQ(media_type(""), "");
}

}  // namespace
}  // namespace imchat
