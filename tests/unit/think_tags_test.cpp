// <think>…</think> at the start of streamed content is moved to reasoning, however the stream
// happens to cut the tags.
#include <gtest/gtest.h>

#include <vector>

#include "core/think_tags.h"

using namespace imchat;

namespace {
struct Split {
    std::string content, reasoning;
};

Split run(const std::vector<std::string_view>& pieces) {
    ThinkTagSplitter s;
    Split out;
    for (std::string_view p : pieces) s.feed(p, out.content, out.reasoning);
    s.finish(out.content, out.reasoning);
    return out;
}

// Feeds text cut at every possible pair of points: the result must never depend on the cuts.
void expect_all_cuts(std::string_view text, std::string_view content, std::string_view reasoning) {
    for (size_t a = 0; a <= text.size(); ++a)
        for (size_t b = a; b <= text.size(); ++b) {
            Split s = run({text.substr(0, a), text.substr(a, b - a), text.substr(b)});
            ASSERT_EQ(s.content, content) << "cuts " << a << "," << b;
            ASSERT_EQ(s.reasoning, reasoning) << "cuts " << a << "," << b;
        }
}
}  // namespace

TEST(ThinkTags, PlainReplyPassesThrough) {
    Split s = run({"Hello", " world"});
    EXPECT_EQ(s.content, "Hello world");
    EXPECT_EQ(s.reasoning, "");
}

TEST(ThinkTags, WholeThinkBlockInOnePiece) {
    Split s = run({"<think>\nLet me see.\n</think>\n\nThe answer is 4."});
    EXPECT_EQ(s.reasoning, "Let me see.\n");
    EXPECT_EQ(s.content, "The answer is 4.");
}

TEST(ThinkTags, TagsSplitAcrossPieces) {
    Split s = run({"<thi", "nk>", "pondering", "</th", "ink>", "Done"});
    EXPECT_EQ(s.reasoning, "pondering");
    EXPECT_EQ(s.content, "Done");
}

TEST(ThinkTags, EveryCutGivesTheSameSplit) {
    expect_all_cuts("  <think>a<b</think>c</think>", "c</think>", "a<b");
    expect_all_cuts("<think></think>x", "x", "");
    expect_all_cuts("no <think>tags</think> here", "no <think>tags</think> here", "");
}

TEST(ThinkTags, LeadingWhitespaceBeforeTagIsAllowed) {
    Split s = run({"\n", "  ", "<think>r</think>c"});
    EXPECT_EQ(s.reasoning, "r");
    EXPECT_EQ(s.content, "c");
}

TEST(ThinkTags, TagLaterInTheReplyIsContent) {
    Split s = run({"Use the ", "<think>", " tag.</think>"});
    EXPECT_EQ(s.content, "Use the <think> tag.</think>");
    EXPECT_EQ(s.reasoning, "");
}

TEST(ThinkTags, SomethingLikeATagIsContent) {
    Split s = run({"<thin", "g>"});
    EXPECT_EQ(s.content, "<thing>");
    s = run({"<"});
    EXPECT_EQ(s.content, "<");
}

TEST(ThinkTags, UnterminatedThinkingStaysReasoning) {
    Split s = run({"<think>still going", " and </thi"});
    EXPECT_EQ(s.reasoning, "still going and </thi");
    EXPECT_EQ(s.content, "");
}

TEST(ThinkTags, HeldBytesComeOutAtTheRightTime) {
    ThinkTagSplitter s;
    std::string content, reasoning;
    s.feed("<think>abc</", content, reasoning);
    EXPECT_EQ(reasoning, "abc");  // "</" is held: it may start the closing tag
    EXPECT_TRUE(s.in_think());
    s.feed("b>", content, reasoning);
    EXPECT_EQ(reasoning, "abc</b>");
    s.feed("</think>ok", content, reasoning);
    EXPECT_FALSE(s.in_think());
    EXPECT_EQ(content, "ok");
}

TEST(ThinkTags, WhitespaceOnlyReplyIsKept) {
    Split s = run({"  ", "\n"});
    EXPECT_EQ(s.content, "  \n");
}

TEST(ThinkTags, ResetStartsOver) {
    ThinkTagSplitter s;
    std::string c, r;
    s.feed("<think>x", c, r);
    s.reset();
    c.clear();
    r.clear();
    s.feed("<think>y</think>z", c, r);
    EXPECT_EQ(r, "y");
    EXPECT_EQ(c, "z");
}

TEST(ThinkTags, Utf8InsideThinking) {
    expect_all_cuts("<think>想一想</think>答案", "答案", "想一想");
}
