// Cluster boundaries over UTF-8 with utf8proc's stateful UAX #29 rules. Backward moves need a
// place where a boundary is certain whatever came before (the rules for flags, emoji and Indic
// conjuncts carry state from the left), so they step back to such an anchor and walk forward;
// for Latin, CJK and most text the anchor is the code point before.
#include "core/graphemes.h"

#include <utf8proc.h>

#include "core/utf8.h"

namespace imchat {
namespace {

int bound_class(uint32_t cp) { return utf8proc_get_property(int32_t(cp))->boundclass; }

// Classes around which no rule looks further: a boundary between a code point of the first
// kind and one of the second is certain, and the state after it is what a fresh start gives.
bool anchors_after(int c) {
    return c == UTF8PROC_BOUNDCLASS_OTHER || c == UTF8PROC_BOUNDCLASS_EXTENDED_PICTOGRAPHIC ||
           c == UTF8PROC_BOUNDCLASS_CONTROL || c == UTF8PROC_BOUNDCLASS_LF;
}
bool anchors_before(int c) {
    return c == UTF8PROC_BOUNDCLASS_OTHER || c == UTF8PROC_BOUNDCLASS_EXTENDED_PICTOGRAPHIC ||
           c == UTF8PROC_BOUNDCLASS_CONTROL || c == UTF8PROC_BOUNDCLASS_LF ||
           c == UTF8PROC_BOUNDCLASS_PREPEND || c == UTF8PROC_BOUNDCLASS_REGIONAL_INDICATOR ||
           (c >= UTF8PROC_BOUNDCLASS_L && c <= UTF8PROC_BOUNDCLASS_LVT);
}

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

uint32_t prev_codepoint_start(std::string_view text, uint32_t offset) {
    if (offset == 0) return 0;
    uint32_t i = offset - 1;
    while (i > 0 && offset - i < 4 && is_continuation((unsigned char)text[i])) --i;
    return i;
}

uint32_t codepoint_at(std::string_view text, uint32_t offset) {
    size_t i = offset;
    return utf8_next(text, i);
}

// A code point start at or before `offset` that is certainly a cluster boundary.
uint32_t anchor_at_or_before(std::string_view text, uint32_t offset) {
    uint32_t i = offset < text.size() ? offset : uint32_t(text.size());
    while (i > 0 && is_continuation((unsigned char)text[i])) --i;  // to a code point start
    while (i > 0) {
        uint32_t before = prev_codepoint_start(text, i);
        if (i == text.size()) {  // the text's end is a boundary
            return i;
        }
        if (anchors_after(bound_class(codepoint_at(text, before))) &&
            anchors_before(bound_class(codepoint_at(text, i))))
            return i;
        i = before;
    }
    return 0;
}

// ASCII next to ASCII is always a boundary, but for CR LF: the common case, without a lookup.
inline bool ascii_pair(std::string_view text, uint32_t at) {
    unsigned char c = (unsigned char)text[at];
    return c < 0x80 && c != '\r' && (at + 1 == text.size() || (unsigned char)text[at + 1] < 0x80);
}

}  // namespace

bool GraphemeBreaker::feed(uint32_t cp) {
    if (!started_) {
        started_ = true;
        prev_ = cp;
        count_ = 1;
        return true;
    }
    bool brk = count_ >= kMaxClusterCodepoints;
    if (brk) state_ = 0;
    else brk = utf8proc_grapheme_break_stateful(int32_t(prev_), int32_t(cp), &state_);
    if (brk) {
        state_ = 0;  // utf8proc: safe after a break, and what a cap-split cluster starts from
        count_ = 0;
    }
    prev_ = cp;
    ++count_;
    return brk;
}

uint32_t grapheme_end(std::string_view text, uint32_t begin) {
    if (begin >= text.size()) return uint32_t(text.size());
    if (ascii_pair(text, begin)) return begin + 1;
    GraphemeBreaker breaker;
    size_t i = begin;
    breaker.feed(utf8_next(text, i));
    while (i < text.size()) {
        size_t at = i;
        if (breaker.feed(utf8_next(text, i))) return uint32_t(at);
    }
    return uint32_t(text.size());
}

uint32_t grapheme_floor(std::string_view text, uint32_t offset) {
    if (offset >= text.size()) return uint32_t(text.size());
    if (offset > 0 && (unsigned char)text[offset - 1] < 0x80 && text[offset - 1] != '\r' &&
        (unsigned char)text[offset] < 0x80)
        return offset;
    uint32_t b = anchor_at_or_before(text, offset);
    for (;;) {
        uint32_t e = grapheme_end(text, b);
        if (e > offset || e >= text.size()) return b;
        b = e;
    }
}

uint32_t next_grapheme_boundary(std::string_view text, uint32_t offset) {
    if (offset >= text.size()) return uint32_t(text.size());
    return grapheme_end(text, grapheme_floor(text, offset));
}

uint32_t prev_grapheme_boundary(std::string_view text, uint32_t offset) {
    if (offset == 0 || text.empty()) return 0;
    if (offset > text.size()) offset = uint32_t(text.size());
    return grapheme_floor(text, offset - 1);
}

}  // namespace imchat
