// conversation_io: conversations to and from files.
//   Markdown: the active path, for reading or pasting elsewhere (not re-importable).
//   JSON:     our full format, the whole tree with selection and figures:
//             {"format":"imchat.conversation","version":1,"id","title","created_ms","updated_ms",
//              "selected":<first message shown>,"overrides"?:{…} (the chat's own settings),
//              "messages":[{"id","parent","role","status","text","reasoning"?,"error"?,
//                           "error_status"?,"finish_reason"?,"model"?,"reply_id"?,
//                           "last_event_id"?,"selected"?:<child shown>,"figures"?:{…}}…]}
//             (messages in creation order). Never an API key: overrides have no place for one.
//             created_ms and updated_ms are dates; an updated_ms before created_ms (older builds
//             wrote the page's clock there) is read as created_ms.
//   Statuses are kept as they were (a Streaming reply stays Streaming, with its resume point):
//   the session decides what to do with a reply it finds unfinished.
//   Import accepts our JSON and the common {"messages":[{"role","content"}]} shape (content a
//   string or an array of {"type":"text","text"} parts).
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include "core/conversation.h"
#include "core/json_util.h"

namespace imchat {

constexpr size_t kMaxImportBytes = 64u << 20;

std::string export_markdown(const Conversation& conversation);
std::string export_json(const Conversation& conversation);
// Replaces out on success. On failure returns false, leaves out untouched and sets error.
bool import_json(std::string_view json, Conversation& out, std::string& error);

// One message object of the JSON format above, without "selected" (the history's message
// records are these objects too, so a stored conversation rebuilds through import_json).
// `selected` > 0 adds the "selected" member.
void write_message_json(json::Writer& w, const Message& m, uint32_t selected = 0);

// A chat's overrides (conversation.h) as {"model"?,"system_prompt"?,"temperature"?,"top_p"?,
// "max_tokens"?,"context_length"?}: only the fields that are set.
void write_overrides_json(json::Writer& w, const ChatOverrides& overrides);
// Reads that object into out (replacing it). A field of the wrong type or out of range is left
// unset (following the global settings) and named in `skipped` ("" when none): one bad value
// never costs the conversation. A value that is not an object gives no overrides.
void read_overrides_json(const json::Value* value, ChatOverrides& out, std::string* skipped = nullptr);

}  // namespace imchat
