// ConversationSaver: which records it writes and when (throttled while streaming, at once for a
// final status), against a recording sink with a hand-driven clock and timers.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "app/conversation_saver.h"
#include "core/history_records.h"
#include "core/json_util.h"

using namespace imchat;

namespace {

struct FakeSink : HistorySink {
    std::vector<Write> writes;
    std::multimap<double, std::function<void()>> timers;  // due time → callback
    double now = 1000;
    double wall = 1.7e12;

    void write(Write batch) override { writes.push_back(std::move(batch)); }
    void set_timeout(double ms, std::function<void()> fn) override { timers.emplace(now + ms, std::move(fn)); }
    double now_ms() override { return now; }
    double wall_ms() override { return wall; }

    // Moves the clock to t, firing due timers in order (as a browser would).
    void advance_to(double t) {
        while (!timers.empty() && timers.begin()->first <= t) {
            auto it = timers.begin();
            now = std::max(now, it->first);
            auto fn = std::move(it->second);
            timers.erase(it);
            fn();
        }
        now = t;
    }

    std::vector<uint32_t> ids(size_t i) const {
        std::vector<uint32_t> out;
        for (auto& [id, record] : writes.at(i).messages) out.push_back(id);
        return out;
    }
    std::string text_of(size_t i, uint32_t id) const {
        for (auto& [mid, record] : writes.at(i).messages) {
            if (mid != id) continue;
            json::JsonReader r;
            EXPECT_TRUE(r.parse(record));
            return std::string(json::string_or_empty(json::member(r.root(), "text")));
        }
        return "<not written>";
    }
};

struct SaverTest : ::testing::Test {
    FakeSink sink;
    ConversationSaver saver{sink};
    Conversation c;

    void SetUp() override { c.id = "conv"; }
    void note() { saver.note_changed(c, sink.now); }
    void token(uint32_t reply, const std::string& text) {
        StreamDelta d;
        d.content = text;
        c.apply(reply, d, sink.now);
        note();
    }
};

}  // namespace

TEST_F(SaverTest, NothingForAnEmptyOrAnonymousConversation) {
    note();
    Conversation anonymous;
    anonymous.add(0, Role::User, "hi");
    saver.note_changed(anonymous, sink.now);
    EXPECT_TRUE(sink.writes.empty());
}

TEST_F(SaverTest, NewMessagesAreWrittenAtOnceWithTheMeta) {
    uint32_t u = c.add(0, Role::User, "question");
    c.title = "question";
    uint32_t a = c.add_reply(u, "m", sink.now);
    note();
    ASSERT_EQ(sink.writes.size(), 1u);
    EXPECT_EQ(sink.ids(0), (std::vector<uint32_t>{u, a}));  // the reply is new: never written yet
    EXPECT_EQ(sink.writes[0].conversation_id, "conv");
    ConversationSummary meta;
    std::string error;
    ASSERT_TRUE(parse_meta_record(sink.writes[0].meta, meta, error)) << error;
    EXPECT_EQ(meta.title, "question");
    EXPECT_EQ(meta.message_count, 2u);
    EXPECT_EQ(meta.updated_ms, static_cast<int64_t>(sink.wall));
    EXPECT_EQ(meta.created_ms, static_cast<int64_t>(sink.wall));  // no created time given: first save
    note();  // nothing changed
    EXPECT_EQ(sink.writes.size(), 1u);
}

