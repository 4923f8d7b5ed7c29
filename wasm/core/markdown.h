// markdown: a chat reply's markdown turned into flat blocks the transcript lays out and draws.
// md4c (GitHub dialect: tables, strikethrough, task lists, permissive autolinks; raw HTML is
// shown as text) does the parsing; we keep only plain structs. Containers (quotes, lists) are
// flattened away: every leaf block carries its quote and list depth, so each Block is one unit
// the renderer lays out and draws on its own.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/math_detect.h"

namespace imchat {

// Span style bits. Bits 8..11 carry a code token kind (highlight.h) on code-block spans.
enum SpanStyle : uint16_t {
    SpanStyle_None = 0,
    SpanStyle_Strong = 1 << 0,
    SpanStyle_Emphasis = 1 << 1,
    SpanStyle_Strike = 1 << 2,
    SpanStyle_Code = 1 << 3,     // inline `code`, and every span of a code block
    SpanStyle_Link = 1 << 4,     // a clickable link (http/https): Span::link indexes links
    // A formula (core/math_detect): the span's text is its source with delimiters, shown as is
    // until (or unless) it is typeset; math_tex() gives the TeX. One span per formula.
    SpanStyle_Math = 1 << 5,
    SpanStyle_MathDisplay = 1 << 6,  // with SpanStyle_Math: $$, \[ or an environment
    SpanStyle_TokenShift = 8,    // code blocks: (style >> 8) & 15 is a highlight TokenKind
    SpanStyle_TokenMask = 15 << 8,
};

constexpr uint32_t kNoLink = 0xffffffffu;

// A styled byte range of a block's (or table cell's) text. Spans are sorted, never overlap,
// and cover only styled text: bytes outside every span are plain.
struct Span {
    uint32_t begin = 0, end = 0;  // byte range into the owning text
    uint16_t style = 0;           // SpanStyle bits
    uint32_t link = kNoLink;      // index into MarkdownDocument::links() when SpanStyle_Link
    bool operator==(const Span&) const = default;
};

struct Link {
    std::string url;  // only http:// and https:// links become Links; others stay plain text
    bool operator==(const Link&) const = default;
};

enum class BlockKind : uint8_t {
    Paragraph,  // also the second and later paragraphs of a list item (list_depth > 0, no bullet)
    Heading,    // level 1..6
    CodeBlock,  // text is the code, verbatim, each line ending in '\n'; spans are highlight tokens
    ListItem,   // the first paragraph of a list item: draw its bullet/number/checkbox, then text
    Table,      // rows/alignments; text and spans are empty
    Rule,       // thematic break
    Math,       // a display formula alone in its paragraph: one SpanStyle_Math span over text
};
// Quotes are containers, not blocks: a block inside "> " has quote_depth >= 1.

enum class CellAlign : uint8_t { Default, Left, Center, Right };

struct TableCell {
    std::string text;
    std::vector<Span> spans;
    bool operator==(const TableCell&) const = default;
};

struct TableRow {
    std::vector<TableCell> cells;  // as many as the table has columns
    bool header = false;
    bool operator==(const TableRow&) const = default;
};

struct Block {
    BlockKind kind = BlockKind::Paragraph;
    uint8_t level = 0;        // heading level 1..6
    uint8_t quote_depth = 0;  // number of enclosing block quotes
    uint8_t list_depth = 0;   // number of enclosing list items (1 for a top-level item)
    bool ordered = false;     // ListItem of an ordered list
    bool code_open = false;   // CodeBlock: a top-level fence not closed yet (still streaming)
    int number = 0;           // ListItem of an ordered list: its number
    int task_state = -1;      // ListItem: -1 not a task, 0 "[ ]", 1 "[x]"
    std::string text;         // the visible text; hard breaks are '\n', soft breaks ' '
    std::vector<Span> spans;
    std::string code_lang;    // CodeBlock: the fence's language word, lower-cased
    std::vector<TableRow> rows;           // Table: header row first
    std::vector<CellAlign> alignments;    // Table: one per column
    // Change tracking for layout caches (not part of the content, ignored by operator==).
    // revision: unique stamp, new whenever this block's content changes.
    // base_revision/base_bytes: when non-zero, the block is the block that had base_revision
    // with its text and styles unchanged before byte base_bytes (a table: its first base_bytes
    // rows unchanged), in the same font and indentation, so a layout of that older block stays
    // valid for the lines placed from bytes before base_bytes (the rows before it).
    uint64_t revision = 0;
    uint64_t base_revision = 0;
    uint32_t base_bytes = 0;

