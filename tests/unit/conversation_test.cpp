// The conversation tree: branches, selection, the active path, and how stream deltas change a
// reply (status, text, figures).
#include <gtest/gtest.h>

#include "core/conversation.h"

using namespace imchat;

namespace {
StreamDelta content(std::string s) {
    StreamDelta d;
    d.content = std::move(s);
    return d;
}
StreamDelta reasoning(std::string s) {
    StreamDelta d;
    d.reasoning = std::move(s);
    return d;
}
}  // namespace

TEST(Conversation, AddBuildsAChain) {
    Conversation c;
    EXPECT_TRUE(c.empty());
    EXPECT_EQ(c.leaf(), 0u);
    uint32_t u = c.add(0, Role::User, "hi");
    uint32_t a = c.add(u, Role::Assistant, "hello");
    EXPECT_EQ(u, 1u);
    EXPECT_EQ(a, 2u);
    EXPECT_EQ(c.find(a)->parent, u);
    EXPECT_EQ(c.find(a)->text, "hello");
    EXPECT_EQ(c.active_path(), (std::vector<uint32_t>{u, a}));
    EXPECT_EQ(c.leaf(), a);
    EXPECT_EQ(c.children(0), std::vector<uint32_t>{u});
    EXPECT_EQ(c.selected_child(u), a);
    EXPECT_EQ(c.size(), 2u);
}

TEST(Conversation, UnknownIdsAreHarmless) {
    Conversation c;
    EXPECT_EQ(c.add(5, Role::User, "x"), 0u);
    EXPECT_EQ(c.find(0), nullptr);
    EXPECT_EQ(c.find(1), nullptr);
    c.apply(7, content("x"), 1);
    c.select(9);
    c.touch(9);
    c.set_status(9, MessageStatus::Done, 0);
    c.reset_reply(9, 0);
    c.set_selected_child(9, 1);
    EXPECT_EQ(c.sibling_position(3), std::make_pair(0, 0));
    EXPECT_EQ(c.sibling(3, 1), 0u);
    EXPECT_TRUE(c.children(42).empty());
    EXPECT_EQ(c.selected_child(42), 0u);
    EXPECT_TRUE(c.empty());
}

TEST(Conversation, SiblingsAndSelection) {
    Conversation c;
    uint32_t u = c.add(0, Role::User, "q");
    uint32_t a1 = c.add(u, Role::Assistant, "first");
    uint32_t f1 = c.add(a1, Role::User, "follow-up");
    uint32_t a2 = c.add(u, Role::Assistant, "second");  // regenerate: a sibling, now selected
    EXPECT_EQ(c.active_path(), (std::vector<uint32_t>{u, a2}));
    EXPECT_EQ(c.children(u), (std::vector<uint32_t>{a1, a2}));
    EXPECT_EQ(c.sibling_position(a1), std::make_pair(1, 2));
    EXPECT_EQ(c.sibling_position(a2), std::make_pair(2, 2));
    EXPECT_EQ(c.sibling(a2, -1), a1);
    EXPECT_EQ(c.sibling(a1, 1), a2);
    EXPECT_EQ(c.sibling(a1, -1), 0u);
    EXPECT_EQ(c.sibling(a2, 1), 0u);
    c.select(a1);
    // The old branch comes back with its own selected child below it.
    EXPECT_EQ(c.active_path(), (std::vector<uint32_t>{u, a1, f1}));
    c.select(f1);
    EXPECT_EQ(c.leaf(), f1);
}

TEST(Conversation, SelectingDeepMessageSelectsItsAncestors) {
    Conversation c;
    uint32_t r1 = c.add(0, Role::User, "v1");
    uint32_t a = c.add(r1, Role::Assistant, "a");
    uint32_t deep = c.add(a, Role::User, "deep");
    uint32_t r2 = c.add(0, Role::User, "v2");  // edited first prompt
    EXPECT_EQ(c.active_path(), std::vector<uint32_t>{r2});
    EXPECT_EQ(c.sibling_position(r2), std::make_pair(2, 2));
    c.select(deep);
    EXPECT_EQ(c.active_path(), (std::vector<uint32_t>{r1, a, deep}));
}

