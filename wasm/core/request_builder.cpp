#include "core/request_builder.h"
namespace imchat {
std::vector<ChatMessage> chat_messages_from(const Conversation&, uint32_t) { return {}; }
std::string build_builtin_request(const ChatRequest&) { return "{}"; }
std::string build_openai_request(const ChatRequest&) { return "{}"; }
std::string builtin_reply_id_from_json(std::string_view) { return {}; }
}
