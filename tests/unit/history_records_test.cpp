// History records: one JSON record per message plus a meta record per conversation, rebuilt into
// the same conversation; tolerance for records that disagree; merging another tab's records.
#include <gtest/gtest.h>

#include "core/conversation_io.h"
#include "core/history_records.h"
#include "core/json_util.h"

using namespace imchat;

namespace {

// A conversation with a branch (regenerated reply), a reasoning reply with figures, an
// interrupted streaming reply with resume data, CJK and control characters.
Conversation branched() {
    Conversation c;
    c.id = "conv-1";
    c.title = "历史 \"test\"";
    c.created_ms = 1732000000000;
    c.updated_ms = 1732000005000;
    uint32_t u1 = c.add(0, Role::User, "你好\nsecond line\t\x01");
    uint32_t a1 = c.add_reply(u1, "demo", 100);
    StreamDelta d;
    d.reasoning = "thinking…";
    c.apply(a1, d, 110);
    d = {};
    d.content = "answer **one**";
    c.apply(a1, d, 120);
    d = {};
    d.done = true;
    d.has_usage = true;
    d.usage.completion_tokens = 7;
    c.apply(a1, d, 130);
    uint32_t a2 = c.add_reply(u1, "demo", 200);  // a sibling; the active path goes through it
    d = {};
    d.content = "partial";
    c.apply(a2, d, 210);
    c.find(a2)->reply_id = "r-9";
    c.find(a2)->last_event_id = "42";
    c.touch(a2);
    uint32_t u2 = c.add(a2, Role::User, "more");
    c.add_reply(u2, "demo", 300);
    return c;
}

// {"meta":…,"messages":[records…]} as the store hands it back (records in any order).
std::string stored_form(const Conversation& c, const std::vector<uint32_t>& order = {}) {
    std::string out = "{\"meta\":" + meta_record_json(summary_of(c, c.created_ms, c.updated_ms)) + ",\"messages\":[";
    std::vector<uint32_t> ids = order;
    if (ids.empty())
        for (const Message& m : c.messages()) ids.push_back(m.id);
    for (size_t i = 0; i < ids.size(); ++i) {
        if (i) out += ',';
        out += message_record_json(*c.find(ids[i]));
    }
    return out + "]}";
}

}  // namespace

TEST(HistoryRecords, MessageRecordIsTheExportMessageWithoutSelection) {
    // The records reuse export_json's message shape so they rebuild through import_json: if
    // either side gains a field, this fails until both agree.
    Conversation c = branched();
    json::JsonReader exported;
    ASSERT_TRUE(exported.parse(export_json(c)));
    const json::Value& list = *json::member(exported.root(), "messages");
    ASSERT_EQ(list.Size(), c.size());
    for (const Message& m : c.messages()) {
        json::Value expected;
        rapidjson::Document doc;
        expected.CopyFrom(list[m.id - 1], doc.GetAllocator());
        expected.RemoveMember("selected");
        rapidjson::Document record;
        std::string text = message_record_json(m);
        record.Parse(text.c_str(), text.size());
        ASSERT_FALSE(record.HasParseError());
        EXPECT_TRUE(record == expected) << "message " << m.id << ": " << text;
    }
}

TEST(HistoryRecords, ConversationRebuildsFromItsRecords) {
    Conversation c = branched();
    Conversation back;
    bool renumbered = true;
    std::string error;
    // Records arrive in key order from IndexedDB, but the order must not matter.
    ASSERT_TRUE(assemble_conversation(stored_form(c, {5, 3, 1, 4, 2}), "conv-1", back, renumbered, error)) << error;
    EXPECT_FALSE(renumbered);
    EXPECT_TRUE(back == c);
    EXPECT_EQ(back.active_path(), c.active_path());
    const Message& partial = *back.find(3);
    EXPECT_EQ(partial.status, MessageStatus::Streaming);
    EXPECT_EQ(partial.reply_id, "r-9");
    EXPECT_EQ(partial.last_event_id, "42");
    EXPECT_EQ(back.find(5)->status, MessageStatus::Waiting);
}

// A chat stored (or imported into the store) by a build that stamped updated_ms with the page's
// clock (ms since load, here 2321): rebuilt, it reads as a date, its creation date.
TEST(HistoryRecords, AStoredPageClockUpdatedMsReadsAsADate) {
    Conversation c = branched();
    c.updated_ms = 2321;
    std::string stored = stored_form(c);
    ASSERT_NE(stored.find("\"updated_ms\":2321"), std::string::npos) << "the record holds the old value";
    Conversation back;
    bool renumbered;
    std::string error;
    ASSERT_TRUE(assemble_conversation(stored, "conv-1", back, renumbered, error)) << error;
    EXPECT_EQ(back.updated_ms, c.created_ms);
    EXPECT_EQ(back.created_ms, 1732000000000);
}

