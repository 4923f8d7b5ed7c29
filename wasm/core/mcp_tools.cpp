#include "core/mcp_tools.h"

#include <algorithm>

#include "core/json_util.h"

namespace imchat::mcp {

namespace {

constexpr size_t kMaxApiName = 64;

bool api_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

std::string cleaned(std::string_view s)
{
    std::string out;
    for (char c : s) out += api_char(c) ? c : '_';
    return out;
}

std::string size_text(size_t bytes)
{
    return bytes < 1024 ? std::to_string(bytes) + " B" : std::to_string((bytes + 512) / 1024) + " KB";
}

// Bytes behind base64 text.
size_t decoded_size(const std::string& base64)
{
    size_t padding = base64.size() >= 2 ? (base64.end()[-1] == '=') + (base64.end()[-2] == '=') : 0;
    return base64.size() / 4 * 3 - padding;
}

std::string media_text(const ToolContent& c, const char* kind)
{
    return "[" + (c.mime_type.empty() ? std::string(kind) : c.mime_type) + ", " + size_text(decoded_size(c.data)) + "]";
}

}  // namespace

bool parse_tools_list(std::string_view result_json, std::vector<ToolInfo>& out, std::string& next_cursor, std::string& error)
{
    json::JsonReader& reader = json::shared_reader();
    if (!reader.parse(result_json) || !reader.root().IsObject()) {
        error = "the MCP server's tools/list result is not an object";
        return false;
    }
    const json::Value& r = reader.root();
    const json::Value* tools = json::member(r, "tools");
    if (!tools || !tools->IsArray()) {
        error = "the MCP server's tools/list result has no \"tools\" array";
        return false;
    }
    for (const json::Value& t : tools->GetArray()) {
        ToolInfo info;
        info.name.assign(json::string_or_empty(json::member(t, "name")));
        if (info.name.empty()) continue;  // a tool nobody can call
        info.title.assign(json::string_or_empty(json::member(t, "title")));
        info.description.assign(json::string_or_empty(json::member(t, "description")));
        if (const json::Value* schema = json::member(t, "inputSchema"); json::is_object(schema))
            info.input_schema_json = json::to_text(*schema);
        out.push_back(std::move(info));
    }
    next_cursor.assign(json::string_or_empty(json::member(r, "nextCursor")));
    return true;
}

bool is_api_tool_name(std::string_view name)
{
    return !name.empty() && name.size() <= kMaxApiName && std::all_of(name.begin(), name.end(), api_char);
}

const std::string& ToolNames::add(std::string_view server, std::string_view tool)
{
    for (const Entry& e : entries_)
        if (e.server == server && e.tool == tool) return e.api_name;
    auto taken = [&](const std::string& name) {
        return std::any_of(entries_.begin(), entries_.end(), [&](const Entry& e) { return e.api_name == name; });
    };
    std::string name(tool);
    if (!is_api_tool_name(name) || taken(name)) {
        name = cleaned(server) + "__" + cleaned(tool);
        if (name.size() > kMaxApiName) name.resize(kMaxApiName);
        for (int n = 2; taken(name); n++) {
            std::string suffix = "_" + std::to_string(n);
            name = name.substr(0, std::min(name.size(), kMaxApiName - suffix.size())) + suffix;
        }
    }
    entries_.push_back({name, std::string(server), std::string(tool)});
    return entries_.back().api_name;
}

const ToolNames::Entry* ToolNames::find(std::string_view api_name) const
{
    for (const Entry& e : entries_)
        if (e.api_name == api_name) return &e;
    return nullptr;
}

std::string openai_tools_json(const std::vector<ToolInfo>& tools, const std::vector<std::string>& api_names)
{
    rapidjson::StringBuffer buffer;
    json::Writer w(buffer);
    w.StartArray();
    for (size_t i = 0; i < tools.size() && i < api_names.size(); i++) {
        const ToolInfo& t = tools[i];
        w.StartObject();
        json::write_key(w, "type");
        w.String("function");
        json::write_key(w, "function");
        w.StartObject();
        json::write_key(w, "name");
        json::write_string(w, api_names[i]);
        const std::string& description = t.description.empty() ? t.title : t.description;
        if (!description.empty()) {
            json::write_key(w, "description");
            json::write_string(w, description);
        }
        json::write_key(w, "parameters");
        w.RawValue(t.input_schema_json.data(), t.input_schema_json.size(), rapidjson::kObjectType);
        w.EndObject();
        w.EndObject();
    }
    w.EndArray();
    return std::string(buffer.GetString(), buffer.GetSize());
}

bool parse_tool_result(std::string_view result_json, ToolResult& out, std::string& error)
{
    json::JsonReader& reader = json::shared_reader();
    if (!reader.parse(result_json) || !reader.root().IsObject()) {
        error = "the MCP server's tools/call result is not an object";
        return false;
    }
    const json::Value& r = reader.root();
    const json::Value* is_error = json::member(r, "isError");
    out.is_error = is_error && is_error->IsBool() && is_error->GetBool();
    if (const json::Value* s = json::member(r, "structuredContent"); s && !s->IsNull())
        out.structured_json = json::to_text(*s);
    const json::Value* content = json::member(r, "content");
    if (content && content->IsArray()) {
        for (const json::Value& part : content->GetArray()) {
            std::string_view type = json::string_or_empty(json::member(part, "type"));
            ToolContent c;
            c.mime_type.assign(json::string_or_empty(json::member(part, "mimeType")));
            if (type == "text") {
                c.kind = ToolContent::Text;
                c.text.assign(json::string_or_empty(json::member(part, "text")));
            } else if (type == "image" || type == "audio") {
                c.kind = type == "image" ? ToolContent::Image : ToolContent::Audio;
                c.data.assign(json::string_or_empty(json::member(part, "data")));
            } else if (type == "resource_link") {
                c.kind = ToolContent::ResourceLink;
                c.uri.assign(json::string_or_empty(json::member(part, "uri")));
                c.name.assign(json::string_or_empty(json::member(part, "name")));
            } else if (type == "resource") {
                const json::Value* res = json::member(part, "resource");
                c.kind = ToolContent::Resource;
                c.uri.assign(json::string_or_empty(json::member(res, "uri")));
                c.mime_type.assign(json::string_or_empty(json::member(res, "mimeType")));
                c.text.assign(json::string_or_empty(json::member(res, "text")));
            } else {
                continue;  // a newer kind of part: nothing we can show
            }
            out.content.push_back(std::move(c));
        }
    }
    // Servers of the 2025-06-18 revision may answer with structured content only.
    if (out.content.empty() && !out.structured_json.empty())
        out.content.push_back({ToolContent::Text, out.structured_json, {}, {}, {}, {}});
    return true;
}

std::string result_for_model(const ToolResult& result, size_t max_bytes)
{
    std::string text = result.is_error ? "Error: " : "";
    for (const ToolContent& c : result.content) {
        if (text.size() > (result.is_error ? 7u : 0u)) text += '\n';
        switch (c.kind) {
            case ToolContent::Text: text += c.text; break;
            case ToolContent::Image: text += media_text(c, "image"); break;
            case ToolContent::Audio: text += media_text(c, "audio"); break;
            case ToolContent::ResourceLink: text += "[" + (c.name.empty() ? c.uri : c.name) + "](" + c.uri + ")"; break;
            case ToolContent::Resource: text += c.text.empty() ? c.uri : c.text; break;
        }
    }
    if (text.size() <= max_bytes) return text;
    size_t cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    std::string note = "\n[cut: " + size_text(text.size() - cut) + " more of this result were not sent]";
    text.resize(cut);
    return text + note;
}

}  // namespace imchat::mcp
