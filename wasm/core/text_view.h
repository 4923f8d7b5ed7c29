// text_view: everything the page asks of a laid-out text besides drawing it, in one place: where
// a byte is drawn (the caret), which byte is under a point (clicks and drags), line starts and
// ends (Home, End), moves by lines (Up, Down, Page keys, keeping the caret's column), and the
// rectangles a selection covers. The composer's editor (TextBox below) and the transcript's
// selection both use it, so the widgets only draw, and every answer is over whole grapheme
// clusters: the layout steps by clusters (core/graphemes), so no offset lands inside one.
//
// Layout atoms today are clusters; an inline box (a formula laid out elsewhere) would be one more
// kind of atom with its own advance, and hit testing here treats it like any cluster.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/text_layout.h"

namespace imchat {

// A laid-out text seen through its geometry. Holds references: the layout, text and fonts must
// outlive it and stay unchanged while it is used (the widgets make one per frame).
class TextView {
public:
    TextView(const TextLayout& layout, std::string_view text, const LayoutFonts& fonts, const TextContext& context,
             float max_x = 1e30f);

    size_t line_of(uint32_t offset) const;
    // The last caret position on a line: before its '\n' or a soft break's hanging spaces; the
    // text's end on the last line.
    uint32_t line_last_offset(size_t line) const;
    uint32_t line_home(uint32_t offset) const { return layout_.lines[line_of(offset)].begin; }
    uint32_t line_end(uint32_t offset) const { return line_last_offset(line_of(offset)); }
    // Where the caret before byte `offset` is drawn; past a line's glyphs (in its hanging
    // spaces) it goes on, up to max_x.
    TextPoint caret_at(uint32_t offset) const;
    // The cluster boundary nearest to (x, y), the hanging spaces past a line's end included.
    uint32_t offset_at(float x, float y) const;
    // Up/Down by `lines` from `offset`, at column `preferred_x` (< 0: the caret's own, which is
    // then stored there for the next move). Above the first line is 0, below the last the end.
    uint32_t move_lines(uint32_t offset, long lines, float& preferred_x) const;
    // The rectangles (x0, x1, y, height per line, for lines between top and bottom) that bytes
    // [begin, end) cover; a line the selection runs past shows a space's width beyond its end.
    struct Rect {
        float x0, x1, y, height;
    };
    void selection_rects(uint32_t begin, uint32_t end, float top, float bottom, std::vector<Rect>& out) const;

    const TextLayout& layout() const { return layout_; }
    std::string_view text() const { return text_; }

private:
    float hanging_width(uint32_t begin, uint32_t end) const;
    const TextLayout& layout_;
    std::string_view text_;
    const LayoutFonts& fonts_;
    TextContext context_;
    const FontMetrics& plain_;
    float max_x_;
};

// The layout of an edited text (the composer and every settings field): re-laid out from the
// first changed byte, one empty line after a final '\n' (where the caret goes after
// Shift+Enter), and, for a password, laid out as one bullet per cluster while every offset in
// and out stays an offset into the real text.
class TextBox {
public:
    // Lays out `text` (whose `revision` changes with it; `dirty_from`: its first byte changed
    // since the last call) when it, the fonts or the width changed. wrap_width <= 0: one line.
    // `text` is kept by reference (the editor's own string, no copy of a 10 MB paste per key):
    // call update() after every change before asking anything else.
    void update(const std::string& text, uint64_t revision, uint32_t dirty_from, const LayoutFonts& fonts,
                const TextContext& context, float wrap_width, bool masked);
    // The view over what is drawn, and the text drawn (the text, or its bullets).
    TextView view() const;
    const TextLayout& layout() const { return layout_; }
    const std::string& shown() const { return masked_ ? mask_ : *text_; }
    float height() const { return layout_.height; }

    // TextView's questions in offsets of the real text.
    TextPoint caret_at(uint32_t offset) const { return view().caret_at(to_shown(offset)); }
    uint32_t offset_at(float x, float y) const { return from_shown(view().offset_at(x, y)); }
    uint32_t line_home(uint32_t offset) const { return from_shown(view().line_home(to_shown(offset))); }
    uint32_t line_end(uint32_t offset) const { return from_shown(view().line_end(to_shown(offset))); }
    uint32_t move_lines(uint32_t offset, long lines, float& preferred_x) const {
        return from_shown(view().move_lines(to_shown(offset), lines, preferred_x));
    }
    void selection_rects(uint32_t begin, uint32_t end, float top, float bottom, std::vector<TextView::Rect>& out) const {
        view().selection_rects(to_shown(begin), to_shown(end), top, bottom, out);
    }
    // The line around `offset` up to its '\n's (a triple click), in the real text.
    void paragraph_around(uint32_t offset, uint32_t& begin, uint32_t& end) const;

private:
    uint32_t to_shown(uint32_t offset) const;
    uint32_t from_shown(uint32_t offset) const;

    TextLayout layout_;
    const std::string* text_ = &mask_;  // the real text (see update())
    std::string mask_;
    const LayoutFonts* fonts_ = nullptr;
    TextContext context_{};
    uint64_t revision_ = ~0ull, fonts_key_ = 0;
    float width_ = -1;
    bool masked_ = false;
    bool virtual_tail_ = false;  // layout_ ends with our empty line after a final '\n'
};

}  // namespace imchat
