// The math pre-pass: delimiter rules, code and money, streaming, and the incremental scanner
// against one-shot scans of every prefix.
#include "core/math_detect.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace imchat;

namespace {

// The formulas' source bytes, in order.
std::vector<std::string> formulas(std::string_view text, bool complete = true) {
    std::vector<std::string> out;
    for (const MathRegion& r : find_math(text, complete)) out.emplace_back(text.substr(r.begin, r.end - r.begin));
    return out;
}

using V = std::vector<std::string>;

}  // namespace

TEST(MathDetect, AllFourDelimiters) {
    EXPECT_EQ(formulas("a $x^2$ b"), V{"$x^2$"});
    EXPECT_EQ(formulas("a \\(x^2\\) b"), V{"\\(x^2\\)"});
    EXPECT_EQ(formulas("$$\\int_0^1 f$$"), V{"$$\\int_0^1 f$$"});
    EXPECT_EQ(formulas("\\[\n\\sum_i a_i\n\\]\n"), V{"\\[\n\\sum_i a_i\n\\]"});
    std::vector<MathRegion> r = find_math("$a$ \\(b\\) $$c$$ \\[d\\]");
    ASSERT_EQ(r.size(), 4u);
    EXPECT_EQ(r[0].delimiter, MathDelimiter::Dollar);
    EXPECT_FALSE(r[0].display());
    EXPECT_EQ(r[1].delimiter, MathDelimiter::Paren);
    EXPECT_FALSE(r[1].display());
    EXPECT_EQ(r[2].delimiter, MathDelimiter::DoubleDollar);
    EXPECT_TRUE(r[2].display());
    EXPECT_EQ(r[3].delimiter, MathDelimiter::Bracket);
    EXPECT_TRUE(r[3].display());
}

TEST(MathDetect, EnvironmentsAndChemistry) {
    const char* text = "Then\n\\begin{align}\na &= b \\\\\n\\begin{align}x\\end{align}\nc &= d\n\\end{align}\nend";
    std::vector<MathRegion> r = find_math(text);
    ASSERT_EQ(r.size(), 1u);
    EXPECT_EQ(r[0].delimiter, MathDelimiter::Environment);
    EXPECT_TRUE(r[0].display());
    EXPECT_EQ(std::string_view(text).substr(r[0].end - 11, 11), "\\end{align}");
    EXPECT_EQ(formulas("\\begin{equation*}E=mc^2\\end{equation*}"), V{"\\begin{equation*}E=mc^2\\end{equation*}"});
    EXPECT_EQ(formulas("\\begin{itemize}x\\end{itemize}"), V{});  // not math
    EXPECT_EQ(formulas("\\begin{align} never closed"), V{});
    EXPECT_EQ(formulas("Water is \\ce{H2O} and \\ce{2H2 + O2 -> 2H2O_{(l)}}."),
              (V{"\\ce{H2O}", "\\ce{2H2 + O2 -> 2H2O_{(l)}}"}));
    EXPECT_EQ(find_math("\\ce{H2O}")[0].delimiter, MathDelimiter::Chemistry);
    EXPECT_EQ(formulas("\\ce{unclosed"), V{});
}

TEST(MathDetect, MoneyIsText) {
    EXPECT_EQ(formulas("It costs $5 and $10 today."), V{});
    EXPECT_EQ(formulas("costs $ 3 or $ 4"), V{});
    EXPECT_EQ(formulas("between $5 and $10, and $x$ too"), V{"$x$"});
    EXPECT_EQ(formulas("$x$5"), V{});           // a closing '$' followed by a digit
    EXPECT_EQ(formulas("$x $ y"), V{});         // a closing '$' after a space
    EXPECT_EQ(formulas("price \\$5, formula $y$"), V{"$y$"});
    EXPECT_EQ(formulas("\\$x\\$"), V{});        // both escaped
    EXPECT_EQ(formulas("$a\\$b$"), V{"$a\\$b$"});  // an escaped dollar inside
    EXPECT_EQ(formulas("$$ $$"), V{});          // empty
    EXPECT_EQ(formulas("\\\\(x\\\\)"), V{});    // an escaped backslash, then "(": no delimiter
}

TEST(MathDetect, CodeIsNeverMath) {
    EXPECT_EQ(formulas("run `echo $HOME $x$` now"), V{});
    EXPECT_EQ(formulas("``a ` $x$ ``"), V{});
    EXPECT_EQ(formulas("unclosed ` then $x$"), V{"$x$"});  // a lone backtick is text
    EXPECT_EQ(formulas("```sh\necho $a $b$\n```\nafter $c$"), V{"$c$"});
    EXPECT_EQ(formulas("- item\n  ```\n  $x$\n  ```\n"), V{});
    EXPECT_EQ(formulas("~~~~\n$x$\n~~~\n$y$\n~~~~\n$z$"), V{"$z$"});  // a shorter run closes nothing
    EXPECT_EQ(formulas("[link](http://a.example/$x$) $y$"), V{"$y$"});
}

