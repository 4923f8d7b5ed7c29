// The code highlighter: language labels, token kinds, multi-line state.
#include "core/highlight.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

using namespace imchat;

namespace {

using Tokens = std::vector<std::pair<std::string, TokenKind>>;

Tokens tokens_of(CodeLanguage lang, const std::string& code) {
    Tokens out;
    for (const CodeToken& t : highlight_code(lang, code)) out.emplace_back(code.substr(t.begin, t.end - t.begin), t.kind);
    return out;
}

bool has(const Tokens& t, const std::string& text, TokenKind kind) {
    for (const auto& [s, k] : t)
        if (s == text && k == kind) return true;
    return false;
}

std::string dump(const Tokens& t) {
    std::string s;
    for (const auto& [text, k] : t) s += "[" + text + "]" + std::to_string(int(k)) + " ";
    return s;
}

}  // namespace

TEST(Highlight, LanguageLabelsAndAliases) {
    EXPECT_EQ(code_language_from_label("py"), CodeLanguage::Python);
    EXPECT_EQ(code_language_from_label("Python"), CodeLanguage::Python);
    EXPECT_EQ(code_language_from_label("c++"), CodeLanguage::Cpp);
    EXPECT_EQ(code_language_from_label("rs"), CodeLanguage::Rust);
    EXPECT_EQ(code_language_from_label("ts"), CodeLanguage::TypeScript);
    EXPECT_EQ(code_language_from_label("js"), CodeLanguage::JavaScript);
    EXPECT_EQ(code_language_from_label("sh"), CodeLanguage::Shell);
    EXPECT_EQ(code_language_from_label("shell"), CodeLanguage::Shell);
    EXPECT_EQ(code_language_from_label("yml"), CodeLanguage::Yaml);
    EXPECT_EQ(code_language_from_label("toml"), CodeLanguage::Toml);
    EXPECT_EQ(code_language_from_label("xml"), CodeLanguage::Html);
    EXPECT_EQ(code_language_from_label("go"), CodeLanguage::Go);
    EXPECT_EQ(code_language_from_label("json"), CodeLanguage::Json);
    EXPECT_EQ(code_language_from_label("SQL"), CodeLanguage::Sql);
    EXPECT_EQ(code_language_from_label("python {.line-numbers}"), CodeLanguage::Python);
    EXPECT_EQ(code_language_from_label("brainfuck"), CodeLanguage::Generic);
    EXPECT_EQ(code_language_from_label(""), CodeLanguage::Generic);
}

TEST(Highlight, Cpp) {
    Tokens t = tokens_of(CodeLanguage::Cpp, "#include <x>\nint main() { return 0x1F + 2.5e-3; } // end\nconst char* s = \"a\\\"b\";");
    EXPECT_TRUE(has(t, "#include", TokenKind::Keyword)) << dump(t);
    EXPECT_TRUE(has(t, "int", TokenKind::Keyword));
    EXPECT_TRUE(has(t, "return", TokenKind::Keyword));
    EXPECT_TRUE(has(t, "0x1F", TokenKind::Number));
    EXPECT_TRUE(has(t, "2.5e-3", TokenKind::Number)) << dump(t);
    EXPECT_TRUE(has(t, "// end", TokenKind::Comment));
    EXPECT_TRUE(has(t, "\"a\\\"b\"", TokenKind::String)) << dump(t);
    EXPECT_FALSE(has(t, "main", TokenKind::Keyword));
}

TEST(Highlight, BlockCommentsSpanLines) {
    std::string code = "a /* one\ntwo\nthree */ int b;";
    Tokens t = tokens_of(CodeLanguage::C, code);
    EXPECT_TRUE(has(t, "/* one", TokenKind::Comment)) << dump(t);
    EXPECT_TRUE(has(t, "two", TokenKind::Comment));
    EXPECT_TRUE(has(t, "three */", TokenKind::Comment));
    EXPECT_TRUE(has(t, "int", TokenKind::Keyword));
    // Tokens never cross a line.
    for (const CodeToken& tok : highlight_code(CodeLanguage::C, code))
        EXPECT_EQ(code.substr(tok.begin, tok.end - tok.begin).find('\n'), std::string::npos);
}

TEST(Highlight, PythonTripleQuotesAndComments) {
    Tokens t = tokens_of(CodeLanguage::Python, "def f(x):\n    \"\"\"doc\n    more\"\"\" # c\n    return None  # done\n");
    EXPECT_TRUE(has(t, "def", TokenKind::Keyword));
    EXPECT_TRUE(has(t, "\"\"\"doc", TokenKind::String)) << dump(t);
    EXPECT_TRUE(has(t, "    more\"\"\"", TokenKind::String)) << dump(t);
    EXPECT_TRUE(has(t, "# c", TokenKind::Comment));
    EXPECT_TRUE(has(t, "None", TokenKind::Keyword));
    EXPECT_TRUE(has(t, "# done", TokenKind::Comment));
}

TEST(Highlight, JavaScriptTemplatesSpanLines) {
    Tokens t = tokens_of(CodeLanguage::JavaScript, "const s = `a\nb`; let n = 42;");
    EXPECT_TRUE(has(t, "`a", TokenKind::String)) << dump(t);
    EXPECT_TRUE(has(t, "b`", TokenKind::String)) << dump(t);
    EXPECT_TRUE(has(t, "let", TokenKind::Keyword));
    EXPECT_TRUE(has(t, "42", TokenKind::Number));
    Tokens ts = tokens_of(CodeLanguage::TypeScript, "interface A { x: number }");
    EXPECT_TRUE(has(ts, "interface", TokenKind::Keyword));
    EXPECT_TRUE(has(ts, "number", TokenKind::Keyword));
}

