// A page of its own for the storage layer's browser test (tests/browser/history.test.mjs): the
// real HistoryStore, ConversationSaver and settings store, and a real ChatSession against
// serve.py, driven from JavaScript through Module.ccall. Results that arrive later are pushed
// to window.probeEvents as {kind, ...}.
#include <emscripten/emscripten.h>

#include <string>

#include "app/app_settings.h"
#include "app/chat_session.h"
#include "app/conversation_saver.h"
#include "core/conversation_io.h"
#include "core/json_util.h"
#include "net/browser_network.h"
#include "storage/history_store.h"
#include "storage/settings_store.h"

using namespace imchat;

namespace {

struct Probe {
    Conversation conversation;
    ConversationSaver saver{HistoryStore::instance()};
    ChatSession session{conversation, browser_network(), [] { return emscripten_get_now(); },
                        [] { Probe::get().changed(); }};
    std::string out;

    static Probe& get() {
        static Probe* p = new Probe();
        return *p;
    }
    void changed() { saver.note_changed(conversation, emscripten_get_now()); }
};

// Pushes {"kind":kind, <members written by body>} to window.probeEvents.
template <class Body>
void event(const char* kind, Body body) {
    rapidjson::StringBuffer buffer;
    json::Writer w(buffer);
    w.StartObject();
    w.Key("kind");
    w.String(kind);
    body(w);
    w.EndObject();
    EM_ASM({ (window.probeEvents = window.probeEvents || []).push(JSON.parse(UTF8ToString($0))); }, buffer.GetString());
}

}  // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE void probe_open(double undo_window_ms) {
    HistoryStore& store = HistoryStore::instance();
    store.undo_window_ms = undo_window_ms;
    store.on_external_change = [](const std::string& id) {
        event("external", [&](json::Writer& w) { w.Key("conv"); json::write_string(w, id); });
    };
    store.open([](bool ok, const std::string& error) {
        event("open", [&](json::Writer& w) {
            w.Key("ok"); w.Bool(ok);
            w.Key("error"); json::write_string(w, error);
        });
    });
}

// A new conversation with this id, and a prompt sent to serve.py's demo model.
EMSCRIPTEN_KEEPALIVE int probe_send(const char* id, const char* prompt) {
    Probe& p = Probe::get();
    if (p.conversation.id != id) {
        p.saver.flush();
        p.conversation.clear();
        p.conversation.id = id;
        p.conversation.title = title_from_prompt(prompt);
    }
    return p.session.send(prompt) ? 1 : 0;
}

// A finished exchange without the network (for list, search and delete tests).
EMSCRIPTEN_KEEPALIVE void probe_add(const char* id, const char* title, const char* user, const char* reply) {
    Probe& p = Probe::get();
    p.saver.flush();
    p.conversation.clear();
    p.conversation.id = id;
    p.conversation.title = title;
    uint32_t u = p.conversation.add(0, Role::User, user);
    p.conversation.add(u, Role::Assistant, reply);
    p.changed();
}

EMSCRIPTEN_KEEPALIVE const char* probe_state() {
    Probe& p = Probe::get();
    HistoryStore& store = HistoryStore::instance();
    rapidjson::StringBuffer buffer;
    json::Writer w(buffer);
    w.StartObject();
    w.Key("conversation"); json::write_string(w, export_json(p.conversation));
    w.Key("streaming"); w.Bool(p.session.streaming());
    w.Key("status"); json::write_string(w, p.session.status_line());
    w.Key("writes"); w.Int(p.saver.writes());
    w.Key("available"); w.Bool(store.available());
    w.Key("problem"); json::write_string(w, store.problem());
    w.EndObject();
    p.out.assign(buffer.GetString(), buffer.GetSize());
    return p.out.c_str();
}

EMSCRIPTEN_KEEPALIVE void probe_list() {
    HistoryStore::instance().list([](std::vector<ConversationSummary> list) {
        event("list", [&](json::Writer& w) {
            w.Key("items");
            w.StartArray();
            for (const ConversationSummary& s : list) {
                w.StartObject();
                w.Key("id"); json::write_string(w, s.id);
                w.Key("title"); json::write_string(w, s.title);
                w.Key("preview"); json::write_string(w, s.preview);
                w.Key("count"); w.Uint(s.message_count);
                w.Key("updated_ms"); w.Int64(s.updated_ms);
                w.EndObject();
            }
            w.EndArray();
        });
    });
}

