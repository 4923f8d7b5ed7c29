// Export to Markdown and JSON, import of our JSON and of the common {"messages":[…]} shape.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "core/conversation_io.h"

using namespace imchat;

namespace {

// A tree with branches, every status, CJK, emoji, control characters, empty messages, figures.
Conversation sample_tree() {
    Conversation c;
    c.id = "c-0f3a";
    c.title = "测试 \"tree\"";
    c.created_ms = 1732000000000;
    c.updated_ms = 1732000099999;
    uint32_t sys = c.add(0, Role::System, "You are terse.");
    uint32_t u1 = c.add(sys, Role::User, "你好 👋\nline2\ttab \x01\x1f and NUL:" + std::string(1, '\0') + ".");
    uint32_t a1 = c.add_reply(u1, "demo-model", 1000.25);
    StreamDelta r;
    r.reasoning = "想一想…";
    c.apply(a1, r, 1100.5);
    StreamDelta t;
    t.content = "こんにちは **world**";
    c.apply(a1, t, 1200.125);
    StreamDelta fin;
    fin.done = true;
    fin.finish_reason = "stop";
    fin.has_usage = true;
    fin.usage.prompt_tokens = 12;
    fin.usage.completion_tokens = 34;
    fin.has_timings = true;
    fin.timings.prompt_ms = 1.5;
    fin.timings.predicted_ms = 0.1 + 0.2;  // not exactly representable: must round-trip exactly
    fin.timings.predicted_per_second = 66.6;
    c.apply(a1, fin, 1300);
    uint32_t a2 = c.add_reply(u1, "other", 2000);  // regenerated: a sibling
    StreamDelta part;
    part.content = "partial";
    c.apply(a2, part, 2100);
    StreamDelta err;
    err.error = "connection lost";
    c.apply(a2, err, 2200);
    c.find(a2)->reply_id = "r-123";
    c.find(a2)->last_event_id = "17";
    uint32_t a3 = c.add_reply(u1, "m", 3000);
    c.set_status(a3, MessageStatus::Failed, 3001, "HTTP 401: Invalid API key");
    uint32_t empty_user = c.add(a1, Role::User, "");
    uint32_t a4 = c.add_reply(empty_user, "m", 4000);
    c.set_status(a4, MessageStatus::Stopped, 4001);
    c.add(empty_user, Role::Assistant, "");  // an empty Done reply
    c.select(a2);  // the active path goes through the interrupted sibling
    return c;
}

}  // namespace

TEST(ConversationIo, JsonRoundTripOfATree) {
    Conversation c = sample_tree();
    std::string json = export_json(c);
    Conversation back;
    std::string error;
    ASSERT_TRUE(import_json(json, back, error)) << error;
    EXPECT_EQ(back, c);
    EXPECT_EQ(back.active_path(), c.active_path());
    EXPECT_EQ(back.find(2)->text, c.find(2)->text);  // NUL and control characters survive
    // And again: export(import(export(c))) is byte-identical.
    EXPECT_EQ(export_json(back), json);
}

TEST(ConversationIo, JsonRoundTripKeepsSelectionOfInactiveBranches) {
    Conversation c = sample_tree();
    // Inside the a1 branch the selected child is the last added; pick the first instead.
    uint32_t empty_user = 6;
    c.set_selected_child(empty_user, 7);
    Conversation back;
    std::string error;
    ASSERT_TRUE(import_json(export_json(c), back, error)) << error;
    EXPECT_EQ(back.selected_child(empty_user), 7u);
    EXPECT_EQ(back, c);
}

TEST(ConversationIo, EmptyConversationRoundTrips) {
    Conversation c;
    Conversation back;
    back.add(0, Role::User, "to be replaced");
    std::string error;
    ASSERT_TRUE(import_json(export_json(c), back, error)) << error;
    EXPECT_TRUE(back.empty());
    EXPECT_EQ(back, c);
}

TEST(ConversationIo, ExportJsonHasFormatAndVersion) {
    std::string json = export_json(sample_tree());
    EXPECT_EQ(json.rfind(R"({"format":"imchat.conversation","version":1,)", 0), 0u) << json.substr(0, 80);
    EXPECT_NE(json.find("\\u0000"), std::string::npos);
    EXPECT_NE(json.find("\\u0001"), std::string::npos);
}

TEST(ConversationIo, MarkdownOfTheActivePath) {
    Conversation c;
    c.title = "Greeting";
    uint32_t u = c.add(0, Role::User, "Hi");
    uint32_t a = c.add(u, Role::Assistant, "Hello!\nHow can I help?");
    c.find(a)->reasoning = "They greet.\n\nGreet back.";
    c.add(u, Role::Assistant, "Another branch");
    c.select(a);
    EXPECT_EQ(export_markdown(c),
              "# Greeting\n\n"
              "## User\n\nHi\n\n"
              "## Assistant\n\n"
              "> **Thinking**\n>\n> They greet.\n>\n> Greet back.\n\n"
              "Hello!\nHow can I help?\n\n");
}

