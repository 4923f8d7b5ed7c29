// math_detect: where a reply's markdown source holds TeX, found before md4c sees it.
// md4c's backslash escapes eat "\(", "\[" and "\$", and a '|' inside a formula would split a
// table cell, so formulas are found on the source text by a pre-pass that knows code spans and
// fences. Rules (what chat clients learnt from their bug trackers):
//   - "$$…$$", "\[…\]" and bare AMS environments (\begin{align}…\end{align}) are display math;
//     "$…$", "\(…\)" and mhchem "\ce{…}" are inline.
//   - Code spans and fenced code are never math; link destinations are skipped.
//   - Money is not math: an opening '$' followed by a space, or a closing '$' preceded by a space
//     or followed by a digit, is text ("$5 and $10", "costs $ 3"). "\$" is a dollar sign.
//   - A formula never crosses a blank line or a fence line; "$…$" stays on one line.
//   - Streaming: a formula whose closing delimiter has not arrived is not found (it stays
//     source), and a closing '$' at the end of an unfinished text is undecided until the next
//     character (or the end of the reply) arrives, so "$5 and 6$" does not flash before "0".
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace imchat {

enum class MathDelimiter : uint8_t {
    Dollar,        // $…$
    DoubleDollar,  // $$…$$
    Paren,         // \(…\)
    Bracket,       // \[…\]
    Environment,   // \begin{align}…\end{align}, kept whole: MathJax reads the environment
    Chemistry,     // \ce{…}, kept whole (mhchem)
};

struct MathRegion {
    uint32_t begin = 0, end = 0;  // source bytes, delimiters included
    MathDelimiter delimiter = MathDelimiter::Dollar;
    bool display() const {
        return delimiter == MathDelimiter::DoubleDollar || delimiter == MathDelimiter::Bracket ||
               delimiter == MathDelimiter::Environment;
    }
    bool operator==(const MathRegion&) const = default;
};

// Every formula of `text`, in order. `complete`: the text is whole (the reply ended).
std::vector<MathRegion> find_math(std::string_view text, bool complete = true);

// find_math over a growing text, re-scanning only from the start of its last paragraph (or
// the last line of an open fence): a token costs about its paragraph. The result always equals
// find_math() of the same text.
class MathScanner {
public:
    // full_text: the previous text with something appended (a shorter one starts afresh).
    void update(std::string_view full_text, bool complete);
    const std::vector<MathRegion>& regions() const { return regions_; }
    void clear() { *this = MathScanner(); }

    // Where the scanner resumes (for tests): regions before it are final.
    size_t checkpoint() const { return resume_.at; }

    // The line-by-line state at a line start; what a resume needs.
    struct LineState {
        size_t at = 0;          // the line start
        char fence_char = 0;    // inside a fence opened with this, or 0
        uint8_t fence_length = 0;
        bool operator==(const LineState&) const = default;
    };

private:
    std::vector<MathRegion> regions_;
    LineState resume_;
    size_t final_regions_ = 0;  // regions before resume_.at
};

// The formula's source as the transcript shows it when it is not drawn (and as the block's
// text holds it): the region's bytes with the quote markers and indentation that a formula
// running over several lines of a quote or list item carries on its later lines taken away.
std::string math_source_text(std::string_view text, const MathRegion& region);

// What MathJax typesets for a formula's source text (math_source_text): the TeX without its
// delimiters; environments and \ce{} whole. `display` is set from the delimiter.
std::string_view math_tex(std::string_view source, bool* display = nullptr);

}  // namespace imchat
