#include "core/openai_chunk_scanner.h"

#include <cstdint>
#include <cstring>

#include "core/utf8.h"

namespace imchat {
namespace {

// Where a value sits, which decides what (if anything) is taken from it.
enum class Role : uint8_t {
    skip, root, error, object_field, choices, choice, delta, content, reasoning_content,
    reasoning, finish_reason, usage, timings, prompt_tokens, completion_tokens, prompt_ms,
    predicted_ms, predicted_per_second, give_up,
};

constexpr int kMaxDepth = 32;  // deeper nesting is left to the general path

constexpr uint64_t kOnes = 0x0101010101010101ull, kHighs = 0x8080808080808080ull;

// Whether any byte of w is '"', '\\' or a control character (below 0x20). May not say which;
// the byte loop finds out. (Classic SWAR "has zero byte" / "has byte less than n" tests.)
inline bool word_needs_a_look(uint64_t w) {
    uint64_t quote = w ^ (kOnes * '"'), backslash = w ^ (kOnes * '\\');
    uint64_t zero_in_quote = (quote - kOnes) & ~quote;
    uint64_t zero_in_backslash = (backslash - kOnes) & ~backslash;
    uint64_t below_space = (w - kOnes * 0x20) & ~w;
    return ((zero_in_quote | zero_in_backslash | below_space) & kHighs) != 0;
}

// UTF-8 of a code point from a \u escape; U+0000 is one NUL byte, as RapidJSON writes it.
void encode_utf8(std::string& out, uint32_t cp) {
    utf8_encode_append(out, cp);
}

class Scanner {
public:
    Scanner(std::string_view json, StreamDelta& out, std::string& reasoning)
        : p_(json.data()), end_(json.data() + json.size()), out_(out), reasoning_(reasoning) {}

    bool run() {
        skip_space();
        if (p_ == end_ || *p_ != '{') return false;
        if (!object(Role::root)) return false;
        skip_space();
        return p_ == end_;
    }

private:
    void skip_space() {
        while (p_ != end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
    }
    bool take(char c) {
        skip_space();
        if (p_ == end_ || *p_ != c) return false;
        ++p_;
        return true;
    }

    bool value(Role role) {
        skip_space();
        if (p_ == end_) return false;
        if (role == Role::give_up && *p_ != 'n') return false;  // null: nothing to read
        switch (*p_) {
            case '{': return object(role);
            case '[': return array(role);
            case '"': return string_value(role);
            case 't': return literal("true") && role != Role::error;  // "error":true is an error frame
            case 'f': return literal("false") && role != Role::error;
            case 'n': return literal("null");                         // "error":null is no error
            default: return number(role);
        }
    }

    bool literal(std::string_view word) {
        if (static_cast<size_t>(end_ - p_) < word.size() || std::memcmp(p_, word.data(), word.size()) != 0)
            return false;
        p_ += word.size();
        return true;
    }

    bool object(Role role) {
        if (role == Role::error) return false;  // {"error":{…}}: the general path reads it
        if (role == Role::usage) out_.has_usage = true;
        if (role == Role::timings) out_.has_timings = true;
        if (++depth_ > kMaxDepth) return false;
        ++p_;  // '{'
        unsigned seen = 0;  // keys of this object that we use, to refuse duplicates
        skip_space();
        if (p_ != end_ && *p_ == '}') {
            ++p_;
            --depth_;
            return true;
        }
        for (;;) {
            skip_space();
            if (p_ == end_ || *p_ != '"') return false;
            std::string_view key;
            if (!plain_string(key)) return false;
            if (!take(':')) return false;
            int bit = -1;
            Role r = member_role(role, key, bit);
            if (bit >= 0) {
                if (seen & (1u << bit)) return false;
                seen |= 1u << bit;
            }
            if (!value(r)) return false;
            skip_space();
            if (p_ == end_) return false;
            if (*p_ == ',') {
                ++p_;
                continue;
            }
            if (*p_ != '}') return false;
            ++p_;
            --depth_;
            return true;
        }
    }

    static Role member_role(Role object, std::string_view k, int& bit) {
        switch (object) {
            case Role::root:
                if (k == "choices") return bit = 0, Role::choices;
                if (k == "error") return bit = 1, Role::error;
                if (k == "object") return bit = 2, Role::object_field;
                if (k == "usage") return bit = 3, Role::usage;
                if (k == "timings") return bit = 4, Role::timings;
                break;
            case Role::choice:
                if (k == "delta") return bit = 0, Role::delta;
                if (k == "finish_reason") return bit = 1, Role::finish_reason;
                break;
            case Role::delta:
                if (k == "content") return bit = 0, Role::content;
                if (k == "reasoning_content") return bit = 1, Role::reasoning_content;
                if (k == "reasoning") return bit = 2, Role::reasoning;
                // Function calls are rare and nested: the general path reads them.
                if (k == "tool_calls" || k == "function_call") return bit = 3, Role::give_up;
                break;
            case Role::usage:
                if (k == "prompt_tokens") return bit = 0, Role::prompt_tokens;
                if (k == "completion_tokens") return bit = 1, Role::completion_tokens;
                break;
            case Role::timings:
                if (k == "prompt_ms") return bit = 0, Role::prompt_ms;
                if (k == "predicted_ms") return bit = 1, Role::predicted_ms;
                if (k == "predicted_per_second") return bit = 2, Role::predicted_per_second;
                break;
            default: break;
        }
        return Role::skip;
    }

    bool array(Role role) {
        // An error array is an error frame; content as parts is the general path's job.
        if (role == Role::error || role == Role::content) return false;
        if (++depth_ > kMaxDepth) return false;
        ++p_;  // '['
        skip_space();
        if (p_ != end_ && *p_ == ']') {
            ++p_;
            --depth_;
            return true;
        }
        for (size_t index = 0;; ++index) {
            Role element = role == Role::choices && index == 0 ? Role::choice : Role::skip;
            if (!value(element)) return false;
            skip_space();
            if (p_ == end_) return false;
            if (*p_ == ',') {
                ++p_;
                continue;
            }
            if (*p_ != ']') return false;
            ++p_;
            --depth_;
            return true;
        }
    }

    bool string_value(Role role) {
        switch (role) {
            case Role::error: return false;  // {"error":"…"}
            case Role::object_field: {
                std::string_view s;
                return plain_string(s) && s != "error";  // bare vLLM error object
            }
            case Role::content: return string(&out_.content);
            case Role::reasoning_content: return string(&out_.reasoning);
            case Role::reasoning: return string(&reasoning_);
            case Role::finish_reason: return string(&out_.finish_reason);
            default: return string(nullptr);
        }
    }

    // A string without escapes, as a view of the input (keys, "object"); false if it has any.
    bool plain_string(std::string_view& s) {
        const char* start = p_ + 1;
        bool escaped = false;
        if (!string(nullptr, &escaped) || escaped) return false;
        s = std::string_view(start, static_cast<size_t>(p_ - 1 - start));
        return true;
    }

    // p_ at the opening quote. Appends the decoded text to *into when given.
    bool string(std::string* into, bool* escaped = nullptr) {
        ++p_;
        const char* run = p_;
        for (;;) {
            while (end_ - p_ >= 8) {
                uint64_t w;
                std::memcpy(&w, p_, 8);
                if (word_needs_a_look(w)) break;
                p_ += 8;
            }
            if (p_ == end_) return false;
            unsigned char c = static_cast<unsigned char>(*p_);
            if (c == '"') {
                if (into) into->append(run, static_cast<size_t>(p_ - run));
                ++p_;
                return true;
            }
            if (c == '\\') {
                if (into) into->append(run, static_cast<size_t>(p_ - run));
                if (escaped) *escaped = true;
                if (!escape(into)) return false;
                run = p_;
                continue;
            }
            if (c < 0x20) return false;
            ++p_;
        }
    }

    bool hex4(uint32_t& v) {
        if (end_ - p_ < 4) return false;
        v = 0;
        for (int i = 0; i < 4; ++i) {
            char c = *p_++;
            uint32_t d = c >= '0' && c <= '9' ? c - '0'
                       : c >= 'a' && c <= 'f' ? c - 'a' + 10
                       : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 16;
            if (d == 16) return false;
            v = v * 16 + d;
        }
        return true;
    }

    // p_ at the backslash.
    bool escape(std::string* into) {
        ++p_;
        if (p_ == end_) return false;
        char e = *p_++;
        char plain;
        switch (e) {
            case '"': plain = '"'; break;
            case '\\': plain = '\\'; break;
            case '/': plain = '/'; break;
            case 'b': plain = '\b'; break;
            case 'f': plain = '\f'; break;
            case 'n': plain = '\n'; break;
            case 'r': plain = '\r'; break;
            case 't': plain = '\t'; break;
            case 'u': {
                uint32_t cp;
                if (!hex4(cp)) return false;
                if (cp >= 0xDC00 && cp <= 0xDFFF) return false;  // lone low surrogate
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    uint32_t low;
                    if (end_ - p_ < 2 || p_[0] != '\\' || p_[1] != 'u') return false;
                    p_ += 2;
                    if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                }
                if (into) encode_utf8(*into, cp);
                return true;
            }
            default: return false;
        }
        if (into) *into += plain;
        return true;
    }

