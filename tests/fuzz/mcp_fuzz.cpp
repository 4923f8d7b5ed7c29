// The MCP client's readers on whatever a server sends: never crash; every message read back is
// re-answerable; a result for the model is valid UTF-8 (when the input was) and never longer
// than its cap plus the note that it was cut.
#include <string>
#include <vector>

#include "core/mcp_messages.h"
#include "core/mcp_tools.h"
#include "core/utf8.h"
#include "fuzz_common.h"

using namespace imchat;
using namespace imchat::mcp;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view input = fuzz::as_view(data, size);
    std::vector<Incoming> in;
    std::string error;
    parse_incoming(input, in, error);
    for (const Incoming& m : in) {
        if (m.kind == Incoming::Request) FUZZ_CHECK(!answer_server_request(m).empty());
        Progress p;
        if (m.kind == Incoming::Notification) parse_progress(m.params_json, p);
    }
    ServerHello hello;
    parse_initialize_result(input, hello, error);
    std::vector<ToolInfo> tools;
    std::string cursor;
    parse_tools_list(input, tools, cursor, error);
    for (const ToolInfo& t : tools) FUZZ_CHECK(!t.name.empty());
    ToolResult result;
    if (parse_tool_result(input, result, error)) {
        const size_t cap = size % 97;
        std::string sent = result_for_model(result, cap);
        FUZZ_CHECK(sent.size() <= cap + 80);
        FUZZ_CHECK(utf8_is_valid(sent));
    }
    ToolNames names;
    for (size_t i = 0; i + 1 < size && i < 64; i += 8) {
        const std::string& n = names.add(input.substr(0, i), input.substr(i, 8));
        FUZZ_CHECK(is_api_tool_name(n));
    }
    return 0;
}
