// sse_parser: bytes of a text/event-stream in, dispatched events out.
// Implements the WHATWG HTML "parse an event stream" and "interpret an event stream"
// algorithms incrementally: the stream may be cut into chunks anywhere (inside a line, inside a
// CRLF pair, inside a UTF-8 sequence) and the events come out the same.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace imchat {

// One dispatched event. The views point into the parser and are valid only during the callback.
struct SseEvent {
    std::string_view type;           // "message" when the stream named none
    std::string_view data;           // data lines joined with LF, valid UTF-8
    std::string_view last_event_id;  // the stream's last event ID at dispatch (persists)
};

// Called once per dispatched event. A plain function pointer keeps feed() free of templates
// and allocations; `user` is handed back untouched.
using SseEventFn = void (*)(void* user, const SseEvent& event);

class SseParser {
public:
    static constexpr size_t kDefaultMaxEventBytes = 16u << 20;

    // max_event_bytes caps one line and one event's data buffer; a stream that exceeds it fails
    // with a clear error() instead of growing memory without bound.
    explicit SseParser(size_t max_event_bytes = kDefaultMaxEventBytes);

    // Feeds the next chunk of raw bytes. Calls fn for every event the chunk completes.
    // Returns false once the stream has failed; later calls then do nothing.
    bool feed(const char* bytes, size_t size, SseEventFn fn, void* user);
    bool feed(std::string_view bytes, SseEventFn fn, void* user) { return feed(bytes.data(), bytes.size(), fn, user); }

    // For a reconnection of the same stream: forgets the partial line and event but keeps the
    // last event ID and retry, as EventSource does. Also clears a failure.
    void reset_for_reconnect();

    bool failed() const { return !error_.empty(); }
    const std::string& error() const { return error_; }
    // The last event ID as of the last dispatch point (a blank line): what a reconnection sends
    // as Last-Event-ID. An `id:` of an event still being received is not in it yet.
    const std::string& last_event_id() const { return id_since_dispatch_ ? committed_id_ : last_event_id_; }
    // The reconnection time the stream asked for with `retry:` in ms, or -1 if it never did.
    int64_t retry_ms() const { return retry_ms_; }

private:
    void feed_lines(const char* p, const char* end, SseEventFn fn, void* user);
    bool end_line(const char* p, size_t size, bool has_non_ascii, SseEventFn fn, void* user);
    void process_line(std::string_view line, SseEventFn fn, void* user);
    void dispatch(SseEventFn fn, void* user);
    void fail_too_large();

    size_t max_event_bytes_;
    std::string line_;           // raw bytes of a line the previous chunk cut off
    std::string decoded_line_;   // scratch: a line with ill-formed UTF-8 replaced by U+FFFD
    std::string data_;           // data buffer of the event being built
    std::string event_type_;     // event type buffer
    std::string last_event_id_;  // last event ID buffer (persists across events)
    std::string committed_id_;   // its value at the last dispatch point, kept while an `id:` of
    bool id_since_dispatch_ = false;  // the event being received has replaced the buffer
    std::string error_;
    int64_t retry_ms_ = -1;
    bool line_non_ascii_ = false;  // line_ holds a byte >= 0x80 (so it needs UTF-8 checking)
    bool skip_lf_ = false;       // the previous chunk ended in CR: a leading LF belongs to it
    // The UTF-8 decode strips one BOM at the very start of the stream; these hold the stream's
    // first bytes while they could still be one split across chunks.
    bool bom_checked_ = false;
    char bom_pending_[3] = {};
    uint8_t bom_pending_size_ = 0;
};

}  // namespace imchat