TEST(ConversationIo, MarkdownShowsStatusNotes) {
    Conversation c = sample_tree();  // active: system, user, interrupted reply
    std::string md = export_markdown(c);
    EXPECT_NE(md.find("## System\n\nYou are terse."), std::string::npos) << md;
    EXPECT_NE(md.find("partial\n\n*(interrupted: connection lost)*"), std::string::npos) << md;
    EXPECT_EQ(md.find("こんにちは"), std::string::npos);  // not on the active path
}

TEST(ConversationIo, ImportsOpenAiStyleMessages) {
    Conversation c;
    std::string error;
    ASSERT_TRUE(import_json(R"({"model":"gpt-4o","messages":[
        {"role":"system","content":"Be nice."},
        {"role":"user","content":"What is 2+2?"},
        {"role":"assistant","content":"4","reasoning_content":"Add."},
        {"role":"user","content":[{"type":"text","text":"And"},{"type":"image_url","image_url":{"url":"x"}},{"type":"text","text":"3+3?"}]},
        {"role":"tool","content":"ignored","tool_call_id":"t1"},
        {"role":"assistant","content":null}
    ]})", c, error)) << error;
    ASSERT_EQ(c.size(), 5u);
    std::vector<uint32_t> path = c.active_path();
    ASSERT_EQ(path.size(), 5u);
    EXPECT_EQ(c.find(path[0])->role, Role::System);
    EXPECT_EQ(c.find(path[2])->text, "4");
    EXPECT_EQ(c.find(path[2])->reasoning, "Add.");
    EXPECT_EQ(c.find(path[3])->text, "And\n\n3+3?");
    EXPECT_EQ(c.find(path[4])->text, "");
    EXPECT_EQ(c.title, "What is 2+2?");
}

TEST(ConversationIo, ImportsABareArrayAndDeveloperRole) {
    Conversation c;
    std::string error;
    ASSERT_TRUE(import_json(R"([{"role":"developer","content":"rules"},{"role":"user","content":"hi"}])", c, error)) << error;
    ASSERT_EQ(c.size(), 2u);
    EXPECT_EQ(c.find(1)->role, Role::System);
}

TEST(ConversationIo, ImportsAcceptsIdsThatAreNotDense) {
    Conversation c;
    std::string error;
    ASSERT_TRUE(import_json(R"({"format":"imchat.conversation","version":1,"selected":10,"messages":[
        {"id":10,"parent":0,"role":"user","text":"q","selected":30},
        {"id":20,"parent":10,"role":"assistant","text":"a1"},
        {"id":30,"parent":10,"role":"assistant","text":"a2","status":"stopped"}]})", c, error)) << error;
    EXPECT_EQ(c.active_path(), (std::vector<uint32_t>{1, 3}));
    EXPECT_EQ(c.find(3)->status, MessageStatus::Stopped);
    EXPECT_EQ(c.find(2)->status, MessageStatus::Done);
}

TEST(ConversationIo, MalformedInputGivesClearErrors) {
    struct Case {
        std::string_view json, expected;
    } cases[] = {
        {"", "not valid JSON"},
        {"{\"messages\":[", "not valid JSON"},
        {"42", "not a conversation"},
        {"{}", "expected {\"messages\""},
        {R"({"messages":{}})", "expected {\"messages\""},
        {R"({"messages":[1]})", "messages[0]: must be an object"},
        {R"({"messages":[{"content":"x"}]})", "messages[0]: \"role\" is missing"},
        {R"({"messages":[{"role":"wizard","content":"x"}]})", "unknown role \"wizard\""},
        {R"({"messages":[{"role":"user","content":5}]})", "\"content\" must be a string or an array"},
        {R"({"format":"other","messages":[]})", "unknown format"},
        {R"({"format":"imchat.conversation","version":2,"messages":[]})", "newer imchat"},
        {R"({"format":"imchat.conversation","messages":[]})", "version 0"},
        {R"({"format":"imchat.conversation","version":1})", "\"messages\" must be an array"},
        {R"({"format":"imchat.conversation","version":1,"messages":[{"id":1,"role":"user","text":"a"},{"id":1,"role":"user","text":"b"}]})",
         "messages[1]: id 1 is used twice"},
        {R"({"format":"imchat.conversation","version":1,"messages":[{"id":1,"parent":2,"role":"user","text":"a"},{"id":2,"role":"user"}]})",
         "messages[0]: parent 2 is not an earlier message"},
        {R"({"format":"imchat.conversation","version":1,"messages":[{"id":1,"parent":1,"role":"user"}]})",
         "parent 1 is not an earlier message"},
        {R"({"format":"imchat.conversation","version":1,"messages":[{"id":0,"role":"user"}]})",
         "\"id\" must be a positive integer"},
        {R"({"format":"imchat.conversation","version":1,"messages":[{"id":1,"role":"bot"}]})", "\"role\" must be"},
        {R"({"format":"imchat.conversation","version":1,"messages":[{"id":1,"role":"user","status":"??"}]})", "unknown \"status\""},
        {R"({"format":"imchat.conversation","version":1,"messages":[{"id":1,"role":"user","text":7}]})",
         "messages[0]: \"text\" must be a string, not a number"},
        {R"({"format":"imchat.conversation","version":1,"messages":[{"id":1,"role":"user","figures":{"sent_ms":"x"}}]})",
         "messages[0].figures: \"sent_ms\" must be a number"},
        {R"({"format":"imchat.conversation","version":1,"selected":5,"messages":[{"id":1,"role":"user"}]})",
         "selected message 5"},
        {R"({"format":"imchat.conversation","version":1,"messages":[{"id":1,"role":"user","selected":1}]})",
         "selected message 1"},
    };
    for (const Case& k : cases) {
        Conversation c;
        c.title = "untouched";
        std::string error;
        EXPECT_FALSE(import_json(k.json, c, error)) << k.json;
        EXPECT_NE(error.find(k.expected), std::string::npos) << "input: " << k.json << "\nerror: " << error;
        EXPECT_EQ(c.title, "untouched");
    }
}

