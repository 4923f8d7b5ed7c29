// SseParser: the same bytes fed whole, in an input-derived chunking and one byte at a time
// give the same events, last event ID, retry and failure; every event's text is valid UTF-8.
#include <string>
#include <vector>

#include "core/sse_parser.h"
#include "core/utf8.h"
#include "fuzz_common.h"

using namespace imchat;

namespace {

struct Outcome {
    std::vector<std::string> events;  // type, data, id per event, joined with NULs
    std::string last_event_id;
    int64_t retry_ms = -1;
    bool failed = false;
    bool operator==(const Outcome&) const = default;
};

void collect(void* user, const SseEvent& e) {
    FUZZ_CHECK(utf8_is_valid(e.type) && utf8_is_valid(e.data) && utf8_is_valid(e.last_event_id));
    FUZZ_CHECK(!e.type.empty());
    std::string s(e.type);
    s.append(1, '\0').append(e.data).append(1, '\0').append(e.last_event_id);
    static_cast<Outcome*>(user)->events.push_back(std::move(s));
}

// A small cap so the too-large failure is reached too.
constexpr size_t kMaxEventBytes = 512;

Outcome run(const std::vector<std::string_view>& pieces) {
    SseParser parser(kMaxEventBytes);
    Outcome out;
    for (std::string_view p : pieces) parser.feed(p, collect, &out);
    out.last_event_id = parser.last_event_id();
    out.retry_ms = parser.retry_ms();
    out.failed = parser.failed();
    FUZZ_CHECK(out.failed == !parser.error().empty());
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view input = fuzz::as_view(data, size);
    Outcome whole = run({input});
    FUZZ_CHECK(run(fuzz::split(input)) == whole);
    std::vector<std::string_view> bytes;
    for (size_t i = 0; i < input.size(); ++i) bytes.push_back(input.substr(i, 1));
    FUZZ_CHECK(run(bytes) == whole);
    return 0;
}
