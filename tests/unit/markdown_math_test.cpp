// Formulas in the markdown blocks: math spans and Math blocks, what md4c would otherwise have
// done to them, and the streaming document against one-shot parses.
#include "core/markdown.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

using namespace imchat;

namespace {

// The text of each math span of a block (or a table cell's text and spans).
std::vector<std::string> math_spans(const std::string& text, const std::vector<Span>& spans) {
    std::vector<std::string> out;
    for (const Span& s : spans)
        if (s.style & SpanStyle_Math) out.push_back(text.substr(s.begin, s.end - s.begin));
    return out;
}

using V = std::vector<std::string>;

bool same_blocks(const std::vector<Block>& a, const std::vector<Block>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (!(a[i] == b[i])) return false;
    return true;
}

// Streams `text` in pieces of `piece` bytes, as a reply that is still arriving, and compares
// with one-shot parses after every piece; then ends the reply.
::testing::AssertionResult streams_like_one_shot(const std::string& text, size_t piece) {
    MarkdownDocument doc;
    for (size_t n = 0; n < text.size();) {
        n = std::min(text.size(), n + piece);
        std::string prefix = text.substr(0, n);
        doc.set_text_appended(prefix, false);
        if (!same_blocks(doc.blocks(), parse_markdown(prefix, {}, false).blocks))
            return ::testing::AssertionFailure() << "streaming prefix of " << n << " bytes";
    }
    doc.set_text_appended(text, true);
    if (!same_blocks(doc.blocks(), parse_markdown(text, {}, true).blocks))
        return ::testing::AssertionFailure() << "at the end";
    return ::testing::AssertionSuccess();
}

}  // namespace

TEST(MarkdownMath, InlineFormulasAreSpansOfTheirSource) {
    ParsedMarkdown p = parse_markdown("Euler $e^{i\\pi}+1=0$, \\(a_1 * b_2 * c\\) and `$x$` cost \\$5.");
    ASSERT_EQ(p.blocks.size(), 1u);
    const Block& b = p.blocks[0];
    // md4c would have eaten "\(" and made emphasis of "* b_2 *": the source stays whole.
    EXPECT_EQ(b.text, "Euler $e^{i\\pi}+1=0$, \\(a_1 * b_2 * c\\) and $x$ cost $5.");
    EXPECT_EQ(math_spans(b.text, b.spans), (V{"$e^{i\\pi}+1=0$", "\\(a_1 * b_2 * c\\)"}));
    for (const Span& s : b.spans) EXPECT_FALSE(s.style & (SpanStyle_Emphasis | SpanStyle_MathDisplay));
    bool code = false;
    for (const Span& s : b.spans)
        if ((s.style & SpanStyle_Code) && b.text.substr(s.begin, s.end - s.begin) == "$x$") code = true;
    EXPECT_TRUE(code);
}

TEST(MarkdownMath, MoneyStaysText) {
    ParsedMarkdown p = parse_markdown("It costs $5 and $10, or $ 3.");
    ASSERT_EQ(p.blocks.size(), 1u);
    EXPECT_TRUE(math_spans(p.blocks[0].text, p.blocks[0].spans).empty());
    EXPECT_EQ(p.blocks[0].text, "It costs $5 and $10, or $ 3.");
}

TEST(MarkdownMath, DisplayFormulaAloneIsAMathBlock) {
    ParsedMarkdown p = parse_markdown("Before:\n\n$$\n- a_1 *\n\\sum_i x_i\n$$\n\nAfter \\[y\\] here.");
    ASSERT_EQ(p.blocks.size(), 3u);
    EXPECT_EQ(p.blocks[1].kind, BlockKind::Math);
    EXPECT_EQ(p.blocks[1].text, "$$\n- a_1 *\n\\sum_i x_i\n$$");  // no list, no emphasis
    ASSERT_EQ(p.blocks[1].spans.size(), 1u);
    EXPECT_EQ(p.blocks[1].spans[0].style, SpanStyle_Math | SpanStyle_MathDisplay);
    // Display math inside a sentence stays a span of its paragraph.
    EXPECT_EQ(p.blocks[2].kind, BlockKind::Paragraph);
    EXPECT_EQ(math_spans(p.blocks[2].text, p.blocks[2].spans), V{"\\[y\\]"});
    EXPECT_TRUE(p.blocks[2].spans[0].style & SpanStyle_MathDisplay);
}

