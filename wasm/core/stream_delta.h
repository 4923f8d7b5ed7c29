// stream_delta: what one server event means for the reply, whichever protocol carried it.
// The built-in API (one JSON object per event) and OpenAI's chat.completion.chunk stream both
// decode into this one struct, so the session and the conversation never see wire formats.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/tool_calls.h"

namespace imchat {

struct TokenUsage {
    int64_t prompt_tokens = -1;      // -1: the server did not say
    int64_t completion_tokens = -1;
};

// llama.cpp's `timings` object, when a server sends one.
struct ServerTimings {
    double prompt_ms = -1, predicted_ms = -1;
    double predicted_per_second = -1;
};

struct StreamDelta {
    std::string content;        // text to append to the reply
    std::string reasoning;      // text to append to the reply's "thinking"
    std::string finish_reason;  // set on the last delta ("stop", "length", "tool_calls", ...)
    std::vector<ToolCallDelta> tool_calls;  // pieces of function calls (tool_calls.h assembles them)
    TokenUsage usage;
    ServerTimings timings;
    bool has_usage = false;
    bool has_timings = false;
    bool done = false;          // the reply is complete ([DONE], `event: done`)
    bool ping = false;          // a heartbeat: nothing to append, but the stream is alive
    bool stopped = false;       // with done: the server confirms the reply was stopped early
    int error_status = 0;       // HTTP-like status of an in-stream failure, 0 if unknown
    std::string error;          // non-empty: the server reported a failure in the stream
    int64_t retry_after_ms = -1; // with error: how long the server asks us to wait, -1 if unsaid

    // Resets every field but keeps the strings' buffers, so decoding event after event into one
    // StreamDelta does not allocate once the buffers have grown.
    void clear() {
        std::string c = std::move(content), r = std::move(reasoning), f = std::move(finish_reason),
                    e = std::move(error);
        std::vector<ToolCallDelta> t = std::move(tool_calls);
        *this = StreamDelta();
        c.clear(), r.clear(), f.clear(), e.clear(), t.clear();
        content = std::move(c), reasoning = std::move(r), finish_reason = std::move(f), error = std::move(e);
        tool_calls = std::move(t);
    }
    bool failed() const { return !error.empty(); }
};

}  // namespace imchat
