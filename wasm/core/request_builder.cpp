#include "core/request_builder.h"

#include "core/server_info.h"

#include <cmath>

#include "core/json_util.h"

namespace imchat {

std::vector<uint32_t> context_ids(const Conversation& conversation, uint32_t up_to) {
    std::vector<uint32_t> path = conversation.active_path();
    std::vector<uint32_t> out;
    for (size_t i = 0; i < path.size(); ++i) {
        const Message* m = conversation.find(path[i]);
        bool usable;
        if (m->role == Role::Assistant) {
            // A reply that failed or never produced text would only confuse the model.
            usable = !m->text.empty() && m->status != MessageStatus::Failed;
        } else {
            const Message* reply = i + 1 < path.size() ? conversation.find(path[i + 1]) : nullptr;
            usable = !(m->role == Role::User && reply && reply->parent == m->id && is_refused_reply(*reply));
        }
        if (usable) out.push_back(m->id);
        if (m->id == up_to) break;
    }
    return out;
}

std::vector<ChatMessage> chat_messages_from(const Conversation& conversation, uint32_t up_to) {
    std::vector<ChatMessage> out;
    for (uint32_t id : context_ids(conversation, up_to)) {
        const Message* m = conversation.find(id);
        out.push_back({m->role, m->text, {}, {}});
    }
    return out;
}

namespace {

void write_body(json::Writer& w, const ChatRequest& r) {
    w.StartObject();
    json::write_key(w, "model");
    json::write_string(w, r.model);
    json::write_key(w, "messages");
    w.StartArray();
    auto message = [&w](const ChatMessage& m) {
        w.StartObject();
        json::write_key(w, "role");
        w.String(role_name(m.role));
        json::write_key(w, "content");
        if (m.content.empty() && !m.tool_calls.empty())
            w.Null();  // what OpenAI sends for a turn that only calls tools
        else
            json::write_string(w, m.content);
        if (!m.tool_calls.empty()) {
            json::write_key(w, "tool_calls");
            w.StartArray();
            for (const ToolCall& c : m.tool_calls) {
                w.StartObject();
                json::write_key(w, "id");
                json::write_string(w, c.id);
                json::write_key(w, "type");
                w.String("function");
                json::write_key(w, "function");
                w.StartObject();
                json::write_key(w, "name");
                json::write_string(w, c.name);
                json::write_key(w, "arguments");
                json::write_string(w, c.arguments);
                w.EndObject();
                w.EndObject();
            }
            w.EndArray();
        }
        if (m.role == Role::Tool) {
            json::write_key(w, "tool_call_id");
            json::write_string(w, m.tool_call_id);
        }
        w.EndObject();
    };
    if (!r.system_prompt.empty()) message({Role::System, r.system_prompt, {}, {}});
    for (const ChatMessage& m : r.messages) message(m);
    w.EndArray();
    // Writer refuses NaN and infinities (and would leave a dangling key): send only real numbers.
    if (r.temperature && std::isfinite(*r.temperature)) {
        json::write_key(w, "temperature");
        w.Double(*r.temperature);
    }
    if (r.top_p && std::isfinite(*r.top_p)) {
        json::write_key(w, "top_p");
        w.Double(*r.top_p);
    }
    if (r.max_tokens) {
        json::write_key(w, "max_tokens");
        w.Int(*r.max_tokens);
    }
}

}  // namespace

std::string build_builtin_request(const ChatRequest& request) {
    rapidjson::StringBuffer buffer;
    json::Writer w(buffer);
    write_body(w, request);
    w.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize());
}

std::string build_openai_request(const ChatRequest& request) {
    rapidjson::StringBuffer buffer;
    json::Writer w(buffer);
    write_body(w, request);
    if (!request.tools_json.empty()) {
        json::write_key(w, "tools");
        w.RawValue(request.tools_json.data(), request.tools_json.size(), rapidjson::kArrayType);
        if (!request.tool_choice.empty()) {
            json::write_key(w, "tool_choice");
            if (request.tool_choice.front() == '{')
                w.RawValue(request.tool_choice.data(), request.tool_choice.size(), rapidjson::kObjectType);
            else
                json::write_string(w, request.tool_choice);
        }
    }
    json::write_key(w, "stream");
    w.Bool(true);
    // Without this OpenAI sends no token counts in a stream; servers that ignore it lose nothing.
    json::write_key(w, "stream_options");
    w.StartObject();
    json::write_key(w, "include_usage");
    w.Bool(true);
    w.EndObject();
    w.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize());
}

std::string builtin_reply_id_from_json(std::string_view body) {
    json::JsonReader& reader = json::shared_reader();
    if (!reader.parse(body)) return {};
    return std::string(json::string_or_empty(json::member(reader.root(), "id")));
}

size_t drop_oldest_turns(std::vector<ChatMessage>& messages, int64_t max_tokens) {
    int64_t total = 0;
    for (const ChatMessage& m : messages) total += estimate_tokens(m.content);
    size_t drop = 0;
    while (total > max_tokens && drop + 1 < messages.size()) {
        total -= estimate_tokens(messages[drop].content);
        drop++;
        // A turn is a user message and the replies after it: never start on a reply.
        while (drop + 1 < messages.size() && messages[drop].role != Role::User) {
            total -= estimate_tokens(messages[drop].content);
            drop++;
        }
    }
    messages.erase(messages.begin(), messages.begin() + static_cast<ptrdiff_t>(drop));
    return drop;
}

}  // namespace imchat
