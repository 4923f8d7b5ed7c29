// text_edit: the editing model behind the prompt box. A UTF-8 text, a caret and a selection
// anchor (byte offsets, always on character boundaries), character and word movement, and an
// undo history that stores each change as (where, removed, inserted), so a 10 MB paste costs
// its own bytes once, not a copy of the whole text per step. No fonts and no ImGui: moves that
// need lines (up/down, Home/End, clicks) are computed by the widget from its layout and come
// in as set_caret().
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace imchat {

// Character boundaries: grapheme clusters (core/graphemes), so the caret never lands inside
// "é", a flag or a joined emoji.
uint32_t next_char_boundary(std::string_view text, uint32_t offset);
uint32_t prev_char_boundary(std::string_view text, uint32_t offset);

// Words: runs of letters/digits, of CJK characters, or of punctuation; spaces between them.
// next_word_end skips spaces, then one run; prev_word_start the same backwards.
uint32_t next_word_end(std::string_view text, uint32_t offset);
uint32_t prev_word_start(std::string_view text, uint32_t offset);
// The run around offset (a double-click's word): [begin, end). Empty only for empty text.
void word_around(std::string_view text, uint32_t offset, uint32_t& begin, uint32_t& end);

class TextEdit {
public:
    const std::string& text() const { return text_; }
    uint32_t caret() const { return caret_; }
    uint32_t anchor() const { return anchor_; }
    bool has_selection() const { return caret_ != anchor_; }
    uint32_t selection_begin() const { return caret_ < anchor_ ? caret_ : anchor_; }
    uint32_t selection_end() const { return caret_ < anchor_ ? anchor_ : caret_; }
    std::string_view selected_text() const;
    // Changes whenever the text changes; and the lowest byte a change touched since the last
    // take_dirty_from(), so a layout can redo only what follows it.
    uint64_t revision() const { return revision_; }
    uint32_t take_dirty_from();

    // Replaces everything (a message put back for editing, or cleared after sending): caret at
    // the end, no history.
    void set_text(std::string_view text);

    // Typing or pasting: replaces the selection with `text` after making it safe to keep
    // (ill-formed UTF-8 -> U+FFFD, CR LF and CR -> LF, other control characters dropped).
    enum class Kind : uint8_t { Typing, Paste, EraseBack, EraseForward, Cut };
    void insert(std::string_view text, Kind kind = Kind::Typing);
    // Backspace / Delete: the selection if any, else one character or one word.
    void erase_backward(bool word);
    void erase_forward(bool word);
    void erase_selection(Kind kind = Kind::Cut);

    // Moves. `extend` keeps the anchor (Shift held). Without it, a horizontal move with a
    // selection collapses to the selection's edge in that direction, as text fields do.
    void set_caret(uint32_t offset, bool extend);
    void move_char(int direction, bool extend);
    void move_word(int direction, bool extend);
    void select_all();
    void select_word(uint32_t offset);
    void select_range(uint32_t begin, uint32_t end);

    bool undo();
    bool redo();

private:
    struct Change {
        uint32_t at = 0;
        std::string removed, inserted;
        uint32_t caret_before = 0, anchor_before = 0;
        Kind kind = Kind::Typing;
    };
    void replace(uint32_t begin, uint32_t end, std::string_view with, Kind kind);
    void record(Change change);
    void touched(uint32_t offset);
    uint32_t clamp(uint32_t offset) const;

    std::string text_;
    uint32_t caret_ = 0, anchor_ = 0;
    uint64_t revision_ = 0;
    uint32_t dirty_from_ = 0;
    std::vector<Change> undo_, redo_;
    size_t history_bytes_ = 0;
    bool may_merge_ = false;  // the next change may join the last one (no move in between)
};

}  // namespace imchat
