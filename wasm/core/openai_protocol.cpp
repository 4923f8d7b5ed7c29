#include "core/openai_protocol.h"
namespace imchat {
struct OpenAiStreamDecoder::Impl {};
OpenAiStreamDecoder::OpenAiStreamDecoder() : impl_(new Impl) {}
OpenAiStreamDecoder::~OpenAiStreamDecoder() = default;
bool OpenAiStreamDecoder::decode(std::string_view, StreamDelta& out) { out.clear(); out.error = "not implemented"; return false; }
bool OpenAiStreamDecoder::decode_completion(std::string_view, StreamDelta& out) { out.clear(); out.error = "not implemented"; return false; }
std::string error_message_from_body(std::string_view, std::string_view, int status) { return "HTTP " + std::to_string(status); }
}
