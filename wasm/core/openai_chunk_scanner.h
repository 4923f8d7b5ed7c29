// openai_chunk_scanner: the fast path of OpenAiStreamDecoder::decode.
// Nearly every event of a stream is {"id":…,"choices":[{"index":0,"delta":{"content":"…"}}]}.
// Building a JSON document for it costs more than the rest of the pipeline, so ordinary chunks
// are read by a small strict scanner instead: one pass, strings scanned 8 bytes at a time,
// no allocation once the output strings have grown.
//
// The scanner gives up on anything it cannot read *exactly* like the general (RapidJSON
// document) path: error frames, tool calls, content as an array of parts, duplicate keys (the document path
// takes the first), escaped keys, lone surrogate escapes, numbers with a fraction or exponent or
// more than 18 digits (RapidJSON's rules for those are its own), deep nesting, and anything that
// is not valid JSON. A chunk it gives up on is decoded by the general path, which is why the two
// paths agree on every input (tests/unit and the openai fuzz target check that).
#pragma once
#include <string>
#include <string_view>

#include "core/stream_delta.h"

namespace imchat {

// json: the trimmed event data. Fills out's content, reasoning, finish_reason, usage and
// timings and returns true, or returns false (out then holds partial results: clear it).
// scratch: a buffer kept by the caller so `reasoning` can be held without allocating.
bool scan_ordinary_chunk(std::string_view json, StreamDelta& out, std::string& scratch);

}  // namespace imchat