TEST(MathDetect, ContainersAndTables) {
    EXPECT_EQ(formulas("- item $a$\n  - nested \\(b\\)"), (V{"$a$", "\\(b\\)"}));
    EXPECT_EQ(formulas("> quote\n> $$\n> x\n> $$\n"), V{"$$\n> x\n> $$"});
    EXPECT_EQ(formulas("| a | b |\n|---|---|\n| $|x|$ | \\(a|b\\) |\n"), (V{"$|x|$", "\\(a|b\\)"}));
}

TEST(MathDetect, NeverAcrossBlankLinesFencesOrLines) {
    EXPECT_EQ(formulas("$$\na\n\nb\n$$"), V{});
    EXPECT_EQ(formulas("\\(a\n```\nb\\)\n```"), V{});
    EXPECT_EQ(formulas("$a\nb$"), V{});          // inline '$' stays on its line
    EXPECT_EQ(formulas("\\(a\nb\\)"), V{"\\(a\nb\\)"});
}

TEST(MathDetect, StreamingClosersWaitForTheNextCharacter) {
    EXPECT_EQ(formulas("cost $5 and 6$", false), V{});   // "0" may still come
    EXPECT_EQ(formulas("cost $5 and 6$0", false), V{});
    EXPECT_EQ(formulas("cost $x$", false), V{});
    EXPECT_EQ(formulas("cost $x$", true), V{"$x$"});
    EXPECT_EQ(formulas("cost $x$.", false), V{"$x$"});
    EXPECT_EQ(formulas("$$x$$", false), V{});
    EXPECT_EQ(formulas("$$x$$\n", false), V{"$$x$$"});
    EXPECT_EQ(formulas("\\(x\\)", false), V{"\\(x\\)"});  // a backslash closer is decided
    EXPECT_EQ(formulas("open \\(x + y", false), V{});      // stays source until it closes
}

TEST(MathDetect, SourceTextAndTex) {
    std::string text = "> $$\n> a \\\\\n>   b\n> $$\n";
    std::vector<MathRegion> r = find_math(text);
    ASSERT_EQ(r.size(), 1u);
    std::string src = math_source_text(text, r[0]);
    EXPECT_EQ(src, "$$\na \\\\\nb\n$$");
    bool display = false;
    EXPECT_EQ(math_tex(src, &display), "\na \\\\\nb\n");
    EXPECT_TRUE(display);
    EXPECT_EQ(math_tex("$x$", &display), "x");
    EXPECT_FALSE(display);
    EXPECT_EQ(math_tex("\\(x\\)", &display), "x");
    EXPECT_EQ(math_tex("\\[x\\]", &display), "x");
    EXPECT_TRUE(display);
    EXPECT_EQ(math_tex("\\begin{align}a\\end{align}", &display), "\\begin{align}a\\end{align}");
    EXPECT_TRUE(display);
    EXPECT_EQ(math_tex("\\ce{H2O}", &display), "\\ce{H2O}");
    EXPECT_FALSE(display);
}

TEST(MathDetect, ScannerMatchesOneShotOnEveryPrefix) {
    const std::string text =
        "# Maths $a$\n\nIt costs $5 and $10. Euler: $e^{i\\pi}+1=0$ and \\(x\\).\n\n"
        "$$\n\\int_0^1 x\\,dx\n$$\n\n```py\nprint('$x$')\n```\n\n"
        "- item \\[a\\]\n- \\ce{H2O}\n\n> \\begin{align}\n> a&=b\n> \\end{align}\n\n"
        "| a | b |\n|---|---|\n| $x|y$ | 2 |\nend $z$";
    for (bool complete : {false, true}) {
        MathScanner scanner;
        for (size_t n = 0; n <= text.size(); ++n) {
            std::string_view prefix = std::string_view(text).substr(0, n);
            scanner.update(prefix, complete);
            ASSERT_EQ(scanner.regions(), find_math(prefix, complete)) << "prefix " << n;
            ASSERT_LE(scanner.checkpoint(), n);
        }
        EXPECT_GT(scanner.checkpoint(), text.size() / 2);  // it did not re-scan from the start
        EXPECT_EQ(scanner.regions().size(), complete ? 9u : 8u);
    }
}
