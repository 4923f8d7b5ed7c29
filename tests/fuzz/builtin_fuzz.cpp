// decode_builtin_event: never crashes, is deterministic, and a successful decode hands out
// valid UTF-8. The first byte picks the event type, the rest is the event's data.
#include <string>

#include "core/builtin_protocol.h"
#include "core/utf8.h"
#include "fuzz_common.h"

using namespace imchat;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    static const std::string_view kTypes[] = {"message", "done", "fail", "ping", "", "other"};
    if (size == 0) return 0;
    std::string_view type = kTypes[data[0] % std::size(kTypes)];
    std::string_view body = fuzz::as_view(data + 1, size - 1);
    StreamDelta a, b;
    bool ok_a = decode_builtin_event(type, body, a);
    bool ok_b = decode_builtin_event(type, body, b);
    FUZZ_CHECK(ok_a == ok_b);
    FUZZ_CHECK(a.content == b.content && a.reasoning == b.reasoning && a.error == b.error &&
               a.finish_reason == b.finish_reason && a.done == b.done && a.ping == b.ping &&
               a.stopped == b.stopped && a.error_status == b.error_status &&
               a.retry_after_ms == b.retry_after_ms && a.has_usage == b.has_usage &&
               a.usage.prompt_tokens == b.usage.prompt_tokens &&
               a.usage.completion_tokens == b.usage.completion_tokens);
    FUZZ_CHECK(ok_a || !a.error.empty());
    if (ok_a) {
        FUZZ_CHECK(utf8_is_valid(a.content));
        FUZZ_CHECK(utf8_is_valid(a.reasoning));
        FUZZ_CHECK(utf8_is_valid(a.finish_reason));
        FUZZ_CHECK(utf8_is_valid(a.error));
    }
    return 0;
}
