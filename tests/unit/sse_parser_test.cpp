// SseParser against the WHATWG HTML Standard, section 9.2.5 "Parsing an event stream" and
// 9.2.6 "Interpreting an event stream". Each test names the rule it checks; quotes are the spec's.
#include "core/sse_parser.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace imchat {
namespace {

struct Event {
    std::string type, data, id;
    bool operator==(const Event&) const = default;
};
std::ostream& operator<<(std::ostream& os, const Event& e) {
    return os << "{" << e.type << "|" << e.data << "|" << e.id << "}";
}

void collect(void* user, const SseEvent& e) {
    static_cast<std::vector<Event>*>(user)->push_back({std::string(e.type), std::string(e.data), std::string(e.last_event_id)});
}

// Feeds `bytes` cut at the given offsets (ascending) and returns the events.
std::vector<Event> parse_pieces(SseParser& parser, std::string_view bytes, const std::vector<size_t>& cuts) {
    std::vector<Event> events;
    size_t at = 0;
    for (size_t cut : cuts) {
        parser.feed(bytes.substr(at, cut - at), collect, &events);
        at = cut;
    }
    parser.feed(bytes.substr(at), collect, &events);
    return events;
}

std::vector<Event> parse(std::string_view bytes) {
    SseParser parser;
    return parse_pieces(parser, bytes, {});
}

std::vector<Event> parse_byte_by_byte(std::string_view bytes) {
    SseParser parser;
    std::vector<size_t> cuts;
    for (size_t i = 1; i < bytes.size(); ++i) cuts.push_back(i);
    return parse_pieces(parser, bytes, cuts);
}

using Events = std::vector<Event>;
const std::string R = "\xEF\xBF\xBD";  // U+FFFD

// --- Dispatch and the data buffer ---------------------------------------------------------

TEST(SseParser, BlankLineDispatchesMessageEvent) {
    // "If the line is empty (a blank line): Dispatch the event"; type defaults to "message".
    EXPECT_EQ(parse("data: hello\n\n"), (Events{{"message", "hello", ""}}));
}

TEST(SseParser, DataLinesAreJoinedWithLineFeed) {
    // data: "Append the field value to the data buffer, then append a single U+000A LINE FEED".
    EXPECT_EQ(parse("data: one\ndata: two\ndata: three\n\n"), (Events{{"message", "one\ntwo\nthree", ""}}));
}

TEST(SseParser, OnlyTheLastTrailingLineFeedIsRemoved) {
    // Dispatch step 3: "If the data buffer's last character is a U+000A LINE FEED (LF)
    // character, then remove the last character from the data buffer."
    EXPECT_EQ(parse("data\ndata\n\n"), (Events{{"message", "\n", ""}}));
    EXPECT_EQ(parse("data:\n\n"), (Events{{"message", "", ""}}));
}

TEST(SseParser, EmptyDataBufferDispatchesNothing) {
    // Dispatch step 2: "If the data buffer is an empty string, set the data buffer and the event
    // type buffer to the empty string and return."
    EXPECT_EQ(parse("\n\n\nevent: x\n\nid: 1\n\n"), Events{});
}

TEST(SseParser, UnfinishedLastEventIsNeverDispatched) {
    // "Once the end of the file is reached, any pending data must be discarded. (If the file ends
    // in the middle of an event, before the final empty line, the incomplete event is not
    // dispatched.)"
    EXPECT_EQ(parse("data: a\n\ndata: b\n"), (Events{{"message", "a", ""}}));
    EXPECT_EQ(parse("data: a\n\ndata: b"), (Events{{"message", "a", ""}}));
}

// --- Lines, fields and values ---------------------------------------------------------------

TEST(SseParser, CrLfCrAndLfAllEndLines) {
    // end-of-line = ( cr lf / cr / lf )
    Events expected{{"message", "a\nb\nc", ""}, {"message", "d", ""}};
    EXPECT_EQ(parse("data: a\r\ndata: b\rdata: c\n\r\ndata: d\r\r"), expected);
    EXPECT_EQ(parse_byte_by_byte("data: a\r\ndata: b\rdata: c\n\r\ndata: d\r\r"), expected);
}

TEST(SseParser, CrAtChunkEndAndLfAtNextChunkStartAreOneLineEnd) {
    // A CRLF pair split across chunks is still one end-of-line, not a CR line then an empty line.
    SseParser parser;
    Events events;
    parser.feed("data: a\r", collect, &events);
    parser.feed("\ndata: b\r", collect, &events);
    EXPECT_TRUE(events.empty());
    parser.feed("\n\r", collect, &events);
    EXPECT_EQ(events, (Events{{"message", "a\nb", ""}}));
}

TEST(SseParser, CrAtChunkEndThenCrIsABlankLine) {
    SseParser parser;
    Events events;
    parser.feed("data: a\r", collect, &events);
    parser.feed("", collect, &events);  // an empty chunk keeps the pending CR's state
    parser.feed("\r", collect, &events);
    EXPECT_EQ(events, (Events{{"message", "a", ""}}));
}

TEST(SseParser, OneLeadingSpaceOfTheValueIsRemoved) {
    // "If value starts with a U+0020 SPACE character, remove it from value." Only one.
    EXPECT_EQ(parse("data:  two spaces\n\n"), (Events{{"message", " two spaces", ""}}));
    EXPECT_EQ(parse("data:none\n\n"), (Events{{"message", "none", ""}}));
    EXPECT_EQ(parse("data:\tx \n\n"), (Events{{"message", "\tx ", ""}}));
}

TEST(SseParser, FieldIsUpToTheFirstColonOnly) {
    // "Collect the characters on the line before the first U+003A COLON character (:)"; later
    // colons belong to the value.
    EXPECT_EQ(parse("data: a: b:c\n\n"), (Events{{"message", "a: b:c", ""}}));
}

TEST(SseParser, LineWithoutColonIsAFieldWithEmptyValue) {
    // "Otherwise, the string is not empty but does not contain a U+003A COLON character (:):
    // Process the field using ... the whole line as the field name, and the empty string as the
    // field value."
    EXPECT_EQ(parse("data\n\n"), (Events{{"message", "", ""}}));
    EXPECT_EQ(parse("event\ndata: x\n\n"), (Events{{"message", "x", ""}}));
}

TEST(SseParser, CommentLinesAreIgnored) {
    // "If the line starts with a U+003A COLON character (:): Ignore the line."
    EXPECT_EQ(parse(": ping\n:\n\n:data: no\ndata: yes\n: between\n\n"), (Events{{"message", "yes", ""}}));
}

TEST(SseParser, UnknownAndWrongCaseFieldsAreIgnored) {
    // "Otherwise: The field is ignored." Field names are compared exactly.
    EXPECT_EQ(parse("foo: bar\nData: no\ndata : no\n data: no\ndata: yes\n\n"), (Events{{"message", "yes", ""}}));
}

// --- event ----------------------------------------------------------------------------------

TEST(SseParser, EventFieldNamesTheEventType) {
    // Dispatch step 6: "If the event type buffer has a value other than the empty string, change
    // the type of the newly created event to equal the value of the event type buffer."
    EXPECT_EQ(parse("event: delta\ndata: x\n\n"), (Events{{"delta", "x", ""}}));
    EXPECT_EQ(parse("event:\ndata: x\n\n"), (Events{{"message", "x", ""}}));
    EXPECT_EQ(parse("event: a\nevent: b\ndata: x\n\n"), (Events{{"b", "x", ""}}));
}

TEST(SseParser, EventTypeIsResetAfterEachDispatch) {
    // Step 7: "Set the data buffer and the event type buffer to the empty string."
    EXPECT_EQ(parse("event: delta\ndata: 1\n\ndata: 2\n\n"),
              (Events{{"delta", "1", ""}, {"message", "2", ""}}));
}

TEST(SseParser, EventTypeIsResetEvenWhenNothingIsDispatched) {
    // Step 2 resets the event type buffer too when the data buffer is empty.
    EXPECT_EQ(parse("event: delta\n\ndata: 2\n\n"), (Events{{"message", "2", ""}}));
}

// --- id -------------------------------------------------------------------------------------

TEST(SseParser, IdPersistsAcrossEvents) {
    // "The buffer does not get reset, so the last event ID string of the event source remains
    // set to this value until the next time it is set by the server."
    EXPECT_EQ(parse("id: 7\ndata: a\n\ndata: b\n\nid\ndata: c\n\n"),
              (Events{{"message", "a", "7"}, {"message", "b", "7"}, {"message", "c", ""}}));
}

TEST(SseParser, IdContainingNulIsIgnored) {
    // "If the field value does not contain U+0000 NULL, then set the last event ID buffer to the
    // field value. Otherwise, ignore the field."
    using namespace std::string_literals;
    EXPECT_EQ(parse("id: 1\ndata: a\n\nid: 2\0x\ndata: b\n\n"s),
              (Events{{"message", "a", "1"}, {"message", "b", "1"}}));
}

TEST(SseParser, IdWithoutDataUpdatesTheLastEventIdOnly) {
    // Dispatch step 1 sets the last event ID string before step 2 returns for empty data.
    SseParser parser;
    Events events;
    parser.feed("id: 42\n\n", collect, &events);
    EXPECT_TRUE(events.empty());
    EXPECT_EQ(parser.last_event_id(), "42");
}

TEST(SseParser, LastEventIdIsCommittedOnlyAtABlankLine) {
    // The last event ID string changes at dispatch; an id of an event still arriving is not in it.
    SseParser parser;
    Events events;
    parser.feed("id: 1\ndata: a\n\nid: 2\ndata: b\n", collect, &events);
    EXPECT_EQ(parser.last_event_id(), "1");
    parser.feed("\n", collect, &events);
    EXPECT_EQ(parser.last_event_id(), "2");
}

// --- retry ----------------------------------------------------------------------------------

TEST(SseParser, RetryOfAsciiDigitsSetsTheReconnectionTime) {
    // "If the field value consists of only ASCII digits, then interpret the field value as an
    // integer in base ten, and set the event stream's reconnection time to that integer."
    SseParser parser;
    Events events;
    EXPECT_EQ(parser.retry_ms(), -1);
    parser.feed("retry: 1500\n", collect, &events);
    EXPECT_EQ(parser.retry_ms(), 1500);
    parser.feed("retry:0042\n", collect, &events);
    EXPECT_EQ(parser.retry_ms(), 42);
}

TEST(SseParser, RetryWithAnythingButDigitsIsIgnored) {
    // "Otherwise, ignore the field."
    SseParser parser;
    Events events;
    parser.feed("retry: 100\n", collect, &events);
    for (const char* line : {"retry: -5\n", "retry: 1.5\n", "retry: 12a\n", "retry:  200\n", "retry: 200 \n",
                             "retry\n", "retry: \xD9\xA3\n" /* ARABIC-INDIC DIGIT THREE */}) {
        parser.feed(line, collect, &events);
        EXPECT_EQ(parser.retry_ms(), 100) << line;
    }
    EXPECT_TRUE(events.empty());
}

TEST(SseParser, HugeRetrySaturatesInsteadOfOverflowing) {
    SseParser parser;
    Events events;
    parser.feed("retry: 99999999999999999999999999\n", collect, &events);
    EXPECT_EQ(parser.retry_ms(), INT64_MAX);
}

// --- Decoding -------------------------------------------------------------------------------

TEST(SseParser, LeadingBomIsStrippedOnce) {
    // "Streams must be decoded using the UTF-8 decode algorithm" (which drops one leading BOM);
    // "The UTF-8 decode algorithm strips one leading UTF-8 Byte Order Mark (BOM), if any."
    EXPECT_EQ(parse("\xEF\xBB\xBF" "data: x\n\n"), (Events{{"message", "x", ""}}));
    // A second BOM is content: it becomes part of the field name, which is then unknown.
    EXPECT_EQ(parse("\xEF\xBB\xBF\xEF\xBB\xBF" "data: x\n\ndata: y\n\n"), (Events{{"message", "y", ""}}));
    // A BOM later in the stream is ordinary text (U+FEFF).
    EXPECT_EQ(parse("data: \xEF\xBB\xBF\n\n"), (Events{{"message", "\xEF\xBB\xBF", ""}}));
}

TEST(SseParser, LeadingBomSplitAcrossChunksIsStillStripped) {
    for (size_t cut = 0; cut <= 4; ++cut) {
        SseParser parser;
        EXPECT_EQ(parse_pieces(parser, "\xEF\xBB\xBF" "data: x\n\n", {cut}), (Events{{"message", "x", ""}})) << cut;
    }
    EXPECT_EQ(parse_byte_by_byte("\xEF\xBB\xBF" "data: x\n\n"), (Events{{"message", "x", ""}}));
}

TEST(SseParser, StartOfABomThatIsNotOneIsDecodedAsText) {
    // EF BB then a non-continuation byte: no BOM; EF BB is one ill-formed subpart (one U+FFFD),
    // so the first line's field name becomes "\uFFFDdata", an unknown field.
    EXPECT_EQ(parse("\xEF\xBB" "data: x\n\ndata: y\n\n"), (Events{{"message", "y", ""}}));
    EXPECT_EQ(parse_byte_by_byte("\xEF\xBB\n" "data: y\n\n"), (Events{{"message", "y", ""}}));
    EXPECT_EQ(parse("\xEF\n" "data: y\n\n"), (Events{{"message", "y", ""}}));
}

TEST(SseParser, IllFormedUtf8BecomesReplacementCharacters) {
    // UTF-8 decode with replacement: each maximal subpart of an ill-formed sequence is one U+FFFD.
    EXPECT_EQ(parse("data: a\xFF" "b\xF0\x9F\x98" "c\xE0\x80\n\n"),
              (Events{{"message", "a" + R + "b" + R + "c" + R + R, ""}}));
    // Also in event names and ids.
    EXPECT_EQ(parse("event: \xC3\nid: \xE4\xBD\ndata: x\n\n"), (Events{{R, "x", R}}));
}

TEST(SseParser, SequenceCutByALineEndIsOneReplacement) {
    // CR and LF are never continuation bytes: the decoder emits U+FFFD for the cut sequence and
    // the line ends as usual.
    EXPECT_EQ(parse("data: \xE4\xBD\ndata: ok\n\n"), (Events{{"message", R + "\nok", ""}}));
}

TEST(SseParser, MultiByteCharactersSplitAcrossChunksSurvive) {
    const std::string text = "data: \xE4\xBD\xA0\xE5\xA5\xBD \xF0\x9F\x98\x80 caf\xC3\xA9\n\n";
    Events expected{{"message", "\xE4\xBD\xA0\xE5\xA5\xBD \xF0\x9F\x98\x80 caf\xC3\xA9", ""}};
    EXPECT_EQ(parse_byte_by_byte(text), expected);
}

// --- Limits and failure ---------------------------------------------------------------------

TEST(SseParser, LineLongerThanTheCapFailsTheStream) {
    SseParser parser(16);
    Events events;
    EXPECT_TRUE(parser.feed("data: 0123456789\n\n", collect, &events));  // 16 bytes: allowed
    EXPECT_FALSE(parser.feed("data: 0123456789A\n\n", collect, &events));
    EXPECT_TRUE(parser.failed());
    EXPECT_EQ(parser.error(), "event larger than 16 bytes");
    EXPECT_EQ(events, (Events{{"message", "0123456789", ""}}));
    // A failed stream stays failed: nothing more is parsed.
    EXPECT_FALSE(parser.feed("data: x\n\n", collect, &events));
    EXPECT_EQ(events.size(), 1u);
}

TEST(SseParser, UnfinishedLineBeyondTheCapFailsWithoutGrowing) {
    // The line never ends; the parser must stop at the cap instead of buffering forever.
    SseParser parser(1000);
    Events events;
    std::string chunk(300, 'x');
    bool ok = true;
    for (int i = 0; i < 10 && ok; ++i) ok = parser.feed(chunk, collect, &events);
    EXPECT_FALSE(ok);
    EXPECT_EQ(parser.error(), "event larger than 1000 bytes");
}

TEST(SseParser, DataBufferBeyondTheCapFailsTheStream) {
    SseParser parser(10);
    Events events;
    // Each line is short; together the data reaches 3+1+3+1+3 = 11 bytes.
    EXPECT_FALSE(parser.feed("data: abc\ndata: def\ndata: ghi\n\n", collect, &events));
    EXPECT_EQ(parser.error(), "event larger than 10 bytes");
    EXPECT_TRUE(events.empty());
    SseParser exact(11);
    EXPECT_TRUE(exact.feed("data: abc\ndata: def\ndata: ghi\n\n", collect, &events));
    EXPECT_EQ(events, (Events{{"message", "abc\ndef\nghi", ""}}));
}

TEST(SseParser, ResetForReconnectKeepsIdAndRetryAndForgetsThePartialEvent) {
    SseParser parser(16);
    Events events;
    parser.feed("retry: 3000\nid: 5\ndata: a\n\nid: 6\nevent: e\ndata: partial", collect, &events);
    parser.reset_for_reconnect();
    EXPECT_EQ(parser.last_event_id(), "5");  // id 6 never reached a blank line
    EXPECT_EQ(parser.retry_ms(), 3000);
    parser.feed("\xEF\xBB\xBF" "data: b\n\n", collect, &events);  // a new stream: its BOM is stripped
    EXPECT_EQ(events, (Events{{"message", "a", "5"}, {"message", "b", "5"}}));
    // A failure is cleared too.
    parser.feed("data: this line is far too long\n", collect, &events);
    EXPECT_TRUE(parser.failed());
    parser.reset_for_reconnect();
    EXPECT_FALSE(parser.failed());
    EXPECT_TRUE(parser.feed("data: c\n\n", collect, &events));
    EXPECT_EQ(events.back(), (Event{"message", "c", "5"}));
}

// --- Chunking does not matter -----------------------------------------------------------------

// A stream exercising every rule at once.
using namespace std::string_literals;
const std::string kMixedStream =
    "\xEF\xBB\xBF: comment\r\n"
    "retry: 2500\r"
    "id: first\n"
    "event: delta\n"
    "data: {\"content\":\"\xE4\xBD\xA0\xE5\xA5\xBD \xF0\x9F\x98\x80\"}\r\n"
    "\r\n"
    "data\r\n"
    "data:  x: y\r"
    "\r"
    "id: bad\0id\n"
    "data: \xFF\xE4\xBD|\xF0\x9F\x98\n"
    "ignored: field\n"
    "\n"
    "event: only-type\n"
    "\n"
    "id\r\n"
    "data: last\r\n"
    "\r\n"
    "data: never dispatched\n"s;  // (a std::string literal: it holds a NUL)

Events expected_mixed_events() {
    return {{"delta", "{\"content\":\"\xE4\xBD\xA0\xE5\xA5\xBD \xF0\x9F\x98\x80\"}", "first"},
            {"message", "\n x: y", "first"},
            {"message", R + R + "|" + R, "first"},
            {"message", "last", ""}};
}

TEST(SseParser, MixedStreamParsesAsSpecified) {
    SseParser parser;
    EXPECT_EQ(parse_pieces(parser, kMixedStream, {}), expected_mixed_events());
    EXPECT_EQ(parser.retry_ms(), 2500);
}

TEST(SseParser, EveryTwoWaySplitGivesTheSameEvents) {
    // Property: where the transport cuts the stream never changes the events.
    const Events expected = expected_mixed_events();
    for (size_t cut = 0; cut <= kMixedStream.size(); ++cut) {
        SseParser parser;
        EXPECT_EQ(parse_pieces(parser, kMixedStream, {cut}), expected) << "cut at " << cut;
        EXPECT_EQ(parser.retry_ms(), 2500);
        EXPECT_EQ(parser.last_event_id(), "");
    }
}

TEST(SseParser, RandomChunkingsGiveTheSameEvents) {
    std::mt19937 rng(12345);
    const Events expected = expected_mixed_events();
    for (int round = 0; round < 500; ++round) {
        std::vector<size_t> cuts;
        size_t at = 0;
        for (;;) {
            at += 1 + rng() % 12;
            if (at >= kMixedStream.size()) break;
            cuts.push_back(at);
        }
        SseParser parser;
        EXPECT_EQ(parse_pieces(parser, kMixedStream, cuts), expected) << "round " << round;
    }
    EXPECT_EQ(parse_byte_by_byte(kMixedStream), expected);
}

TEST(SseParser, RandomStreamsParseTheSameWholeAndInPieces) {
    // Streams built from random SSE fragments (including ill-formed UTF-8 and stray CRs):
    // whole-stream parsing and random chunking must agree event for event.
    const char* fragments[] = {"data: ", "data:", "data", "event: t", "id: ", "id: 9", "retry: 7", ": c",
                               "\n", "\r", "\r\n", "x", " ", ":", "\xE4\xBD\xA0", "\xE4", "\xBD", "\xF0\x9F",
                               "\xEF\xBB\xBF", "\xFF", "\0"};
    std::mt19937 rng(99);
    for (int round = 0; round < 300; ++round) {
        std::string stream;
        for (int i = 0, n = 5 + rng() % 60; i < n; ++i) {
            const char* f = fragments[rng() % std::size(fragments)];
            stream += f[0] == '\0' ? std::string(1, '\0') : std::string(f);
        }
        SseParser whole;
        Events expected = parse_pieces(whole, stream, {});
        std::vector<size_t> cuts;
        for (size_t i = 1; i < stream.size(); ++i)
            if (rng() % 4 == 0) cuts.push_back(i);
        SseParser pieces;
        EXPECT_EQ(parse_pieces(pieces, stream, cuts), expected) << "round " << round;
        EXPECT_EQ(pieces.retry_ms(), whole.retry_ms());
        EXPECT_EQ(pieces.last_event_id(), whole.last_event_id());
    }
}

}  // namespace
}  // namespace imchat
