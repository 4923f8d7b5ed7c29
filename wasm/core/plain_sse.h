// plain_sse: the simplest event-stream backend, the one most SSE articles show: a GET whose
// events carry the reply's text as bare `data:` lines (no JSON), ended by the end of the body or
// by an event named `done`; ids, when the server sends them, let a broken stream resume with
// Last-Event-ID. Portable: the session (app/chat_session) opens the stream and feeds these.
#pragma once
#include <string>
#include <string_view>

#include "core/stream_delta.h"

namespace imchat {

// The stream URL for a prompt: every "{prompt}" in the template is replaced by the prompt,
// percent-encoded (UTF-8 bytes, RFC 3986 unreserved characters kept); a template without one
// gets "prompt=<encoded>" appended as a query parameter.
std::string plain_sse_url(std::string_view url_template, std::string_view prompt);

// One event into `out`: "message" appends its data as text, "done" ends the reply, any other
// name is a heartbeat (nothing to append). Always true: plain text cannot be malformed.
bool decode_plain_sse_event(std::string_view type, std::string_view data, StreamDelta& out);

}  // namespace imchat
