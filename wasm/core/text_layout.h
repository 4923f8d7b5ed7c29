// text_layout: line breaking and a per-message layout cache, font-agnostic. The UI supplies
// glyph advances (FontMetrics); we break lines (spaces, CJK between characters with basic
// kinsoku, long words by character, '\n'), place styled runs, and keep the result per block
// so a streaming reply re-lays out only the block that changed. The transcript draws from
// these lines instead of ImGui's TextWrapped, which re-measures the whole text every frame.
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

#include "core/markdown.h"

namespace imchat {

// Advances of one font at one size. ASCII advances are a table lookup; other code points go
// through `fallback` (the UI's font lookup). `id` names the font+size for caches.
struct FontMetrics {
    uint64_t id = 0;
    float line_height = 0;
    float ascii[128] = {};
    float (*fallback)(const void* user, uint32_t codepoint) = nullptr;
    // A grapheme cluster of several code points (a ZWJ emoji, a flag, a letter with marks) is
    // drawn as one image, so it has one advance; without this, its code points' advances add up.
    float (*cluster)(const void* user, std::string_view cluster) = nullptr;
    const void* user = nullptr;

    float advance(uint32_t cp) const {
        if (cp < 128) return ascii[cp];
        return fallback ? fallback(user, cp) : ascii[(unsigned char)'M'];
    }
    float cluster_advance(std::string_view utf8) const;
};

// An atomic inline box that stands for a span (a typeset formula): placed whole, `width`
// wide, its line at least `line_height` tall. Where it sits in the line is the drawer's.
struct InlineBox {
    float width = 0, line_height = 0;
};

// Which font draws text of a given style in a given kind of block. Implemented by the UI.
struct LayoutFonts {
    virtual ~LayoutFonts() = default;
    // style: SpanStyle bits of the run (0 for plain text); heading_level 0 outside headings.
    // table_header: a cell of a table's header row (usually drawn bold).
    virtual const FontMetrics& metrics(BlockKind kind, int heading_level, bool table_header,
                                       uint16_t style) const = 0;
    // Changes whenever any font or size changes (e.g. a hash of the FontMetrics ids).
    virtual uint64_t key() const = 0;
    // The box a SpanStyle_Math span (its text: the formula's source) is drawn as, when there is
    // one; without one the span lays out as text.
    virtual bool inline_box(std::string_view span_text, uint16_t style, InlineBox& box) const { return false; }
};

enum class WrapMode : uint8_t {
    Words,       // break at spaces, CJK between characters, long words by character
    Characters,  // code: break anywhere, so nothing is hidden past the right edge
};

// A piece of one line drawn in one style, starting at x (relative to the block's left edge).
struct LayoutRun {
    uint32_t begin = 0, end = 0;  // byte range of the text
    float x = 0, width = 0;
    uint16_t style = 0;
    uint32_t link = kNoLink;
    bool box = false;  // an InlineBox: one unit, [begin, end) is its span
};

struct LayoutLine {
    uint32_t begin = 0, end = 0;  // byte range, without the '\n' or hanging spaces at its end
    uint32_t next = 0;            // where the next line starts (after spaces / '\n')
    uint32_t run_begin = 0, run_end = 0;  // runs[run_begin, run_end)
    // The line breaker read text and styles before this byte to place the line (up to the glyph
    // that did not fit, or the '\n'); a line that ran into the text's end says text.size() + 1,
    // since more text could extend it. An edit at or after read_end leaves the line as it is.
    uint32_t read_end = 0;
    float y = 0, height = 0, width = 0;
};

struct TextLayout {
    std::vector<LayoutLine> lines;
    std::vector<LayoutRun> runs;
    float width = 0, height = 0;  // widest line, sum of line heights
};

// What the layout needs to know about where a text sits, for fonts.
struct TextContext {
    BlockKind kind = BlockKind::Paragraph;
    int heading_level = 0;
    bool table_header = false;  // a cell of a table's header row
};

// Lays out text with its spans (sorted, non-overlapping) in lines no wider than wrap_width
// (<= 0: no wrapping). Always at least one line, even for empty text.
TextLayout layout_text(std::string_view text, const std::vector<Span>& spans,
                       const LayoutFonts& fonts, const TextContext& context, float wrap_width,
                       WrapMode mode);

// Re-lays out `layout`, made for an earlier text whose bytes and styles before `stable_bytes`
// the current text still has, from the first line that read past stable_bytes on; the lines
// before it are kept. A token appended to a long paragraph re-wraps its last line only.
// Returns the bytes laid out again (the work done), for tests and benchmarks.
uint32_t relayout_text_tail(TextLayout& layout, std::string_view text, const std::vector<Span>& spans,
                        const LayoutFonts& fonts, const TextContext& context, float wrap_width,
                        WrapMode mode, uint32_t stable_bytes);

// Hit testing for selection, in the layout's coordinates (0,0 = top-left of the text).
// The byte offset (a UTF-8 boundary) nearest to (x, y).
uint32_t text_offset_at(const TextLayout& layout, std::string_view text, const LayoutFonts& fonts,
                        const TextContext& context, float x, float y);
struct TextPoint {
    float x = 0, y = 0;  // top-left of the caret position
    float height = 0;    // its line's height
};
// Where byte `offset` is drawn (offsets at a line's end map to that line's end).
TextPoint text_position_of(const TextLayout& layout, std::string_view text,
                           const LayoutFonts& fonts, const TextContext& context, uint32_t offset);

// Spacing and indentation of a message's blocks, in pixels.
struct LayoutParams {
    float wrap_width = 600;       // width of the message column
    float list_indent = 20;       // per list level (the bullet is drawn in this gap)
    float quote_indent = 14;      // per quote level (the bar is drawn in this gap)
    float block_spacing = 6;      // between blocks
    float code_padding = 6;       // inside a code block's frame, each side
    float cell_padding = 4;       // inside a table cell, each side
    float rule_height = 9;        // a thematic break's height
    bool operator==(const LayoutParams&) const = default;
};

// The layout of one block, at x/y relative to the message's top-left. x is after the quote
// bars and list indentation (a ListItem's bullet goes left of x, in the last list_indent).
struct BlockLayout {
    float x = 0, y = 0;          // top-left of the block's frame
    float width = 0, height = 0; // the frame: code padding included; width = available width
                                 // for code blocks and rules, the content's width otherwise
    float text_x = 0, text_y = 0;  // where `text` starts inside the frame (code padding)
    TextLayout text;             // Paragraph, Heading, ListItem, CodeBlock
    // Table: column positions relative to x, row positions relative to y, one layout per cell
    // (row-major, rows.size() * columns).
    std::vector<float> column_x, column_width, row_y, row_height;
    std::vector<TextLayout> cells;
    // Table: each column's widest unwrapped cell over rows [0, r], per row r (row-major), so
    // a table that grows by rows measures the new rows only.
    std::vector<float> natural_until_row;
    uint64_t revision = 0;       // the Block::revision this was made from
};

// Per-message cache: update() re-lays out only blocks whose revision changed (and only the
// tail of a code block that grew), everything when fonts, wrap width or spacing change.
class MessageLayout {
public:
    // final_blocks: how many leading blocks will never change again
    // (MarkdownDocument::final_block_count()); they are not re-checked on later updates.
    void update(const std::vector<Block>& blocks, const LayoutFonts& fonts,
                const LayoutParams& params, size_t final_blocks = 0);
    const std::vector<BlockLayout>& blocks() const { return layouts_; }
    float height() const { return height_; }
    // The first block whose bottom is below y (binary search over block positions).
    size_t first_block_below(float y) const;
    // Blocks laid out (fully or their tail) by the last update(); for tests and benchmarks.
    size_t last_relayout_count() const { return last_relayout_count_; }
    // Text bytes the last update() laid out (line breaking and measuring), for tests and
    // benchmarks: about a line plus the token while a reply streams, whatever its length.
    size_t last_laid_out_bytes() const { return last_laid_out_bytes_; }
    // Times a growing table's column widths changed so every row was laid out again.
    size_t table_relayouts() const { return table_relayouts_; }

    void clear() { *this = MessageLayout(); }

private:
    std::vector<BlockLayout> layouts_;
    uint64_t fonts_key_ = 0;
    LayoutParams params_{};
    size_t verified_ = 0;  // blocks known final and laid out from their final content
    bool valid_ = false;
    float height_ = 0;
    size_t last_relayout_count_ = 0;
    size_t last_laid_out_bytes_ = 0;
    size_t table_relayouts_ = 0;
};

// The context fonts are chosen by for a block.
inline TextContext text_context_of(const Block& b) {
    return TextContext{b.kind, b.kind == BlockKind::Heading ? int(b.level) : 0, false};
}

}  // namespace imchat
