// The prompt box's editing model: boundaries, words, typing, erasing, selection and undo.
#include "core/text_edit.h"

#include <gtest/gtest.h>

#include <random>

namespace imchat {
namespace {

TEST(TextEditBoundaries, StepOverWholeCharacters) {
    const std::string s = "a\xC3\xA9" "e\xCC\x81" "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD" "\xE4\xBD\xA0";  // a é e+◌́ 👍🏽 你
    std::vector<uint32_t> forward;
    for (uint32_t i = 0; i < s.size(); i = next_char_boundary(s, i)) forward.push_back(i);
    EXPECT_EQ(forward, (std::vector<uint32_t>{0, 1, 3, 6, 14}));
    std::vector<uint32_t> backward;
    for (uint32_t i = (uint32_t)s.size(); i > 0;) backward.push_back(i = prev_char_boundary(s, i));
    EXPECT_EQ(backward, (std::vector<uint32_t>{14, 6, 3, 1, 0}));
}

TEST(TextEditBoundaries, JoinedEmojiIsOneCharacter) {
    const std::string family = "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7";  // 👨‍👩‍👧
    const std::string s = "x" + family + "y";
    EXPECT_EQ(next_char_boundary(s, 1), 1 + family.size());
    EXPECT_EQ(prev_char_boundary(s, uint32_t(1 + family.size())), 1u);
}

TEST(TextEditBoundaries, WordsByClass) {
    const std::string s = "hello, world  foo_bar 你好世界!";
    EXPECT_EQ(next_word_end(s, 0), 5u);    // hello
    EXPECT_EQ(next_word_end(s, 5), 6u);    // ,
    EXPECT_EQ(next_word_end(s, 6), 12u);   // " world"
    EXPECT_EQ(next_word_end(s, 12), 21u);  // "  foo_bar"
    EXPECT_EQ(next_word_end(s, 21), 34u);  // " 你好世界" (4 × 3 bytes)
    EXPECT_EQ(prev_word_start(s, 34), 22u);
    EXPECT_EQ(prev_word_start(s, 22), 14u);
    EXPECT_EQ(prev_word_start(s, 5), 0u);
    uint32_t b, e;
    word_around(s, 16, b, e);
    EXPECT_EQ(s.substr(b, e - b), "foo_bar");
    word_around(s, 5, b, e);  // right after "hello": the word before the caret
    EXPECT_EQ(s.substr(b, e - b), ",");
    word_around(s, (uint32_t)s.size(), b, e);
    EXPECT_EQ(s.substr(b, e - b), "!");
}

TEST(TextEdit, TypingReplacesSelectionAndSanitizes) {
    TextEdit t;
    t.insert("one\r\ntwo\rthree\x01\x7F\tend");
    EXPECT_EQ(t.text(), "one\ntwo\nthree\tend");
    t.insert("\xFF");  // ill-formed byte
    EXPECT_EQ(t.text(), "one\ntwo\nthree\tend\xEF\xBF\xBD");
    t.select_range(4, 7);
    EXPECT_EQ(t.selected_text(), "two");
    t.insert("2");
    EXPECT_EQ(t.text(), "one\n2\nthree\tend\xEF\xBF\xBD");
    EXPECT_EQ(t.caret(), 5u);
    EXPECT_FALSE(t.has_selection());
}

TEST(TextEdit, EraseByCharacterAndWord) {
    TextEdit t;
    t.set_text("cafe\xCC\x81 ok \xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD");
    t.erase_backward(false);  // the whole thumbs-up with its skin tone
    EXPECT_EQ(t.text(), "cafe\xCC\x81 ok ");
    t.erase_backward(true);   // "ok"
    t.erase_backward(false);  // " "
    t.erase_backward(false);  // "e" with its combining accent: one cluster
    EXPECT_EQ(t.text(), "caf");
    t.erase_backward(true);
    EXPECT_EQ(t.text(), "");
    t.set_text("abc def");
    t.set_caret(0, false);
    t.erase_forward(true);
    EXPECT_EQ(t.text(), " def");
    t.erase_forward(false);
    EXPECT_EQ(t.text(), "def");
}

TEST(TextEdit, HorizontalMovesCollapseSelection) {
    TextEdit t;
    t.set_text("abcdef");
    t.select_range(1, 4);
    t.move_char(-1, false);
    EXPECT_EQ(t.caret(), 1u);
    EXPECT_FALSE(t.has_selection());
    t.move_char(+1, true);
    t.move_char(+1, true);
    EXPECT_EQ(t.selected_text(), "bc");
    t.move_char(+1, false);
    EXPECT_EQ(t.caret(), 3u);
    t.move_word(+1, true);
    EXPECT_EQ(t.selected_text(), "def");
}

TEST(TextEdit, UndoGoesWordByWordAndRedoReturns) {
    TextEdit t;
    for (char c : std::string("hello big world")) t.insert(std::string(1, c));
    EXPECT_EQ(t.text(), "hello big world");
    ASSERT_TRUE(t.undo());
    EXPECT_EQ(t.text(), "hello big");
    ASSERT_TRUE(t.undo());
    EXPECT_EQ(t.text(), "hello");
    ASSERT_TRUE(t.redo());
    EXPECT_EQ(t.text(), "hello big");
    t.erase_backward(false);
    t.erase_backward(false);
    EXPECT_EQ(t.text(), "hello b");
    EXPECT_FALSE(t.redo()) << "a new change drops the redo steps";
    ASSERT_TRUE(t.undo());  // both backspaces at once
    EXPECT_EQ(t.text(), "hello big");
    ASSERT_TRUE(t.undo());
    ASSERT_TRUE(t.undo());
    EXPECT_EQ(t.text(), "");
    EXPECT_FALSE(t.undo());
}

TEST(TextEdit, MovingTheCaretEndsAnUndoStep) {
    TextEdit t;
    t.insert("a");
    t.insert("b");
    t.set_caret(0, false);
    t.insert("c");
    EXPECT_EQ(t.text(), "cab");
    t.undo();
    EXPECT_EQ(t.text(), "ab");
    EXPECT_EQ(t.caret(), 0u) << "undo puts the caret back where it was";
}

TEST(TextEdit, PasteIsOneStepAndDirtyOffsetTracksChanges) {
    TextEdit t;
    t.set_text("keep this|");
    EXPECT_EQ(t.take_dirty_from(), 0u);
    t.insert(std::string(1 << 20, 'x'), TextEdit::Kind::Paste);
    EXPECT_EQ(t.take_dirty_from(), 10u) << "a layout redoes only what follows byte 10";
    EXPECT_EQ(t.text().size(), 10u + (1u << 20));
    t.undo();
    EXPECT_EQ(t.text(), "keep this|");
}

// Random edits never leave the caret or the anchor inside a character, and undoing all of
// them gives back the start.
TEST(TextEdit, RandomEditsKeepBoundariesAndUndoAll) {
    std::mt19937 rng(7);
    const char* pieces[] = {"a", " ", "\n", "\xC3\xA9", "\xE4\xBD\xA0", "\xF0\x9F\x91\x8D", "\xCC\x81", "xyz"};
    TextEdit t;
    t.set_text("start");
    for (int step = 0; step < 2000; step++) {
        switch (rng() % 7) {
        case 0: t.insert(pieces[rng() % 8]); break;
        case 1: t.erase_backward(rng() % 2); break;
        case 2: t.erase_forward(rng() % 2); break;
        case 3: t.move_char(rng() % 2 ? 1 : -1, rng() % 2); break;
        case 4: t.move_word(rng() % 2 ? 1 : -1, rng() % 2); break;
        case 5: t.select_word(uint32_t(rng() % (t.text().size() + 1))); break;
        case 6: if (rng() % 4 == 0) t.undo(); break;
        }
        auto on_boundary = [&](uint32_t o) { return o == t.text().size() || (t.text()[o] & 0xC0) != 0x80; };
        ASSERT_TRUE(on_boundary(t.caret())) << step;
        ASSERT_TRUE(on_boundary(t.anchor())) << step;
    }
    while (t.undo()) {}
    EXPECT_EQ(t.text(), "start");
}

}  // namespace
}  // namespace imchat
