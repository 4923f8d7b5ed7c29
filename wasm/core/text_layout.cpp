// Line breaking (greedy, one pass per line to find the break, one to place the runs), hit
// testing, and the per-message block layout cache.
#include "core/text_layout.h"

#include "core/graphemes.h"
#include "core/utf8.h"

#include <algorithm>
#include <cmath>

namespace imchat {

float FontMetrics::cluster_advance(std::string_view utf8) const {
    if (cluster) return cluster(user, utf8);
    float w = 0;
    for (size_t i = 0; i < utf8.size();) w += advance(utf8_next(utf8, i));
    return w;
}

namespace {

inline bool is_space(uint32_t cp) { return cp == ' ' || cp == '\t'; }

// Kinsoku: characters that must not start a line (closing punctuation, small kana, the
// prolonged sound mark) ...
inline bool no_line_start(uint32_t cp) {
    switch (cp) {
    case ')': case ']': case '}': case ',': case '.': case '!': case '?': case ':': case ';':
    case 0x3001: case 0x3002: case 0xFF0C: case 0xFF0E: case 0xFF1A: case 0xFF1B: case 0xFF01:
    case 0xFF1F: case 0xFF09: case 0x300D: case 0x300F: case 0x3011: case 0x3015: case 0x3009:
    case 0x300B: case 0x3017: case 0x3019: case 0xFF3D: case 0xFF5D: case 0x30FC: case 0x2026:
    case 0x2025: case 0x3005: case 0x30FB: case 0x2019: case 0x201D: case 0x309D: case 0x309E:
    case 0x30FD: case 0x30FE: case 0xFF65: case 0xFF70:
    case 0x3041: case 0x3043: case 0x3045: case 0x3047: case 0x3049: case 0x3063: case 0x3083:
    case 0x3085: case 0x3087: case 0x308E: case 0x30A1: case 0x30A3: case 0x30A5: case 0x30A7:
    case 0x30A9: case 0x30C3: case 0x30E3: case 0x30E5: case 0x30E7: case 0x30EE: case 0x30F5:
    case 0x30F6:
        return true;
    default:
        return false;
    }
}

// ... and characters that must not end one (opening brackets and quotes).
inline bool no_line_end(uint32_t cp) {
    switch (cp) {
    case '(': case '[': case '{':
    case 0xFF08: case 0x300C: case 0x300E: case 0x3010: case 0x3014: case 0x3008: case 0x300A:
    case 0x3016: case 0x3018: case 0xFF3B: case 0xFF5B: case 0x2018: case 0x201C:
        return true;
    default:
        return false;
    }
}

inline bool can_break_between(uint32_t prev, uint32_t cur) {
    if (is_space(cur)) return false;
    if (is_space(prev)) return true;
    if (!codepoint_is_cjk(prev) && !codepoint_is_cjk(cur)) return false;
    return !no_line_start(cur) && !no_line_end(prev);
}

// Walks the spans alongside the text: which style (and font) covers a byte.
class StyleCursor {
public:
    StyleCursor(const std::vector<Span>& spans, const LayoutFonts& fonts, const TextContext& ctx,
                std::string_view text = {})
        : spans_(spans), fonts_(fonts), ctx_(ctx), text_(text) {}

