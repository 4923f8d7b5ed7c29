// graphemes: extended grapheme clusters (UAX #29), the unit a reader sees as one character and
// the caret, Backspace, line breaking and the glyph renderer treat as one: "é" written as e plus
// a combining accent, a flag (two regional indicators), a ZWJ family emoji, a keycap, a skin-tone
// emoji, a Vietnamese letter with stacked tones. The rules come from utf8proc (the kept
// implementation, Debian's source package), tested against Unicode's GraphemeBreakTest.txt.
//
// One bound on top of UAX #29: a cluster ends after kMaxClusterCodepoints code points even where
// the rules would go on, so a letter carrying a thousand combining marks (model output can hold
// anything) stays a few bounded pieces: each is measured, drawn and erased on its own.
#pragma once
#include <cstdint>
#include <string_view>

namespace imchat {

// Longer than any emoji sequence (the longest, kiss or couple with two skin tones, has 10).
inline constexpr uint32_t kMaxClusterCodepoints = 32;

// Where the cluster that starts at `begin` (a cluster boundary) ends.
uint32_t grapheme_end(std::string_view text, uint32_t begin);

// The first cluster boundary after `offset`, the last one before it (0 at the start), and the
// boundary at or before it (offset itself when it is one). Any byte offset may be given.
uint32_t next_grapheme_boundary(std::string_view text, uint32_t offset);
uint32_t prev_grapheme_boundary(std::string_view text, uint32_t offset);
uint32_t grapheme_floor(std::string_view text, uint32_t offset);

// One step of the segmentation, for walks that decode code points themselves (the line breaker):
// feed code points in order; true when a cluster boundary comes before the one fed.
class GraphemeBreaker {
public:
    bool feed(uint32_t cp);
    void reset() { *this = GraphemeBreaker(); }

private:
    int32_t state_ = 0;
    uint32_t prev_ = 0;
    uint32_t count_ = 0;  // code points in the open cluster
    bool started_ = false;
};

}  // namespace imchat