TEST(HistoryRecords, TimesSurviveTheRebuildBitForBit) {
    // Found in the browser: a parse without full precision turned 9075.199999999255 into
    // ...257, so another tab's merge saw a difference that never went away.
    Conversation c = branched();
    c.find(2)->figures.finished_ms = 9075.199999999255;
    c.find(2)->figures.first_token_ms = 0.1 + 0.2;
    Conversation back;
    bool renumbered;
    std::string error;
    ASSERT_TRUE(assemble_conversation(stored_form(c), "conv-1", back, renumbered, error)) << error;
    EXPECT_EQ(back.find(2)->figures.finished_ms, 9075.199999999255);
    EXPECT_EQ(back.find(2)->figures.first_token_ms, 0.1 + 0.2);
    EXPECT_TRUE(back == c);
}

TEST(HistoryRecords, MetaRecordRoundTrip) {
    Conversation c = branched();
    ConversationSummary s = summary_of(c, 11, 22);
    EXPECT_EQ(s.message_count, 5u);
    EXPECT_EQ(s.preview, "");  // the leaf is the empty waiting reply
    c.select(2);
    s = summary_of(c, 11, 22);
    EXPECT_EQ(s.preview, "answer **one**");
    ConversationSummary back;
    std::string error;
    ASSERT_TRUE(parse_meta_record(meta_record_json(s), back, error)) << error;
    EXPECT_EQ(back.id, "conv-1");
    EXPECT_EQ(back.title, c.title);
    EXPECT_EQ(back.created_ms, 11);
    EXPECT_EQ(back.updated_ms, 22);
    EXPECT_EQ(back.message_count, 5u);
    EXPECT_EQ(back.selected, s.selected);
    EXPECT_FALSE(parse_meta_record("{\"title\":\"no id\"}", back, error));
    EXPECT_FALSE(parse_meta_record("[", back, error));
}

TEST(HistoryRecords, PreviewIsOneLineAndCutOnACodePoint) {
    Conversation c;
    c.id = "x";
    std::string text = "  first\n\n  second\t";
    for (int i = 0; i < 100; ++i) text += "汉";  // 3 bytes each: the 160-byte cut lands mid-character
    c.add(0, Role::User, text);
    std::string preview = summary_of(c, 0, 0).preview;
    EXPECT_EQ(preview.rfind("first second ", 0), 0u) << preview;
    EXPECT_LE(preview.size(), 160u);
    // Whole characters only: the part after the ASCII prefix is a multiple of 3 bytes.
    EXPECT_EQ((preview.size() - std::string("first second ").size()) % 3, 0u);
}

TEST(HistoryRecords, ListIsNewestFirstAndSkipsBadEntries) {
    int skipped = 0;
    auto list = parse_meta_list(
        R"([{"id":"a","title":"A","updated_ms":5},{"title":"no id"},7,)"
        R"({"id":"b","title":"B","updated_ms":9,"message_count":3,"selected":[[0,1],"bad",[1,1],[1,2]]}])",
        &skipped);
    ASSERT_EQ(list.size(), 2u);
    EXPECT_EQ(list[0].id, "b");
    EXPECT_EQ(list[0].message_count, 3u);
    // [1,1] is no parent/child pair (a child's id is larger); "bad" is not a pair.
    EXPECT_EQ(list[0].selected, (std::vector<std::pair<uint32_t, uint32_t>>{{0, 1}, {1, 2}}));
    EXPECT_EQ(list[1].id, "a");
    EXPECT_EQ(skipped, 2);
    EXPECT_TRUE(parse_meta_list("not json", &skipped).empty());
    EXPECT_EQ(skipped, 1);
}

TEST(HistoryRecords, MissingParentDropsTheBranchAndRenumbers) {
    // Record 3 (the streaming sibling) never reached the store: its child 4 and grandchild 5
    // cannot be placed, and the meta's selection of 3 is unusable.
    Conversation c = branched();
    Conversation back;
    bool renumbered = false;
    std::string error;
    ASSERT_TRUE(assemble_conversation(stored_form(c, {1, 2, 4, 5}), "conv-1", back, renumbered, error)) << error;
    EXPECT_TRUE(renumbered);
    ASSERT_EQ(back.size(), 2u);
    EXPECT_EQ(back.active_path(), (std::vector<uint32_t>{1, 2}));  // the newest usable child
    EXPECT_EQ(back.find(2)->text, "answer **one**");
}