TEST(ConversationIo, RejectsHugeInputBeforeParsing) {
    std::string huge(kMaxImportBytes + 1, ' ');
    Conversation c;
    std::string error;
    EXPECT_FALSE(import_json(huge, c, error));
    EXPECT_NE(error.find("too large"), std::string::npos) << error;
}

TEST(ConversationIo, InvalidUtf8IsRejected) {
    Conversation c;
    std::string error;
    EXPECT_FALSE(import_json("{\"messages\":[{\"role\":\"user\",\"content\":\"\xFF\"}]}", c, error));
    EXPECT_NE(error.find("not valid JSON"), std::string::npos) << error;
}

TEST(ConversationIo, DeepBranchingRoundTrips) {
    // A wide and deep tree: every message gets three children on the first levels.
    Conversation c;
    std::vector<uint32_t> level{0};
    for (int depth = 0; depth < 5; ++depth) {
        std::vector<uint32_t> next;
        for (uint32_t parent : level)
            for (int k = 0; k < 3; ++k)
                next.push_back(c.add(parent, depth % 2 ? Role::Assistant : Role::User,
                                     "d" + std::to_string(depth) + "k" + std::to_string(k)));
        level = next;
    }
    c.select(level[level.size() / 2]);
    Conversation back;
    std::string error;
    ASSERT_TRUE(import_json(export_json(c), back, error)) << error;
    EXPECT_EQ(back, c);
    EXPECT_EQ(back.active_path(), c.active_path());
}

TEST(ConversationIo, TruncatedAndCorruptedExportsNeverCrash) {
    std::string json = export_json(sample_tree());
    uint32_t seed = 777;
    auto next = [&seed] { return seed = seed * 1103515245u + 12345u, (seed >> 16) & 0x7fff; };
    for (size_t n = 0; n < json.size(); n += 7) {
        Conversation c;
        std::string error;
        EXPECT_FALSE(import_json(std::string_view(json).substr(0, n), c, error));
        EXPECT_FALSE(error.empty());
    }
    for (int i = 0; i < 500; ++i) {
        std::string m = json;
        m[next() % m.size()] = "{}[]\",:0a-\\"[next() % 11];
        Conversation c;
        std::string error;
        if (!import_json(m, c, error)) EXPECT_FALSE(error.empty());
        else export_json(c);  // whatever was accepted is a consistent conversation
    }
}

// A JSON export written by the build before updated_ms became a date: its updated_ms (2321) is
// the page's clock. Read back, it is a date no earlier than the chat's creation.
TEST(ConversationIo, UpdatedMsOfOlderExportsBecomesADate) {
    std::ifstream file(IMCHAT_FIXTURES "/export-updated-ms-page-clock.json", std::ios::binary);
    ASSERT_TRUE(file) << "fixture missing";
    std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    ASSERT_NE(text.find("\"updated_ms\":2321,"), std::string::npos) << "the fixture is what the old build wrote";
    Conversation c;
    std::string error;
    ASSERT_TRUE(import_json(text, c, error)) << error;
    EXPECT_EQ(c.created_ms, 1796305755320);
    EXPECT_EQ(c.updated_ms, c.created_ms);
    EXPECT_EQ(c.size(), 2u);
    // And what this build writes back is that date.
    EXPECT_NE(export_json(c).find("\"updated_ms\":1796305755320"), std::string::npos);
}

TEST(ConversationIo, UpdatedMsThatIsADateIsKept) {
    Conversation c = sample_tree();
    Conversation back;
    std::string error;
    ASSERT_TRUE(import_json(export_json(c), back, error)) << error;
    EXPECT_EQ(back.updated_ms, 1732000099999);
}
