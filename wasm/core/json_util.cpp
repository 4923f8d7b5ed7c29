#include "core/json_util.h"

#include <cctype>
#include <cmath>

#include "rapidjson/error/en.h"

namespace imchat::json {

JsonReader::JsonReader()
    : value_pool_(value_buffer_, sizeof value_buffer_),
      stack_pool_(stack_buffer_, sizeof stack_buffer_),
      document_(&value_pool_, 1024, &stack_pool_) {}

bool JsonReader::parse(std::string_view text) {
    // Pools never free single blocks: drop last event's values (and any overflow chunks) first.
    document_.SetNull();
    value_pool_.Clear();
    stack_pool_.Clear();
    error_.clear();
    // The in-situ copy ends at the first NUL: `{"a":1}<NUL>junk` would pass unseen. A raw NUL is
    // never valid JSON anyway.
    if (size_t nul = text.find('\0'); nul != std::string_view::npos) {
        error_ = "invalid JSON at byte " + std::to_string(nul) + ": a NUL byte";
        return false;
    }
    // Do not keep a huge buffer around after one huge document.
    if (text_.capacity() > (1u << 20) && text.size() < (1u << 20)) std::string().swap(text_);
    text_.assign(text.data(), text.size());
    constexpr unsigned kFlags = rapidjson::kParseValidateEncodingFlag | rapidjson::kParseFullPrecisionFlag;
    document_.ParseInsitu<kFlags>(text_.data());
    if (!document_.HasParseError()) return true;
    error_ = "invalid JSON at byte " + std::to_string(document_.GetErrorOffset()) + ": ";
    std::string what = rapidjson::GetParseError_En(document_.GetParseError());
    if (!what.empty()) {
        what[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(what[0])));
        if (what.back() == '.') what.pop_back();
    }
    error_ += what;
    document_.SetNull();
    return false;
}

JsonReader& shared_reader() {
    thread_local JsonReader reader;  // wasm is single-threaded; natively, one per thread
    return reader;
}

const Value* member(const Value& object, const char* name) {
    if (!object.IsObject()) return nullptr;
    auto it = object.FindMember(name);
    return it == object.MemberEnd() ? nullptr : &it->value;
}

const Value* member(const Value* object, const char* name) {
    return object ? member(*object, name) : nullptr;
}

bool get_string(const Value* value, std::string_view& out) {
    if (!value || !value->IsString()) return false;
    out = std::string_view(value->GetString(), value->GetStringLength());
    return true;
}

std::string_view string_or_empty(const Value* value) {
    std::string_view s;
    get_string(value, s);
    return s;
}

bool get_number(const Value* value, double& out) {
    if (!value || !value->IsNumber()) return false;
    out = value->GetDouble();
    return true;
}

bool get_int64(const Value* value, int64_t& out) {
    if (!value || !value->IsNumber()) return false;
    if (value->IsInt64()) { out = value->GetInt64(); return true; }
    double d = value->GetDouble();
    if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9.0e15) return false;
    out = static_cast<int64_t>(d);
    return true;
}

bool is_object(const Value* value) { return value && value->IsObject(); }

const char* type_name(const Value* value) {
    if (!value) return "missing";
    switch (value->GetType()) {
        case rapidjson::kNullType: return "null";
        case rapidjson::kFalseType:
        case rapidjson::kTrueType: return "a boolean";
        case rapidjson::kObjectType: return "an object";
        case rapidjson::kArrayType: return "an array";
        case rapidjson::kStringType: return "a string";
        case rapidjson::kNumberType: return "a number";
    }
    return "unknown";
}

}  // namespace imchat::json
