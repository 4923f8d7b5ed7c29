// builtin_protocol: the events of serve.py's own streaming API, decoded into StreamDelta.
// Wire format (GET /api/chat/<id>/stream, text/event-stream):
//   (default "message" event)  data: {"content":"…"}  or  data: {"reasoning":"…"}
//   event: done   data: {"finish_reason":"stop","usage":{"prompt_tokens":N,"completion_tokens":N},
//                        "stopped":true?}
//   event: fail   data: {"status":503,"message":"…","retry_after":seconds?}
//   event: tool_call data: {"tool_calls":[{"index","id","function":{"name","arguments"}}]} (pieces)
//   event: ping   (data ignored)
// ("fail", not "error": a named event "error" would collide with EventSource's own error event.)
#pragma once
#include <string_view>

#include "core/stream_delta.h"

namespace imchat {

// Decodes one event into out (cleared first). Returns false when the data is not what the
// event type promises (invalid JSON, wrong shape); out.error then says what was wrong.
// Unknown event types decode to nothing (true, empty delta) so the server may add new ones.
bool decode_builtin_event(std::string_view type, std::string_view data, StreamDelta& out);

}  // namespace imchat
