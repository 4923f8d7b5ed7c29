#include "core/sse_parser.h"

#include <bit>
#include <cstring>

#include "core/utf8.h"

namespace imchat {
namespace {

constexpr unsigned char kBom[3] = {0xEF, 0xBB, 0xBF};

// The first CR or LF in [p, end), or end. Also says whether a byte >= 0x80 comes before it, so
// pure-ASCII lines (nearly all of them) skip UTF-8 checking. Eight bytes at a time: a line is
// found with one pass over its bytes instead of a state machine step per byte. (The non-ASCII
// flag may also see bytes of the word past the line end: a harmless extra check.)
inline const char* find_line_end(const char* p, const char* end, bool& non_ascii) {
    constexpr uint64_t kOnes = 0x0101010101010101ull;
    constexpr uint64_t kHighs = 0x8080808080808080ull;
    uint64_t seen = 0;
    if constexpr (std::endian::native == std::endian::little) {
        while (end - p >= 8) {
            uint64_t w;
            std::memcpy(&w, p, 8);
            uint64_t lf = w ^ (kOnes * '\n');
            uint64_t cr = w ^ (kOnes * '\r');
            // A byte of lf (or cr) is zero where w holds LF (CR); the lowest flagged byte of this
            // classic zero-byte test is exact, which is the only one used.
            uint64_t hit = (((lf - kOnes) & ~lf) | ((cr - kOnes) & ~cr)) & kHighs;
            seen |= w;
            if (hit) {
                non_ascii = (seen & kHighs) != 0;
                return p + std::countr_zero(hit) / 8;
            }
            p += 8;
        }
    }
    bool high = (seen & kHighs) != 0;
    for (; p < end; ++p) {
        unsigned char c = static_cast<unsigned char>(*p);
        if (c == '\n' || c == '\r') break;
        high |= c >= 0x80;
    }
    non_ascii = high;
    return p;
}

}  // namespace

SseParser::SseParser(size_t max_event_bytes) : max_event_bytes_(max_event_bytes) {
    // Typical events are a few hundred bytes; reserving once keeps the steady state allocation-free.
    line_.reserve(1024);
    data_.reserve(1024);
}

bool SseParser::feed(const char* bytes, size_t size, SseEventFn fn, void* user) {
    if (failed()) return false;
    if (!bom_checked_) {
        // UTF-8 decode: one leading BOM is dropped. Its bytes may arrive one chunk at a time.
        while (size > 0 && bom_pending_size_ < 3 && static_cast<unsigned char>(*bytes) == kBom[bom_pending_size_]) {
            bom_pending_[bom_pending_size_++] = *bytes++;
            --size;
        }
        if (bom_pending_size_ == 3) {
            bom_checked_ = true;
            bom_pending_size_ = 0;
        } else if (size == 0) {
            return true;  // all bytes so far could still be the start of a BOM
        } else {
            // Not a BOM: the held bytes are ordinary stream content.
            bom_checked_ = true;
            char held[3];
            size_t held_size = bom_pending_size_;
            std::memcpy(held, bom_pending_, held_size);
            bom_pending_size_ = 0;
            feed_lines(held, held + held_size, fn, user);
        }
    }
    feed_lines(bytes, bytes + size, fn, user);
    return !failed();
}

void SseParser::feed_lines(const char* p, const char* end, SseEventFn fn, void* user) {
    if (skip_lf_ && p < end) {
        // The previous chunk ended in CR: this LF completes that CRLF, not an empty line.
        if (*p == '\n') ++p;
        skip_lf_ = false;
    }
    while (p < end && !failed()) {
        bool non_ascii = false;
        const char* eol = find_line_end(p, end, non_ascii);
        if (eol == end) {
            // The chunk ends inside a line: keep its raw bytes (UTF-8 is checked once the line is
            // whole, so a sequence split across chunks needs no decoder state).
            if (line_.size() + static_cast<size_t>(end - p) > max_event_bytes_) return fail_too_large();
            line_.append(p, end);
            line_non_ascii_ |= non_ascii;
            return;
        }
        bool ok;
        if (line_.empty()) {
            ok = end_line(p, static_cast<size_t>(eol - p), non_ascii, fn, user);  // straight from the chunk
        } else {
            if (line_.size() + static_cast<size_t>(eol - p) > max_event_bytes_) return fail_too_large();
            line_.append(p, eol);
            ok = end_line(line_.data(), line_.size(), line_non_ascii_ || non_ascii, fn, user);
            line_.clear();
            line_non_ascii_ = false;
        }
        if (!ok) return;
        // CRLF, CR or LF ends a line; a CR that ends the chunk may have its LF in the next one.
        if (*eol == '\r') {
            if (eol + 1 == end) {
                skip_lf_ = true;
                return;
            }
            p = eol + (eol[1] == '\n' ? 2 : 1);
        } else {
            p = eol + 1;
        }
    }
}

bool SseParser::end_line(const char* p, size_t size, bool has_non_ascii, SseEventFn fn, void* user) {
    if (size > max_event_bytes_) {
        fail_too_large();
        return false;
    }
    std::string_view line(p, size);
    if (has_non_ascii && !utf8_is_valid(line)) {
        // Ill-formed UTF-8 is decoded to U+FFFD (the standard's UTF-8 decode); CR and LF always
        // end a pending sequence, so decoding line by line equals decoding the whole stream.
        decoded_line_.clear();
        utf8_decode_append(decoded_line_, line);
        line = decoded_line_;
    }
    process_line(line, fn, user);
    return !failed();
}

void SseParser::process_line(std::string_view line, SseEventFn fn, void* user) {
    // "If the line is empty (a blank line): Dispatch the event."
    if (line.empty()) return dispatch(fn, user);
    // "If the line starts with a U+003A COLON character (:): Ignore the line."
    if (line[0] == ':') return;
    // "If the line contains a U+003A COLON character": field is before it, value after it with
    // one leading U+0020 SPACE removed. "Otherwise": the whole line is the field, value empty.
    std::string_view field = line, value;
    if (const void* colon = std::memchr(line.data(), ':', line.size())) {
        size_t at = static_cast<size_t>(static_cast<const char*>(colon) - line.data());
        field = line.substr(0, at);
        value = line.substr(at + 1);
        if (!value.empty() && value[0] == ' ') value.remove_prefix(1);
    }
    // "Process the field": unknown names are ignored.
    if (field == "data") {
        // "Append the field value to the data buffer, then append a single U+000A LINE FEED."
        if (data_.size() + value.size() > max_event_bytes_) return fail_too_large();
        data_.append(value);
        data_.push_back('\n');
    } else if (field == "event") {
        event_type_.assign(value);
    } else if (field == "id") {
        // "If the field value does not contain U+0000 NULL, set the last event ID buffer to the
        // field value. Otherwise, ignore the field."
        if (value.find('\0') == std::string_view::npos) {
            if (!id_since_dispatch_) {
                committed_id_ = last_event_id_;
                id_since_dispatch_ = true;
            }
            last_event_id_.assign(value);
        }
    } else if (field == "retry") {
        // "If the field value consists of only ASCII digits, interpret it as an integer in base
        // ten and set the reconnection time. Otherwise, ignore the field." (Empty: no integer.)
        if (value.empty()) return;
        int64_t ms = 0;
        for (char c : value) {
            if (c < '0' || c > '9') return;
            // Saturate rather than overflow on absurdly long digit strings.
            ms = ms > (INT64_MAX - 9) / 10 ? INT64_MAX : ms * 10 + (c - '0');
        }
        retry_ms_ = ms;
    }
}

void SseParser::dispatch(SseEventFn fn, void* user) {
    // Step 1: the last event ID string takes the buffer's value whether or not an event follows.
    id_since_dispatch_ = false;
    // Step 2: "If the data buffer is an empty string, set the data buffer and the event type
    // buffer to the empty string and return."
    if (data_.empty()) {
        event_type_.clear();
        return;
    }
    // Step 3: remove the data buffer's trailing LF. Steps 5-6: type "message" unless named.
    std::string_view data(data_.data(), data_.size() - 1);
    std::string_view type = event_type_.empty() ? std::string_view("message") : std::string_view(event_type_);
    fn(user, SseEvent{type, data, last_event_id_});
    // Step 7: reset the data and event type buffers (capacity kept for the next event).
    data_.clear();
    event_type_.clear();
}

void SseParser::fail_too_large() {
    error_ = "event larger than " + std::to_string(max_event_bytes_) + " bytes";
}

void SseParser::reset_for_reconnect() {
    // A new response is a new stream: fresh line, data and event type buffers and a fresh BOM
    // check; the last event ID (as of the last dispatch point) and retry persist.
    if (id_since_dispatch_) last_event_id_ = committed_id_;
    id_since_dispatch_ = false;
    line_.clear();
    data_.clear();
    event_type_.clear();
    error_.clear();
    line_non_ascii_ = false;
    skip_lf_ = false;
    bom_checked_ = false;
    bom_pending_size_ = 0;
}

}  // namespace imchat
