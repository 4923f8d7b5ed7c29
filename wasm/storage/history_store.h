// history_store: the browser's conversation history, in IndexedDB (database "imchat"):
//   conversations  key: conversation id      value: the meta record (history_records.h) as an
//                                             object, plus "deleted" (ms) while a delete can be undone
//   messages       key: [conversation id, message id]   value: {c, id, r: message record JSON}
// Every call is asynchronous and answers through its callback (always called, also on failure).
// After every write the store posts {conv, ids, kind} on BroadcastChannel("imchat-history");
// the other tabs' stores call on_external_change(conv_id) so their apps reload or merge.
// When IndexedDB cannot be used (private mode, blocked, too old) or a write fails (over quota),
// problem() says so in a sentence the UI shows; the app keeps chatting without history.
// The JS half is wasm/storage/storage_glue.js.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "app/conversation_saver.h"
#include "core/conversation.h"
#include "core/history_records.h"

namespace imchat {

class HistoryStore final : public HistorySink {
public:
    static constexpr double kUndoWindowMs = 10000;

    // One store per page (the JS side routes its callbacks to it).
    static HistoryStore& instance();

    // Opens the database (and deletes conversations whose undo window passed while no page was
    // open). Writes made before it answers are held and run once it is open.
    void open(std::function<void(bool ok, const std::string& error)> done);
    bool available() const { return state_ == State::Open; }
    // "" while all is well, else what went wrong, e.g. "History cannot be saved: this browser
    // does not allow storage here (private mode?)". Cleared by the next successful write.
    const std::string& problem() const { return problem_; }

    // All conversations not deleted, newest first.
    void list(std::function<void(std::vector<ConversationSummary>)> done);
    // One conversation. When its records had to be renumbered (lost records), it is rewritten so
    // that ids and records agree again.
    void load(const std::string& id, std::function<void(bool ok, Conversation& loaded, const std::string& error)> done);
    // Hides a conversation now and deletes it after undo_window_ms unless undo_remove() comes first.
    void remove(const std::string& id, std::function<void(bool ok)> done = {});
    void undo_remove(const std::string& id, std::function<void(bool ok)> done = {});
    // Renames a conversation that is not open (an open one: set its title; the saver writes it).
    void rename(const std::string& id, const std::string& title, std::function<void(bool ok)> done = {});
    // Ids of conversations whose title or any message text contains query (case-insensitive,
    // Unicode-aware), newest first. An empty query lists them all.
    void search(const std::string& query, std::function<void(std::vector<std::string> ids)> done);
    // A fresh conversation id (random, URL-safe).
    std::string new_conversation_id();

    // How long a deleted conversation can come back (tests shorten it; set before open()).
    double undo_window_ms = kUndoWindowMs;

    // Another tab wrote (or deleted) this conversation.
    std::function<void(const std::string& conversation_id)> on_external_change;

    // HistorySink (ConversationSaver writes through these).
    void write(Write batch) override;
    void set_timeout(double ms, std::function<void()> fn) override;
    double now_ms() override;
    double wall_ms() override;

    // Called from JS (storage_glue.js); not for the app.
    void js_result(int request, bool ok, const char* text);
    void js_write_done(bool ok, const char* error);
    void js_external(const char* conversation_id);

private:
    enum class State { Closed, Opening, Open, Unavailable };
    using Reply = std::function<void(bool ok, const char* text)>;

    HistoryStore() = default;
    int request(Reply reply);
    void run_write(const Write& batch);

    State state_ = State::Closed;
    std::string problem_;
    std::vector<Write> held_;  // writes made while opening
    std::vector<std::pair<int, Reply>> replies_;
    int next_request_ = 1;
};

}  // namespace imchat
