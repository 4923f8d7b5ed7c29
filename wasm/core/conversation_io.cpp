#include "core/conversation_io.h"
namespace imchat {
std::string export_markdown(const Conversation&) { return {}; }
std::string export_json(const Conversation&) { return "{}"; }
bool import_json(std::string_view, Conversation&, std::string& error) { error = "not implemented"; return false; }
}
