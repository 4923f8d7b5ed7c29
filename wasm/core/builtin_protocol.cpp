#include "core/builtin_protocol.h"

#include <cmath>
#include <string>

#include "core/json_util.h"
#include "core/tool_call_pieces.h"

namespace imchat {

namespace {

json::JsonReader& reader() { return json::shared_reader(); }

bool fail(StreamDelta& out, std::string_view event, std::string what) {
    out.clear();
    out.error = "bad built-in \"" + std::string(event) + "\" event: " + what;
    return false;
}

bool parse_object(std::string_view event, std::string_view data, StreamDelta& out) {
    json::JsonReader& r = reader();
    if (!r.parse(data)) return fail(out, event, r.error());
    if (!r.root().IsObject())
        return fail(out, event, std::string("expected a JSON object, got ") + json::type_name(&r.root()));
    return true;
}

bool decode_message(std::string_view data, StreamDelta& out) {
    if (!parse_object("message", data, out)) return false;
    const json::Value& root = reader().root();
    const json::Value* content = json::member(root, "content");
    const json::Value* reasoning = json::member(root, "reasoning");
    std::string_view s;
    if (content && !content->IsNull()) {
        if (!json::get_string(content, s)) return fail(out, "message", "\"content\" is not a string");
        out.content.assign(s);
    }
    if (reasoning && !reasoning->IsNull()) {
        if (!json::get_string(reasoning, s)) return fail(out, "message", "\"reasoning\" is not a string");
        out.reasoning.assign(s);
    }
    return true;
}

bool decode_done(std::string_view data, StreamDelta& out) {
    out.done = true;
    // A bare `event: done` (no data) is still an end.
    if (data.find_first_not_of(" \t\r\n") == std::string_view::npos) return true;
    if (!parse_object("done", data, out)) return false;
    out.done = true;
    const json::Value& root = reader().root();
    out.finish_reason.assign(json::string_or_empty(json::member(root, "finish_reason")));
    if (const json::Value* usage = json::member(root, "usage"); json::is_object(usage)) {
        out.has_usage = true;
        json::get_int64(json::member(usage, "prompt_tokens"), out.usage.prompt_tokens);
        json::get_int64(json::member(usage, "completion_tokens"), out.usage.completion_tokens);
    }
    const json::Value* stopped = json::member(root, "stopped");
    out.stopped = stopped && stopped->IsBool() && stopped->GetBool();
    return true;
}

bool decode_fail(std::string_view data, StreamDelta& out) {
    if (!parse_object("fail", data, out)) return false;
    const json::Value& root = reader().root();
    int64_t status = 0;
    if (json::get_int64(json::member(root, "status"), status) && status > 0 && status < 1000)
        out.error_status = static_cast<int>(status);
    out.error.assign(json::string_or_empty(json::member(root, "message")));
    if (out.error.empty()) out.error = "the server reported a failure without a message";
    double retry_s = 0;
    if (json::get_number(json::member(root, "retry_after"), retry_s) && retry_s >= 0 && retry_s < 1e9)
        out.retry_after_ms = static_cast<int64_t>(std::llround(retry_s * 1000));
    return true;
}

// {"tool_calls":[{"index","id","function":{"name","arguments"}}]}: pieces of function calls,
// shaped as in an OpenAI delta.
bool decode_tool_call(std::string_view data, StreamDelta& out) {
    if (!parse_object("tool_call", data, out)) return false;
    const json::Value* calls = json::member(reader().root(), "tool_calls");
    if (!calls || !calls->IsArray()) return fail(out, "tool_call", "\"tool_calls\" is not an array");
    read_tool_call_pieces(reader().root(), out.tool_calls);
    return true;
}

}  // namespace

bool decode_builtin_event(std::string_view type, std::string_view data, StreamDelta& out) {
    out.clear();
    if (type.empty() || type == "message") return decode_message(data, out);
    if (type == "done") return decode_done(data, out);
    if (type == "fail") return decode_fail(data, out);
    if (type == "tool_call") return decode_tool_call(data, out);
    if (type == "ping") {
        out.ping = true;
        return true;
    }
    return true;  // an event type from a newer server: nothing for us in it
}

}  // namespace imchat
