// tool_calls: the function calls a model makes, assembled from what servers stream.
// OpenAI streams a call as deltas keyed by `index`: the first carries `id` and `function.name`,
// the rest pieces of `function.arguments` (JSON text). Real servers bend this: Ollama gives every
// call index 0 and sends each whole in one delta, LM Studio and vLLM repeat fresh ids on later
// pieces, some send empty arguments, and a model can write arguments that are not JSON. The
// assembler turns any of these into whole calls; a call whose arguments are not a JSON object is
// an error on that call, never on the reply.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace imchat {

// One piece of one call, as a single `tool_calls[]` entry of a delta carries it.
struct ToolCallDelta {
    int64_t index = -1;      // -1: the server sent none
    std::string id;          // empty: not in this piece
    std::string name;        // function.name; empty: not in this piece
    std::string arguments;   // the next piece of function.arguments' text
};

struct ToolCall {
    std::string id;          // the server's; made unique, or "call_<n>" when it sent none
    std::string name;
    std::string arguments;   // JSON text of an object; "{}" when the model sent none
    std::string error;       // set by finish_tool_calls: why it cannot run (bad arguments, no name)
    int64_t index = -1;      // the stream's index for it: later pieces with it continue this call

    bool operator==(const ToolCall&) const = default;
};

// Adds one piece, in the order pieces arrived (a delta's tool_calls[] in array order), to the
// calls of a reply so far. Everything it needs is in `calls`, so a reply resumed after a reload
// goes on assembling where it was.
void add_tool_call_piece(std::vector<ToolCall>& calls, const ToolCallDelta& piece);
// The reply ended: every call gets a unique id, empty arguments become "{}", and arguments that
// are not a JSON object, or a call with no name, get an error.
void finish_tool_calls(std::vector<ToolCall>& calls);

// Whether text is one whole JSON value (used to tell a finished Ollama call from a piece).
bool is_complete_json(const std::string& text);

}  // namespace imchat