    bool operator==(const Block& o) const {
        return kind == o.kind && level == o.level && quote_depth == o.quote_depth &&
               list_depth == o.list_depth && ordered == o.ordered && code_open == o.code_open &&
               number == o.number && task_state == o.task_state && text == o.text &&
               spans == o.spans && code_lang == o.code_lang && rows == o.rows &&
               alignments == o.alignments;
    }
};

// Nesting deeper than this (quotes, list items) is clamped: blocks still appear, flattened at
// this depth, so pathological input cannot make the renderer indent off the screen.
constexpr int kMaxMarkdownDepth = 32;

struct MarkdownOptions {
    bool soft_break_as_newline = false;  // CommonMark: a single newline is a space
    bool highlight_code = true;          // fill code blocks' spans with highlight tokens
};

struct ParsedMarkdown {
    std::vector<Block> blocks;
    std::vector<Link> links;
};

// One-shot parse of a whole text.
// `complete`: the text is whole (not a reply still streaming): decides a closing '$' at the end.
ParsedMarkdown parse_markdown(std::string_view text, const MarkdownOptions& options = {},
                              bool complete = true);

// A streaming reply's markdown. set_text_appended() re-parses only the tail that may still
// change (from the start of the last top-level block, or just the new lines of an open code
// fence), so each token costs about the size of the last block, not of the whole message.
// The result always equals parse_markdown() of the same text.
class MarkdownDocument {
public:
    explicit MarkdownDocument(const MarkdownOptions& options = {}) : options_(options) {}

    // full_text is the previous text with something appended (the usual streaming case).
    // If it is shorter than before it is treated as a new text (set_text). `complete` as in
    // parse_markdown: false while the reply streams.
    void set_text_appended(std::string_view full_text, bool complete = true);
    // Any text, parsed from scratch.
    void set_text(std::string_view full_text, bool complete = true);
    void clear();

    const std::vector<Block>& blocks() const { return blocks_; }
    const std::vector<Link>& links() const { return links_; }
    size_t text_size() const { return text_size_; }
    // How many leading blocks are final: later text can no longer change them.
    size_t final_block_count() const { return has_reference_definition_ ? 0 : tail_first_block_; }
    // Bumped on every change; a cheap key for caches of the whole document.
    uint64_t revision() const { return revision_; }

    // Statistics for tests and benchmarks: bytes handed to md4c by the last update.
    size_t last_parsed_bytes() const { return last_parsed_bytes_; }

private:
    void reparse_tail(std::string_view full_text);
    bool try_extend_open_fence(std::string_view full_text);
    void scan_for_reference_definitions(std::string_view full_text, size_t from);

    MarkdownOptions options_;
    MathScanner math_;  // the formulas of the whole text, found before md4c runs
    bool complete_ = true;
    std::vector<Block> blocks_;
    std::vector<Link> links_;
    size_t text_size_ = 0;
    uint64_t revision_ = 0;
    size_t last_parsed_bytes_ = 0;

    // The tail: everything from tail_offset_ on is re-parsed; blocks/links before the
    // tail's first ones are final.
    size_t tail_offset_ = 0;
    size_t tail_first_block_ = 0;
    size_t tail_first_link_ = 0;
    // A link reference definition ("[x]: url") can change text before it: once one may be
    // present the document re-parses from the start every time.
    bool has_reference_definition_ = false;
    size_t scanned_lines_until_ = 0;  // definition scan done for lines starting before this

    // An open top-level code fence at the end: new lines are added without md4c re-parsing
    // the whole fence.
    struct OpenFence {
        bool active = false;
        size_t opener_begin = 0, opener_end = 0;  // the opener line, end after its '\n'
        size_t last_line_begin = 0;               // source offset of the fence's last line
        uint32_t last_line_text = 0;              // where that line starts in block.text
        uint32_t last_line_span = 0;              // first span of that line
        int highlight_state = 0;                  // highlighter state at that line start
        char fence_char = '`';
        int fence_length = 3;
    } fence_;
};

}  // namespace imchat
