#include "core/conversation_io.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <unordered_map>

#include "core/json_util.h"

namespace imchat {

// ---- Markdown ---------------------------------------------------------------------------------

namespace {

void append_blockquote(std::string& out, std::string_view text) {
    size_t start = 0;
    while (start <= text.size()) {
        size_t nl = text.find('\n', start);
        std::string_view line = text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
        out += line.empty() ? ">" : "> ";
        out += line;
        out += '\n';
        if (nl == std::string_view::npos) break;
        start = nl + 1;
    }
}

const char* heading_of(Role role) {
    switch (role) {
        case Role::System: return "## System\n\n";
        case Role::User: return "## User\n\n";
        case Role::Assistant: return "## Assistant\n\n";
        case Role::Tool: return "## Tool\n\n";
    }
    return "## ?\n\n";
}

}  // namespace

std::string export_markdown(const Conversation& c) {
    std::string out;
    if (!c.title.empty()) out += "# " + c.title + "\n\n";
    for (uint32_t id : c.active_path()) {
        const Message& m = *c.find(id);
        out += heading_of(m.role);
        if (!m.reasoning.empty()) {
            out += "> **Thinking**\n>\n";
            append_blockquote(out, m.reasoning);
            out += '\n';
        }
        if (!m.text.empty()) {
            out += m.text;
            if (m.text.back() != '\n') out += '\n';
            out += '\n';
        }
        for (const ToolCall& call : m.tool_calls) {
            // Arguments are the model's text: a fence longer than any backtick run in them.
            size_t run = 0, longest = 0;
            for (char ch : call.arguments) longest = std::max(longest, run = ch == '`' ? run + 1 : 0);
            std::string fence(std::max<size_t>(3, longest + 1), '`');
            out += "**Tool call** `" + call.name + "`\n\n" + fence + "json\n" + call.arguments + "\n" + fence + "\n\n";
        }
        switch (m.status) {
            case MessageStatus::Stopped: out += "*(stopped)*\n\n"; break;
            case MessageStatus::Interrupted: out += "*(interrupted: " + m.error + ")*\n\n"; break;
            case MessageStatus::Failed: out += "*(failed: " + m.error + ")*\n\n"; break;
            default: break;
        }
    }
    return out;
}

// ---- JSON export --------------------------------------------------------------------------------

namespace {

constexpr std::string_view kFormat = "imchat.conversation";
constexpr int kVersion = 1;

void write_text_field(json::Writer& w, const char* key, const std::string& value) {
    if (value.empty()) return;
    w.Key(key);
    json::write_string(w, value);
}

void write_double_field(json::Writer& w, const char* key, double value) {
    if (value == 0 || !std::isfinite(value)) return;
    w.Key(key);
    w.Double(value);
}

void write_figures(json::Writer& w, const ReplyFigures& f) {
    if (f == ReplyFigures()) return;
    w.Key("figures");
    w.StartObject();
    write_double_field(w, "sent_ms", f.sent_ms);
    write_double_field(w, "first_token_ms", f.first_token_ms);
    write_double_field(w, "finished_ms", f.finished_ms);
    write_double_field(w, "thinking_started_ms", f.thinking_started_ms);
    write_double_field(w, "thinking_ended_ms", f.thinking_ended_ms);
    if (f.usage.prompt_tokens >= 0) { w.Key("prompt_tokens"); w.Int64(f.usage.prompt_tokens); }
    if (f.usage.completion_tokens >= 0) { w.Key("completion_tokens"); w.Int64(f.usage.completion_tokens); }
    if (f.counted_tokens != 0) { w.Key("counted_tokens"); w.Int64(f.counted_tokens); }
    if (f.has_timings) {
        w.Key("timings");
        w.StartObject();
        w.Key("prompt_ms"); w.Double(f.timings.prompt_ms);
        w.Key("predicted_ms"); w.Double(f.timings.predicted_ms);
        w.Key("predicted_per_second"); w.Double(f.timings.predicted_per_second);
        w.EndObject();
    }
    w.EndObject();
}

}  // namespace

void write_message_json(json::Writer& w, const Message& m, uint32_t selected) {
    w.StartObject();
    w.Key("id"); w.Uint(m.id);
    w.Key("parent"); w.Uint(m.parent);
    w.Key("role"); w.String(role_name(m.role));
    w.Key("status"); w.String(status_name(m.status));
    w.Key("text"); json::write_string(w, m.text);
    write_text_field(w, "reasoning", m.reasoning);
    write_text_field(w, "error", m.error);
    if (m.error_status != 0) { w.Key("error_status"); w.Int(m.error_status); }
    write_text_field(w, "finish_reason", m.finish_reason);
    write_text_field(w, "model", m.model);
    write_text_field(w, "reply_id", m.reply_id);
    write_text_field(w, "last_event_id", m.last_event_id);
    if (selected) { w.Key("selected"); w.Uint(selected); }
    write_figures(w, m.figures);
    if (!m.tool_calls.empty()) {
        w.Key("tool_calls");
        w.StartArray();
        for (const ToolCall& c : m.tool_calls) {
            w.StartObject();
            w.Key("id"); json::write_string(w, c.id);
            w.Key("name"); json::write_string(w, c.name);
            w.Key("arguments"); json::write_string(w, c.arguments);
            write_text_field(w, "error", c.error);
            if (c.index >= 0) { w.Key("index"); w.Int64(c.index); }
            w.EndObject();
        }
        w.EndArray();
    }
    w.EndObject();
}

std::string export_json(const Conversation& c) {
    rapidjson::StringBuffer buffer;
    json::Writer w(buffer);
    w.StartObject();
    w.Key("format"); json::write_string(w, kFormat);
    w.Key("version"); w.Int(kVersion);
    w.Key("id"); json::write_string(w, c.id);
    w.Key("title"); json::write_string(w, c.title);
    w.Key("created_ms"); w.Int64(c.created_ms);
    w.Key("updated_ms"); w.Int64(c.updated_ms);
    w.Key("selected"); w.Uint(c.selected_child(0));
    if (c.overrides().any()) {
        w.Key("overrides");
        write_overrides_json(w, c.overrides());
    }
    w.Key("messages");
    w.StartArray();
    for (const Message& m : c.messages())
        write_message_json(w, m, c.selected_child(m.id));
    w.EndArray();
    w.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize());
}

