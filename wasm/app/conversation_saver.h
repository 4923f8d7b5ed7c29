// conversation_saver: decides what of a conversation to write to the history, and when.
// The app calls note_changed() whenever the conversation may have changed: from the session's
// request_frame callback (which network callbacks invoke, so saving goes on in a hidden tab where
// no frame is drawn) and once per frame. The saver compares message revisions with the ones it
// last wrote and writes only messages that changed (so a tab never rewrites what another tab
// wrote), each at most once every 250 ms while it is Waiting/Streaming (a timer writes the
// trailing change), and at once otherwise (a user message, a reply reaching a final status).
// A streaming record longer than kStreamingBytesPerSecond / 4 waits longer between writes, so
// the bytes written per second stay within that budget however long the reply grows (a reply
// the server streams resumes after a reload from its saved last event id, so the server sends
// what came after the last write again).
// The meta record (title, selection, count, preview, times, the chat's own settings) goes with
// every batch and on its own when its title, selection, message count or settings changed.
// Portable: the history itself comes in through HistorySink (the IndexedDB store in the page,
// a fake in the unit tests).
#pragma once
#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/conversation.h"

namespace imchat {

class HistorySink {
public:
    struct Write {
        std::string conversation_id;
        std::vector<std::pair<uint32_t, std::string>> messages;  // (message id, record JSON)
        std::string meta;                                        // meta record JSON
    };
    virtual ~HistorySink() = default;
    // Stores the records of one conversation together (one transaction in IndexedDB).
    virtual void write(Write batch) = 0;
    // Calls fn once after about ms milliseconds (a browser timer: it also runs in hidden tabs).
    virtual void set_timeout(double ms, std::function<void()> fn) = 0;
    virtual double now_ms() = 0;   // the clock note_changed's now_ms comes from
    virtual double wall_ms() = 0;  // ms since 1970, for the records' created/updated times
};

class ConversationSaver {
public:
    static constexpr double kStreamingIntervalMs = 250;
    static constexpr double kStreamingBytesPerSecond = 128 * 1024;

    explicit ConversationSaver(HistorySink& sink) : sink_(sink) {}
    ConversationSaver(const ConversationSaver&) = delete;
    ConversationSaver& operator=(const ConversationSaver&) = delete;

    // Writes what changed in conversation since the last write (see above). The conversation
    // must stay alive while a trailing write is pending (the app owns it for its lifetime).
    // Nothing is saved for a conversation without an id or without messages. A conversation
    // with another id than the last one starts afresh: all its messages count as unsaved
    // (so an imported conversation is saved whole); call mark_saved() first for a loaded one.
    void note_changed(const Conversation& conversation, double now_ms);
    // Writes everything still pending now, throttled or not (before switching conversations).
    void flush();
    // conversation is exactly what the history holds (just loaded, or merged from another
    // tab's records): nothing of it needs writing, except message `except` (a reply this tab is
    // still streaming) whose pending change, if any, stays pending.
    void mark_saved(const Conversation& conversation, uint32_t except = 0);
    // Forgets the conversation (deleted, or the app shows a new empty one).
    void forget();

    bool pending() const { return timer_armed_; }  // a trailing write is scheduled
    int writes() const { return writes_; }          // batches written so far (for tests/stats)

private:
    void scan(bool force);
    void arm_timer(double due_ms);
    void adopt(const Conversation& conversation);
    // What makes the meta record worth writing on its own: the title, the message count, the
    // selection (Conversation::structure_revision) and the chat's settings, not the preview or
    // the times, which change with every token and ride along with the message writes. Cheap:
    // this runs per token.
    struct StructureKey {
        std::string title;
        size_t size = 0;
        uint64_t revision = ~0ull;
        uint64_t overrides_revision = ~0ull;
        bool operator==(const StructureKey&) const = default;
    };
    static StructureKey structure_key(const Conversation& conversation);

    HistorySink& sink_;
    const Conversation* conversation_ = nullptr;
    std::string id_;                     // the conversation the saved state below belongs to
    std::vector<uint64_t> saved_revision_;  // [message id - 1] → revision last written, 0 = never
    std::vector<double> next_write_ms_;     // [message id - 1] → a live message's next write
    StructureKey saved_structure_;          // title, selection and count last written
    int64_t created_ms_ = 0;
    uint64_t seen_revision_ = std::numeric_limits<uint64_t>::max();
    std::string seen_title_;
    double now_ms_ = 0;  // the time of the scan in progress
    bool timer_armed_ = false;
    double timer_due_ms_ = 0;
    std::shared_ptr<int> alive_ = std::make_shared<int>(0);  // timers check it still exists
    int writes_ = 0;
};

}  // namespace imchat
