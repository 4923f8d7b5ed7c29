// Caret geometry and hit testing over a TextLayout, and the edited text's layout (TextBox).
#include "core/text_view.h"

#include <algorithm>

#include "core/graphemes.h"

namespace imchat {
namespace {

const char kBullet[] = "\xE2\x80\xA2";  // U+2022, one per cluster of a password
constexpr uint32_t kBulletBytes = sizeof(kBullet) - 1;
constexpr float kNoWrap = 1e7f;  // a single line's layout width: nothing breaks

}  // namespace

TextView::TextView(const TextLayout& layout, std::string_view text, const LayoutFonts& fonts,
                   const TextContext& context, float max_x)
    : layout_(layout), text_(text), fonts_(fonts), context_(context),
      plain_(fonts.metrics(context.kind, context.heading_level, context.table_header, 0)), max_x_(max_x) {}

// Advance of the spaces and tabs in [begin, end): where the caret goes past a line's end (the
// layout lets trailing spaces hang outside the line).
float TextView::hanging_width(uint32_t begin, uint32_t end) const {
    float w = 0;
    for (uint32_t i = begin; i < end && i < text_.size(); i++) w += text_[i] == '\t' ? plain_.ascii[' '] * 4 : plain_.ascii[' '];
    return w;
}

size_t TextView::line_of(uint32_t offset) const {
    auto it = std::upper_bound(layout_.lines.begin(), layout_.lines.end(), offset,
                               [](uint32_t v, const LayoutLine& l) { return v < l.begin; });
    return it == layout_.lines.begin() ? 0 : size_t(it - layout_.lines.begin()) - 1;
}

uint32_t TextView::line_last_offset(size_t line) const {
    if (line + 1 >= layout_.lines.size()) return uint32_t(text_.size());
    const LayoutLine& l = layout_.lines[line];
    if (l.next > 0 && text_[l.next - 1] == '\n') return l.next - 1;
    return l.end;
}

TextPoint TextView::caret_at(uint32_t offset) const {
    if (layout_.lines.empty()) return {};
    const LayoutLine& line = layout_.lines[line_of(offset)];
    if (offset > line.end) return {std::min(line.width + hanging_width(line.end, offset), max_x_), line.y, line.height};
    return text_position_of(layout_, text_, fonts_, context_, offset);
}

uint32_t TextView::offset_at(float x, float y) const {
    if (layout_.lines.empty()) return 0;
    y = std::clamp(y, 0.0f, std::max(0.0f, layout_.height - 1));
    uint32_t offset = text_offset_at(layout_, text_, fonts_, context_, x, y);
    // Past the end of the glyphs: walk into the hanging spaces the point is over.
    size_t index = line_of(offset);
    const LayoutLine& line = layout_.lines[index];
    if (offset == line.end && x > line.width) {
        uint32_t last = line_last_offset(index);
        float cx = line.width;
        while (offset < last && cx + hanging_width(offset, offset + 1) * 0.5f < x) {
            cx += hanging_width(offset, offset + 1);
            offset++;
        }
    }
    return offset;
}

uint32_t TextView::move_lines(uint32_t offset, long lines, float& preferred_x) const {
    if (preferred_x < 0) preferred_x = caret_at(offset).x;
    long target = long(line_of(offset)) + lines;
    if (target < 0) return 0;
    if (target >= long(layout_.lines.size())) return uint32_t(text_.size());
    return offset_at(preferred_x, layout_.lines[size_t(target)].y + 1);
}

void TextView::selection_rects(uint32_t begin, uint32_t end, float top, float bottom, std::vector<Rect>& out) const {
    if (begin >= end || layout_.lines.empty()) return;
    const float newline_w = plain_.ascii[' '];
    for (size_t i = line_of(begin); i < layout_.lines.size(); i++) {
        const LayoutLine& line = layout_.lines[i];
        if (line.begin > end || line.y > bottom) break;
        if (line.y + line.height < top) continue;
        const uint32_t last = line_last_offset(i);
        float x0 = line.begin <= begin ? caret_at(begin).x : 0;
        float x1 = end <= last ? caret_at(end).x : caret_at(last).x + newline_w;
        if (x1 > x0) out.push_back({x0, x1, line.y, line.height});
    }
}

// ---------------------------------------------------------------------------------------------
// TextBox

uint32_t TextBox::to_shown(uint32_t offset) const {
    if (!masked_) return offset;
    uint32_t clusters = 0;
    for (uint32_t i = 0; i < offset; i = next_grapheme_boundary(*text_, i)) clusters++;
    return clusters * kBulletBytes;
}

uint32_t TextBox::from_shown(uint32_t offset) const {
    if (!masked_) return offset;
    uint32_t i = 0;
    for (uint32_t clusters = offset / kBulletBytes; clusters > 0 && i < text_->size(); clusters--)
        i = next_grapheme_boundary(*text_, i);
    return i;
}

TextView TextBox::view() const {
    return TextView(layout_, shown(), *fonts_, context_, width_ > 0 ? width_ : kNoWrap);
}

void TextBox::update(const std::string& text, uint64_t revision, uint32_t dirty_from, const LayoutFonts& fonts,
                     const TextContext& context, float wrap_width, bool masked) {
    const float width = wrap_width > 0 ? wrap_width : kNoWrap;
    const bool same_shape = width_ == width && fonts_key_ == fonts.key() && masked_ == masked && fonts_ == &fonts;
    text_ = &text;
    if (same_shape && revision_ == revision) return;
    fonts_ = &fonts;
    context_ = context;
    masked_ = masked;
    if (masked) {  // passwords are short
        mask_.clear();
        for (uint32_t i = 0; i < text.size(); i = next_grapheme_boundary(text, i)) mask_ += kBullet;
    }
    const std::string& laid = shown();
    // Our empty line after a final '\n' is not the core layout's: take it off first.
    if (virtual_tail_) {
        layout_.height -= layout_.lines.back().height;
        layout_.lines.pop_back();
        virtual_tail_ = false;
    }
    if (same_shape && dirty_from > 0 && !layout_.lines.empty() && !masked)
        relayout_text_tail(layout_, laid, {}, fonts, context, width, WrapMode::Words, dirty_from);
    else
        layout_ = layout_text(laid, {}, fonts, context, width, WrapMode::Words);
    if (layout_.lines.empty() || (!laid.empty() && laid.back() == '\n')) {
        const float line_height = fonts.metrics(context.kind, context.heading_level, context.table_header, 0).line_height;
        LayoutLine empty;
        empty.begin = empty.end = empty.next = uint32_t(laid.size());
        empty.run_begin = empty.run_end = uint32_t(layout_.runs.size());
        empty.y = layout_.height;
        empty.height = line_height;
        layout_.lines.push_back(empty);
        layout_.height += line_height;
        virtual_tail_ = true;
    }
    width_ = width;
    fonts_key_ = fonts.key();
    revision_ = revision;
}

void TextBox::paragraph_around(uint32_t offset, uint32_t& begin, uint32_t& end) const {
    const std::string& t = *text_;
    begin = std::min<uint32_t>(offset, uint32_t(t.size()));
    end = begin;
    while (begin > 0 && t[begin - 1] != '\n') begin--;
    while (end < t.size() && t[end] != '\n') end++;
}

}  // namespace imchat