TEST(Conversation, SetSelectedChildOnlyAcceptsChildren) {
    Conversation c;
    uint32_t u = c.add(0, Role::User, "q");
    uint32_t a1 = c.add(u, Role::Assistant, "1");
    uint32_t a2 = c.add(u, Role::Assistant, "2");
    c.set_selected_child(u, a1);
    EXPECT_EQ(c.selected_child(u), a1);
    c.set_selected_child(u, u);  // not a child: ignored
    EXPECT_EQ(c.selected_child(u), a1);
    c.set_selected_child(0, a2);  // not a root: ignored
    EXPECT_EQ(c.selected_child(0), u);
}

TEST(Conversation, RevisionsBumpOnEveryChange) {
    Conversation c;
    uint64_t r0 = c.revision();
    uint32_t u = c.add(0, Role::User, "q");
    EXPECT_GT(c.revision(), r0);
    uint32_t a = c.add_reply(u, "model", 10);
    uint64_t msg_rev = c.find(a)->revision;
    uint64_t conv_rev = c.revision();
    c.apply(a, content("x"), 11);
    EXPECT_GT(c.find(a)->revision, msg_rev);
    EXPECT_GT(c.revision(), conv_rev);
    msg_rev = c.find(a)->revision;
    StreamDelta ping;
    ping.ping = true;
    c.apply(a, ping, 12);
    EXPECT_EQ(c.find(a)->revision, msg_rev);  // a ping changes nothing
    c.find(a)->text += "!";
    c.touch(a);
    EXPECT_GT(c.find(a)->revision, msg_rev);
    conv_rev = c.revision();
    c.add(u, Role::Assistant, "other");
    c.select(a);
    EXPECT_GT(c.revision(), conv_rev + 1);
}

TEST(Conversation, AddReplyWaitsWithSentTime) {
    Conversation c;
    uint32_t u = c.add(0, Role::User, "q");
    uint32_t a = c.add_reply(u, "gpt-x", 1000);
    const Message& m = *c.find(a);
    EXPECT_EQ(m.role, Role::Assistant);
    EXPECT_EQ(m.status, MessageStatus::Waiting);
    EXPECT_EQ(m.model, "gpt-x");
    EXPECT_EQ(m.figures.sent_ms, 1000);
    EXPECT_EQ(m.figures.first_token_ms, 0);
}

TEST(Conversation, FirstDeltaStartsStreaming) {
    Conversation c;
    uint32_t a = c.add_reply(c.add(0, Role::User, "q"), "m", 1000);
    c.apply(a, content("Hel"), 1250);
    const Message* m = c.find(a);
    EXPECT_EQ(m->status, MessageStatus::Streaming);
    EXPECT_EQ(m->figures.first_token_ms, 1250);
    c.apply(a, content("lo"), 1300);
    EXPECT_EQ(m->text, "Hello");
    EXPECT_EQ(m->figures.first_token_ms, 1250);
    EXPECT_EQ(m->figures.counted_tokens, 2);
    EXPECT_EQ(c.updated_ms, 0) << "now_ms is the reply's clock, not a date: the app stamps updated_ms";
}

TEST(Conversation, EmptyDeltaDoesNotStartStreaming) {
    Conversation c;
    uint32_t a = c.add_reply(c.add(0, Role::User, "q"), "m", 0);
    c.apply(a, StreamDelta(), 5);
    EXPECT_EQ(c.find(a)->status, MessageStatus::Waiting);
    EXPECT_EQ(c.find(a)->figures.counted_tokens, 0);
}

TEST(Conversation, ThinkingTimes) {
    Conversation c;
    uint32_t a = c.add_reply(c.add(0, Role::User, "q"), "m", 100);
    c.apply(a, reasoning("Let me"), 200);
    c.apply(a, reasoning(" think"), 300);
    const Message* m = c.find(a);
    EXPECT_EQ(m->status, MessageStatus::Streaming);
    EXPECT_EQ(m->reasoning, "Let me think");
    EXPECT_EQ(m->figures.first_token_ms, 200);
    EXPECT_EQ(m->figures.thinking_started_ms, 200);
    EXPECT_EQ(m->figures.thinking_ended_ms, 0);
    c.apply(a, content("Answer"), 900);
    EXPECT_EQ(m->figures.thinking_ended_ms, 900);
    EXPECT_EQ(m->figures.first_token_ms, 200);
    EXPECT_EQ(m->figures.counted_tokens, 3);
}

