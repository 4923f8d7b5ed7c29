// mcp_tools: MCP tools as the model sees them. A tools/list page becomes ToolInfo; tools of
// several servers get names the OpenAI API accepts (^[a-zA-Z0-9_-]{1,64}$), unique across
// servers, and map back; a tools/call result becomes what the transcript shows (every part) and
// what goes back to the model (its text, capped with a note that it was cut).
#pragma once
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace imchat::mcp {

struct ToolInfo {
    std::string name, title, description;
    std::string input_schema_json = "{\"type\":\"object\"}";
};

// One page of tools/list: appends its tools; next_cursor is "" on the last page.
bool parse_tools_list(std::string_view result_json, std::vector<ToolInfo>& out, std::string& next_cursor, std::string& error);

// The function names the model calls, for the tools of every connected server.
class ToolNames {
public:
    struct Entry {
        std::string api_name, server, tool;
    };
    // Gives (server, tool) its name for the model: the tool's own name when it is valid and
    // free, else a cleaned one ("server__tool", cut to 64, numbered when taken).
    const std::string& add(std::string_view server, std::string_view tool);
    const Entry* find(std::string_view api_name) const;
    void clear() { entries_.clear(); }
    const std::vector<Entry>& entries() const { return entries_; }

private:
    std::vector<Entry> entries_;
};

bool is_api_tool_name(std::string_view name);

// The request's `tools` array for these tools, under the names given (same order).
std::string openai_tools_json(const std::vector<ToolInfo>& tools, const std::vector<std::string>& api_names);

struct ToolContent {
    enum Kind { Text, Image, Audio, ResourceLink, Resource } kind = Text;
    std::string text;       // Text, Resource (its text)
    std::string mime_type;  // Image, Audio, Resource
    std::string data;       // Image, Audio: base64 as sent
    std::string uri, name;  // ResourceLink, Resource
};

struct ToolResult {
    std::vector<ToolContent> content;
    std::string structured_json;  // structuredContent, when the server sent it
    bool is_error = false;
};

bool parse_tool_result(std::string_view result_json, ToolResult& out, std::string& error);

// The tool message's content for the model: text parts as they are, other parts named (an image
// is "[image/png, 12 KB]"), at most max_bytes (cut on a UTF-8 boundary, then a note saying how
// much was left out). An error result starts "Error: " so the model knows the call failed.
std::string result_for_model(const ToolResult& result, size_t max_bytes);

}  // namespace imchat::mcp
