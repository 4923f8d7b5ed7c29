#include "core/builtin_protocol.h"
namespace imchat {
bool decode_builtin_event(std::string_view, std::string_view, StreamDelta& out) { out.clear(); out.error = "not implemented"; return false; }
}