TEST_F(SaverTest, StreamingIsThrottledWithATrailingWrite) {
    uint32_t u = c.add(0, Role::User, "q");
    uint32_t a = c.add_reply(u, "m", sink.now);
    note();
    ASSERT_EQ(sink.writes.size(), 1u);
    // Tokens every 20 ms for 1 s: at most one write per 250 ms, each with all text so far.
    std::string all;
    for (int i = 0; i < 50; ++i) {
        sink.advance_to(sink.now + 20);
        all += "t" + std::to_string(i) + " ";
        token(a, "t" + std::to_string(i) + " ");
    }
    size_t during = sink.writes.size() - 1;
    EXPECT_GE(during, 3u);
    EXPECT_LE(during, 5u);
    for (size_t i = 1; i < sink.writes.size(); ++i) {
        EXPECT_EQ(sink.ids(i), (std::vector<uint32_t>{a}));  // the user message is not rewritten
        std::string text = sink.text_of(i, a);
        EXPECT_EQ(all.rfind(text, 0), 0u) << "a prefix of the reply";
    }
    // The stream pauses: the trailing write brings the saved text up to date.
    EXPECT_TRUE(saver.pending());
    sink.advance_to(sink.now + 300);
    EXPECT_FALSE(saver.pending());
    EXPECT_EQ(sink.text_of(sink.writes.size() - 1, a), all);
    size_t after_pause = sink.writes.size();
    sink.advance_to(sink.now + 1000);
    EXPECT_EQ(sink.writes.size(), after_pause);  // no change, no write
}

TEST_F(SaverTest, BytesWrittenPerSecondStayWithinTheBudgetAsTheReplyGrows) {
    uint32_t u = c.add(0, Role::User, "q");
    uint32_t a = c.add_reply(u, "m", sink.now);
    note();
    // 400 tokens/s of 8 bytes for 400 s: the reply grows to about 1.2 MB.
    const std::string piece = "abcdefg ";
    size_t written_before = 0;
    double seconds_before = 0;
    auto written = [&] {
        size_t n = 0;
        for (const auto& w : sink.writes)
            for (const auto& [id, record] : w.messages) n += record.size();
        return n;
    };
    for (int second = 0; second < 400; ++second) {
        for (int t = 0; t < 400; ++t) {
            sink.advance_to(sink.now + 2.5);
            token(a, piece);
        }
        if (second == 99) {  // about 300 KB: from here on the budget, not the 250 ms, sets the pace
            written_before = written();
            seconds_before = second + 1;
        }
    }
    double rate = double(written() - written_before) / (400 - seconds_before);
    EXPECT_GT(c.find(a)->text.size(), 1'000'000u);
    // Within the budget (one record of slack at most), where a 250 ms cadence alone would
    // write about 4 records of ~1 MB per second at the end.
    EXPECT_LT(rate, ConversationSaver::kStreamingBytesPerSecond * 1.1);
    EXPECT_GT(rate, ConversationSaver::kStreamingBytesPerSecond * 0.5);  // and still saving
    // The end of the stream is written at once, whole.
    StreamDelta fin;
    fin.done = true;
    c.apply(a, fin, sink.now);
    note();
    EXPECT_EQ(sink.text_of(sink.writes.size() - 1, a), c.find(a)->text);
}

TEST_F(SaverTest, AFinalStatusIsWrittenAtOnce) {
    uint32_t u = c.add(0, Role::User, "q");
    uint32_t a = c.add_reply(u, "m", sink.now);
    note();
    sink.advance_to(sink.now + 10);
    token(a, "first");  // Waiting → Streaming: within 250 ms of the last write of a
    size_t before = sink.writes.size();
    sink.advance_to(sink.now + 10);
    StreamDelta fin;
    fin.done = true;
    c.apply(a, fin, sink.now);
    note();
    ASSERT_EQ(sink.writes.size(), before + 1);
    EXPECT_EQ(sink.text_of(before, a), "first");
    EXPECT_NE(sink.writes[before].messages[0].second.find("\"status\":\"done\""), std::string::npos);
    sink.advance_to(sink.now + 1000);  // the timer armed for the throttled token finds nothing
    EXPECT_EQ(sink.writes.size(), before + 1);
}

