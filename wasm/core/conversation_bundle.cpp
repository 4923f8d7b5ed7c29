#include "core/conversation_bundle.h"

#include <memory>

#include "core/conversation_io.h"
#include "core/json_util.h"

namespace imchat {

namespace {

constexpr std::string_view kBundleFormat = "imchat.conversations";

} // namespace

std::string export_all_json(const std::vector<const Conversation*>& conversations)
{
    std::string out = "{\"format\":\"imchat.conversations\",\"version\":1,\"conversations\":[";
    for (size_t i = 0; i < conversations.size(); i++) {
        if (i) out += ',';
        out += export_json(*conversations[i]);
    }
    return out + "]}";
}

bool import_many_json(std::string_view text, std::vector<Conversation>& out, std::string& error)
{
    if (text.size() > kMaxImportBytes) {
        error = "the file is too large to import";
        return false;
    }
    auto reader = std::make_unique<json::JsonReader>();
    std::string_view format;
    const json::Value* list = nullptr;
    if (reader->parse(text) && reader->root().IsObject() && json::get_string(json::member(reader->root(), "format"), format) &&
        format == kBundleFormat)
        list = json::member(reader->root(), "conversations");
    if (!list) {  // one conversation (import_json says what is wrong with it)
        Conversation one;
        if (!import_json(text, one, error)) return false;
        out.clear();
        out.push_back(std::move(one));
        return true;
    }
    if (!list->IsArray()) {
        error = "bundle: \"conversations\" must be an array";
        return false;
    }
    std::vector<Conversation> read(list->Size());
    for (rapidjson::SizeType i = 0; i < list->Size(); ++i) {
        // Each entry is an export_json object: written back out, it goes through the one reader.
        rapidjson::StringBuffer buffer;
        rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
        (*list)[i].Accept(writer);
        std::string entry_error;
        if (!import_json(std::string_view(buffer.GetString(), buffer.GetSize()), read[i], entry_error)) {
            error = "conversations[" + std::to_string(i) + "]: " + entry_error;
            return false;
        }
    }
    out = std::move(read);
    return true;
}

} // namespace imchat
