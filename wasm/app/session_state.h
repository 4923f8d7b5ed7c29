// session_state: the JSON snapshot tests read (window.imchat.state() in the page, state() of
// imchat_headless): the active path's messages and the session's status. Writes members into
// an object the caller opened, so each caller can add its own.
#pragma once
#include "core/json_util.h"

namespace imchat {

class ChatSession;

// "messages":[{id,role,text,reasoning,status,error,error_status,finish_reason,reply_id,last_event_id,
// sibling,siblings}], "streaming", "status", "lastError", "reconnects", "skipped".
// A non-empty error_override stands in for the session's last error (e.g. bad settings).
void write_session_state(json::Writer& w, const ChatSession& session, std::string_view error_override = {});

}  // namespace imchat
