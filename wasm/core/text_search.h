// text_search: case-insensitive substring search over UTF-8, one matcher for everything that
// finds text (the find bar's hit count and its highlight, the sidebar's title filter), so what
// is counted is exactly what is highlighted. Letters compare by Unicode simple case folding
// (one code point to one: "ÄRGER" finds "ärger", "ΣΟΦΊΑ" finds "σοφία", "ПРИВЕТ" finds
// "привет"); everything else compares exactly. Ill-formed bytes match only themselves.
#pragma once
#include <cstddef>
#include <string_view>

namespace imchat {

// Byte offsets into the searched text; begin == npos when there is no match.
struct TextRange {
    size_t begin = std::string_view::npos;
    size_t end = std::string_view::npos;
    bool found() const { return begin != std::string_view::npos; }
};

// The first match of `query` in `text` starting at byte `from` or later (at a character
// boundary). An empty query matches nothing here.
TextRange find_ignoring_case(std::string_view text, std::string_view query, size_t from = 0);

// Whether `text` contains `query` ignoring case. An empty query matches everything.
bool text_matches(std::string_view text, std::string_view query);

// The simple case folding of one code point (mostly: its lower case).
char32_t fold_case(char32_t c);

}  // namespace imchat
