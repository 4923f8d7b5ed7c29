// openai_protocol: OpenAI Chat Completions responses (streamed chat.completion.chunk events and
// whole chat.completion objects) decoded into StreamDelta, plus readable messages from error
// bodies. Covers the dialects of OpenAI, DeepSeek (delta.reasoning_content), OpenRouter and
// vLLM (delta.reasoning), llama.cpp (timings), Ollama's /v1 endpoint.
#pragma once
#include <memory>
#include <string>
#include <string_view>

#include "core/stream_delta.h"

namespace imchat {

class OpenAiStreamDecoder {
public:
    OpenAiStreamDecoder();
    ~OpenAiStreamDecoder();
    OpenAiStreamDecoder(const OpenAiStreamDecoder&) = delete;
    OpenAiStreamDecoder& operator=(const OpenAiStreamDecoder&) = delete;

    // Decodes the data of one SSE event into out (cleared first):
    //   "[DONE]"                         → out.done
    //   chunk with choices[0].delta      → content / reasoning, finish_reason
    //   chunk with usage (choices [], null or missing) → out.usage, has_usage
    //   {"error":{"message","code"|"type"}} or {"error":"…"} → out.error (+ error_status)
    // Returns false for data that is not JSON or not an object (out.error says why); a frame
    // that is valid but carries nothing we use returns true with an empty delta.
    // Keeps a parse buffer between calls so steady streaming does not allocate per event.
    bool decode(std::string_view data, StreamDelta& out);

    // decode() without its fast path for ordinary chunks (always the general JSON-document
    // path). Gives the same result as decode() for every input; tests and the fuzzer check that.
    bool decode_general(std::string_view data, StreamDelta& out);

    // A whole (non-streamed) chat.completion object: choices[0].message.content /
    // reasoning_content / reasoning, finish_reason, usage, timings; sets out.done. Error bodies
    // decode to out.error like in-stream error frames.
    bool decode_completion(std::string_view body, StreamDelta& out);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

// A clear, one-line message for a failed HTTP response, always prefixed "HTTP <status>: ".
// JSON bodies: {"error":{"message"}}, {"error":"…"}, {"message":"…"}, {"detail":"…"|[{"msg"}]}.
// HTML bodies: the <title>, else the first ~200 characters of the text without tags.
// Other text: its first ~200 characters, whitespace collapsed. Empty: the status's reason phrase.
std::string error_message_from_body(std::string_view body, std::string_view content_type, int status);

}  // namespace imchat
