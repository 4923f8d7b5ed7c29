// request_builder: the JSON bodies we POST to start a reply, for both protocols.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/conversation.h"
#include "core/tool_calls.h"

namespace imchat {

struct ChatMessage {
    Role role = Role::User;
    std::string content;
    std::vector<ToolCall> tool_calls;  // an assistant turn's calls (content may then be empty)
    std::string tool_call_id;          // Role::Tool: the call this is the result of
};

struct ChatRequest {
    std::string model;
    std::vector<ChatMessage> messages;
    std::optional<double> temperature, top_p;
    std::optional<int> max_tokens;
    std::string system_prompt;  // when non-empty, sent as the first ("system") message
    std::string tools_json;     // a JSON array of {"type":"function","function":{…}}; empty: none
    std::string tool_choice;    // "auto", "none", "required", or a JSON object; empty: unsaid
};

// The ids of a conversation's active path up to and including `up_to` (0 = the leaf) that a
// request carries: replies that failed or are still empty are left out, and so is a prompt the
// server refused (is_refused_reply: its reply failed with 400/413/422 before any text), which
// would otherwise be refused again with every later message.
std::vector<uint32_t> context_ids(const Conversation& conversation, uint32_t up_to = 0);
// Those messages, for a ChatRequest.
std::vector<ChatMessage> chat_messages_from(const Conversation& conversation, uint32_t up_to = 0);

// Drops the oldest messages, whole turns at a time, until the estimated tokens of what is left
// (server_info.h's estimate) fit in max_tokens; the last message is always kept. Returns how
// many messages were dropped.
size_t drop_oldest_turns(std::vector<ChatMessage>& messages, int64_t max_tokens);

// POST /api/chat:  {"model","messages":[{"role","content"}…],"temperature"?,"top_p"?,"max_tokens"?}
std::string build_builtin_request(const ChatRequest& request);
// POST /v1/chat/completions: the same plus "stream":true,"stream_options":{"include_usage":true},
// and "tools"/"tool_choice" when the request offers tools (tools_json is inserted as it is, so it
// must be JSON: a caller builds it from tool lists it has parsed).
std::string build_openai_request(const ChatRequest& request);

// The reply id from POST /api/chat's answer {"id":"…"}; empty when the body is not that shape.
std::string builtin_reply_id_from_json(std::string_view body);

}  // namespace imchat