    // Integers of up to 18 digits only: exact in int64 and read the same by RapidJSON. Anything
    // else (fraction, exponent, longer) gives up, so range and rounding questions never arise.
    bool number(Role role) {
        if (role == Role::error) return false;
        bool negative = false;
        if (*p_ == '-') {
            negative = true;
            ++p_;
        }
        if (p_ == end_ || *p_ < '0' || *p_ > '9') return false;
        int64_t v = 0;
        int digits = 0;
        if (*p_ == '0') {
            ++p_;
            digits = 1;
        } else {
            while (p_ != end_ && *p_ >= '0' && *p_ <= '9') {
                if (++digits > 18) return false;
                v = v * 10 + (*p_++ - '0');
            }
        }
        if (p_ != end_ && (*p_ == '.' || *p_ == 'e' || *p_ == 'E')) return false;
        if (negative) v = -v;
        switch (role) {
            case Role::prompt_tokens: out_.usage.prompt_tokens = v; break;
            case Role::completion_tokens: out_.usage.completion_tokens = v; break;
            case Role::prompt_ms: out_.timings.prompt_ms = static_cast<double>(v); break;
            case Role::predicted_ms: out_.timings.predicted_ms = static_cast<double>(v); break;
            case Role::predicted_per_second: out_.timings.predicted_per_second = static_cast<double>(v); break;
            default: break;
        }
        return true;
    }

    const char* p_;
    const char* end_;
    StreamDelta& out_;
    std::string& reasoning_;
    int depth_ = 0;
};

}  // namespace

bool scan_ordinary_chunk(std::string_view json, StreamDelta& out, std::string& scratch) {
    // One word-at-a-time pass instead of checking string bytes one by one. Equivalent to
    // RapidJSON's check inside strings: bytes >= 0x80 outside strings are a syntax error anyway.
    if (!utf8_is_valid(json)) return false;
    scratch.clear();
    Scanner scanner(json, out, scratch);
    if (!scanner.run()) return false;
    // DeepSeek's reasoning_content wins when it has text; otherwise `reasoning` (OpenRouter, vLLM).
    if (out.reasoning.empty()) out.reasoning.assign(scratch);
    return true;
}

}  // namespace imchat
