// Tool calls assembled from a stream of chunks: each input line is one event's data, decoded and
// assembled into one reply's calls, as a reply's events are. Never crashes; after finish_tool_calls every call
// has an id and arguments, an id is never shared, and a call without an error has a name and
// arguments that are a JSON object; its text is valid UTF-8.
#include <set>
#include <string>

#include "core/json_util.h"
#include "core/openai_protocol.h"
#include "core/tool_calls.h"
#include "core/utf8.h"
#include "fuzz_common.h"

using namespace imchat;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view input = fuzz::as_view(data, size);
    OpenAiStreamDecoder decoder;
    std::vector<ToolCall> calls;
    StreamDelta d;
    for (size_t start = 0; start <= input.size();) {
        size_t end = input.find('\n', start);
        if (end == std::string_view::npos) end = input.size();
        if (decoder.decode(input.substr(start, end - start), d))
            for (const ToolCallDelta& piece : d.tool_calls) add_tool_call_piece(calls, piece);
        start = end + 1;
    }
    finish_tool_calls(calls);
    std::set<std::string> ids;
    json::JsonReader reader;
    for (const ToolCall& c : calls) {
        FUZZ_CHECK(!c.id.empty() && !c.arguments.empty());
        FUZZ_CHECK(utf8_is_valid(c.id) && utf8_is_valid(c.name) && utf8_is_valid(c.arguments) && utf8_is_valid(c.error));
        if (c.error.empty()) {
            FUZZ_CHECK(!c.name.empty());
            FUZZ_CHECK(reader.parse(c.arguments) && reader.root().IsObject());
        }
        FUZZ_CHECK(ids.insert(c.id).second);
    }
    return 0;
}
