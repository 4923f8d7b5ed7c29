// OpenAiStreamDecoder and error_message_from_body: never crash; decode is deterministic and
// its fast path agrees with the general path on every input (tool call pieces included); what a successful decode hands
// out is valid UTF-8; error messages always read "HTTP <status>: …".
#include <string>

#include "core/openai_protocol.h"
#include "core/utf8.h"
#include "fuzz_common.h"

using namespace imchat;

namespace {

bool same_calls(const StreamDelta& a, const StreamDelta& b) {
    if (a.tool_calls.size() != b.tool_calls.size()) return false;
    for (size_t i = 0; i < a.tool_calls.size(); ++i) {
        const ToolCallDelta &x = a.tool_calls[i], &y = b.tool_calls[i];
        if (x.index != y.index || x.id != y.id || x.name != y.name || x.arguments != y.arguments) return false;
    }
    return true;
}

bool same(const StreamDelta& a, const StreamDelta& b) {
    auto same_double = [](double x, double y) { return x == y || (x != x && y != y); };
    return a.content == b.content && a.reasoning == b.reasoning && a.finish_reason == b.finish_reason &&
           a.usage.prompt_tokens == b.usage.prompt_tokens &&
           a.usage.completion_tokens == b.usage.completion_tokens &&
           same_double(a.timings.prompt_ms, b.timings.prompt_ms) &&
           same_double(a.timings.predicted_ms, b.timings.predicted_ms) &&
           same_double(a.timings.predicted_per_second, b.timings.predicted_per_second) &&
           a.has_usage == b.has_usage && a.has_timings == b.has_timings && a.done == b.done &&
           a.ping == b.ping && a.stopped == b.stopped && a.error_status == b.error_status &&
           a.error == b.error && a.retry_after_ms == b.retry_after_ms && same_calls(a, b);
}

void check_text(const StreamDelta& d) {
    FUZZ_CHECK(utf8_is_valid(d.content));
    FUZZ_CHECK(utf8_is_valid(d.reasoning));
    FUZZ_CHECK(utf8_is_valid(d.finish_reason));
    for (const ToolCallDelta& c : d.tool_calls)
        FUZZ_CHECK(utf8_is_valid(c.id) && utf8_is_valid(c.name) && utf8_is_valid(c.arguments));
}

// Kept across inputs, as a stream's decoder is kept across events: leftovers of one input
// must never leak into the next.
OpenAiStreamDecoder& shared_decoder() {
    static OpenAiStreamDecoder decoder;
    return decoder;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view input = fuzz::as_view(data, size);
    OpenAiStreamDecoder fresh;
    StreamDelta a, b, general;
    bool ok_a = shared_decoder().decode(input, a);
    bool ok_b = fresh.decode(input, b);
    FUZZ_CHECK(ok_a == ok_b && same(a, b));
    FUZZ_CHECK(ok_a || !a.error.empty());
    if (ok_a) check_text(a);
    bool ok_general = fresh.decode_general(input, general);
    FUZZ_CHECK(ok_general == ok_a && same(general, a));

    StreamDelta c1, c2;
    bool ok_c1 = shared_decoder().decode_completion(input, c1);
    bool ok_c2 = fresh.decode_completion(input, c2);
    FUZZ_CHECK(ok_c1 == ok_c2 && same(c1, c2));
    FUZZ_CHECK(ok_c1 || !c1.error.empty());
    if (ok_c1) check_text(c1);

    int status = size > 0 ? 100 + data[0] * 2 : 500;
    std::string message = error_message_from_body(input, size % 2 ? "text/html" : "application/json", status);
    FUZZ_CHECK(message.rfind("HTTP " + std::to_string(status) + ": ", 0) == 0);
    FUZZ_CHECK(message.size() > 5 + std::to_string(status).size() + 2);
    return 0;
}
