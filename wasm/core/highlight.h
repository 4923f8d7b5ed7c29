// highlight: a small line-by-line tokenizer that colours code blocks. It knows the keywords,
// strings, comments and numbers of common languages; it is not a parser, only good enough to
// make code readable. Works one line at a time with a small carried state (block comment,
// multi-line string), so a streaming code block re-highlights only its last line.
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

namespace imchat {

enum class TokenKind : uint8_t { Plain = 0, Keyword, String, Comment, Number };

enum class CodeLanguage : uint8_t {
    Generic,  // unknown: strings, numbers, '#' and '//' comments
    C, Cpp, Python, JavaScript, TypeScript, Json, Rust, Go, Java, Shell, Sql, Html, Yaml, Toml,
};

// The language of a fence label ("py", "c++", "TypeScript", "rs", ...); Generic if unknown.
CodeLanguage code_language_from_label(std::string_view label);

struct CodeToken {
    uint32_t begin = 0, end = 0;  // byte range in the text given to highlight_line
    TokenKind kind = TokenKind::Plain;
    bool operator==(const CodeToken&) const = default;
};

// State carried from one line to the next; 0 at the start of a block.
using HighlightState = int;

// Appends the non-Plain tokens of text[line_begin, line_end) (one line, without its '\n') to
// `out` and returns the state for the next line. Tokens never cross the line.
HighlightState highlight_line(CodeLanguage language, std::string_view text, size_t line_begin,
                              size_t line_end, HighlightState state, std::vector<CodeToken>& out);

// Convenience: every line of `code`.
std::vector<CodeToken> highlight_code(CodeLanguage language, std::string_view code);

}  // namespace imchat
