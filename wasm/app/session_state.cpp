#include "app/session_state.h"

#include "app/chat_session.h"

namespace imchat {

void write_session_state(json::Writer& w, const ChatSession& session, std::string_view error_override)
{
    const Conversation& conversation = session.conversation();
    json::write_key(w, "messages");
    w.StartArray();
    for (uint32_t id : conversation.active_path()) {
        const Message* m = conversation.find(id);
        w.StartObject();
        json::write_key(w, "id");
        w.Uint(m->id);
        json::write_key(w, "role");
        json::write_string(w, role_name(m->role));
        json::write_key(w, "text");
        json::write_string(w, m->text);
        json::write_key(w, "reasoning");
        json::write_string(w, m->reasoning);
        json::write_key(w, "status");
        json::write_string(w, status_name(m->status));
        json::write_key(w, "error");
        json::write_string(w, m->error);
        json::write_key(w, "error_status");
        w.Int(m->error_status);
        json::write_key(w, "finish_reason");
        json::write_string(w, m->finish_reason);
        json::write_key(w, "reply_id");
        json::write_string(w, m->reply_id);
        json::write_key(w, "last_event_id");
        json::write_string(w, m->last_event_id);
        auto [position, count] = conversation.sibling_position(m->id);
        json::write_key(w, "sibling");
        w.Int(position);
        json::write_key(w, "siblings");
        w.Int(count);
        w.EndObject();
    }
    w.EndArray();
    json::write_key(w, "streaming");
    w.Bool(session.streaming());
    json::write_key(w, "status");
    json::write_string(w, session.status_line());
    json::write_key(w, "lastError");
    json::write_string(w, error_override.empty() ? std::string_view(session.last_error()) : error_override);
    json::write_key(w, "reconnects");
    w.Int(session.reconnects());
    json::write_key(w, "skipped");
    w.Int(session.skipped_events());
}

}  // namespace imchat
