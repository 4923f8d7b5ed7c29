#include "storage/history_store.h"

#include <emscripten/console.h>
#include <emscripten/emscripten.h>
#include <emscripten/eventloop.h>

#include <algorithm>
#include <memory>

#include "core/json_util.h"

extern "C" {
// wasm/storage/storage_glue.js
void imchat_history_open(int request, double undo_window_ms);
void imchat_history_write(const char* conv, const char* meta, int count, const uint32_t* ids, const char* const* records);
void imchat_history_list(int request);
void imchat_history_load(int request, const char* conv);
void imchat_history_mark_deleted(int request, const char* conv, int deleted);
void imchat_history_purge(int request, const char* conv);
void imchat_history_rename(int request, const char* conv, const char* title);
void imchat_history_search(int request, const char* query);
void imchat_history_new_id(char* out, int size);
double imchat_history_wall_ms();
}

namespace imchat {

namespace {

constexpr const char* kCannotSave = "History cannot be saved: ";

void call_later(double ms, std::function<void()> fn) {
    auto* heap = new std::function<void()>(std::move(fn));
    emscripten_set_timeout(
        [](void* user) {
            std::unique_ptr<std::function<void()>> f(static_cast<std::function<void()>*>(user));
            (*f)();
        },
        ms, heap);
}

}  // namespace

HistoryStore& HistoryStore::instance() {
    static HistoryStore* store = new HistoryStore();  // lives as long as the page
    return *store;
}

int HistoryStore::request(Reply reply) {
    int id = next_request_++;
    replies_.emplace_back(id, std::move(reply));
    return id;
}

void HistoryStore::js_result(int request, bool ok, const char* text) {
    auto it = std::find_if(replies_.begin(), replies_.end(), [&](auto& r) { return r.first == request; });
    if (it == replies_.end()) return;
    Reply reply = std::move(it->second);
    replies_.erase(it);
    reply(ok, text ? text : "");
}

void HistoryStore::open(std::function<void(bool ok, const std::string& error)> done) {
    if (state_ == State::Open || state_ == State::Unavailable) {
        if (done) done(state_ == State::Open, problem_);
        return;
    }
    state_ = State::Opening;
    imchat_history_open(request([this, done](bool ok, const char* text) {
        if (ok) {
            state_ = State::Open;
            std::vector<Write> held = std::move(held_);
            held_.clear();
            for (const Write& w : held) run_write(w);
        } else {
            state_ = State::Unavailable;
            held_.clear();
            problem_ = std::string(kCannotSave) + text;
            emscripten_console_warn(("imchat: " + problem_).c_str());
        }
        if (done) done(ok, problem_);
    }), undo_window_ms);
}

// ---- writes -----------------------------------------------------------------------------------

void HistoryStore::write(Write batch) {
    switch (state_) {
        case State::Open: run_write(batch); break;
        case State::Closed:
        case State::Opening: held_.push_back(std::move(batch)); break;
        case State::Unavailable: break;  // problem() already says so; chatting goes on
    }
}

void HistoryStore::run_write(const Write& batch) {
    std::vector<uint32_t> ids;
    std::vector<const char*> records;
    for (const auto& [id, record] : batch.messages) {
        ids.push_back(id);
        records.push_back(record.c_str());
    }
    imchat_history_write(batch.conversation_id.c_str(), batch.meta.empty() ? nullptr : batch.meta.c_str(),
                         static_cast<int>(ids.size()), ids.data(), records.data());
}

void HistoryStore::js_write_done(bool ok, const char* error) {
    if (ok) {
        problem_.clear();
        return;
    }
    std::string text = error ? error : "unknown error";
    bool full = text.find("Quota") != std::string::npos;
    problem_ = std::string(kCannotSave) + (full ? "the browser's storage for this page is full (" + text + ")" : text);
    emscripten_console_warn(("imchat: " + problem_).c_str());
}

void HistoryStore::set_timeout(double ms, std::function<void()> fn) { call_later(ms, std::move(fn)); }
double HistoryStore::now_ms() { return emscripten_get_now(); }
double HistoryStore::wall_ms() { return imchat_history_wall_ms(); }

// ---- reads ------------------------------------------------------------------------------------

void HistoryStore::list(std::function<void(std::vector<ConversationSummary>)> done) {
    if (state_ != State::Open) {
        done({});
        return;
    }
    imchat_history_list(request([done](bool ok, const char* text) {
        done(ok ? parse_meta_list(text) : std::vector<ConversationSummary>());
    }));
}

void HistoryStore::load(const std::string& id,
                        std::function<void(bool ok, Conversation& loaded, const std::string& error)> done) {
    if (state_ != State::Open) {
        Conversation none;
        done(false, none, problem_.empty() ? "history is not open" : problem_);
        return;
    }
    imchat_history_load(request([this, id, done](bool ok, const char* text) {
        Conversation loaded;
        std::string error;
        bool renumbered = false;
        if (!ok) {
            error = text;
        } else if (assemble_conversation(text, id, loaded, renumbered, error)) {
            if (renumbered) {
                // Some record was lost: store the conversation again under the ids it now has.
                // Stale records with higher ids may remain; they are dropped again on load.
                Write w;
                w.conversation_id = id;
                for (const Message& m : loaded.messages()) w.messages.emplace_back(m.id, message_record_json(m));
                w.meta = meta_record_json(summary_of(loaded, loaded.created_ms, loaded.updated_ms));
                write(std::move(w));
            }
        } else {
            ok = false;
        }
        done(ok, loaded, error);
    }), id.c_str());
}

// ---- delete with undo, rename, search ----------------------------------------------------------

void HistoryStore::remove(const std::string& id, std::function<void(bool ok)> done) {
    if (state_ != State::Open) {
        if (done) done(false);
        return;
    }
    imchat_history_mark_deleted(request([this, id, done](bool ok, const char*) {
        if (ok) {
            // Purge checks the mark again, so an undo in this or another tab wins.
            call_later(undo_window_ms, [this, id] {
                if (state_ == State::Open) imchat_history_purge(request([](bool, const char*) {}), id.c_str());
            });
        }
        if (done) done(ok);
    }), id.c_str(), 1);
}

void HistoryStore::undo_remove(const std::string& id, std::function<void(bool ok)> done) {
    if (state_ != State::Open) {
        if (done) done(false);
        return;
    }
    imchat_history_mark_deleted(request([done](bool ok, const char*) {
        if (done) done(ok);
    }), id.c_str(), 0);
}

void HistoryStore::rename(const std::string& id, const std::string& title, std::function<void(bool ok)> done) {
    if (state_ != State::Open) {
        if (done) done(false);
        return;
    }
    imchat_history_rename(request([done](bool ok, const char*) {
        if (done) done(ok);
    }), id.c_str(), title.c_str());
}

void HistoryStore::search(const std::string& query, std::function<void(std::vector<std::string> ids)> done) {
    if (state_ != State::Open) {
        done({});
        return;
    }
    imchat_history_search(request([done](bool ok, const char* text) {
        std::vector<std::string> ids;
        json::JsonReader& reader = json::shared_reader();
        if (ok && reader.parse(text) && reader.root().IsArray())
            for (const json::Value& v : reader.root().GetArray())
                if (v.IsString()) ids.emplace_back(v.GetString(), v.GetStringLength());
        done(std::move(ids));
    }), query.c_str());
}

std::string HistoryStore::new_conversation_id() {
    char id[64];
    imchat_history_new_id(id, sizeof id);
    return id;
}

void HistoryStore::js_external(const char* conversation_id) {
    if (on_external_change) on_external_change(conversation_id ? conversation_id : "");
}

}  // namespace imchat

extern "C" {

EMSCRIPTEN_KEEPALIVE void imchat_history_result(int request, int ok, const char* text) {
    imchat::HistoryStore::instance().js_result(request, ok != 0, text);
}

EMSCRIPTEN_KEEPALIVE void imchat_history_write_done(int ok, const char* error) {
    imchat::HistoryStore::instance().js_write_done(ok != 0, error);
}

EMSCRIPTEN_KEEPALIVE void imchat_history_external(const char* conversation_id) {
    imchat::HistoryStore::instance().js_external(conversation_id);
}

EMSCRIPTEN_KEEPALIVE const char* imchat_history_problem() {
    return imchat::HistoryStore::instance().problem().c_str();
}

}  // extern "C"
