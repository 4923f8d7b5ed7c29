// stream_gen: a deterministic, OpenAI-style text/event-stream for the parser benchmark.
// The same seed gives the same bytes natively and in wasm, so every side parses one input.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace imchat::bench {

// Chat completions of a few hundred chunks each, one after another, until `target_bytes` is
// reached; the first chunk of each carries the role, the last a finish_reason; the stream ends
// with `data: [DONE]`. Content deltas mix English words, Chinese, emoji and JSON escapes. Some
// events carry an `id:` line, a few keep-alive comments sit in between.
std::string generate_openai_stream(size_t target_bytes, uint32_t seed);

}  // namespace imchat::bench
