#include "core/utf8.h"

#include <cstring>

namespace imchat {
namespace {

// What check_sequence found at a non-ASCII byte.
struct Sequence {
    size_t length;  // well formed: 2..4 bytes; ill formed: the maximal subpart (1..3 bytes)
    bool valid;
    bool cut;       // ill formed only because the input ended inside it
};

// Classifies the sequence starting at s[0] (a byte >= 0x80) following the Encoding Standard's
// UTF-8 decoder: the lead byte fixes the length and the allowed range of the second byte
// (which rules out overlongs, surrogates and code points above U+10FFFF); later bytes must be
// 80..BF. The maximal subpart is everything before the first byte that breaks the pattern.
inline Sequence check_sequence(const uint8_t* s, size_t n) {
    uint8_t lead = s[0];
    size_t need;
    uint8_t lo = 0x80, hi = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
        need = 1;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
        need = 2;
        if (lead == 0xE0) lo = 0xA0;
        if (lead == 0xED) hi = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
        need = 3;
        if (lead == 0xF0) lo = 0x90;
        if (lead == 0xF4) hi = 0x8F;
    } else {
        return {1, false, false};
    }
    for (size_t i = 1; i <= need; ++i) {
        if (i >= n) return {i, false, true};
        uint8_t c = s[i];
        if (c < lo || c > hi) return {i, false, false};
        lo = 0x80;
        hi = 0xBF;
    }
    return {need + 1, true, false};
}

inline bool word_is_ascii(const uint8_t* p) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    return (w & 0x8080808080808080ull) == 0;
}

// Index of the first byte >= 0x80 at or after i, or n.
inline size_t skip_ascii(const uint8_t* s, size_t i, size_t n) {
    while (i + 8 <= n && word_is_ascii(s + i)) i += 8;
    while (i < n && s[i] < 0x80) ++i;
    return i;
}

}  // namespace

size_t utf8_valid_prefix(std::string_view bytes) {
    const auto* s = reinterpret_cast<const uint8_t*>(bytes.data());
    size_t n = bytes.size();
    size_t i = 0;
    for (;;) {
        i = skip_ascii(s, i, n);
        if (i == n) return n;
        Sequence seq = check_sequence(s + i, n - i);
        if (!seq.valid) return i;
        i += seq.length;
    }
}

void utf8_decode_append(std::string& out, std::string_view bytes) {
    const auto* s = reinterpret_cast<const uint8_t*>(bytes.data());
    size_t n = bytes.size();
    size_t run = 0;  // start of the well-formed run not yet copied
    size_t i = 0;
    for (;;) {
        i = skip_ascii(s, i, n);
        if (i == n) break;
        Sequence seq = check_sequence(s + i, n - i);
        if (seq.valid) {
            i += seq.length;
            continue;
        }
        out.append(bytes.data() + run, i - run);
        out.append(kReplacementChar);
        i += seq.length;
        run = i;
    }
    out.append(bytes.data() + run, n - run);
}

size_t utf8_utf16_length(std::string_view valid_utf8) {
    // Every byte that is not a continuation byte (10xxxxxx) starts one code point; a 4-byte lead
    // (11110xxx) starts one outside the BMP, which UTF-16 writes as two units.
    const auto* s = reinterpret_cast<const uint8_t*>(valid_utf8.data());
    size_t n = valid_utf8.size();
    size_t units = 0;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        std::memcpy(&w, s + i, 8);
        if ((w & 0x8080808080808080ull) == 0) {
            units += 8;
            continue;
        }
        for (size_t k = 0; k < 8; ++k) units += ((s[i + k] & 0xC0) != 0x80) + (s[i + k] >= 0xF0);
    }
    for (; i < n; ++i) units += ((s[i] & 0xC0) != 0x80) + (s[i] >= 0xF0);
    return units;
}

void Utf8Decoder::decode(std::string_view bytes, std::string& out) {
    if (pending_size_ > 0) {
        // Complete the held-back sequence with as few bytes of this chunk as it needs (at most 3).
        char joined[8];
        std::memcpy(joined, pending_, pending_size_);
        size_t take = bytes.size() < 4 ? bytes.size() : 4;
        if (take > 0) std::memcpy(joined + pending_size_, bytes.data(), take);
        size_t avail = pending_size_ + take;
        Sequence seq = check_sequence(reinterpret_cast<const uint8_t*>(joined), avail);
        if (seq.cut) {  // still unfinished: the chunk was too short to decide
            if (!bytes.empty()) std::memcpy(pending_ + pending_size_, bytes.data(), bytes.size());
            pending_size_ = static_cast<uint8_t>(avail);
            return;
        }
        if (seq.valid) out.append(joined, seq.length);
        else out.append(kReplacementChar);
        // The bytes of this chunk the sequence used; an ill-formed one leaves its breaking byte
        // to be decoded afresh, as the standard's "prepend byte to stream" does.
        size_t used = seq.length - pending_size_;
        pending_size_ = 0;
        bytes.remove_prefix(used);
    }
    // Hold back a sequence cut off by the end of the chunk; decode everything before it.
    size_t n = bytes.size();
    size_t tail = 0;
    for (size_t back = 1; back <= 3 && back <= n; ++back) {
        uint8_t c = static_cast<uint8_t>(bytes[n - back]);
        if ((c & 0xC0) == 0x80) continue;  // continuation byte: keep looking for its lead
        if (c >= 0xC0) {
            Sequence seq = check_sequence(reinterpret_cast<const uint8_t*>(bytes.data()) + n - back, back);
            if (seq.cut && seq.length == back) tail = back;
        }
        break;
    }
    utf8_decode_append(out, bytes.substr(0, n - tail));
    if (tail > 0) std::memcpy(pending_, bytes.data() + n - tail, tail);
    pending_size_ = static_cast<uint8_t>(tail);
}

void Utf8Decoder::finish(std::string& out) {
    if (pending_size_ > 0) out.append(kReplacementChar);
    pending_size_ = 0;
}

void utf8_encode_append(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
        out += static_cast<char>(cp);
    } else if (cp < 0x800) {
        out += static_cast<char>(0xC0 | (cp >> 6));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += static_cast<char>(0xE0 | (cp >> 12));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
    }
}

}  // namespace imchat
