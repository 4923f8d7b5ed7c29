#include "core/tool_calls.h"

#include <algorithm>

#include "core/json_util.h"

namespace imchat {

bool is_complete_json(const std::string& text)
{
    return !text.empty() && json::shared_reader().parse(text);
}

void add_tool_call_piece(std::vector<ToolCall>& calls, const ToolCallDelta& piece)
{
    // The call this index is filling: the last one that came with it.
    ToolCall* current = nullptr;
    for (auto it = calls.rbegin(); it != calls.rend() && !current; ++it)
        if (it->index == piece.index)
            current = &*it;
    // Without an index, a piece that names a function starts a call; the rest continue the last.
    if (piece.index < 0 && !current && !calls.empty() && piece.name.empty())
        current = &calls.back();
    // The same index again: a new call when it names a function while the one there already has
    // a name, and either its id differs (Ollama, each call whole at index 0) or the one there is
    // already complete JSON. A fresh id on a nameless piece (LM Studio, vLLM) continues the call.
    const bool names_another = current && !piece.name.empty() && !current->name.empty() &&
                               ((!piece.id.empty() && piece.id != current->id) || is_complete_json(current->arguments));
    if (!current || names_another) {
        calls.push_back({piece.id, piece.name, piece.arguments, {}, piece.index});
        return;
    }
    if (current->id.empty())
        current->id = piece.id;
    if (current->name.empty())
        current->name = piece.name;
    current->arguments += piece.arguments;
}

void finish_tool_calls(std::vector<ToolCall>& calls)
{
    json::JsonReader& reader = json::shared_reader();
    for (size_t i = 0; i < calls.size(); i++) {
        ToolCall& c = calls[i];
        // A result goes back by id, so ids must tell calls apart: none, or one already taken
        // (a server reusing an id), gets its own.
        auto taken = [&](const std::string& id) {
            return std::any_of(calls.begin(), calls.begin() + static_cast<ptrdiff_t>(i), [&](const ToolCall& o) { return o.id == id; });
        };
        if (c.id.empty() || taken(c.id)) {
            std::string base = c.id.empty() ? "call_" + std::to_string(i) : c.id + "_" + std::to_string(i);
            c.id = base;
            for (int n = 2; taken(c.id); n++)
                c.id = base + "_" + std::to_string(n);
        }
        // Only whitespace, or nothing: a call without parameters.
        if (c.arguments.find_first_not_of(" \t\r\n") == std::string::npos)
            c.arguments = "{}";
        if (c.name.empty())
            c.error = "the model called a tool without a name";
        else if (!reader.parse(c.arguments))
            c.error = "the model's arguments for " + c.name + " are not valid JSON (" + reader.error() + ")";
        else if (!reader.root().IsObject())
            c.error = "the model's arguments for " + c.name + " are a JSON " + json::type_name(&reader.root()) + ", not an object";
    }
}

}  // namespace imchat
