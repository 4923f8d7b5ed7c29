#include "core/mcp_messages.h"

#include "core/json_util.h"

namespace imchat::mcp {

namespace {

constexpr std::string_view kVersions[] = {kLatestVersion, "2025-03-26", "2024-11-05"};

// {"jsonrpc":"2.0","id":N,"method":M,"params":P}: params written by fill, or none.
template <typename Fill>
std::string message(int64_t id, std::string_view method, Fill&& fill)
{
    rapidjson::StringBuffer buffer;
    json::Writer w(buffer);
    w.StartObject();
    json::write_key(w, "jsonrpc");
    w.String("2.0");
    if (id >= 0) {
        json::write_key(w, "id");
        w.Int64(id);
    }
    json::write_key(w, "method");
    json::write_string(w, method);
    json::write_key(w, "params");
    w.StartObject();
    fill(w);
    w.EndObject();
    w.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize());
}

bool read_one(const json::Value& v, Incoming& m, std::string& error)
{
    if (!v.IsObject() || json::string_or_empty(json::member(v, "jsonrpc")) != "2.0") {
        error = "not a JSON-RPC 2.0 message";
        return false;
    }
    const json::Value* id = json::member(v, "id");
    const json::Value* method = json::member(v, "method");
    const json::Value* params = json::member(v, "params");
    if (id && !id->IsNull()) {
        m.id_json = json::to_text(*id);
        json::get_int64(id, m.id);
    }
    if (method) {
        std::string_view name;
        if (!json::get_string(method, name)) {
            error = "a JSON-RPC method that is not a string";
            return false;
        }
        m.method.assign(name);
        m.kind = m.id_json.empty() ? Incoming::Notification : Incoming::Request;
        m.params_json = params && params->IsObject() ? json::to_text(*params) : "{}";
        return true;
    }
    if (m.id_json.empty()) {
        error = "a JSON-RPC response without an id";
        return false;
    }
    m.kind = Incoming::Response;
    if (const json::Value* result = json::member(v, "result"); result && !result->IsNull()) {
        m.result_json = json::to_text(*result);
        return true;
    }
    const json::Value* e = json::member(v, "error");
    if (!json::is_object(e)) {
        error = "a JSON-RPC response with neither result nor error";
        return false;
    }
    json::get_int64(json::member(e, "code"), m.error_code);
    m.error_message.assign(json::string_or_empty(json::member(e, "message")));
    if (m.error_message.empty()) m.error_message = "error " + std::to_string(m.error_code);
    return true;
}

}  // namespace

bool is_supported_version(std::string_view version)
{
    for (std::string_view v : kVersions)
        if (v == version) return true;
    return false;
}

std::string initialize_request(int64_t id, std::string_view client_name, std::string_view client_version)
{
    return message(id, "initialize", [&](json::Writer& w) {
        json::write_key(w, "protocolVersion");
        json::write_string(w, kLatestVersion);
        json::write_key(w, "capabilities");
        w.StartObject();  // no sampling, elicitation or roots: the server must not ask for them
        w.EndObject();
        json::write_key(w, "clientInfo");
        w.StartObject();
        json::write_key(w, "name");
        json::write_string(w, client_name);
        json::write_key(w, "version");
        json::write_string(w, client_version);
        w.EndObject();
    });
}

std::string initialized_notification()
{
    return message(-1, "notifications/initialized", [](json::Writer&) {});
}

std::string tools_list_request(int64_t id, std::string_view cursor)
{
    return message(id, "tools/list", [&](json::Writer& w) {
        if (cursor.empty()) return;
        json::write_key(w, "cursor");
        json::write_string(w, cursor);
    });
}

std::string tools_call_request(int64_t id, std::string_view name, std::string_view arguments_json)
{
    return message(id, "tools/call", [&](json::Writer& w) {
        json::write_key(w, "name");
        json::write_string(w, name);
        json::write_key(w, "arguments");
        w.RawValue(arguments_json.data(), arguments_json.size(), rapidjson::kObjectType);
        json::write_key(w, "_meta");
        w.StartObject();
        json::write_key(w, "progressToken");
        w.Int64(id);
        w.EndObject();
    });
}

std::string cancelled_notification(int64_t request_id, std::string_view reason)
{
    return message(-1, "notifications/cancelled", [&](json::Writer& w) {
        json::write_key(w, "requestId");
        w.Int64(request_id);
        json::write_key(w, "reason");
        json::write_string(w, reason);
    });
}

bool parse_incoming(std::string_view text, std::vector<Incoming>& out, std::string& error)
{
    json::JsonReader& reader = json::shared_reader();
    if (!reader.parse(text)) {
        error = "the MCP server sent invalid JSON: " + reader.error();
        return false;
    }
    const json::Value& root = reader.root();
    if (!root.IsArray()) {
        Incoming m;
        if (!read_one(root, m, error)) return false;
        out.push_back(std::move(m));
        return true;
    }
    bool all = true;
    for (const json::Value& v : root.GetArray()) {
        Incoming m;
        if (read_one(v, m, error)) out.push_back(std::move(m));
        else all = false;
    }
    return all;
}

std::string answer_server_request(const Incoming& request)
{
    rapidjson::StringBuffer buffer;
    json::Writer w(buffer);
    w.StartObject();
    json::write_key(w, "jsonrpc");
    w.String("2.0");
    json::write_key(w, "id");
    w.RawValue(request.id_json.data(), request.id_json.size(), rapidjson::kNumberType);
    if (request.method == "ping") {
        json::write_key(w, "result");
        w.StartObject();
        w.EndObject();
    } else {
        json::write_key(w, "error");
        w.StartObject();
        json::write_key(w, "code");
        w.Int(-32601);
        json::write_key(w, "message");
        json::write_string(w, "imchat does not support " + request.method);
        w.EndObject();
    }
    w.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize());
}

bool parse_progress(std::string_view params_json, Progress& out)
{
    json::JsonReader& reader = json::shared_reader();
    if (!reader.parse(params_json) || !reader.root().IsObject()) return false;
    const json::Value& p = reader.root();
    if (!json::get_int64(json::member(p, "progressToken"), out.token)) return false;
    json::get_number(json::member(p, "progress"), out.progress);
    json::get_number(json::member(p, "total"), out.total);
    out.message.assign(json::string_or_empty(json::member(p, "message")));
    return true;
}

bool parse_initialize_result(std::string_view result_json, ServerHello& out, std::string& error)
{
    json::JsonReader& reader = json::shared_reader();
    if (!reader.parse(result_json) || !reader.root().IsObject()) {
        error = "the MCP server's initialize result is not an object";
        return false;
    }
    const json::Value& r = reader.root();
    out.protocol_version.assign(json::string_or_empty(json::member(r, "protocolVersion")));
    if (!is_supported_version(out.protocol_version)) {
        error = "the MCP server speaks protocol version \"" + out.protocol_version + "\", which imchat does not";
        return false;
    }
    const json::Value* info = json::member(r, "serverInfo");
    out.name.assign(json::string_or_empty(json::member(info, "name")));
    out.version.assign(json::string_or_empty(json::member(info, "version")));
    out.instructions.assign(json::string_or_empty(json::member(r, "instructions")));
    const json::Value* tools = json::member(json::member(r, "capabilities"), "tools");
    out.has_tools = json::is_object(tools);
    const json::Value* changed = json::member(tools, "listChanged");
    out.tools_list_changed = changed && changed->IsBool() && changed->GetBool();
    return true;
}

}  // namespace imchat::mcp