// ---- a chat's own settings ----------------------------------------------------------------------

void write_overrides_json(json::Writer& w, const ChatOverrides& o) {
    w.StartObject();
    if (o.model) { w.Key("model"); json::write_string(w, *o.model); }
    if (o.system_prompt) { w.Key("system_prompt"); json::write_string(w, *o.system_prompt); }
    if (o.temperature && std::isfinite(*o.temperature)) { w.Key("temperature"); w.Double(*o.temperature); }
    if (o.top_p && std::isfinite(*o.top_p)) { w.Key("top_p"); w.Double(*o.top_p); }
    if (o.max_tokens) { w.Key("max_tokens"); w.Int(*o.max_tokens); }
    if (o.context_length) { w.Key("context_length"); w.Int(*o.context_length); }
    w.EndObject();
}

void read_overrides_json(const json::Value* value, ChatOverrides& out, std::string* skipped) {
    out = ChatOverrides();
    if (skipped) skipped->clear();
    if (!json::is_object(value)) return;
    auto skip = [skipped](const char* key) {
        if (!skipped) return;
        if (!skipped->empty()) *skipped += ", ";
        *skipped += key;
    };
    auto text = [&](const char* key, std::optional<std::string>& field) {
        const json::Value* v = json::member(*value, key);
        std::string_view s;
        if (!v || v->IsNull()) return;
        if (json::get_string(v, s)) field.emplace(s);
        else skip(key);
    };
    // The ranges the global settings accept (app_settings.cpp) and servers check.
    auto number = [&](const char* key, std::optional<double>& field, double lo, double hi) {
        const json::Value* v = json::member(*value, key);
        double d;
        if (!v || v->IsNull()) return;
        if (json::get_number(v, d) && std::isfinite(d) && d >= lo && d <= hi) field = d;
        else skip(key);
    };
    auto integer = [&](const char* key, std::optional<int>& field, int64_t lo, int64_t hi) {
        const json::Value* v = json::member(*value, key);
        int64_t n;
        if (!v || v->IsNull()) return;
        if (json::get_int64(v, n) && n >= lo && n <= hi) field = static_cast<int>(n);
        else skip(key);
    };
    text("model", out.model);
    text("system_prompt", out.system_prompt);
    number("temperature", out.temperature, 0, 2);
    number("top_p", out.top_p, 0, 1);
    integer("max_tokens", out.max_tokens, 1, 10'000'000);
    integer("context_length", out.context_length, 1, 100'000'000);
}