TEST(Highlight, RustLifetimesAreNotStrings) {
    Tokens t = tokens_of(CodeLanguage::Rust, "fn f<'a>(x: &'a str) -> char { 'x' }");
    EXPECT_TRUE(has(t, "fn", TokenKind::Keyword));
    EXPECT_TRUE(has(t, "'x'", TokenKind::String)) << dump(t);
    EXPECT_FALSE(has(t, "'a>(x: &'", TokenKind::String)) << dump(t);
    EXPECT_TRUE(has(t, "str", TokenKind::Keyword));
}

TEST(Highlight, ShellHashIsACommentOnlyAtAWordStart) {
    Tokens t = tokens_of(CodeLanguage::Shell, "echo ${#arr} # count\nif [ -f x ]; then ls; fi");
    EXPECT_TRUE(has(t, "# count", TokenKind::Comment)) << dump(t);
    EXPECT_FALSE(has(t, "#arr} # count", TokenKind::Comment));
    EXPECT_TRUE(has(t, "if", TokenKind::Keyword));
    EXPECT_TRUE(has(t, "fi", TokenKind::Keyword));
}

TEST(Highlight, SqlKeywordsIgnoreCase) {
    Tokens t = tokens_of(CodeLanguage::Sql, "SELECT name FROM t WHERE id = 3; -- note");
    EXPECT_TRUE(has(t, "SELECT", TokenKind::Keyword));
    EXPECT_TRUE(has(t, "FROM", TokenKind::Keyword));
    EXPECT_TRUE(has(t, "3", TokenKind::Number));
    EXPECT_TRUE(has(t, "-- note", TokenKind::Comment));
}

TEST(Highlight, JsonYamlTomlHtml) {
    Tokens j = tokens_of(CodeLanguage::Json, "{\"key\": \"value\", \"n\": -1.5, \"ok\": true}");
    EXPECT_TRUE(has(j, "\"key\"", TokenKind::Keyword)) << dump(j);
    EXPECT_TRUE(has(j, "\"value\"", TokenKind::String));
    EXPECT_TRUE(has(j, "1.5", TokenKind::Number));
    EXPECT_TRUE(has(j, "true", TokenKind::Keyword));

    Tokens y = tokens_of(CodeLanguage::Yaml, "name: app # c\nitems:\n  - port: 80\n");
    EXPECT_TRUE(has(y, "name", TokenKind::Keyword)) << dump(y);
    EXPECT_TRUE(has(y, "# c", TokenKind::Comment));
    EXPECT_TRUE(has(y, "80", TokenKind::Number));
    EXPECT_TRUE(has(y, "port", TokenKind::Keyword)) << dump(y);

    Tokens tm = tokens_of(CodeLanguage::Toml, "[package]\nname = \"x\"\n");
    EXPECT_TRUE(has(tm, "[package]", TokenKind::Keyword)) << dump(tm);
    EXPECT_TRUE(has(tm, "name", TokenKind::Keyword));
    EXPECT_TRUE(has(tm, "\"x\"", TokenKind::String));

    Tokens h = tokens_of(CodeLanguage::Html, "<div class=\"a\"><!-- c\n--></div>");
    EXPECT_TRUE(has(h, "div", TokenKind::Keyword)) << dump(h);
    EXPECT_TRUE(has(h, "\"a\"", TokenKind::String));
    EXPECT_TRUE(has(h, "<!-- c", TokenKind::Comment));
    EXPECT_TRUE(has(h, "-->", TokenKind::Comment));
}

TEST(Highlight, GenericLanguage) {
    Tokens t = tokens_of(CodeLanguage::Generic, "x = 'str' # comment\ny = 12 // other");
    EXPECT_TRUE(has(t, "'str'", TokenKind::String));
    EXPECT_TRUE(has(t, "# comment", TokenKind::Comment));
    EXPECT_TRUE(has(t, "12", TokenKind::Number));
    EXPECT_TRUE(has(t, "// other", TokenKind::Comment));
}

TEST(Highlight, LineByLineEqualsWhole) {
    // What a streaming code block does: one line at a time with the carried state.
    std::string code = "/* a\n b */ int x = 1;\nconst s = `q\n`; // c\n";
    for (CodeLanguage lang : {CodeLanguage::C, CodeLanguage::JavaScript, CodeLanguage::Python}) {
        std::vector<CodeToken> stepwise;
        HighlightState st = 0;
        size_t pos = 0;
        while (pos < code.size()) {
            size_t e = code.find('\n', pos);
            st = highlight_line(lang, code, pos, e, st, stepwise);
            pos = e + 1;
        }
        EXPECT_EQ(stepwise, highlight_code(lang, code));
    }
}

TEST(Highlight, UnterminatedAndOddInputNeverCrash) {
    for (int l = 0; l <= int(CodeLanguage::Toml); ++l) {
        for (const char* s : {"\"", "'", "`", "/*", "\"\"\"", "<", "<!--", "0x", "'\\", "\\", "#", "\xff\xfe", "1e+"}) {
            auto t = highlight_code(CodeLanguage(l), s);
            for (const CodeToken& tok : t) EXPECT_LE(tok.end, std::string_view(s).size());
        }
    }
}