TEST(MarkdownMath, EnvironmentsAndChemistry) {
    ParsedMarkdown p = parse_markdown("\\begin{align}\na &= b \\\\\nc &= d\n\\end{align}\n\nWater: \\ce{H2O}.");
    ASSERT_EQ(p.blocks.size(), 2u);
    EXPECT_EQ(p.blocks[0].kind, BlockKind::Math);
    EXPECT_EQ(p.blocks[0].text, "\\begin{align}\na &= b \\\\\nc &= d\n\\end{align}");
    EXPECT_EQ(math_spans(p.blocks[1].text, p.blocks[1].spans), V{"\\ce{H2O}"});
}

TEST(MarkdownMath, InsideListsQuotesAndTables) {
    ParsedMarkdown p = parse_markdown(
        "- item $x_1$\n  - nested\n\n    $$\n    y\n    $$\n\n> $$\n> a\n> $$\n\n"
        "| f | g |\n|---|---|\n| $|x|$ | \\(a|b\\) |\n");
    const Block* item = nullptr;
    const Block* quoted = nullptr;
    const Block* nested = nullptr;
    const Block* table = nullptr;
    for (const Block& b : p.blocks) {
        if (b.kind == BlockKind::ListItem && !item) item = &b;
        if (b.kind == BlockKind::Math && b.quote_depth == 1) quoted = &b;
        if (b.kind == BlockKind::Math && b.list_depth == 2) nested = &b;
        if (b.kind == BlockKind::Table) table = &b;
    }
    ASSERT_TRUE(item && quoted && nested && table);
    EXPECT_EQ(math_spans(item->text, item->spans), V{"$x_1$"});
    EXPECT_EQ(quoted->text, "$$\na\n$$");
    EXPECT_EQ(nested->text, "$$\ny\n$$");
    ASSERT_EQ(table->alignments.size(), 2u);  // the '|' inside the formulas split no cell
    ASSERT_EQ(table->rows.size(), 2u);
    const TableRow& row = table->rows[1];
    ASSERT_EQ(row.cells.size(), 2u);
    EXPECT_EQ(math_spans(row.cells[0].text, row.cells[0].spans), V{"$|x|$"});
    EXPECT_EQ(math_spans(row.cells[1].text, row.cells[1].spans), V{"\\(a|b\\)"});
}

TEST(MarkdownMath, StyledAndLinkedFormulas) {
    ParsedMarkdown p = parse_markdown("**bold $x$ text** and [see $y$](https://a.example/) end");
    ASSERT_EQ(p.blocks.size(), 1u);
    const Block& b = p.blocks[0];
    std::vector<uint16_t> math_styles;
    for (const Span& s : b.spans)
        if (s.style & SpanStyle_Math) math_styles.push_back(s.style);
    ASSERT_EQ(math_styles.size(), 2u);
    EXPECT_TRUE(math_styles[0] & SpanStyle_Strong);
    EXPECT_TRUE(math_styles[1] & SpanStyle_Link);
    EXPECT_EQ(b.text, "bold $x$ text and see $y$ end");
}

TEST(MarkdownMath, CodeBlocksKeepTheirDollars) {
    ParsedMarkdown p = parse_markdown("```sh\necho $HOME $x$\n```\n\n    indented $y$ code\n");
    ASSERT_EQ(p.blocks.size(), 2u);
    EXPECT_EQ(p.blocks[0].text, "echo $HOME $x$\n");
    EXPECT_EQ(p.blocks[1].kind, BlockKind::CodeBlock);
    EXPECT_EQ(p.blocks[1].text, "indented $y$ code\n");  // md4c's code, read from the source
}