TEST_F(SaverTest, SelectionAndTitleAloneWriteOnlyTheMeta) {
    uint32_t u = c.add(0, Role::User, "q");
    uint32_t a1 = c.add(u, Role::Assistant, "one");
    c.add(u, Role::Assistant, "two");
    note();
    size_t before = sink.writes.size();
    c.select(a1);
    note();
    ASSERT_EQ(sink.writes.size(), before + 1);
    EXPECT_TRUE(sink.writes.back().messages.empty());
    ConversationSummary meta;
    std::string error;
    ASSERT_TRUE(parse_meta_record(sink.writes.back().meta, meta, error));
    EXPECT_NE(std::find(meta.selected.begin(), meta.selected.end(), std::make_pair(u, a1)), meta.selected.end());
    c.title = "renamed";
    note();
    ASSERT_EQ(sink.writes.size(), before + 2);
    ASSERT_TRUE(parse_meta_record(sink.writes.back().meta, meta, error));
    EXPECT_EQ(meta.title, "renamed");
}

TEST_F(SaverTest, ALoadedConversationIsNotRewritten) {
    uint32_t u = c.add(0, Role::User, "q");
    c.add(u, Role::Assistant, "a");
    c.created_ms = 42;
    saver.mark_saved(c);
    note();
    EXPECT_TRUE(sink.writes.empty());
    uint32_t u2 = c.add(2, Role::User, "next");
    note();
    ASSERT_EQ(sink.writes.size(), 1u);
    EXPECT_EQ(sink.ids(0), (std::vector<uint32_t>{u2}));  // only what this tab changed
    ConversationSummary meta;
    std::string error;
    ASSERT_TRUE(parse_meta_record(sink.writes[0].meta, meta, error));
    EXPECT_EQ(meta.created_ms, 42);
}

TEST_F(SaverTest, MarkSavedKeepsTheStreamingReplyPending) {
    uint32_t u = c.add(0, Role::User, "q");
    uint32_t a = c.add_reply(u, "m", sink.now);
    note();
    sink.advance_to(sink.now + 10);
    token(a, "x");  // throttled
    size_t before = sink.writes.size();
    // Another tab's change arrives and is merged; the reply is excepted.
    saver.mark_saved(c, a);
    sink.advance_to(sink.now + 300);
    ASSERT_EQ(sink.writes.size(), before + 1);
    EXPECT_EQ(sink.text_of(before, a), "x");
}

TEST_F(SaverTest, FlushWritesThrottledChangesNow) {
    uint32_t u = c.add(0, Role::User, "q");
    uint32_t a = c.add_reply(u, "m", sink.now);
    note();
    sink.advance_to(sink.now + 10);
    token(a, "pending");
    size_t before = sink.writes.size();
    saver.flush();
    ASSERT_EQ(sink.writes.size(), before + 1);
    EXPECT_EQ(sink.text_of(before, a), "pending");
}

TEST_F(SaverTest, ASwitchStartsAfreshAndDropsTheOldTimer) {
    uint32_t u = c.add(0, Role::User, "q");
    uint32_t a = c.add_reply(u, "m", sink.now);
    note();
    sink.advance_to(sink.now + 10);
    token(a, "x");
    EXPECT_TRUE(saver.pending());
    // The app imports another conversation into the same object: everything of it is unsaved.
    Conversation other;
    other.id = "imported";
    other.add(0, Role::User, "old question");
    other.add(1, Role::Assistant, "old answer");
    c = other;
    note();
    ASSERT_EQ(sink.writes.back().conversation_id, "imported");
    EXPECT_EQ(sink.ids(sink.writes.size() - 1), (std::vector<uint32_t>{1, 2}));
    size_t before = sink.writes.size();
    sink.advance_to(sink.now + 1000);
    EXPECT_EQ(sink.writes.size(), before);
}

TEST_F(SaverTest, ForgetStopsEverything) {
    uint32_t u = c.add(0, Role::User, "q");
    uint32_t a = c.add_reply(u, "m", sink.now);
    note();
    sink.advance_to(sink.now + 10);
    token(a, "x");
    saver.forget();
    size_t before = sink.writes.size();
    sink.advance_to(sink.now + 1000);
    EXPECT_EQ(sink.writes.size(), before);
    EXPECT_FALSE(saver.pending());
}
