#include "core/json_util.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "rapidjson/error/en.h"

namespace imchat::json {

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// The code unit of a "\uXXXX" escape starting at s[i] (the backslash), or -1.
long escaped_unit(const std::string& s, size_t i) {
    if (i + 6 > s.size() || s[i] != '\\' || s[i + 1] != 'u') return -1;
    long v = 0;
    for (size_t k = i + 2; k < i + 6; ++k) {
        int d = hex_value(s[k]);
        if (d < 0) return -1;
        v = v * 16 + d;
    }
    return v;
}

// Works around two faults of RapidJSON 1.1 in the in-situ copy, keeping every length (so error
// offsets stay true) and every valid document's meaning:
//  - a lone surrogate escape ("\udc80", or "\ud83d" without its low half) would decode to
//    invalid UTF-8 (low) or fail the whole document (high); it becomes "\ufffd", as a browser's
//    TextEncoder would make it;
//  - a zero written with an exponent or a long fraction ("0e88", "0.0e-30", "0.000…0") comes
//    out of the full-precision parser as garbage (it normalises a zero significand with
//    clz(0)); everything after its "0" is blanked with spaces, leaving the zero it is.
// Also, the in-situ copy gets NUL padding: RapidJSON's UTF-8 check takes a truncated
// sequence's missing continuation bytes without looking, past the terminating NUL.
// Returns where a number longer than kMaxNumberChars starts (RapidJSON 1.1's full-precision
// conversion reads outside its power table for some of those, e.g. "0." + 350 zeros + "5"),
// or npos. Real numbers are under 30 characters; JSON lets a parser limit their size.
constexpr size_t kMaxNumberChars = 100;

// RapidJSON 1.1's full-precision conversion also reads outside its tables for many-digit numbers
// near the ends of the double range ("5050…111e302"). A number whose decimal magnitude (its
// order of ten) is within -300..309 stays clear of that; anything larger is refused, as JSON allows.
// Nor does it handle some numbers with more significant digits than a uint64 holds
// ("0.0…018446744073709551615…" ends in clz(0)): digits past the 19th significant one are
// written as zeros (see repair_for_rapidjson). A double keeps 17, so the value read is the same
// but for a rare rounding tie; every JSON writer of doubles and of 64-bit integers stays within.
constexpr int kMaxSignificantDigits = 19;

// Zeroes the significant digits of a number token past kMaxSignificantDigits (not its exponent).
void zero_excess_digits(std::string& s, size_t begin, size_t end) {
    int significant = 0;
    for (size_t i = begin; i < end && s[i] != 'e' && s[i] != 'E'; ++i) {
        if (!is_digit(s[i])) continue;
        if (significant > 0 || s[i] != '0') ++significant;
        if (significant > kMaxSignificantDigits) s[i] = '0';
    }
}

bool magnitude_is_safe(std::string_view token) {
    size_t i = token.empty() || token[0] != '-' ? 0 : 1;
    long magnitude = 0;
    bool nonzero = false;
    for (; i < token.size() && is_digit(token[i]); ++i) {
        if (token[i] != '0') nonzero = true;
        if (nonzero) ++magnitude;
    }
    if (i < token.size() && token[i] == '.') {
        for (++i; i < token.size() && is_digit(token[i]); ++i) {
            if (nonzero) continue;
            if (token[i] != '0') nonzero = true;
            else --magnitude;
        }
    }
    if (i < token.size() && (token[i] == 'e' || token[i] == 'E')) {
        ++i;
        bool negative = i < token.size() && token[i] == '-';
        if (i < token.size() && (token[i] == '-' || token[i] == '+')) ++i;
        long exponent = 0;
        for (; i < token.size() && is_digit(token[i]); ++i) {
            exponent = exponent * 10 + (token[i] - '0');
            if (exponent > 100000) return !nonzero;
        }
        magnitude += negative ? -exponent : exponent;
    }
    return !nonzero || (magnitude >= -300 && magnitude <= 309);
}

size_t repair_for_rapidjson(std::string& s) {
    const size_t n = s.size();
    for (size_t i = 0; i < n;) {
        char c = s[i];
        if (c == '"') {
            for (++i; i < n && s[i] != '"'; ++i) {
                if (s[i] != '\\') continue;
                long unit = escaped_unit(s, i);
                if (unit >= 0xD800 && unit <= 0xDBFF) {
                    long low = escaped_unit(s, i + 6);
                    if (low >= 0xDC00 && low <= 0xDFFF) {
                        i += 11;  // a proper pair
                        continue;
                    }
                }
                if (unit >= 0xD800 && unit <= 0xDFFF) {
                    s.replace(i + 2, 4, "fffd");
                    i += 5;
                    continue;
                }
                ++i;  // skip the escaped character
            }
            ++i;
            continue;
        }
        if (c != '-' && !is_digit(c)) {
            ++i;
            continue;
        }
        // A number token: a zero ("0", "-0") with an exponent or a long all-zero fraction keeps
        // its "0" and loses the rest. Only well-formed tokens are touched, so an invalid number
        // stays invalid.
        size_t token = i;
        size_t int_part = c == '-' ? i + 1 : i;
        i = int_part;
        if (i < n && s[i] == '0') {
            size_t after_zero = ++i;
            bool well_formed = true, tail = false;
            if (i < n && s[i] == '.') {
                size_t digits = ++i;
                while (i < n && s[i] == '0') ++i;
                well_formed = i > digits && (i == n || !is_digit(s[i]));
                tail = i - digits > 15;  // short ones take RapidJSON's exact fast path: keep them
            }
            if (well_formed && i < n && (s[i] == 'e' || s[i] == 'E')) {
                ++i;
                if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
                size_t digits = i;
                while (i < n && is_digit(s[i])) ++i;
                well_formed = i > digits;
                tail = true;
            }
            if (well_formed && tail) std::fill(s.begin() + long(after_zero), s.begin() + long(i), ' ');
        }
        // Step over the rest of the token, so its inner digits never start a token of their own.
        while (i < n && (is_digit(s[i]) || s[i] == '.' || s[i] == 'e' || s[i] == 'E' || s[i] == '+' || s[i] == '-'))
            ++i;
        if (i - token > kMaxNumberChars || !magnitude_is_safe(std::string_view(s).substr(token, i - token)))
            return token;
        zero_excess_digits(s, token, i);
    }
    return std::string::npos;
}

}  // namespace

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
    if (size_t at = repair_for_rapidjson(text_); at != std::string::npos) {
        error_ = "invalid JSON at byte " + std::to_string(at) + ": a number longer than " +
                 std::to_string(kMaxNumberChars) + " characters or beyond 1e-300..1e309";
        return false;
    }
    text_.append(4, '\0');  // see repair_for_rapidjson: the parser stops at the first NUL
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

std::string to_text(const Value& value) {
    rapidjson::StringBuffer buffer;
    Writer w(buffer);
    value.Accept(w);
    return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace imchat::json
