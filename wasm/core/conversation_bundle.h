// conversation_bundle: every chat in one file ("Export all") and back.
//   {"format":"imchat.conversations","version":1,"conversations":[<export_json of each>…]}
// Import takes such a bundle or any file import_json takes (one conversation).
#pragma once
#include <string>
#include <string_view>
#include <vector>

#include "core/conversation.h"

namespace imchat {

std::string export_all_json(const std::vector<const Conversation*>& conversations);
// Replaces out on success (one conversation or many); on failure returns false and sets error,
// naming the bundle entry at fault.
bool import_many_json(std::string_view json, std::vector<Conversation>& out, std::string& error);

}  // namespace imchat
