// bench_sides: what the C++ side of the parser benchmark does with a stream, shared by the
// wasm module (driven from run.mjs) and the native program so both do exactly the same work.
//   events:   SseParser; every event's type, data and id folded into a checksum.
//   pipeline: SseParser -> OpenAiStreamDecoder -> delta content appended to the message text.
// The checksums are defined so run.mjs can compute the same numbers from JavaScript strings
// (see fold/foldString there): each string's first and last UTF-16 code unit in timed runs
// (constant time on both sides), all of its UTF-8 bytes in the untimed verification run.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/openai_protocol.h"
#include "core/sse_parser.h"

namespace imchat::bench {

enum class Mode : int { events = 0, pipeline = 1, events_verify = 2, pipeline_verify = 3 };

class BenchRun {
public:
    void start(Mode mode);
    // Feeds the next read; false once the parser or the JSON decoder failed (see error()).
    bool feed(const char* bytes, size_t size);
    uint32_t finish();  // the checksum of the run
    const std::string& error() const { return error_; }

private:
    static void on_event(void* self, const SseEvent& e);

    Mode mode_ = Mode::events;
    SseParser parser_;
    OpenAiStreamDecoder decoder_;
    StreamDelta delta_;
    std::string message_;
    std::string error_;
    uint32_t hash_ = 0;
    uint32_t deltas_ = 0;
};

// Parses `stream` in reads of `read_size` bytes; returns the checksum (0 and a message in
// *error on failure).
uint32_t run_whole(Mode mode, std::string_view stream, size_t read_size, std::string* error);

}  // namespace imchat::bench
