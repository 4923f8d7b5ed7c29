#include "core/server_info.h"

#include "core/json_util.h"

namespace imchat {

bool parse_model_list(std::string_view body, std::vector<std::string>& out, std::string& error)
{
    out.clear();
    json::JsonReader reader;
    if (!reader.parse(body)) {
        error = reader.error();
        return false;
    }
    const json::Value* list = json::member(reader.root(), "data");
    if (!list || !list->IsArray())
        list = json::member(reader.root(), "models");
    if (!list || !list->IsArray()) {
        error = "the server's model list has no \"data\" array";
        return false;
    }
    for (const json::Value& item : list->GetArray()) {
        std::string_view id;
        if (json::get_string(json::member(item, "id"), id) || json::get_string(json::member(item, "model"), id) ||
            json::get_string(json::member(item, "name"), id)) {
            if (!id.empty())
                out.emplace_back(id);
        }
    }
    return true;
}

int64_t parse_context_length(std::string_view props_body)
{
    json::JsonReader reader;
    if (!reader.parse(props_body))
        return 0;
    int64_t n = 0;
    if (json::get_int64(json::member(json::member(reader.root(), "default_generation_settings"), "n_ctx"), n) && n > 0)
        return n;
    if (json::get_int64(json::member(reader.root(), "n_ctx"), n) && n > 0)
        return n;
    return 0;
}

int64_t estimate_tokens(std::string_view text)
{
    int64_t latin_bytes = 0, wide = 0;
    for (size_t i = 0; i < text.size();) {
        unsigned char c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            latin_bytes++;
            i++;
        } else {
            // A multi-byte character: CJK and the like are about a token each.
            size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : 2;
            wide++;
            i += len;
        }
    }
    return (latin_bytes + 3) / 4 + wide;
}

}  // namespace imchat
