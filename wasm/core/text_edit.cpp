#include "core/text_edit.h"

#include <algorithm>

#include "core/graphemes.h"
#include "core/utf8.h"

namespace imchat {
namespace {

// Undo keeps at most this many changes and bytes; the oldest go first.
constexpr size_t kMaxUndoSteps = 500;
constexpr size_t kMaxUndoBytes = 32u << 20;

bool is_continuation(unsigned char c) { return (c & 0xC0) == 0x80; }

uint32_t codepoint_at(std::string_view text, uint32_t offset)
{
    size_t i = offset;
    return utf8_next(text, i);
}


enum class CharClass : uint8_t { Space, Word, Cjk, Punct };

CharClass class_of(uint32_t cp)
{
    if (cp == ' ' || cp == '\t' || cp == '\n' || cp == 0x3000 || cp == 0xA0)
        return CharClass::Space;
    if (cp < 0x80) {
        bool word = cp == '_' || (cp >= '0' && cp <= '9') || ((cp | 32) >= 'a' && (cp | 32) <= 'z');
        return word ? CharClass::Word : CharClass::Punct;
    }
    if ((cp >= 0x3001 && cp <= 0x303F) || (cp >= 0xFF01 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
        (cp >= 0x2010 && cp <= 0x205E))
        return CharClass::Punct;
    return codepoint_is_cjk(cp) ? CharClass::Cjk : CharClass::Word;
}

// Makes typed or pasted text safe to keep: valid UTF-8, LF line ends, no control characters
// but tab and newline.
std::string sanitize(std::string_view in)
{
    std::string valid;
    if (!utf8_is_valid(in)) {
        utf8_decode_append(valid, in);
        in = valid;
    }
    std::string out;
    out.reserve(in.size());
    for (size_t i = 0; i < in.size(); i++) {
        unsigned char c = (unsigned char)in[i];
        if (c == '\r') {
            out += '\n';
            if (i + 1 < in.size() && in[i + 1] == '\n')
                i++;
        } else if (c >= 0x20 || c == '\n' || c == '\t') {
            if (c != 0x7F)
                out += (char)c;
        }
    }
    return out;
}

} // namespace

uint32_t next_char_boundary(std::string_view text, uint32_t offset)
{
    return next_grapheme_boundary(text, offset);
}

uint32_t prev_char_boundary(std::string_view text, uint32_t offset)
{
    return prev_grapheme_boundary(text, offset);
}

uint32_t next_word_end(std::string_view text, uint32_t offset)
{
    uint32_t i = std::min<uint32_t>(offset, (uint32_t)text.size());
    while (i < text.size() && class_of(codepoint_at(text, i)) == CharClass::Space)
        i = next_char_boundary(text, i);
    if (i >= text.size())
        return i;
    CharClass run = class_of(codepoint_at(text, i));
    while (i < text.size() && class_of(codepoint_at(text, i)) == run)
        i = next_char_boundary(text, i);
    return i;
}

uint32_t prev_word_start(std::string_view text, uint32_t offset)
{
    uint32_t i = std::min<uint32_t>(offset, (uint32_t)text.size());
    while (i > 0) {
        uint32_t p = prev_char_boundary(text, i);
        if (class_of(codepoint_at(text, p)) != CharClass::Space)
            break;
        i = p;
    }
    if (i == 0)
        return 0;
    CharClass run = class_of(codepoint_at(text, prev_char_boundary(text, i)));
    while (i > 0) {
        uint32_t p = prev_char_boundary(text, i);
        if (class_of(codepoint_at(text, p)) != run)
            break;
        i = p;
    }
    return i;
}

void word_around(std::string_view text, uint32_t offset, uint32_t& begin, uint32_t& end)
{
    offset = std::min<uint32_t>(offset, (uint32_t)text.size());
    if (text.empty()) {
        begin = end = 0;
        return;
    }
    // At the end of a run (or of the text) the word is the one just before the caret.
    uint32_t at = offset;
    if (at == text.size() || (at > 0 && class_of(codepoint_at(text, at)) == CharClass::Space &&
                              class_of(codepoint_at(text, prev_char_boundary(text, at))) != CharClass::Space))
        at = prev_char_boundary(text, at);
    CharClass run = class_of(codepoint_at(text, at));
    begin = at;
    while (begin > 0) {
        uint32_t p = prev_char_boundary(text, begin);
        if (class_of(codepoint_at(text, p)) != run)
            break;
        begin = p;
    }
    end = at;
    while (end < text.size() && class_of(codepoint_at(text, end)) == run)
        end = next_char_boundary(text, end);
}

// ---------------------------------------------------------------------------------------------

std::string_view TextEdit::selected_text() const
{
    return std::string_view(text_).substr(selection_begin(), selection_end() - selection_begin());
}

uint32_t TextEdit::take_dirty_from()
{
    uint32_t d = dirty_from_;
    dirty_from_ = (uint32_t)text_.size();
    return d;
}

void TextEdit::touched(uint32_t offset)
{
    dirty_from_ = std::min(dirty_from_, offset);
    revision_++;
}

// Offsets from outside (layout hits, tests) are kept inside the text and off continuation bytes.
uint32_t TextEdit::clamp(uint32_t offset) const
{
    offset = std::min<uint32_t>(offset, (uint32_t)text_.size());
    while (offset > 0 && offset < text_.size() && is_continuation((unsigned char)text_[offset]))
        offset--;
    return offset;
}

void TextEdit::set_text(std::string_view text)
{
    text_ = sanitize(text);
    caret_ = anchor_ = (uint32_t)text_.size();
    undo_.clear();
    redo_.clear();
    history_bytes_ = 0;
    may_merge_ = false;
    touched(0);
}

void TextEdit::record(Change change)
{
    redo_.clear();
    Change* last = undo_.empty() ? nullptr : &undo_.back();
    // Typing joins the last typing until a space follows a word (undo goes word by word);
    // Backspace and Delete runs join likewise.
    if (last && may_merge_ && last->kind == change.kind) {
        bool typed = change.kind == Kind::Typing && change.removed.empty() &&
                     change.at == last->at + last->inserted.size() &&
                     !(change.inserted == " " && !last->inserted.empty() && last->inserted.back() != ' ');
        bool back = change.kind == Kind::EraseBack && change.inserted.empty() &&
                    change.at + change.removed.size() == last->at;
        bool forward = change.kind == Kind::EraseForward && change.inserted.empty() && change.at == last->at;
        if (typed) {
            last->inserted += change.inserted;
            history_bytes_ += change.inserted.size();
            return;
        }
        if (back) {
            last->removed.insert(0, change.removed);
            last->at = change.at;
            history_bytes_ += change.removed.size();
            return;
        }
        if (forward) {
            last->removed += change.removed;
            history_bytes_ += change.removed.size();
            return;
        }
    }
    history_bytes_ += change.removed.size() + change.inserted.size();
    undo_.push_back(std::move(change));
    while (!undo_.empty() && (undo_.size() > kMaxUndoSteps || history_bytes_ > kMaxUndoBytes)) {
        history_bytes_ -= undo_.front().removed.size() + undo_.front().inserted.size();
        undo_.erase(undo_.begin());
    }
}

void TextEdit::replace(uint32_t begin, uint32_t end, std::string_view with, Kind kind)
{
    if (begin == end && with.empty())
        return;
    Change change;
    change.at = begin;
    change.removed.assign(text_, begin, end - begin);
    change.inserted.assign(with);
    change.caret_before = caret_;
    change.anchor_before = anchor_;
    change.kind = kind;
    text_.replace(begin, end - begin, with);
    caret_ = anchor_ = begin + (uint32_t)with.size();
    touched(begin);
    record(std::move(change));
    may_merge_ = true;
}

void TextEdit::insert(std::string_view text, Kind kind)
{
    std::string safe = sanitize(text);
    if (safe.empty() && !has_selection())
        return;
    replace(selection_begin(), selection_end(), safe, kind);
}

void TextEdit::erase_selection(Kind kind)
{
    if (has_selection())
        replace(selection_begin(), selection_end(), {}, kind);
}

void TextEdit::erase_backward(bool word)
{
    if (has_selection())
        return erase_selection(Kind::EraseBack);
    // Backspace takes a whole cluster: a joined emoji, a flag, a letter with its accents.
    uint32_t from = word ? prev_word_start(text_, caret_) : prev_char_boundary(text_, caret_);
    replace(from, caret_, {}, Kind::EraseBack);
}

void TextEdit::erase_forward(bool word)
{
    if (has_selection())
        return erase_selection(Kind::EraseForward);
    uint32_t to = word ? next_word_end(text_, caret_) : next_char_boundary(text_, caret_);
    replace(caret_, to, {}, Kind::EraseForward);
}

void TextEdit::set_caret(uint32_t offset, bool extend)
{
    caret_ = clamp(offset);
    if (!extend)
        anchor_ = caret_;
    may_merge_ = false;
}

void TextEdit::move_char(int direction, bool extend)
{
    if (has_selection() && !extend)
        return set_caret(direction < 0 ? selection_begin() : selection_end(), false);
    set_caret(direction < 0 ? prev_char_boundary(text_, caret_) : next_char_boundary(text_, caret_), extend);
}

void TextEdit::move_word(int direction, bool extend)
{
    set_caret(direction < 0 ? prev_word_start(text_, caret_) : next_word_end(text_, caret_), extend);
}

void TextEdit::select_all()
{
    select_range(0, (uint32_t)text_.size());
}

void TextEdit::select_word(uint32_t offset)
{
    uint32_t b, e;
    word_around(text_, clamp(offset), b, e);
    select_range(b, e);
}

void TextEdit::select_range(uint32_t begin, uint32_t end)
{
    anchor_ = clamp(begin);
    caret_ = clamp(end);
    may_merge_ = false;
}

bool TextEdit::undo()
{
    if (undo_.empty())
        return false;
    Change c = std::move(undo_.back());
    undo_.pop_back();
    text_.replace(c.at, c.inserted.size(), c.removed);
    caret_ = c.caret_before;
    anchor_ = c.anchor_before;
    touched(c.at);
    history_bytes_ -= c.removed.size() + c.inserted.size();
    redo_.push_back(std::move(c));
    may_merge_ = false;
    return true;
}

bool TextEdit::redo()
{
    if (redo_.empty())
        return false;
    Change c = std::move(redo_.back());
    redo_.pop_back();
    text_.replace(c.at, c.removed.size(), c.inserted);
    caret_ = anchor_ = c.at + (uint32_t)c.inserted.size();
    touched(c.at);
    history_bytes_ += c.removed.size() + c.inserted.size();
    undo_.push_back(std::move(c));
    may_merge_ = false;
    return true;
}

} // namespace imchat