// ---- JSON import --------------------------------------------------------------------------------

namespace {

struct Importer {
    std::string& error;

    bool fail(std::string message) {
        error = std::move(message);
        return false;
    }

    // Optional string field: absent or null → empty; any other type is an error.
    bool text(const json::Value& obj, const char* key, std::string& out, const std::string& where) {
        const json::Value* v = json::member(obj, key);
        if (!v || v->IsNull()) return true;
        std::string_view s;
        if (!json::get_string(v, s))
            return fail(where + ": \"" + key + "\" must be a string, not " + json::type_name(v));
        out.assign(s);
        return true;
    }

    bool number(const json::Value& obj, const char* key, double& out, const std::string& where) {
        const json::Value* v = json::member(obj, key);
        if (!v || v->IsNull()) return true;
        if (!json::get_number(v, out))
            return fail(where + ": \"" + key + "\" must be a number, not " + json::type_name(v));
        return true;
    }

    bool integer(const json::Value& obj, const char* key, int64_t& out, const std::string& where) {
        const json::Value* v = json::member(obj, key);
        if (!v || v->IsNull()) return true;
        if (!json::get_int64(v, out))
            return fail(where + ": \"" + key + "\" must be an integer, not " + json::type_name(v));
        return true;
    }

    bool figures(const json::Value& obj, ReplyFigures& f, const std::string& where) {
        const json::Value* v = json::member(obj, "figures");
        if (!v || v->IsNull()) return true;
        if (!v->IsObject()) return fail(where + ": \"figures\" must be an object");
        std::string at = where + ".figures";
        if (!number(*v, "sent_ms", f.sent_ms, at) || !number(*v, "first_token_ms", f.first_token_ms, at) ||
            !number(*v, "finished_ms", f.finished_ms, at) ||
            !number(*v, "thinking_started_ms", f.thinking_started_ms, at) ||
            !number(*v, "thinking_ended_ms", f.thinking_ended_ms, at) ||
            !integer(*v, "prompt_tokens", f.usage.prompt_tokens, at) ||
            !integer(*v, "completion_tokens", f.usage.completion_tokens, at) ||
            !integer(*v, "counted_tokens", f.counted_tokens, at))
            return false;
        const json::Value* t = json::member(*v, "timings");
        if (t && !t->IsNull()) {
            if (!t->IsObject()) return fail(at + ": \"timings\" must be an object");
            f.has_timings = true;
            if (!number(*t, "prompt_ms", f.timings.prompt_ms, at) ||
                !number(*t, "predicted_ms", f.timings.predicted_ms, at) ||
                !number(*t, "predicted_per_second", f.timings.predicted_per_second, at))
                return false;
        }
        return true;
    }

    // "tool_calls": [{"id","name","arguments","error"?,"index"?}], absent before calls were kept.
    bool tool_calls(const json::Value& obj, std::vector<ToolCall>& out, const std::string& where) {
        const json::Value* v = json::member(obj, "tool_calls");
        if (!v || v->IsNull()) return true;
        if (!v->IsArray()) return fail(where + ": \"tool_calls\" must be an array");
        for (rapidjson::SizeType i = 0; i < v->Size(); ++i) {
            const json::Value& call = (*v)[i];
            std::string at = where + ".tool_calls[" + std::to_string(i) + "]";
            if (!call.IsObject()) return fail(at + ": must be an object");
            ToolCall c;
            if (!text(call, "id", c.id, at) || !text(call, "name", c.name, at) ||
                !text(call, "arguments", c.arguments, at) || !text(call, "error", c.error, at) ||
                !integer(call, "index", c.index, at))
                return false;
            out.push_back(std::move(c));
        }
        return true;
    }

