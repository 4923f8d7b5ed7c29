// A table-driven tokenizer: each language is a handful of switches (comment markers, string
// kinds) plus a keyword list. Good enough to colour chat code; never a parser.
#include "core/highlight.h"

#include <algorithm>
#include <cctype>
#include <string>

namespace imchat {
namespace {

// States carried between lines.
enum : HighlightState {
    kStateNone = 0,
    kStateBlockComment,    // /* ... */ (or <!-- --> in HTML)
    kStateTripleDouble,    // """ ... """ (Python, TOML)
    kStateTripleSingle,    // ''' ... ''' (Python, TOML)
    kStateTemplate,        // `...` (JavaScript template, Go raw string)
};

struct LanguageSpec {
    const char* line_comment = nullptr;   // "//", "#", "--"
    const char* line_comment2 = nullptr;
    const char* block_open = nullptr;     // "/*", "<!--"
    const char* block_close = nullptr;
    bool hash_comment_after_space = false;  // shell: '#' starts a comment only at a word start
    bool single_quote_strings = true;
    bool char_literals_only = false;      // Rust: 'x' is a char, 'a alone a lifetime
    bool triple_quotes = false;           // Python, TOML
    bool backtick_multiline = false;      // JavaScript templates, Go raw strings
    bool case_insensitive = false;        // SQL
    bool keys_are_keywords = false;       // YAML/TOML: the word before ':' or '=' is a key
    bool tags = false;                    // HTML/XML: <tag names> are keywords
    const char* keywords = "";            // space separated
};

const char* const kCKeywords =
    "auto break case char const continue default do double else enum extern float for goto if "
    "inline int long register restrict return short signed sizeof static struct switch typedef "
    "union unsigned void volatile while bool true false NULL nullptr uint8_t uint16_t uint32_t "
    "uint64_t int8_t int16_t int32_t int64_t size_t #include #define #if #ifdef #ifndef #endif "
    "#else #elif #pragma #undef";
const char* const kCppExtra =
    " alignas alignof and asm catch class concept consteval constexpr constinit const_cast "
    "co_await co_return co_yield decltype delete dynamic_cast explicit export friend mutable "
    "namespace new noexcept not operator or override final private protected public "
    "reinterpret_cast requires static_assert static_cast template this thread_local throw try "
    "typeid typename using virtual wchar_t char8_t char16_t char32_t std string vector";
const char* const kPythonKeywords =
    "False None True and as assert async await break class continue def del elif else except "
    "finally for from global if import in is lambda nonlocal not or pass raise return try while "
    "with yield match case self print len range int str float list dict set tuple";
const char* const kJsKeywords =
    "async await break case catch class const continue debugger default delete do else export "
    "extends false finally for function if import in instanceof let new null of return static "
    "super switch this throw true try typeof undefined var void while with yield";
const char* const kTsExtra =
    " abstract any as boolean declare enum implements interface keyof namespace never number "
    "private protected public readonly string symbol type unknown";
const char* const kJsonKeywords = "true false null";
const char* const kRustKeywords =
    "as async await break const continue crate dyn else enum extern false fn for if impl in let "
    "loop match mod move mut pub ref return self Self static struct super trait true type unsafe "
    "use where while i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize f32 f64 bool char str "
    "String Vec Option Some None Result Ok Err Box";
const char* const kGoKeywords =
    "break case chan const continue default defer else fallthrough for func go goto if import "
    "interface map package range return select struct switch type var true false nil int int8 "
    "int16 int32 int64 uint uint8 uint16 uint32 uint64 float32 float64 string bool byte rune "
    "error make len append";
const char* const kJavaKeywords =
    "abstract assert boolean break byte case catch char class const continue default do double "
    "else enum extends final finally float for goto if implements import instanceof int "
    "interface long native new package private protected public return short static strictfp "
    "super switch synchronized this throw throws transient try void volatile while true false "
    "null var record String";
const char* const kShellKeywords =
    "if then else elif fi for while until do done case esac in function return local export "
    "select break continue echo cd exit source sudo set unset readonly shift trap";
const char* const kSqlKeywords =
    "select from where and or not insert into values update set delete create table drop alter "
    "add column index primary key foreign references join inner left right outer full on as "
    "group by order having limit offset distinct union all null is in like between exists case "
    "when then else end begin commit rollback transaction default unique check view with asc "
    "desc count sum avg min max integer int text varchar char boolean date timestamp real";
const char* const kYamlKeywords = "true false null yes no on off";
const char* const kTomlKeywords = "true false";

const LanguageSpec& spec_of(CodeLanguage lang) {
    static const std::string cpp_keywords = std::string(kCKeywords) + kCppExtra;
    static const std::string ts_keywords = std::string(kJsKeywords) + kTsExtra;
    static const LanguageSpec generic{.line_comment = "#", .line_comment2 = "//"};
    static const LanguageSpec c{.line_comment = "//", .block_open = "/*", .block_close = "*/",
                                .keywords = kCKeywords};
    static const LanguageSpec cpp{.line_comment = "//", .block_open = "/*", .block_close = "*/",
                                  .keywords = cpp_keywords.c_str()};
    static const LanguageSpec python{.line_comment = "#", .triple_quotes = true,
                                     .keywords = kPythonKeywords};
    static const LanguageSpec js{.line_comment = "//", .block_open = "/*", .block_close = "*/",
                                 .backtick_multiline = true, .keywords = kJsKeywords};
    static const LanguageSpec ts{.line_comment = "//", .block_open = "/*", .block_close = "*/",
                                 .backtick_multiline = true, .keywords = ts_keywords.c_str()};
    static const LanguageSpec json{.line_comment = "//", .block_open = "/*", .block_close = "*/",
                                   .keywords = kJsonKeywords};
    static const LanguageSpec rust{.line_comment = "//", .block_open = "/*", .block_close = "*/",
                                   .char_literals_only = true, .keywords = kRustKeywords};
    static const LanguageSpec go{.line_comment = "//", .block_open = "/*", .block_close = "*/",
                                 .char_literals_only = true, .backtick_multiline = true,
                                 .keywords = kGoKeywords};
    static const LanguageSpec java{.line_comment = "//", .block_open = "/*", .block_close = "*/",
                                   .char_literals_only = true, .keywords = kJavaKeywords};
    static const LanguageSpec shell{.line_comment = "#", .hash_comment_after_space = true,
                                    .keywords = kShellKeywords};
    static const LanguageSpec sql{.line_comment = "--", .block_open = "/*", .block_close = "*/",
                                  .case_insensitive = true, .keywords = kSqlKeywords};
    static const LanguageSpec html{.block_open = "<!--", .block_close = "-->", .tags = true};
    static const LanguageSpec yaml{.line_comment = "#", .hash_comment_after_space = true,
                                   .keys_are_keywords = true, .keywords = kYamlKeywords};
    static const LanguageSpec toml{.line_comment = "#", .triple_quotes = true,
                                   .keys_are_keywords = true, .keywords = kTomlKeywords};
    switch (lang) {
    case CodeLanguage::C: return c;
    case CodeLanguage::Cpp: return cpp;
    case CodeLanguage::Python: return python;
    case CodeLanguage::JavaScript: return js;
    case CodeLanguage::TypeScript: return ts;
    case CodeLanguage::Json: return json;
    case CodeLanguage::Rust: return rust;
    case CodeLanguage::Go: return go;
    case CodeLanguage::Java: return java;
    case CodeLanguage::Shell: return shell;
    case CodeLanguage::Sql: return sql;
    case CodeLanguage::Html: return html;
    case CodeLanguage::Yaml: return yaml;
    case CodeLanguage::Toml: return toml;
    case CodeLanguage::Generic: break;
    }
    return generic;
}

// Sorted keyword tables, built once per language.
struct KeywordTable {
    std::vector<std::string> words;
    bool contains(std::string_view w, bool fold) const {
        if (fold) {
            std::string lower(w);
            for (char& c : lower) c = char(std::tolower((unsigned char)c));
            return std::binary_search(words.begin(), words.end(), lower);
        }
        return std::binary_search(words.begin(), words.end(), w);
    }
};

const KeywordTable& keywords_of(CodeLanguage lang) {
    static KeywordTable tables[int(CodeLanguage::Toml) + 1];
    static bool built[int(CodeLanguage::Toml) + 1] = {};
    int i = int(lang);
    if (!built[i]) {
        std::string_view all = spec_of(lang).keywords;
        size_t pos = 0;
        while (pos < all.size()) {
            size_t e = all.find(' ', pos);
            if (e == std::string_view::npos) e = all.size();
            if (e > pos) tables[i].words.emplace_back(all.substr(pos, e - pos));
            pos = e + 1;
        }
        std::sort(tables[i].words.begin(), tables[i].words.end());
        built[i] = true;
    }
    return tables[i];
}

bool starts_at(std::string_view s, size_t i, const char* lit) {
    if (!lit) return false;
    std::string_view l(lit);
    return s.size() - i >= l.size() && s.compare(i, l.size(), l) == 0;
}

bool is_ident_start(unsigned char c) { return std::isalpha(c) || c == '_' || c == '$' || c >= 0x80; }
bool is_ident_char(unsigned char c) { return std::isalnum(c) || c == '_' || c == '$' || c >= 0x80; }

void emit(std::vector<CodeToken>& out, size_t b, size_t e, TokenKind k) {
    if (e <= b) return;
    if (!out.empty() && out.back().kind == k && out.back().end == b) {
        out.back().end = uint32_t(e);
        return;
    }
    out.push_back(CodeToken{uint32_t(b), uint32_t(e), k});
}

// The end of a string opened by `quote` at i (i is the quote), stopping at the line's end.
size_t string_end(std::string_view s, size_t i, size_t end, char quote) {
    size_t j = i + 1;
    while (j < end) {
        if (s[j] == '\\') { j += 2; continue; }
        if (s[j] == quote) return j + 1;
        ++j;
    }
    return end;
}

// Rust/Go/Java: 'x', '\n', '\u{1F600}', 'é' are chars; anything else ('a in Rust) is not.
size_t char_literal_end(std::string_view s, size_t i, size_t end) {
    size_t j = i + 1;
    if (j >= end) return 0;
    if (s[j] == '\\') {
        size_t k = j + 2;
        while (k < end && k < j + 12 && s[k] != '\'') ++k;
        return k < end && s[k] == '\'' ? k + 1 : 0;
    }
    unsigned char c = (unsigned char)s[j];
    size_t len = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    return j + len < end && s[j + len] == '\'' ? j + len + 1 : 0;
}

// Continues a multi-line construct; returns where it ends on this line (or `end`) and
// whether it closed.
size_t continue_state(std::string_view s, size_t i, size_t end, HighlightState& state,
                      const LanguageSpec& spec, std::vector<CodeToken>& out) {
    const char* close = state == kStateBlockComment ? spec.block_close
                        : state == kStateTripleDouble ? "\"\"\""
                        : state == kStateTripleSingle ? "'''" : "`";
    TokenKind kind = state == kStateBlockComment ? TokenKind::Comment : TokenKind::String;
    std::string_view line = s.substr(0, end);
    size_t j = i;
    while (j < end) {
        if (kind == TokenKind::String && state != kStateTemplate && s[j] == '\\') { j += 2; continue; }
        if (starts_at(line, j, close)) {
            size_t e = j + std::string_view(close).size();
            emit(out, i, e, kind);
            state = kStateNone;
            return e;
        }
        ++j;
    }
    emit(out, i, end, kind);
    return end;
}

}  // namespace

CodeLanguage code_language_from_label(std::string_view label) {
    std::string l;
    for (char c : label) {
        if (c == ' ' || c == '{' || c == ',') break;
        l += char(std::tolower((unsigned char)c));
    }
    static const struct { const char* name; CodeLanguage lang; } names[] = {
        {"c", CodeLanguage::C}, {"h", CodeLanguage::C},
        {"cpp", CodeLanguage::Cpp}, {"c++", CodeLanguage::Cpp}, {"cc", CodeLanguage::Cpp},
        {"cxx", CodeLanguage::Cpp}, {"hpp", CodeLanguage::Cpp}, {"objc", CodeLanguage::C},
        {"cs", CodeLanguage::Java}, {"csharp", CodeLanguage::Java}, {"c#", CodeLanguage::Java},
        {"python", CodeLanguage::Python}, {"py", CodeLanguage::Python}, {"python3", CodeLanguage::Python},
        {"javascript", CodeLanguage::JavaScript}, {"js", CodeLanguage::JavaScript},
        {"jsx", CodeLanguage::JavaScript}, {"mjs", CodeLanguage::JavaScript}, {"node", CodeLanguage::JavaScript},
        {"typescript", CodeLanguage::TypeScript}, {"ts", CodeLanguage::TypeScript},
        {"tsx", CodeLanguage::TypeScript},
        {"json", CodeLanguage::Json}, {"jsonc", CodeLanguage::Json}, {"json5", CodeLanguage::Json},
        {"rust", CodeLanguage::Rust}, {"rs", CodeLanguage::Rust},
        {"go", CodeLanguage::Go}, {"golang", CodeLanguage::Go},
        {"java", CodeLanguage::Java}, {"kotlin", CodeLanguage::Java}, {"kt", CodeLanguage::Java},
        {"bash", CodeLanguage::Shell}, {"sh", CodeLanguage::Shell}, {"shell", CodeLanguage::Shell},
        {"zsh", CodeLanguage::Shell}, {"console", CodeLanguage::Shell}, {"shellscript", CodeLanguage::Shell},
        {"sql", CodeLanguage::Sql}, {"mysql", CodeLanguage::Sql}, {"postgresql", CodeLanguage::Sql},
        {"sqlite", CodeLanguage::Sql},
        {"html", CodeLanguage::Html}, {"xml", CodeLanguage::Html}, {"svg", CodeLanguage::Html},
        {"xhtml", CodeLanguage::Html}, {"vue", CodeLanguage::Html},
        {"yaml", CodeLanguage::Yaml}, {"yml", CodeLanguage::Yaml},
        {"toml", CodeLanguage::Toml}, {"ini", CodeLanguage::Toml},
    };
    for (const auto& n : names)
        if (l == n.name) return n.lang;
    return CodeLanguage::Generic;
}

HighlightState highlight_line(CodeLanguage language, std::string_view text, size_t line_begin,
                              size_t line_end, HighlightState state, std::vector<CodeToken>& out) {
    const LanguageSpec& spec = spec_of(language);
    const KeywordTable& keywords = keywords_of(language);
    line_end = std::min(line_end, text.size());
    std::string_view s = text.substr(0, line_end);
    size_t i = line_begin;
    if (state != kStateNone) i = continue_state(text, i, line_end, state, spec, out);
    bool line_start = i == line_begin;  // only spaces so far (YAML keys, TOML tables)
    while (i < line_end) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t') { ++i; continue; }
        // Comments
        bool hash_ok = !spec.hash_comment_after_space || i == line_begin || s[i - 1] == ' ' || s[i - 1] == '\t';
        if ((starts_at(s, i, spec.line_comment) && (spec.line_comment[0] != '#' || hash_ok)) ||
            starts_at(s, i, spec.line_comment2)) {
            emit(out, i, line_end, TokenKind::Comment);
            return state;
        }
        if (starts_at(s, i, spec.block_open)) {
            state = kStateBlockComment;
            i = continue_state(text, i, line_end, state, spec, out);
            line_start = false;
            continue;
        }
        // Strings
        if (spec.triple_quotes && (starts_at(s, i, "\"\"\"") || starts_at(s, i, "'''"))) {
            state = s[i] == '"' ? kStateTripleDouble : kStateTripleSingle;
            emit(out, i, i + 3, TokenKind::String);
            i = continue_state(text, i + 3, line_end, state, spec, out);
            line_start = false;
            continue;
        }
        if (c == '`' && spec.backtick_multiline) {
            state = kStateTemplate;
            emit(out, i, i + 1, TokenKind::String);
            i = continue_state(text, i + 1, line_end, state, spec, out);
            line_start = false;
            continue;
        }
        if (c == '"' || (c == '\'' && spec.single_quote_strings && !spec.char_literals_only) ||
            (c == '`' && !spec.backtick_multiline && !spec.tags)) {
            size_t e = string_end(s, i, line_end, char(c));
            // YAML/JSON keys: a quoted word followed by ':'.
            size_t after = e;
            while (after < line_end && s[after] == ' ') ++after;
            bool key = (spec.keys_are_keywords || language == CodeLanguage::Json) &&
                       after < line_end && s[after] == ':';
            emit(out, i, e, key ? TokenKind::Keyword : TokenKind::String);
            i = e;
            line_start = false;
            continue;
        }
        if (c == '\'' && spec.char_literals_only) {
            size_t e = char_literal_end(s, i, line_end);
            if (e) {
                emit(out, i, e, TokenKind::String);
                i = e;
                continue;
            }
            ++i;
            continue;
        }
        // Numbers
        if (std::isdigit(c) || (c == '.' && i + 1 < line_end && std::isdigit((unsigned char)s[i + 1]) &&
                                (i == line_begin || !is_ident_char((unsigned char)s[i - 1])))) {
            if (i > line_begin && is_ident_char((unsigned char)s[i - 1])) { ++i; continue; }
            size_t e = i + 1;
            while (e < line_end) {
                unsigned char d = (unsigned char)s[e];
                if (std::isalnum(d) || d == '.' || d == '_' || d == '\'') { ++e; continue; }
                if ((d == '+' || d == '-') && (s[e - 1] == 'e' || s[e - 1] == 'E') &&
                    !(s[i] == '0' && i + 1 < line_end && (s[i + 1] == 'x' || s[i + 1] == 'X'))) { ++e; continue; }
                break;
            }
            emit(out, i, e, TokenKind::Number);
            i = e;
            line_start = false;
            continue;
        }
        // HTML/XML tag names
        if (spec.tags && c == '<') {
            size_t j = i + 1;
            if (j < line_end && (s[j] == '/' || s[j] == '!' || s[j] == '?')) ++j;
            size_t e = j;
            while (e < line_end && (is_ident_char((unsigned char)s[e]) || s[e] == '-' || s[e] == ':')) ++e;
            if (e > j) emit(out, i + 1, e, TokenKind::Keyword);
            i = std::max(e, i + 1);
            continue;
        }
        // Words
        if (is_ident_start(c) || (c == '#' && language != CodeLanguage::Generic)) {
            size_t e = i + 1;
            while (e < line_end && (is_ident_char((unsigned char)s[e]) ||
                                    (spec.keys_are_keywords && (s[e] == '-' || s[e] == '.')))) ++e;
            std::string_view word = s.substr(i, e - i);
            size_t after = e;
            while (after < line_end && s[after] == ' ') ++after;
            bool key = spec.keys_are_keywords && line_start && after < line_end &&
                       (s[after] == ':' || (language == CodeLanguage::Toml && s[after] == '='));
            if (key || keywords.contains(word, spec.case_insensitive))
                emit(out, i, e, TokenKind::Keyword);
            i = e;
            line_start = false;
            continue;
        }
        if (language == CodeLanguage::Toml && c == '[' && line_start) {
            size_t e = s.find(']', i);
            e = e == std::string_view::npos ? line_end : std::min(line_end, e + 1);
            emit(out, i, e, TokenKind::Keyword);
            i = e;
            line_start = false;
            continue;
        }
        if (!(c == '-' && spec.keys_are_keywords)) line_start = false;
        ++i;
    }
    return state;
}

std::vector<CodeToken> highlight_code(CodeLanguage language, std::string_view code) {
    std::vector<CodeToken> out;
    HighlightState state = 0;
    size_t pos = 0;
    while (pos < code.size()) {
        size_t e = code.find('\n', pos);
        if (e == std::string_view::npos) e = code.size();
        state = highlight_line(language, code, pos, e, state, out);
        pos = e + 1;
    }
    return out;
}

}  // namespace imchat
