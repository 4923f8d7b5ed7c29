// json_util: the few RapidJSON helpers the protocol code shares.
// JsonReader parses in situ into memory pools it keeps, so decoding one small event after
// another (the streaming case) does not touch malloc once the pools have their size.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

#include "rapidjson/document.h"
#include "rapidjson/stringbuffer.h"
#include "rapidjson/writer.h"

namespace imchat::json {

using Value = rapidjson::Value;
using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

class JsonReader {
public:
    JsonReader();
    JsonReader(const JsonReader&) = delete;
    JsonReader& operator=(const JsonReader&) = delete;

    // Parses text (strict JSON, UTF-8 validated, no trailing garbage). The root and every
    // string view taken from it stay valid until the next parse(). On failure error() says
    // what and where, e.g. "invalid JSON at byte 12: missing a comma or '}' after an object member".
    bool parse(std::string_view text);
    const Value& root() const { return document_; }
    const std::string& error() const { return error_; }

private:
    using Pool = rapidjson::MemoryPoolAllocator<>;
    using Document = rapidjson::GenericDocument<rapidjson::UTF8<>, Pool, Pool>;
    static constexpr size_t kValueBufferBytes = 16 * 1024, kStackBufferBytes = 4 * 1024;

    alignas(8) char value_buffer_[kValueBufferBytes];
    alignas(8) char stack_buffer_[kStackBufferBytes];
    Pool value_pool_;
    Pool stack_pool_;
    Document document_;
    std::string text_;  // the in-situ copy: RapidJSON decodes strings into it
    std::string error_;
};

// A reader for free functions that decode one document at a time (never nested): its pools
// warm up once instead of costing ~20 KB of stack and fresh allocations per call.
JsonReader& shared_reader();

// Member lookups that never assert: a missing member, a non-object parent or a value of the
// wrong type all give nullptr / false, so hostile input cannot reach RapidJSON's asserts.
const Value* member(const Value& object, const char* name);
const Value* member(const Value* object, const char* name);
bool get_string(const Value* value, std::string_view& out);
std::string_view string_or_empty(const Value* value);
bool get_number(const Value* value, double& out);
bool get_int64(const Value* value, int64_t& out);  // also accepts integral doubles
bool is_object(const Value* value);
const char* type_name(const Value* value);  // "object", "string", ... for error messages

// A parsed value written back as compact JSON text (a JSON-RPC result kept for later, an
// arguments object a server sent unquoted).
std::string to_text(const Value& value);

inline void write_string(Writer& w, std::string_view s) {
    w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}
inline void write_key(Writer& w, std::string_view s) {
    w.Key(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

}  // namespace imchat::json