    // Positions the cursor at byte p (forward moves are cheap, backward ones a search).
    void seek(uint32_t p) {
        if (p < pos_ || !font_) {
            index_ = size_t(std::upper_bound(spans_.begin(), spans_.end(), p,
                                             [](uint32_t v, const Span& s) { return v < s.end; }) -
                            spans_.begin());
        }
        pos_ = p;
        while (index_ < spans_.size() && spans_[index_].end <= p) ++index_;
        bool inside = index_ < spans_.size() && spans_[index_].begin <= p;
        uint16_t style = inside ? spans_[index_].style : 0;
        if (!font_ || style != style_)
            font_ = &fonts_.metrics(ctx_.kind, ctx_.heading_level, ctx_.table_header, style);
        style_ = style;
        link_ = inside ? spans_[index_].link : kNoLink;
        has_box_ = inside && (style & SpanStyle_Math) && !text_.empty() &&
                   fonts_.inline_box(text_.substr(spans_[index_].begin, spans_[index_].end - spans_[index_].begin),
                                     style, box_);
        // Where the style may change next.
        if (index_ >= spans_.size()) next_change_ = UINT32_MAX;
        else next_change_ = inside ? spans_[index_].end : spans_[index_].begin;
    }
    uint32_t next_change() const { return next_change_; }
    const FontMetrics& font() const { return *font_; }
    uint16_t style() const { return style_; }
    uint32_t link() const { return link_; }
    // The inline box the span at the cursor is drawn as, or nullptr; it ends at next_change().
    const InlineBox* box() const { return has_box_ ? &box_ : nullptr; }

private:
    const std::vector<Span>& spans_;
    const LayoutFonts& fonts_;
    const TextContext& ctx_;
    size_t index_ = 0;
    uint32_t pos_ = 0;
    uint32_t next_change_ = 0;
    const FontMetrics* font_ = nullptr;
    uint16_t style_ = 0;
    uint32_t link_ = kNoLink;
    std::string_view text_;
    InlineBox box_;
    bool has_box_ = false;
};

inline float advance_of(const FontMetrics& f, uint32_t cp, float x, WrapMode mode) {
    if (cp == '\t') {
        float tab = f.ascii[' '] * 4;
        if (mode == WrapMode::Characters && tab > 0) return tab - std::fmod(x, tab);
        return tab;
    }
    return f.advance(cp);
}

// One grapheme cluster from byte i (moved past it): its first code point and its advance. The
// layout, hit testing and the caret all step by these, so nothing lands inside a cluster.
struct Unit {
    uint32_t cp;
    float width;
};
[[gnu::noinline]] Unit next_cluster(const FontMetrics& f, std::string_view text, size_t& i, float x, WrapMode mode) {
    size_t at = i;
    uint32_t cp = utf8_next(text, i);
    size_t end = i < text.size() ? grapheme_end(text, uint32_t(at)) : i;
    if (end <= i) return {cp, advance_of(f, cp, x, mode)};
    i = end;
    return {cp, f.cluster_advance(text.substr(at, end - at))};
}
inline Unit next_unit(const FontMetrics& f, std::string_view text, size_t& i, float x, WrapMode mode) {
    // ASCII before ASCII is a cluster of one: Latin text takes no lookup and no call.
    unsigned char c = (unsigned char)text[i];
    if (c < 0x80 && (i + 1 >= text.size() || (unsigned char)text[i + 1] < 0x80)) {
        ++i;
        return {c, advance_of(f, c, x, mode)};
    }
    return next_cluster(f, text, i, x, mode);
}

struct LineBreak {
    uint32_t end;   // content end (before hanging spaces / '\n')
    uint32_t next;  // where the next line starts
    uint32_t read_end;  // see LayoutLine::read_end
};

// Finds where the line starting at `begin` ends.
LineBreak find_break(std::string_view text, uint32_t begin, StyleCursor& cursor, float wrap_width,
                     WrapMode mode) {
    const bool wrap = wrap_width > 0;
    float x = 0;
    size_t i = begin;
    uint32_t prev = 0;
    bool have_prev = false;
    // The last break opportunity: content ends at cand_end, next line starts at cand_next.
    uint32_t cand_end = 0, cand_next = 0;
    bool have_cand = false;
    uint32_t content_end = begin;  // end of the last non-space character
    cursor.seek(begin);
    while (i < text.size()) {
        if (i >= cursor.next_change()) cursor.seek(uint32_t(i));
        size_t at = i;
        if (const InlineBox* box = cursor.box()) {  // a formula: one unit, breakable around it
            if (have_prev && is_space(prev)) {
                cand_end = content_end;
                cand_next = uint32_t(at);
                have_cand = true;
            }
            i = std::min<size_t>(cursor.next_change(), text.size());
            if (wrap && x + box->width > wrap_width && at > begin) {
                if (have_cand && cand_next > begin) return {cand_end, cand_next, uint32_t(i)};
                if (content_end > begin) return {content_end, uint32_t(at), uint32_t(i)};
            }
            x += box->width;
            content_end = uint32_t(i);
            prev = 0xFFFC;  // an object: no break right after it but at a space
            have_prev = true;
            continue;
        }
        auto [cp, w] = next_unit(cursor.font(), text, i, x, mode);
        // Spaces before a hard break hang like those before a soft one: not part of the line.
        if (cp == '\n') return {mode == WrapMode::Words ? content_end : uint32_t(at), uint32_t(i), uint32_t(i)};
        if (mode == WrapMode::Words) {
            if (is_space(cp)) {
                x += w;  // spaces may hang past the edge
                prev = cp;
                have_prev = true;
                continue;
            }
            if (have_prev && can_break_between(prev, cp)) {
                cand_end = content_end;
                cand_next = uint32_t(at);
                have_cand = true;
            }
        }
        if (wrap && x + w > wrap_width && at > begin) {
            if (have_cand && cand_next > begin) return {cand_end, cand_next, uint32_t(i)};
            // Nothing to break at (a long word, or code): break before this character.
            if (content_end > begin || mode == WrapMode::Characters) {
                return {mode == WrapMode::Words ? content_end : uint32_t(at), uint32_t(at), uint32_t(i)};
            }
        }
        x += w;
        content_end = uint32_t(i);
        prev = cp;
        have_prev = true;
    }
    if (mode == WrapMode::Characters) content_end = uint32_t(text.size());
    return {content_end, uint32_t(text.size()), uint32_t(text.size()) + 1};
}

// Appends one line [begin, end) with its runs, starting at y.
void place_line(TextLayout& layout, std::string_view text, uint32_t begin, const LineBreak& br,
                StyleCursor& cursor, WrapMode mode, float y, float empty_height) {
    const uint32_t end = br.end;
    LayoutLine line;
    line.begin = begin;
    line.end = end;
    line.next = br.next;
    line.read_end = br.read_end;
    line.y = y;
    line.run_begin = uint32_t(layout.runs.size());
    float x = 0, height = 0;
    size_t i = begin;
    while (i < end) {
        cursor.seek(uint32_t(i));
        LayoutRun run;
        run.begin = uint32_t(i);
        run.x = x;
        run.style = cursor.style();
        run.link = cursor.link();
        const FontMetrics& f = cursor.font();
        height = std::max(height, f.line_height);
        size_t stop = std::min<size_t>(end, cursor.next_change());
        if (const InlineBox* box = cursor.box()) {
            run.box = true;
            x += box->width;
            height = std::max(height, box->line_height);
            i = stop;
        }
        while (i < stop) x += next_unit(f, text, i, x, mode).width;
        run.end = uint32_t(i);
        run.width = x - run.x;
        layout.runs.push_back(run);
    }
    line.run_end = uint32_t(layout.runs.size());
    line.width = x;
    line.height = height > 0 ? height : empty_height;
    layout.lines.push_back(line);
    layout.width = std::max(layout.width, x);
    layout.height = y + line.height;
}

// Lays out lines from byte `start` (where a line starts) to the end, below what is there.
// Returns the bytes it laid out.
uint32_t layout_from(TextLayout& layout, std::string_view text, const std::vector<Span>& spans,
                 const LayoutFonts& fonts, const TextContext& ctx, float wrap_width, WrapMode mode,
                 uint32_t start) {
    StyleCursor cursor(spans, fonts, ctx, text);
    float empty_height = fonts.metrics(ctx.kind, ctx.heading_level, ctx.table_header, 0).line_height;
    float y = layout.lines.empty() ? 0 : layout.lines.back().y + layout.lines.back().height;
    uint32_t pos = start;
    // A text ending in '\n' has no empty line after it (code blocks end that way).
    while (pos < text.size() || layout.lines.empty()) {
        LineBreak br = find_break(text, pos, cursor, wrap_width, mode);
        place_line(layout, text, pos, br, cursor, mode, y, empty_height);
        y = layout.height;
        if (br.next <= pos) break;  // cannot happen; guards against a stuck loop
        pos = br.next;
    }
    if (layout.lines.empty()) place_line(layout, text, 0, LineBreak{0, 0, 1}, cursor, mode, 0, empty_height);
    return uint32_t(text.size()) - std::min<uint32_t>(start, uint32_t(text.size()));
}

const LayoutLine& line_at_y(const TextLayout& layout, float y) {
    auto it = std::upper_bound(layout.lines.begin(), layout.lines.end(), y,
                               [](float v, const LayoutLine& l) { return v < l.y + l.height; });
    if (it == layout.lines.end()) --it;
    return *it;
}

}  // namespace

TextLayout layout_text(std::string_view text, const std::vector<Span>& spans, const LayoutFonts& fonts,
                       const TextContext& context, float wrap_width, WrapMode mode) {
    TextLayout layout;
    layout_from(layout, text, spans, fonts, context, wrap_width, mode, 0);
    return layout;
}

uint32_t relayout_text_tail(TextLayout& layout, std::string_view text, const std::vector<Span>& spans,
                            const LayoutFonts& fonts, const TextContext& context, float wrap_width,
                            WrapMode mode, uint32_t stable_bytes) {
    // Keep the lines placed from bytes before stable_bytes alone (read_end grows with the lines).
    auto keep_end = std::upper_bound(layout.lines.begin(), layout.lines.end(), stable_bytes,
                                     [](uint32_t v, const LayoutLine& l) { return v < l.read_end; });
    size_t keep = size_t(keep_end - layout.lines.begin());
    if (keep == 0) {
        layout = layout_text(text, spans, fonts, context, wrap_width, mode);
        return uint32_t(text.size());
    }
    // The widest kept line is the old width unless a dropped line was the widest; only then
    // look at every kept line (streaming drops one or two short lines, so rarely).
    float dropped_width = 0;
    for (size_t i = keep; i < layout.lines.size(); ++i) dropped_width = std::max(dropped_width, layout.lines[i].width);
    layout.runs.resize(layout.lines[keep - 1].run_end);
    layout.lines.resize(keep);
    layout.height = layout.lines.back().y + layout.lines.back().height;
    if (dropped_width >= layout.width) {
        float width = 0;
        for (const LayoutLine& l : layout.lines) width = std::max(width, l.width);
        layout.width = width;
    }
    uint32_t from = layout.lines.back().next;
    if (from < text.size()) return layout_from(layout, text, spans, fonts, context, wrap_width, mode, from);
    return 0;
}

uint32_t text_offset_at(const TextLayout& layout, std::string_view text, const LayoutFonts& fonts,
                        const TextContext& context, float x, float y) {
    if (layout.lines.empty()) return 0;
    const LayoutLine& line = line_at_y(layout, y);
    if (x <= 0) return line.begin;
    for (uint32_t r = line.run_begin; r < line.run_end; ++r) {
        const LayoutRun& run = layout.runs[r];
        if (x >= run.x + run.width) continue;
        if (run.box) return x < run.x + run.width * 0.5f ? run.begin : run.end;  // one unit
        const FontMetrics& f = fonts.metrics(context.kind, context.heading_level, context.table_header, run.style);
        float cx = run.x;
        size_t i = run.begin;
        while (i < run.end) {
            size_t at = i;
            float w = next_unit(f, text, i, cx, context.kind == BlockKind::CodeBlock ? WrapMode::Characters : WrapMode::Words).width;
            if (x < cx + w * 0.5f) return uint32_t(at);
            cx += w;
        }
        return run.end;
    }
    return line.end;
}

TextPoint text_position_of(const TextLayout& layout, std::string_view text, const LayoutFonts& fonts,
                           const TextContext& context, uint32_t offset) {
    if (layout.lines.empty()) return {};
    // The last line starting at or before offset.
    auto it = std::upper_bound(layout.lines.begin(), layout.lines.end(), offset,
                               [](uint32_t v, const LayoutLine& l) { return v < l.begin; });
    if (it != layout.lines.begin()) --it;
    const LayoutLine& line = *it;
    TextPoint p{0, line.y, line.height};
    if (offset >= line.end) {
        p.x = line.width;
        return p;
    }
    for (uint32_t r = line.run_begin; r < line.run_end; ++r) {
        const LayoutRun& run = layout.runs[r];
        if (offset >= run.end) continue;
        if (run.box) {
            p.x = offset <= run.begin ? run.x : run.x + run.width;
            return p;
        }
        const FontMetrics& f = fonts.metrics(context.kind, context.heading_level, context.table_header, run.style);
        float cx = run.x;
        size_t i = run.begin;
        while (i < offset && i < run.end)
            cx += next_unit(f, text, i, cx,
                            context.kind == BlockKind::CodeBlock ? WrapMode::Characters : WrapMode::Words).width;
        p.x = cx;
        return p;
    }
    p.x = line.width;
    return p;
}

// ---------------------------------------------------------------------------------------------
// MessageLayout

namespace {

// Shares the width: columns narrower than a fair share keep their natural width, the rest
// split what is left equally (and wrap).
std::vector<float> share_columns(const std::vector<float>& natural, float available, float pad) {
    size_t columns = natural.size();
    std::vector<float> width = natural;
    float total = 0;
    for (float w : natural) total += w;
    if (total > available && available > 0) {
        std::vector<bool> fixed(columns, false);
        float left = available;
        size_t open = columns;
        bool changed = true;
        while (changed && open > 0) {
            changed = false;
            float share = left / float(open);
            for (size_t c = 0; c < columns; ++c) {
                if (!fixed[c] && natural[c] <= share) {
                    fixed[c] = true;
                    left -= natural[c];
                    --open;
                    changed = true;
                }
            }
        }
        float share = open > 0 ? std::max(left / float(open), pad + 8) : 0;
        for (size_t c = 0; c < columns; ++c)
            if (!fixed[c]) width[c] = share;
    }
    return width;
}

// Lays out a table's rows from `first_row` on; rows before it are kept when their column
// widths stay (a table streaming row by row), else everything is laid out again and
// `relayouts` counts it. Returns the cell text bytes laid out.
size_t layout_table(BlockLayout& out, const Block& block, const LayoutFonts& fonts, const LayoutParams& params,
                    float available, size_t first_row, size_t& relayouts) {
    size_t columns = block.alignments.size();
    for (const TableRow& r : block.rows) columns = std::max(columns, r.cells.size());
    const size_t rows = block.rows.size();
    if (out.column_width.size() != columns || first_row > rows ||
        out.natural_until_row.size() < first_row * columns || out.cells.size() < first_row * columns)
        first_row = 0;
    size_t bytes = 0;
    const float pad = params.cell_padding * 2;
    static const std::string empty_text;
    static const std::vector<Span> no_spans;
    auto cell_of = [&](size_t r, size_t c) -> const TableCell* {
        return c < block.rows[r].cells.size() ? &block.rows[r].cells[c] : nullptr;
    };
    // Natural widths (no wrapping), as a running maximum per row.
    out.natural_until_row.resize(rows * columns);
    for (size_t r = first_row; r < rows; ++r) {
        TextContext ctx{BlockKind::Table, 0, block.rows[r].header};
        for (size_t c = 0; c < columns; ++c) {
            float w = r > 0 ? out.natural_until_row[(r - 1) * columns + c] : pad;
            if (const TableCell* cell = cell_of(r, c)) {
                TextLayout l = layout_text(cell->text, cell->spans, fonts, ctx, 0, WrapMode::Words);
                bytes += cell->text.size();
                w = std::max(w, l.width + pad);
            }
            out.natural_until_row[r * columns + c] = w;
        }
    }
    std::vector<float> natural(columns, pad);
    if (rows > 0) natural.assign(out.natural_until_row.end() - long(columns), out.natural_until_row.end());
    std::vector<float> width = share_columns(natural, available, pad);
    if (first_row > 0 && width != out.column_width) {
        first_row = 0;  // the kept rows wrap differently now
        ++relayouts;
    }
    out.column_x.assign(columns, 0);
    out.column_width = width;
    float x = 0;
    for (size_t c = 0; c < columns; ++c) {
        out.column_x[c] = x;
        x += width[c];
    }
    out.row_y.resize(rows);
    out.row_height.resize(rows);
    out.cells.resize(rows * columns);
    float y = first_row > 0 ? out.row_y[first_row - 1] + out.row_height[first_row - 1] : 0;
    for (size_t r = first_row; r < rows; ++r) {
        TextContext ctx{BlockKind::Table, 0, block.rows[r].header};
        float h = 0;
        for (size_t c = 0; c < columns; ++c) {
            const TableCell* cell = cell_of(r, c);
            TextLayout& l = out.cells[r * columns + c];
            l = layout_text(cell ? std::string_view(cell->text) : std::string_view(empty_text),
                            cell ? cell->spans : no_spans, fonts, ctx, width[c] - pad, WrapMode::Words);
            bytes += cell ? cell->text.size() : 0;
            h = std::max(h, l.height);
        }
        out.row_y[r] = y;
        out.row_height[r] = h + pad;
        y += h + pad;
    }
    out.width = x;
    out.height = y;
    return bytes;
}

}  // namespace

void MessageLayout::update(const std::vector<Block>& blocks, const LayoutFonts& fonts,
                           const LayoutParams& params, size_t final_blocks) {
    last_relayout_count_ = 0;
    last_laid_out_bytes_ = 0;
    uint64_t key = fonts.key();
    if (!valid_ || key != fonts_key_ || !(params == params_)) {
        layouts_.clear();
        verified_ = 0;
        fonts_key_ = key;
        params_ = params;
        valid_ = true;
    }
    if (layouts_.size() > blocks.size()) layouts_.resize(blocks.size());
    size_t first = std::min(verified_, layouts_.size());
    size_t first_moved = blocks.size();  // the first block whose position may have changed
    layouts_.resize(blocks.size());
    for (size_t i = first; i < blocks.size(); ++i) {
        const Block& b = blocks[i];
        BlockLayout& l = layouts_[i];
        if (l.revision == b.revision && l.revision != 0) continue;
        first_moved = std::min(first_moved, i);
        ++last_relayout_count_;
        float indent = float(b.quote_depth) * params.quote_indent + float(b.list_depth) * params.list_indent;
        float available = std::max(1.0f, params.wrap_width - indent);
        TextContext ctx = text_context_of(b);
        // The same block grown (markdown.h): keep what it laid out from its unchanged start.
        const bool grown = b.base_revision != 0 && l.revision == b.base_revision && b.base_bytes > 0;
        auto lay_out_text = [&](float wrap, WrapMode mode) {
            if (grown) {
                last_laid_out_bytes_ += relayout_text_tail(l.text, b.text, b.spans, fonts, ctx, wrap, mode, b.base_bytes);
            } else {
                l.text = layout_text(b.text, b.spans, fonts, ctx, wrap, mode);
                last_laid_out_bytes_ += b.text.size();
            }
        };
        l.x = indent;
        switch (b.kind) {
        case BlockKind::CodeBlock: {
            float inner = std::max(1.0f, available - 2 * params.code_padding);
            lay_out_text(inner, WrapMode::Characters);
            l.text_x = l.text_y = params.code_padding;
            l.width = available;
            l.height = l.text.height + 2 * params.code_padding;
            break;
        }
        case BlockKind::Table:
            l.text = TextLayout();
            l.text_x = l.text_y = 0;
            last_laid_out_bytes_ += layout_table(l, b, fonts, params, available, grown ? b.base_bytes : 0, table_relayouts_);
            break;
        case BlockKind::Rule:
            l.text = TextLayout();
            l.text_x = l.text_y = 0;
            l.width = available;
            l.height = params.rule_height;
            break;
        default:
            lay_out_text(available, WrapMode::Words);
            l.text_x = l.text_y = 0;
            l.width = l.text.width;
            l.height = l.text.height;
            if (b.kind == BlockKind::Math) {  // a display formula: centred in the column
                l.text_x = std::max(0.0f, (available - l.text.width) * 0.5f);
                l.width = std::max(available, l.text.width);
            }
            break;
        }
        l.revision = b.revision;
    }
    // Positions from the first block that changed.
    if (first_moved < blocks.size()) {
        float y = 0;
        if (first_moved > 0) {
            const BlockLayout& p = layouts_[first_moved - 1];
            y = p.y + p.height + params.block_spacing;
        }
        for (size_t i = first_moved; i < blocks.size(); ++i) {
            layouts_[i].y = y;
            y += layouts_[i].height + params.block_spacing;
        }
    }
    height_ = layouts_.empty() ? 0 : layouts_.back().y + layouts_.back().height;
    verified_ = std::min(final_blocks, blocks.size());
}

size_t MessageLayout::first_block_below(float y) const {
    auto it = std::upper_bound(layouts_.begin(), layouts_.end(), y,
                               [](float v, const BlockLayout& l) { return v < l.y + l.height; });
    return size_t(it - layouts_.begin());
}

}  // namespace imchat