TEST(HistoryRecords, MetaNamingAMissingChildFallsBackToTheNewest) {
    // Another tab wrote its meta (selecting its new message 6) before the record of 6 arrived.
    Conversation c = branched();
    std::string stored = stored_form(c);
    ConversationSummary meta = summary_of(c, 1, 2);
    meta.selected = {{0, 1}, {1, 2}, {4, 6}};
    std::string records = stored.substr(stored.find(",\"messages\":"));
    Conversation back;
    bool renumbered = true;
    std::string error;
    ASSERT_TRUE(assemble_conversation("{\"meta\":" + meta_record_json(meta) + records, "conv-1", back, renumbered,
                                      error)) << error;
    EXPECT_FALSE(renumbered);
    EXPECT_EQ(back.active_path(), (std::vector<uint32_t>{1, 2}));  // the meta's choice at 1
    back.select(4);
    EXPECT_EQ(back.active_path(), (std::vector<uint32_t>{1, 3, 4, 5}));
}

TEST(HistoryRecords, NoMetaAndBadInput) {
    Conversation c = branched();
    std::string stored = stored_form(c);
    std::string records = stored.substr(stored.find(",\"messages\":"));
    Conversation back;
    bool renumbered;
    std::string error;
    ASSERT_TRUE(assemble_conversation("{\"meta\":null" + records, "given-id", back, renumbered, error)) << error;
    EXPECT_EQ(back.id, "given-id");
    EXPECT_EQ(back.size(), 5u);
    EXPECT_EQ(back.leaf(), 5u);  // newest child everywhere

    Conversation untouched = branched();
    EXPECT_FALSE(assemble_conversation("{", "x", untouched, renumbered, error));
    EXPECT_FALSE(error.empty());
    EXPECT_FALSE(assemble_conversation("{\"meta\":null}", "x", untouched, renumbered, error));
    EXPECT_FALSE(assemble_conversation(R"({"meta":null,"messages":[{"id":1,"role":"wizard"}]})", "x", untouched,
                                       renumbered, error));
    EXPECT_NE(error.find("role"), std::string::npos) << error;
    EXPECT_TRUE(untouched == branched());
    // Records that are not objects or lack a usable id are skipped, not fatal.
    ASSERT_TRUE(assemble_conversation(R"({"meta":null,"messages":[3,{"id":-1},{"id":1,"role":"user","text":"hi"}]})",
                                      "x", back, renumbered, error)) << error;
    EXPECT_EQ(back.size(), 1u);
    EXPECT_FALSE(renumbered);  // the one real record keeps its id
}

TEST(HistoryRecords, MergeBringsAnotherTabsWork) {
    Conversation mine = branched();
    Conversation theirs = branched();
    // The other tab finished reply 5, renamed the conversation and sent a follow-up.
    StreamDelta d;
    d.content = "done there";
    theirs.apply(5, d, 400);
    d = {};
    d.done = true;
    theirs.apply(5, d, 410);
    theirs.title = "renamed";
    uint32_t u3 = theirs.add(5, Role::User, "next");
    EXPECT_TRUE(merge_stored(mine, theirs, 0));
    EXPECT_TRUE(mine == theirs);
    EXPECT_EQ(mine.leaf(), u3);
    EXPECT_FALSE(merge_stored(mine, theirs, 0));  // nothing left to bring
}

TEST(HistoryRecords, MergeKeepsTheReplyThisTabStreams) {
    Conversation mine = branched();
    Conversation theirs = branched();
    StreamDelta d;
    d.content = "mine, newer";
    mine.apply(5, d, 500);
    theirs.find(2)->text = "edited elsewhere";
    theirs.select(2);  // the other tab looks at another branch
    EXPECT_TRUE(merge_stored(mine, theirs, 5));
    EXPECT_EQ(mine.find(5)->text, "mine, newer");
    EXPECT_EQ(mine.find(2)->text, "edited elsewhere");
    EXPECT_EQ(mine.leaf(), 5u);  // the streaming reply stays in view
}

TEST(HistoryRecords, MergeLeavesCollidingIdsAlone) {
    // Both tabs added message 6 at once under different parents: ours is kept.
    Conversation mine = branched();
    Conversation theirs = branched();
    mine.add(5, Role::User, "mine");
    theirs.add(2, Role::User, "theirs");
    merge_stored(mine, theirs, 0);
    EXPECT_EQ(mine.find(6)->text, "mine");
    EXPECT_EQ(mine.find(6)->parent, 5u);
}
