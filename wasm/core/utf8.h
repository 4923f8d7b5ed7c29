// utf8: validation and WHATWG "UTF-8 decode" of byte strings, whole or in pieces.
// Invalid input is never rejected: each maximal subpart of an ill-formed sequence becomes one
// U+FFFD, exactly as the Encoding Standard's UTF-8 decoder (and so every browser) does it.
// Valid input passes through untouched, so the fast path is "validate, then use the bytes as is".
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace imchat {

inline constexpr std::string_view kReplacementChar = "\xEF\xBF\xBD";  // U+FFFD in UTF-8

// Where the first ill-formed sequence of `bytes` starts, or bytes.size() when all of it is well
// formed. A sequence cut off by the end of `bytes` counts as ill-formed here.
size_t utf8_valid_prefix(std::string_view bytes);
inline bool utf8_is_valid(std::string_view bytes) { return utf8_valid_prefix(bytes) == bytes.size(); }

// Appends `bytes` to `out` with every ill-formed subpart replaced by U+FFFD; a sequence cut off
// by the end of `bytes` becomes one U+FFFD too (end of stream).
void utf8_decode_append(std::string& out, std::string_view bytes);

// Appends the UTF-8 form of code point cp (taken as given: callers decide about surrogates).
void utf8_encode_append(std::string& out, uint32_t cp);

// Length in UTF-16 code units of well-formed UTF-8 (what JavaScript's String.length reports).
size_t utf8_utf16_length(std::string_view valid_utf8);

// The incremental form, for a stream cut into chunks anywhere: a sequence split across chunks
// is held back until its end arrives. Call finish() at the end of the stream.
class Utf8Decoder {
public:
    // Appends the decoded text of the next chunk to `out`.
    void decode(std::string_view bytes, std::string& out);
    // End of stream: an unfinished sequence becomes U+FFFD. The decoder is then ready for a new stream.
    void finish(std::string& out);
    void reset() { pending_size_ = 0; }

private:
    char pending_[4] = {};      // start of a sequence the previous chunk cut off (1 to 3 bytes)
    uint8_t pending_size_ = 0;
};

// Decodes the code point at byte i of s and advances i past it; an ill-formed byte counts as
// one U+FFFD. For walking text that is usually valid already (layout, editing).
inline uint32_t utf8_next(std::string_view s, size_t& i) {
    unsigned char c = (unsigned char)s[i];
    if (c < 0x80) {
        ++i;
        return c;
    }
    size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
    if (len == 0 || c > 0xF4 || i + len > s.size()) {
        ++i;
        return 0xFFFD;
    }
    uint32_t cp = c & (0x7F >> len);
    for (size_t k = 1; k < len; ++k) {
        unsigned char d = (unsigned char)s[i + k];
        if ((d & 0xC0) != 0x80) {
            ++i;
            return 0xFFFD;
        }
        cp = (cp << 6) | (d & 0x3F);
    }
    i += len;
    return cp;
}

// CJK ideographs, kana, hangul, fullwidth forms and CJK punctuation: characters a line may
// break around without a space, and that word-wise editing treats as one class.
inline bool codepoint_is_cjk(uint32_t cp) {
    return (cp >= 0x2E80 && cp <= 0x9FFF) ||   // radicals, punctuation, kana, CJK unified
           (cp >= 0xAC00 && cp <= 0xD7AF) ||   // hangul syllables
           (cp >= 0xF900 && cp <= 0xFAFF) ||   // compatibility ideographs
           (cp >= 0xFE30 && cp <= 0xFE4F) ||   // CJK compatibility forms
           (cp >= 0xFF00 && cp <= 0xFFEF) ||   // fullwidth forms
           (cp >= 0x20000 && cp <= 0x3FFFF);   // extension planes
}

}  // namespace imchat
