#include "core/history_records.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <set>

#include "core/conversation_io.h"
#include "core/json_util.h"

namespace imchat {

// ---- message records --------------------------------------------------------------------------
// A message record is exactly one message object of the export format (conversation_io.h),
// so a conversation rebuilds through import_json.
std::string message_record_json(const Message& m) {
    rapidjson::StringBuffer buffer;
    json::Writer w(buffer);
    write_message_json(w, m);
    return std::string(buffer.GetString(), buffer.GetSize());
}

// ---- meta records -----------------------------------------------------------------------------

namespace {

constexpr size_t kPreviewBytes = 160;

// The start of text on one line: whitespace runs become one space, cut on a UTF-8 boundary.
std::string preview_of(std::string_view text) {
    std::string out;
    bool space = false;
    for (size_t i = 0; i < text.size() && out.size() < kPreviewBytes; ++i) {
        unsigned char ch = static_cast<unsigned char>(text[i]);
        if (ch == ' ' || ch == '\n' || ch == '\r' || ch == '\t') {
            space = !out.empty();
            continue;
        }
        if (space) out += ' ';
        space = false;
        out += static_cast<char>(ch);
    }
    // Drop a code point the byte limit cut in half.
    size_t end = out.size();
    size_t lead = end;
    while (lead > 0 && (static_cast<unsigned char>(out[lead - 1]) & 0xC0) == 0x80) --lead;
    if (lead > 0) {
        unsigned char first = static_cast<unsigned char>(out[lead - 1]);
        size_t need = first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : first >= 0xC0 ? 2 : 1;
        if (end - (lead - 1) < need) out.resize(lead - 1);
    }
    return out;
}

}  // namespace

ConversationSummary summary_of(const Conversation& c, int64_t created_ms, int64_t updated_ms) {
    ConversationSummary s;
    s.id = c.id;
    s.title = c.title;
    s.created_ms = created_ms;
    s.updated_ms = updated_ms;
    s.message_count = static_cast<uint32_t>(c.size());
    s.overrides = c.overrides();
    if (uint32_t leaf = c.leaf()) s.preview = preview_of(c.find(leaf)->text);
    for (uint32_t parent = 0; parent <= c.size(); ++parent)
        if (uint32_t child = c.selected_child(parent)) s.selected.emplace_back(parent, child);
    return s;
}

std::string meta_record_json(const ConversationSummary& s) {
    rapidjson::StringBuffer buffer;
    json::Writer w(buffer);
    w.StartObject();
    w.Key("id"); json::write_string(w, s.id);
    w.Key("title"); json::write_string(w, s.title);
    w.Key("created_ms"); w.Int64(s.created_ms);
    w.Key("updated_ms"); w.Int64(s.updated_ms);
    w.Key("message_count"); w.Uint(s.message_count);
    w.Key("preview"); json::write_string(w, s.preview);
    w.Key("selected");
    w.StartArray();
    for (auto [parent, child] : s.selected) {
        w.StartArray();
        w.Uint(parent);
        w.Uint(child);
        w.EndArray();
    }
    w.EndArray();
    if (s.overrides.any()) {
        w.Key("overrides");
        write_overrides_json(w, s.overrides);
    }
    w.EndObject();
    return std::string(buffer.GetString(), buffer.GetSize());
}

namespace {

bool decode_meta(const json::Value& v, ConversationSummary& s, std::string& error) {
    if (!v.IsObject()) {
        error = std::string("a conversation record must be an object, not ") + json::type_name(&v);
        return false;
    }
    std::string_view id;
    if (!json::get_string(json::member(v, "id"), id) || id.empty()) {
        error = "a conversation record has no \"id\"";
        return false;
    }
    s = ConversationSummary();
    s.id.assign(id);
    s.title.assign(json::string_or_empty(json::member(v, "title")));
    s.preview.assign(json::string_or_empty(json::member(v, "preview")));
    json::get_int64(json::member(v, "created_ms"), s.created_ms);
    json::get_int64(json::member(v, "updated_ms"), s.updated_ms);
    int64_t count = 0;
    if (json::get_int64(json::member(v, "message_count"), count) && count > 0 && count <= UINT32_MAX)
        s.message_count = static_cast<uint32_t>(count);
    const json::Value* selected = json::member(v, "selected");
    if (selected && selected->IsArray()) {
        for (const json::Value& pair : selected->GetArray()) {
            int64_t parent = -1, child = -1;
            if (!pair.IsArray() || pair.Size() != 2 || !json::get_int64(&pair[0], parent) ||
                !json::get_int64(&pair[1], child) || parent < 0 || child <= parent || child > UINT32_MAX)
                continue;  // a bad pair costs only that node's selection
            s.selected.emplace_back(static_cast<uint32_t>(parent), static_cast<uint32_t>(child));
        }
    }
    read_overrides_json(json::member(v, "overrides"), s.overrides);
    return true;
}

}  // namespace

bool parse_meta_record(std::string_view text, ConversationSummary& out, std::string& error) {
    json::JsonReader& reader = json::shared_reader();
    if (!reader.parse(text)) {
        error = "conversation record: " + reader.error();
        return false;
    }
    return decode_meta(reader.root(), out, error);
}

std::vector<ConversationSummary> parse_meta_list(std::string_view text, int* skipped) {
    std::vector<ConversationSummary> out;
    int bad = 0;
    auto reader = std::make_unique<json::JsonReader>();
    if (reader->parse(text) && reader->root().IsArray()) {
        std::string error;
        for (const json::Value& v : reader->root().GetArray()) {
            ConversationSummary s;
            if (decode_meta(v, s, error)) out.push_back(std::move(s));
            else ++bad;
        }
    } else {
        bad = 1;
    }
    std::stable_sort(out.begin(), out.end(), [](const ConversationSummary& a, const ConversationSummary& b) {
        return a.updated_ms > b.updated_ms;
    });
    if (skipped) *skipped = bad;
    return out;
}

// ---- rebuilding a conversation ----------------------------------------------------------------

bool assemble_conversation(std::string_view stored, std::string_view conversation_id, Conversation& out,
                           bool& renumbered, std::string& error) {
    // JsonReader, the one parser type of the app: a second RapidJSON reader instantiation would
    // cost ~10 KB of wasm. Its own instance, since import_json below uses the shared one.
    auto reader = std::make_unique<json::JsonReader>();
    if (!reader->parse(stored) || !reader->root().IsObject()) {
        error = "stored conversation is not valid JSON";
        return false;
    }
    const json::Value& in = reader->root();
    ConversationSummary meta;
    meta.id.assign(conversation_id);
    if (const json::Value* m = json::member(in, "meta"); m && !m->IsNull()) {
        std::string meta_error;
        if (!decode_meta(*m, meta, meta_error)) {
            error = "stored conversation: " + meta_error;
            return false;
        }
    }
    const json::Value* list = json::member(in, "messages");
    if (!list || !list->IsArray()) {
        error = "stored conversation has no message list";
        return false;
    }

    // Records by id; each kept only if its parent is kept (parents have smaller ids).
    std::map<uint32_t, json::Value*> records;
    for (json::Value& v : const_cast<json::Value*>(list)->GetArray()) {
        int64_t id = 0;
        if (!v.IsObject() || !json::get_int64(json::member(v, "id"), id) || id <= 0 || id > UINT32_MAX) continue;
        records[static_cast<uint32_t>(id)] = &v;  // a duplicate key cannot happen in a store; last wins
    }
    std::map<uint32_t, uint32_t> parent_of;  // kept id → parent id
    std::map<uint32_t, uint32_t> newest_child;
    for (auto& [id, v] : records) {
        int64_t parent = 0;
        json::get_int64(json::member(*v, "parent"), parent);
        if (parent < 0 || parent >= id || (parent != 0 && !parent_of.count(static_cast<uint32_t>(parent)))) continue;
        parent_of[id] = static_cast<uint32_t>(parent);
        newest_child[static_cast<uint32_t>(parent)] = id;
    }

    std::map<uint32_t, uint32_t> selection;  // parent → child, only usable pairs
    for (auto [parent, child] : meta.selected) {
        auto it = parent_of.find(child);
        if (it != parent_of.end() && it->second == parent) selection[parent] = child;
    }
    for (auto [parent, child] : newest_child) selection.emplace(parent, child);  // keeps existing

    rapidjson::Document doc;
    auto& alloc = doc.GetAllocator();
    doc.SetObject();
    doc.AddMember("format", "imchat.conversation", alloc);
    doc.AddMember("version", 1, alloc);
    doc.AddMember("id", json::Value(meta.id.c_str(), static_cast<rapidjson::SizeType>(meta.id.size()), alloc), alloc);
    doc.AddMember("title", json::Value(meta.title.c_str(), static_cast<rapidjson::SizeType>(meta.title.size()), alloc), alloc);
    doc.AddMember("created_ms", meta.created_ms, alloc);
    doc.AddMember("updated_ms", meta.updated_ms, alloc);
    doc.AddMember("selected", selection.count(0) ? selection[0] : 0u, alloc);
    json::Value messages(rapidjson::kArrayType);
    uint32_t expected = 1;
    renumbered = false;
    for (auto [id, parent] : parent_of) {
        if (id != expected++) renumbered = true;
        json::Value copy(*records[id], alloc);
        copy.RemoveMember("selected");
        if (auto it = selection.find(id); it != selection.end()) copy.AddMember("selected", it->second, alloc);
        messages.PushBack(copy, alloc);
    }
    if (parent_of.size() != records.size()) renumbered = true;
    doc.AddMember("messages", messages, alloc);

    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    doc.Accept(writer);
    std::string import_error;
    if (!import_json(std::string_view(buffer.GetString(), buffer.GetSize()), out, import_error)) {
        error = "stored conversation: " + import_error;
        return false;
    }
    out.set_overrides(std::move(meta.overrides));
    return true;
}

// ---- merging what another tab saved -----------------------------------------------------------

bool merge_stored(Conversation& local, const Conversation& stored, uint32_t keep_id) {
    bool changed = false;
    for (const Message& theirs : stored.messages()) {
        if (theirs.id == keep_id) continue;
        Message* mine = local.find(theirs.id);
        if (!mine) {
            if (theirs.id != local.size() + 1 || (theirs.parent != 0 && !local.find(theirs.parent))) break;
            uint32_t id = local.add(theirs.parent, theirs.role, theirs.text);
            Message& added = *local.find(id);
            uint64_t revision = added.revision;
            added = theirs;
            added.revision = revision;
            changed = true;
            continue;
        }
        if (mine->parent != theirs.parent || mine->role != theirs.role) continue;  // a collision
        if (*mine == theirs) continue;
        uint64_t revision = mine->revision;
        *mine = theirs;
        mine->revision = revision;
        local.touch(mine->id);
        changed = true;
    }
    if (stored.updated_ms > local.updated_ms) local.updated_ms = stored.updated_ms;
    if (local.created_ms == 0) local.created_ms = stored.created_ms;
    if (!stored.title.empty() && stored.title != local.title) {
        local.title = stored.title;
        changed = true;
    }
    if (stored.overrides() != local.overrides()) {
        local.set_overrides(stored.overrides());
        changed = true;
    }
    if (keep_id == 0) {
        uint64_t before = local.revision();
        for (uint32_t parent = 0; parent <= stored.size(); ++parent)
            if (uint32_t child = stored.selected_child(parent)) local.set_selected_child(parent, child);
        changed = changed || local.revision() != before;
    } else {
        local.select(keep_id);
    }
    return changed;
}

}  // namespace imchat