    // Our own format: the whole tree. Ids may be any positive integers as long as a parent comes
    // before its children (our exporter writes creation order); they are renumbered densely.
    bool ours(const json::Value& root, Conversation& c) {
        int64_t version = 0;
        if (!integer(root, "version", version, "conversation")) return false;
        if (version != kVersion)
            return fail("conversation: version " + std::to_string(version) +
                        (version > kVersion ? " was written by a newer imchat" : " is not supported"));
        if (!text(root, "id", c.id, "conversation") || !text(root, "title", c.title, "conversation") ||
            !integer(root, "created_ms", c.created_ms, "conversation") ||
            !integer(root, "updated_ms", c.updated_ms, "conversation"))
            return false;
        // Builds before this one exported updated_ms in the page's monotonic clock (ms since the
        // page loaded), which is always earlier than the real date created_ms: such a value is
        // not a date, and the creation date is the best one the file has.
        if (c.updated_ms < c.created_ms) c.updated_ms = c.created_ms;
        const json::Value* list = json::member(root, "messages");
        if (!list || !list->IsArray()) return fail("conversation: \"messages\" must be an array");
        ChatOverrides overrides;
        read_overrides_json(json::member(root, "overrides"), overrides);
        c.set_overrides(std::move(overrides));

        std::unordered_map<int64_t, uint32_t> new_id;  // id in the file → id in c
        std::vector<std::pair<uint32_t, int64_t>> selections;  // (parent in c, child id in file)
        for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
            const json::Value& v = (*list)[i];
            std::string where = "messages[" + std::to_string(i) + "]";
            if (!v.IsObject()) return fail(where + ": must be an object, not " + json::type_name(&v));
            int64_t file_id = 0, file_parent = 0, selected = 0, error_status = 0;
            if (!json::get_int64(json::member(v, "id"), file_id) || file_id <= 0)
                return fail(where + ": \"id\" must be a positive integer");
            if (new_id.count(file_id)) return fail(where + ": id " + std::to_string(file_id) + " is used twice");
            if (!integer(v, "parent", file_parent, where) || !integer(v, "selected", selected, where) ||
                !integer(v, "error_status", error_status, where))
                return false;
            uint32_t parent = 0;
            if (file_parent != 0) {
                auto it = new_id.find(file_parent);
                if (it == new_id.end())
                    return fail(where + ": parent " + std::to_string(file_parent) + " is not an earlier message");
                parent = it->second;
            }
            Role role;
            std::string_view role_text;
            if (!json::get_string(json::member(v, "role"), role_text) || !role_from_name(role_text, role))
                return fail(where + ": \"role\" must be \"system\", \"user\" or \"assistant\"");
            MessageStatus status = MessageStatus::Done;
            std::string_view status_text;
            if (json::member(v, "status") &&
                (!json::get_string(json::member(v, "status"), status_text) || !status_from_name(status_text, status)))
                return fail(where + ": unknown \"status\"");
            Message m;
            if (!text(v, "text", m.text, where) || !text(v, "reasoning", m.reasoning, where) ||
                !text(v, "error", m.error, where) || !text(v, "finish_reason", m.finish_reason, where) ||
                !text(v, "model", m.model, where) || !text(v, "reply_id", m.reply_id, where) ||
                !text(v, "last_event_id", m.last_event_id, where) || !figures(v, m.figures, where) ||
                !tool_calls(v, m.tool_calls, where))
                return false;
            uint32_t id = c.add(parent, role, std::move(m.text));
            Message& added = *c.find(id);
            m.id = id;
            m.parent = parent;
            m.role = role;
            m.text = std::move(added.text);
            m.status = status;
            m.error_status = error_status > 0 && error_status < 1000 ? static_cast<int>(error_status) : 0;
            m.revision = added.revision;
            added = std::move(m);
            new_id[file_id] = id;
            if (selected != 0) selections.emplace_back(id, selected);
        }
        int64_t root_selected = 0;
        if (!integer(root, "selected", root_selected, "conversation")) return false;
        if (root_selected != 0) selections.emplace_back(0, root_selected);
        for (auto [parent, file_child] : selections) {
            auto it = new_id.find(file_child);
            const Message* child = it == new_id.end() ? nullptr : c.find(it->second);
            if (!child || child->parent != parent)
                return fail("selected message " + std::to_string(file_child) + " is not a child of its selector");
            c.set_selected_child(parent, child->id);
        }
        return true;
    }