TEST(MarkdownMath, AnOpenFormulaStaysSourceUntilItCloses) {
    MarkdownDocument doc;
    doc.set_text_appended("Sum \\(a + ", false);
    EXPECT_TRUE(math_spans(doc.blocks()[0].text, doc.blocks()[0].spans).empty());
    EXPECT_EQ(doc.blocks()[0].text, "Sum (a +");  // md4c's escape: plain source text
    doc.set_text_appended("Sum \\(a + b\\)", false);
    EXPECT_EQ(math_spans(doc.blocks()[0].text, doc.blocks()[0].spans), V{"\\(a + b\\)"});
    // A closing '$' waits for the next character or the reply's end.
    doc.set_text("cost $5 and 6$", false);
    EXPECT_TRUE(math_spans(doc.blocks()[0].text, doc.blocks()[0].spans).empty());
    doc.set_text_appended("cost $5 and 6$0", false);
    EXPECT_TRUE(math_spans(doc.blocks()[0].text, doc.blocks()[0].spans).empty());
    doc.set_text("so $x$", false);
    EXPECT_TRUE(math_spans(doc.blocks()[0].text, doc.blocks()[0].spans).empty());
    uint64_t before = doc.revision();
    doc.set_text_appended("so $x$", true);  // the reply ended: same text, now decided
    EXPECT_EQ(math_spans(doc.blocks()[0].text, doc.blocks()[0].spans), V{"$x$"});
    EXPECT_NE(doc.revision(), before);
}

TEST(MarkdownMath, StreamingMatchesOneShotParses) {
    const std::string reply =
        "# Maths $a$\n\nIt costs $5 and $10. Euler: $e^{i\\pi}+1=0$ and \\(x_1 * y_2 * z\\).\n\n"
        "$$\n\\int_0^1 x\\,dx\n$$\n\n```py\nprint('$x$')\n```\n\n"
        "- item \\[a\\]\n- \\ce{H2O}\n\n> \\begin{align}\n> a&=b\n> \\end{align}\n\n"
        "| a | b |\n|---|---|\n| $x|y$ | 2 |\n\nend $z$";
    for (size_t piece : {1u, 2u, 7u}) EXPECT_TRUE(streams_like_one_shot(reply, piece)) << piece;
}

TEST(MarkdownMath, RandomDocumentsWithFormulasStreamLikeOneShotParses) {
    const char* const prefixes[] = {"", "", "  ", "    ", "> ", "- ", "1. ", "  - ", "> - ", "| "};
    const char* const bodies[] = {"text $x$", "$$", "x_1 * y *", "\\[", "\\]", "$5 and $10", "\\(a",
                                  "b\\)", "```", "~~~", "| $a|b$ | c |", "|---|---|", "`$x$`",
                                  "\\begin{align}", "\\end{align}", "\\ce{H2O}", "**$y$**", "# $h$", "",
                                  "[l]($u$)", "\\$", "$a$b$c$"};
    std::mt19937 rng(14);
    for (int doc_index = 0; doc_index < 600; ++doc_index) {
        std::string text;
        int lines = 2 + int(rng() % 10);
        for (int i = 0; i < lines; ++i) {
            if (rng() % 5 == 0) {
                text += "\n";
                continue;
            }
            text += prefixes[rng() % (sizeof prefixes / sizeof *prefixes)];
            text += bodies[rng() % (sizeof bodies / sizeof *bodies)];
            if (rng() % 2) text += bodies[rng() % (sizeof bodies / sizeof *bodies)];
            text += "\n";
        }
        ASSERT_TRUE(streams_like_one_shot(text, 1 + rng() % 3)) << "document:\n" << text;
    }
}
