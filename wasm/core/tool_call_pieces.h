// tool_call_pieces: the `tool_calls` (and older `function_call`) of a parsed delta or message as
// ToolCallDelta pieces. OpenAI chunks carry them in choices[0].delta, the built-in API in its
// `tool_call` events, in the same shape, so both decoders read them here.
#pragma once
#include <vector>

#include "core/json_util.h"
#include "core/tool_calls.h"

namespace imchat {

void read_tool_call_pieces(const json::Value& holder, std::vector<ToolCallDelta>& out);

}  // namespace imchat
