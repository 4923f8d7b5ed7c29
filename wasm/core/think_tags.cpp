#include "core/think_tags.h"
namespace imchat {
void ThinkTagSplitter::feed(std::string_view piece, std::string& content, std::string&) { content.append(piece); }
void ThinkTagSplitter::finish(std::string&, std::string&) {}
}
