#include "bench_sides.h"

namespace imchat::bench {
namespace {

constexpr uint32_t kSeed = 2166136261u;  // FNV-1a offset basis
inline uint32_t fold(uint32_t h, uint32_t x) { return (h ^ x) * 16777619u; }

// The code point starting at s[0] of well-formed UTF-8.
uint32_t code_point_at(const unsigned char* s) {
    if (s[0] < 0x80) return s[0];
    if (s[0] < 0xE0) return (s[0] & 0x1Fu) << 6 | (s[1] & 0x3Fu);
    if (s[0] < 0xF0) return (s[0] & 0x0Fu) << 12 | (s[1] & 0x3Fu) << 6 | (s[2] & 0x3Fu);
    return (s[0] & 0x07u) << 18 | (s[1] & 0x3Fu) << 12 | (s[2] & 0x3Fu) << 6 | (s[3] & 0x3Fu);
}

// Mirrors run.mjs: the first and the last UTF-16 code unit (0 for an empty string). Constant
// time on both sides, so the timed runs measure parsing, not the checksum; the verification run
// covers every byte.
uint32_t fold_string(uint32_t h, std::string_view s) {
    if (s.empty()) return fold(fold(h, 0), 0);
    const auto* u = reinterpret_cast<const unsigned char*>(s.data());
    uint32_t first = code_point_at(u);
    if (first >= 0x10000) first = 0xD800 + ((first - 0x10000) >> 10);
    size_t last_start = s.size() - 1;
    while (last_start > 0 && (u[last_start] & 0xC0) == 0x80) --last_start;
    uint32_t last = code_point_at(u + last_start);
    if (last >= 0x10000) last = 0xDC00 + ((last - 0x10000) & 0x3FF);
    return fold(fold(h, first), last);
}

// Mirrors run.mjs: every UTF-8 byte, then a terminator no byte can equal.
uint32_t fold_string_verify(uint32_t h, std::string_view s) {
    for (unsigned char c : s) h = fold(h, c);
    return fold(h, 0x100);
}

}  // namespace

void BenchRun::start(Mode mode) {
    mode_ = mode;
    parser_ = SseParser();
    message_.clear();
    error_.clear();
    hash_ = kSeed;
    deltas_ = 0;
}

void BenchRun::on_event(void* self_ptr, const SseEvent& e) {
    auto& self = *static_cast<BenchRun*>(self_ptr);
    switch (self.mode_) {
        case Mode::events:
            self.hash_ = fold_string(fold_string(fold_string(self.hash_, e.type), e.data), e.last_event_id);
            break;
        case Mode::events_verify:
            self.hash_ = fold_string_verify(fold_string_verify(fold_string_verify(self.hash_, e.type), e.data), e.last_event_id);
            break;
        case Mode::pipeline:
        case Mode::pipeline_verify:
            if (!self.decoder_.decode(e.data, self.delta_)) {
                if (self.error_.empty()) self.error_ = self.delta_.error;
                return;
            }
            if (!self.delta_.content.empty()) {
                self.message_.append(self.delta_.content);
                ++self.deltas_;
            }
            break;
    }
}

bool BenchRun::feed(const char* bytes, size_t size) {
    if (!parser_.feed(bytes, size, on_event, this) && error_.empty()) error_ = parser_.error();
    return error_.empty();
}

uint32_t BenchRun::finish() {
    if (!error_.empty()) return 0;
    switch (mode_) {
        case Mode::events:
        case Mode::events_verify:
            return hash_;
        case Mode::pipeline:
            return fold(fold_string(kSeed, message_), deltas_);
        case Mode::pipeline_verify:
            return fold(fold_string_verify(kSeed, message_), deltas_);
    }
    return 0;
}

uint32_t run_whole(Mode mode, std::string_view stream, size_t read_size, std::string* error) {
    static BenchRun run;  // reused, like the wasm module's one instance
    run.start(mode);
    for (size_t at = 0; at < stream.size(); at += read_size) {
        size_t n = stream.size() - at < read_size ? stream.size() - at : read_size;
        if (!run.feed(stream.data() + at, n)) break;
    }
    uint32_t sum = run.finish();
    if (error) *error = run.error();
    return sum;
}

}  // namespace imchat::bench