TEST(Conversation, ThinkingEndsAtFinishWhenNoContentCame) {
    Conversation c;
    uint32_t a = c.add_reply(c.add(0, Role::User, "q"), "m", 100);
    c.apply(a, reasoning("hmm"), 200);
    StreamDelta done;
    done.done = true;
    c.apply(a, done, 700);
    EXPECT_EQ(c.find(a)->figures.thinking_ended_ms, 700);
}

TEST(Conversation, DoneWithUsageAndFinishReason) {
    Conversation c;
    uint32_t a = c.add_reply(c.add(0, Role::User, "q"), "m", 0);
    c.apply(a, content("x"), 10);
    StreamDelta fin;
    fin.finish_reason = "length";
    c.apply(a, fin, 20);
    EXPECT_EQ(c.find(a)->status, MessageStatus::Streaming);
    StreamDelta usage;
    usage.has_usage = true;
    usage.usage.prompt_tokens = 5;
    usage.usage.completion_tokens = 1;
    usage.has_timings = true;
    usage.timings.predicted_per_second = 33;
    c.apply(a, usage, 30);
    StreamDelta done;
    done.done = true;
    c.apply(a, done, 40);
    const Message* m = c.find(a);
    EXPECT_EQ(m->status, MessageStatus::Done);
    EXPECT_EQ(m->finish_reason, "length");
    EXPECT_EQ(m->figures.usage.prompt_tokens, 5);
    EXPECT_EQ(m->figures.usage.completion_tokens, 1);
    EXPECT_TRUE(m->figures.has_timings);
    EXPECT_EQ(m->figures.timings.predicted_per_second, 33);
    EXPECT_EQ(m->figures.finished_ms, 40);
}

TEST(Conversation, PartialUsageKeepsEarlierFigures) {
    Conversation c;
    uint32_t a = c.add_reply(c.add(0, Role::User, "q"), "m", 0);
    StreamDelta u1;
    u1.has_usage = true;
    u1.usage.prompt_tokens = 9;
    c.apply(a, u1, 1);
    StreamDelta u2;
    u2.has_usage = true;
    u2.usage.completion_tokens = 4;
    c.apply(a, u2, 2);
    EXPECT_EQ(c.find(a)->figures.usage.prompt_tokens, 9);
    EXPECT_EQ(c.find(a)->figures.usage.completion_tokens, 4);
}

TEST(Conversation, ServerConfirmedStop) {
    Conversation c;
    uint32_t a = c.add_reply(c.add(0, Role::User, "q"), "m", 0);
    c.apply(a, content("partial"), 1);
    StreamDelta done;
    done.done = true;
    done.stopped = true;
    c.apply(a, done, 2);
    EXPECT_EQ(c.find(a)->status, MessageStatus::Stopped);
    EXPECT_EQ(c.find(a)->text, "partial");
}

TEST(Conversation, ErrorBeforeTextFails) {
    Conversation c;
    uint32_t a = c.add_reply(c.add(0, Role::User, "q"), "m", 0);
    StreamDelta e;
    e.error = "model overloaded";
    c.apply(a, e, 5);
    EXPECT_EQ(c.find(a)->status, MessageStatus::Failed);
    EXPECT_EQ(c.find(a)->error, "model overloaded");
    EXPECT_EQ(c.find(a)->figures.finished_ms, 5);
}

TEST(Conversation, ErrorAfterTextInterrupts) {
    Conversation c;
    uint32_t a = c.add_reply(c.add(0, Role::User, "q"), "m", 0);
    c.apply(a, content("half an ans"), 1);
    StreamDelta e;
    e.error = "connection lost";
    c.apply(a, e, 2);
    EXPECT_EQ(c.find(a)->status, MessageStatus::Interrupted);
    EXPECT_EQ(c.find(a)->text, "half an ans");
    EXPECT_EQ(c.find(a)->error, "connection lost");
}

TEST(Conversation, ErrorAfterOnlyReasoningInterrupts) {
    Conversation c;
    uint32_t a = c.add_reply(c.add(0, Role::User, "q"), "m", 0);
    c.apply(a, reasoning("thinking"), 1);
    StreamDelta e;
    e.error = "gone";
    c.apply(a, e, 2);
    EXPECT_EQ(c.find(a)->status, MessageStatus::Interrupted);
}