// Loads a conversation as the current one (as the app does when a sidebar entry is chosen).
EMSCRIPTEN_KEEPALIVE void probe_load(const char* id) {
    HistoryStore::instance().load(id, [](bool ok, Conversation& loaded, const std::string& error) {
        Probe& p = Probe::get();
        if (ok && !p.session.streaming()) {
            p.saver.flush();
            p.conversation = std::move(loaded);
            p.saver.mark_saved(p.conversation);
        }
        event("load", [&](json::Writer& w) {
            w.Key("ok"); w.Bool(ok);
            w.Key("error"); json::write_string(w, error);
        });
    });
}

// Another tab changed the current conversation: merge its records, keeping a reply in flight.
EMSCRIPTEN_KEEPALIVE void probe_merge(const char* id) {
    HistoryStore::instance().load(id, [](bool ok, Conversation& loaded, const std::string& error) {
        Probe& p = Probe::get();
        bool changed = false;
        if (ok) {
            uint32_t keep = p.session.streaming_reply();
            changed = merge_stored(p.conversation, loaded, keep);
            p.saver.mark_saved(p.conversation, keep);
        }
        event("merge", [&](json::Writer& w) {
            w.Key("ok"); w.Bool(ok);
            w.Key("changed"); w.Bool(changed);
        });
    });
}

EMSCRIPTEN_KEEPALIVE int probe_resume_after_load() { return Probe::get().session.resume_after_load() ? 1 : 0; }

// Makes the loaded leaf's reply id one the server never had (a reply it no longer keeps).
EMSCRIPTEN_KEEPALIVE void probe_forget_reply_id() {
    Probe& p = Probe::get();
    if (Message* m = p.conversation.find(p.conversation.leaf())) {
        m->reply_id = "no-such-reply";
        p.conversation.touch(m->id);
    }
}

EMSCRIPTEN_KEEPALIVE void probe_rename_current(const char* title) {
    Probe& p = Probe::get();
    p.conversation.title = title;
    p.changed();
}

EMSCRIPTEN_KEEPALIVE void probe_search(const char* query) {
    HistoryStore::instance().search(query, [](std::vector<std::string> ids) {
        event("search", [&](json::Writer& w) {
            w.Key("ids");
            w.StartArray();
            for (const std::string& id : ids) json::write_string(w, id);
            w.EndArray();
        });
    });
}

EMSCRIPTEN_KEEPALIVE void probe_remove(const char* id, int undo) {
    auto done = [undo](bool ok) {
        event(undo ? "undo" : "remove", [&](json::Writer& w) { w.Key("ok"); w.Bool(ok); });
    };
    if (undo) HistoryStore::instance().undo_remove(id, done);
    else HistoryStore::instance().remove(id, done);
}

EMSCRIPTEN_KEEPALIVE void probe_rename(const char* id, const char* title) {
    HistoryStore::instance().rename(id, title, [](bool ok) {
        event("rename", [&](json::Writer& w) { w.Key("ok"); w.Bool(ok); });
    });
}

EMSCRIPTEN_KEEPALIVE const char* probe_new_id() {
    static std::string id;
    id = HistoryStore::instance().new_conversation_id();
    return id.c_str();
}

// Settings: stores the JSON given (as the settings window would after an edit), or with an
// empty argument reads back what is stored: {"ok","problem","shown"} where shown is the
// settings without the key, and "key" the stored key's mask.
EMSCRIPTEN_KEEPALIVE const char* probe_settings(const char* json_to_save) {
    static std::string out;
    AppSettings settings;
    std::string problem;
    bool ok;
    if (*json_to_save) {
        std::string warnings;
        parse_settings_json(json_to_save, settings, warnings);
        ok = save_settings(settings, problem);
    } else {
        ok = load_settings(settings, problem);
    }
    rapidjson::StringBuffer buffer;
    json::Writer w(buffer);
    w.StartObject();
    w.Key("ok"); w.Bool(ok);
    w.Key("problem"); json::write_string(w, problem);
    w.Key("shown"); json::write_string(w, settings_json(settings, SecretPolicy::Omit));
    w.Key("key"); json::write_string(w, mask_api_key(settings.session.api_key));
    w.EndObject();
    out.assign(buffer.GetString(), buffer.GetSize());
    return out.c_str();
}

}  // extern "C"

int main() {
    EM_ASM({
        window.probeEvents = window.probeEvents || [];
        window.probeReady = true;
    });
    return 0;
}