    // content: a string, or an array of parts of which those of type "text" count.
    bool content(const json::Value* v, std::string& out, const std::string& where) {
        if (!v || v->IsNull()) return true;
        std::string_view s;
        if (json::get_string(v, s)) {
            out.assign(s);
            return true;
        }
        if (!v->IsArray()) return fail(where + ": \"content\" must be a string or an array of parts");
        for (const json::Value& part : v->GetArray()) {
            if (json::get_string(&part, s)) {
                out.append(s);
                continue;
            }
            if (!part.IsObject()) return fail(where + ": a content part must be an object");
            std::string_view type = json::string_or_empty(json::member(part, "type"));
            if (type != "text" && type != "input_text" && type != "output_text") continue;  // images...
            if (!out.empty()) out += "\n\n";
            out.append(json::string_or_empty(json::member(part, "text")));
        }
        return true;
    }

    // The common {"messages":[{"role","content"}]} shape (or a bare array of such messages).
    bool plain(const json::Value& root, Conversation& c) {
        const json::Value* list = root.IsArray() ? &root : json::member(root, "messages");
        if (!list || !list->IsArray())
            return fail("not a conversation: expected {\"messages\": [...]} or our \"imchat.conversation\" format");
        if (root.IsObject() && !text(root, "title", c.title, "conversation")) return false;
        uint32_t parent = 0;
        for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
            const json::Value& v = (*list)[i];
            std::string where = "messages[" + std::to_string(i) + "]";
            if (!v.IsObject()) return fail(where + ": must be an object, not " + json::type_name(&v));
            std::string_view role_text;
            if (!json::get_string(json::member(v, "role"), role_text))
                return fail(where + ": \"role\" is missing");
            Role role;
            if (role_text == "developer") role = Role::System;
            else if (role_text == "tool" || role_text == "function") continue;  // no place for them
            else if (!role_from_name(role_text, role))
                return fail(where + ": unknown role \"" + std::string(role_text) + "\"");
            std::string body;
            if (!content(json::member(v, "content"), body, where)) return false;
            std::string reasoning;
            if (!text(v, "reasoning_content", reasoning, where)) return false;
            if (reasoning.empty() && !text(v, "reasoning", reasoning, where)) return false;
            parent = c.add(parent, role, std::move(body));
            c.find(parent)->reasoning = std::move(reasoning);
        }
        if (c.title.empty())
            for (const Message& m : c.messages())
                if (m.role == Role::User) { c.title = title_from_prompt(m.text); break; }
        return true;
    }
};

}  // namespace

bool import_json(std::string_view text, Conversation& out, std::string& error) {
    if (text.size() > kMaxImportBytes) {
        error = "the file is too large to import (" + std::to_string(text.size() >> 20) + " MB; the limit is " +
                std::to_string(kMaxImportBytes >> 20) + " MB)";
        return false;
    }
    // Its own reader: an import can be large, and its memory should go when the import is over.
    auto reader = std::make_unique<json::JsonReader>();
    if (!reader->parse(text)) {
        error = "not valid JSON: " + reader->error();
        return false;
    }
    const json::Value& root = reader->root();
    if (!root.IsObject() && !root.IsArray()) {
        error = std::string("not a conversation: the file holds ") + json::type_name(&root);
        return false;
    }
    Conversation c;
    Importer importer{error};
    const json::Value* format = json::member(root, "format");
    bool ok;
    if (format) {
        std::string_view name;
        if (!json::get_string(format, name) || name != kFormat) {
            error = "unknown format (expected \"imchat.conversation\")";
            return false;
        }
        ok = importer.ours(root, c);
    } else {
        ok = importer.plain(root, c);
    }
    if (!ok) return false;
    out = std::move(c);
    return true;
}

}  // namespace imchat