TEST(Conversation, SetStatusAndResetReply) {
    Conversation c;
    uint32_t a = c.add_reply(c.add(0, Role::User, "q"), "m", 0);
    c.apply(a, reasoning("r"), 1);
    c.apply(a, content("t"), 2);
    c.set_status(a, MessageStatus::Stopped, 3);
    EXPECT_EQ(c.find(a)->status, MessageStatus::Stopped);
    EXPECT_EQ(c.find(a)->figures.finished_ms, 3);
    c.set_status(a, MessageStatus::Interrupted, 4, "stalled");
    EXPECT_EQ(c.find(a)->error, "stalled");
    c.find(a)->reply_id = "r1";
    c.reset_reply(a, 50);
    const Message* m = c.find(a);
    EXPECT_EQ(m->status, MessageStatus::Waiting);
    EXPECT_TRUE(m->text.empty());
    EXPECT_TRUE(m->reasoning.empty());
    EXPECT_TRUE(m->error.empty());
    EXPECT_TRUE(m->reply_id.empty());
    EXPECT_EQ(m->figures.sent_ms, 50);
    EXPECT_EQ(m->figures.counted_tokens, 0);
    EXPECT_EQ(m->model, "m");
    EXPECT_EQ(c.leaf(), a);
}

TEST(Conversation, LongStreamAppendsInPlace) {
    // 100k deltas: appending must not copy the whole message each time (this would take
    // seconds if it did); also checks the text is exact.
    Conversation c;
    uint32_t a = c.add_reply(c.add(0, Role::User, "q"), "m", 0);
    for (int i = 0; i < 100000; ++i) c.apply(a, content("abcd"), i);
    EXPECT_EQ(c.find(a)->text.size(), 400000u);
    EXPECT_EQ(c.find(a)->figures.counted_tokens, 100000);
}

TEST(Conversation, EqualityIgnoresRevisionsButNotSelection) {
    Conversation a, b;
    for (Conversation* c : {&a, &b}) {
        uint32_t u = c->add(0, Role::User, "q");
        c->add(u, Role::Assistant, "1");
        c->add(u, Role::Assistant, "2");
    }
    a.touch(2);
    EXPECT_EQ(a, b);
    b.select(2);
    EXPECT_FALSE(a == b);
}

TEST(Conversation, NamesRoundTrip) {
    for (Role r : {Role::System, Role::User, Role::Assistant}) {
        Role back;
        ASSERT_TRUE(role_from_name(role_name(r), back));
        EXPECT_EQ(back, r);
    }
    for (int i = 0; i < 6; ++i) {
        MessageStatus s = static_cast<MessageStatus>(i), back;
        ASSERT_TRUE(status_from_name(status_name(s), back));
        EXPECT_EQ(back, s);
    }
    Role r;
    EXPECT_FALSE(role_from_name("tool", r)) << "tool results are sent, not stored as messages";
    EXPECT_STREQ(role_name(Role::Tool), "tool");
}

TEST(TitleFromPrompt, ShortPromptIsKept) {
    EXPECT_EQ(title_from_prompt("  Hello there  "), "Hello there");
}

TEST(TitleFromPrompt, FirstNonEmptyLine) {
    EXPECT_EQ(title_from_prompt("\n\n  \nExplain SSE\nin detail please"), "Explain SSE");
}

TEST(TitleFromPrompt, LongLineIsCutOnAWordWithEllipsis) {
    std::string t = title_from_prompt("Write a detailed comparison of server-sent events and websockets for chat apps");
    EXPECT_EQ(t, "Write a detailed comparison of server-sent\xE2\x80\xA6");
}

TEST(TitleFromPrompt, CjkIsCutOnACharacterBoundary) {
    std::string prompt;
    for (int i = 0; i < 60; ++i) prompt += "字";
    std::string t = title_from_prompt(prompt);
    std::string expected;
    for (int i = 0; i < 48; ++i) expected += "字";
    EXPECT_EQ(t, expected + "\xE2\x80\xA6");
}

TEST(TitleFromPrompt, EmptyAndWhitespace) {
    EXPECT_EQ(title_from_prompt(""), "");
    EXPECT_EQ(title_from_prompt(" \n\t\n"), "");
}

TEST(TitleFromPrompt, TruncatedUtf8DoesNotOverrun) {
    std::string t = title_from_prompt("abc\xE4\xBD");  // a cut-off character at the end
    EXPECT_LE(t.size(), 5u);
}
