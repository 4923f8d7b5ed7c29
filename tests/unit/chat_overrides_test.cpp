// A chat's own settings: their JSON (export, meta record), the saver, and the records written
// before chats had them. How they merge with the global settings: app_settings_test.cpp.
#include <gtest/gtest.h>

#include "app/app_settings.h"
#include "app/conversation_saver.h"
#include "core/conversation_io.h"
#include "core/history_records.h"

using namespace imchat;

namespace {

ChatOverrides every_override() {
    ChatOverrides o;
    o.model = "chat-model";
    o.system_prompt = "Answer in French.";
    o.temperature = 1.25;
    o.top_p = 0.5;
    o.max_tokens = 64;
    o.context_length = 2048;
    return o;
}

Conversation with_overrides_and_a_turn(const ChatOverrides& o) {
    Conversation c;
    c.id = "conv-o";
    c.title = "per chat";
    uint32_t u = c.add(0, Role::User, "hi");
    c.add(u, Role::Assistant, "salut");
    c.set_overrides(o);
    return c;
}

}  // namespace

TEST(ChatOverrides, ExportRoundTripKeepsThemAndNeverAKey) {
    Conversation c = with_overrides_and_a_turn(every_override());
    std::string json = export_json(c);
    EXPECT_NE(json.find("\"overrides\":{\"model\":\"chat-model\""), std::string::npos) << json;
    EXPECT_EQ(json.find("api_key"), std::string::npos);
    EXPECT_EQ(json.find("sk-"), std::string::npos);
    Conversation back;
    std::string error;
    ASSERT_TRUE(import_json(json, back, error)) << error;
    EXPECT_EQ(back.overrides(), every_override());
    EXPECT_TRUE(back == c);
}

TEST(ChatOverrides, OnlyTheSetFieldsAreWritten) {
    ChatOverrides o;
    o.max_tokens = 100;
    Conversation c = with_overrides_and_a_turn(o);
    std::string json = export_json(c);
    EXPECT_NE(json.find("\"overrides\":{\"max_tokens\":100}"), std::string::npos) << json;
    // None set: no member at all, as files written before overrides existed.
    EXPECT_EQ(export_json(with_overrides_and_a_turn({})).find("overrides"), std::string::npos);
}

TEST(ChatOverrides, BadValuesAreSkippedWithoutLosingTheConversation) {
    std::string json = R"({"format":"imchat.conversation","version":1,"id":"x","title":"t",
        "overrides":{"model":7,"temperature":9,"top_p":0.25,"max_tokens":-3,"context_length":"big",
                     "system_prompt":null},
        "messages":[{"id":1,"parent":0,"role":"user","text":"q"}]})";
    Conversation c;
    std::string error;
    ASSERT_TRUE(import_json(json, c, error)) << error;
    EXPECT_EQ(c.size(), 1u);
    ChatOverrides expected;
    expected.top_p = 0.25;
    EXPECT_EQ(c.overrides(), expected);

    json::JsonReader r;
    ASSERT_TRUE(r.parse(R"({"model":7,"temperature":9,"top_p":0.25,"max_tokens":-3})"));
    ChatOverrides o;
    std::string skipped;
    read_overrides_json(&r.root(), o, &skipped);
    EXPECT_EQ(skipped, "model, temperature, max_tokens");
    ASSERT_TRUE(r.parse("[1,2]"));
    read_overrides_json(&r.root(), o, &skipped);
    EXPECT_FALSE(o.any());
}

TEST(ChatOverrides, MetaRecordCarriesThemThroughTheStore) {
    Conversation c = with_overrides_and_a_turn(every_override());
    std::string meta = meta_record_json(summary_of(c, 1, 2));
    EXPECT_EQ(meta.find("api_key"), std::string::npos);
    std::string stored = "{\"meta\":" + meta + ",\"messages\":[" + message_record_json(*c.find(1)) + "," +
                         message_record_json(*c.find(2)) + "]}";
    Conversation back;
    bool renumbered = true;
    std::string error;
    ASSERT_TRUE(assemble_conversation(stored, "conv-o", back, renumbered, error)) << error;
    EXPECT_EQ(back.overrides(), every_override());
}

TEST(ChatOverrides, RecordsWrittenBeforeOverridesStillLoad) {
    // A meta record and a message record exactly as the previous version wrote them.
    std::string stored = R"({"meta":{"id":"old","title":"Old chat","created_ms":1,"updated_ms":2,
        "message_count":2,"preview":"hello","selected":[[0,1],[1,2]]},
        "messages":[{"id":1,"parent":0,"role":"user","status":"done","text":"hi"},
                    {"id":2,"parent":1,"role":"assistant","status":"done","text":"hello","model":"imchat-demo"}]})";
    Conversation c;
    bool renumbered = true;
    std::string error;
    ASSERT_TRUE(assemble_conversation(stored, "old", c, renumbered, error)) << error;
    EXPECT_FALSE(renumbered);
    EXPECT_EQ(c.size(), 2u);
    EXPECT_FALSE(c.overrides().any());
    EXPECT_EQ(with_overrides(AppSettings(), c.overrides()).session.model, AppSettings().session.model);
}

TEST(ChatOverrides, AnotherTabsOverridesAreMergedIn) {
    Conversation mine = with_overrides_and_a_turn({});
    Conversation theirs = with_overrides_and_a_turn(every_override());
    EXPECT_TRUE(merge_stored(mine, theirs, 0));
    EXPECT_EQ(mine.overrides(), every_override());
    EXPECT_FALSE(merge_stored(mine, theirs, 0));
}

TEST(ChatOverrides, ChangingThemWritesTheMetaRecordOnly) {
    struct Sink : HistorySink {
        std::vector<Write> writes;
        void write(Write batch) override { writes.push_back(std::move(batch)); }
        void set_timeout(double, std::function<void()>) override {}
        double now_ms() override { return 0; }
        double wall_ms() override { return 1.7e12; }
    } sink;
    ConversationSaver saver(sink);
    Conversation c = with_overrides_and_a_turn({});
    saver.note_changed(c, 0);
    size_t before = sink.writes.size();
    ChatOverrides o;
    o.model = "chat-model";
    c.set_overrides(o);
    saver.note_changed(c, 1);
    ASSERT_EQ(sink.writes.size(), before + 1);
    EXPECT_TRUE(sink.writes.back().messages.empty());
    ConversationSummary meta;
    std::string error;
    ASSERT_TRUE(parse_meta_record(sink.writes.back().meta, meta, error)) << error;
    EXPECT_EQ(meta.overrides.model, "chat-model");
    c.set_overrides(o);  // the same again: nothing to write
    saver.note_changed(c, 2);
    EXPECT_EQ(sink.writes.size(), before + 1);
}
