#include "core/tool_call_pieces.h"

namespace imchat {

// function.arguments is JSON text; Ollama's native dialect sends the object itself.
static void append_arguments(const json::Value* v, std::string& out) {
    std::string_view s;
    if (json::get_string(v, s)) {
        out.append(s);
        return;
    }
    if (v && !v->IsNull()) out += json::to_text(*v);
}

// `tool_calls` of a delta or a message, and the older single `function_call`, as pieces.
void read_tool_call_pieces(const json::Value& holder, std::vector<ToolCallDelta>& out) {
    auto piece_of = [&out](const json::Value& call, const json::Value* function, int64_t index) {
        ToolCallDelta piece;
        piece.index = index;
        piece.id.assign(json::string_or_empty(json::member(call, "id")));
        piece.name.assign(json::string_or_empty(json::member(function, "name")));
        append_arguments(json::member(function, "arguments"), piece.arguments);
        out.push_back(std::move(piece));
    };
    const json::Value* calls = json::member(holder, "tool_calls");
    if (calls && calls->IsArray()) {
        for (const json::Value& call : calls->GetArray()) {
            if (!call.IsObject()) continue;
            int64_t index = -1;
            json::get_int64(json::member(call, "index"), index);
            piece_of(call, json::member(call, "function"), index < 0 ? -1 : index);
        }
    }
    const json::Value* legacy = json::member(holder, "function_call");
    if (json::is_object(legacy)) piece_of(*legacy, legacy, 0);
}

}  // namespace imchat
