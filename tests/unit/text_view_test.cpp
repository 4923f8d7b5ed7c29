// The core text view: caret moves, Backspace, Delete, word moves, hit testing, caret geometry
// and copy over whole grapheme clusters of every kind, through TextEdit and TextBox as the
// composer uses them.
#include "core/text_view.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/text_edit.h"

namespace imchat {
namespace {

// ASCII 10 px (space 5), any other code point 10 px, any cluster of several code points 20 px:
// a cluster drawn as one image has one advance.
struct ClusterFonts : LayoutFonts {
    FontMetrics f = [] {
        FontMetrics m;
        m.id = 7;
        m.line_height = 20;
        for (float& a : m.ascii) a = 10;
        m.ascii[' '] = 5;
        m.fallback = [](const void*, uint32_t) { return 10.0f; };
        m.cluster = [](const void*, std::string_view) { return 20.0f; };
        return m;
    }();
    const FontMetrics& metrics(BlockKind, int, bool, uint16_t) const override { return f; }
    uint64_t key() const override { return 1; }
};

const std::string kFamily = "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7\xE2\x80\x8D\xF0\x9F\x91\xA6";  // 👨‍👩‍👧‍👦
const std::string kFlag = "\xF0\x9F\x87\xAF\xF0\x9F\x87\xB5";             // 🇯🇵
const std::string kKeycap = "1\xEF\xB8\x8F\xE2\x83\xA3";                  // 1️⃣
const std::string kSkinTone = "\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD";         // 👍🏽
const std::string kHeartVs16 = "\xE2\x9D\xA4\xEF\xB8\x8F";                // ❤️
const std::string kDecomposedE = "e\xCC\x81";                             // e + U+0301
const std::string kVietnamese = "e\xCC\xA3\xCC\x82";                      // ệ: e + dot below + circumflex
const std::vector<std::string> kClusters = {"a", kFamily, kFlag, kKeycap, kSkinTone, kHeartVs16, kDecomposedE, kVietnamese, "b"};

std::string joined() {
    std::string s;
    for (const auto& c : kClusters) s += c;
    return s;
}

std::vector<uint32_t> cluster_starts() {
    std::vector<uint32_t> out;
    uint32_t at = 0;
    for (const auto& c : kClusters) {
        out.push_back(at);
        at += uint32_t(c.size());
    }
    out.push_back(at);
    return out;
}

TEST(TextView, CaretMovesStepOverWholeClusters) {
    TextEdit edit;
    edit.set_text(joined());
    edit.set_caret(0, false);
    std::vector<uint32_t> seen{edit.caret()};
    while (edit.caret() < edit.text().size()) {
        edit.move_char(1, false);
        seen.push_back(edit.caret());
    }
    EXPECT_EQ(seen, cluster_starts());
    std::vector<uint32_t> back{edit.caret()};
    while (edit.caret() > 0) {
        edit.move_char(-1, false);
        back.insert(back.begin(), edit.caret());
    }
    EXPECT_EQ(back, cluster_starts());
}

TEST(TextView, BackspaceAndDeleteTakeWholeClusters) {
    TextEdit edit;
    edit.set_text(joined());
    for (size_t n = kClusters.size(); n > 0; --n) {
        std::string expect;
        for (size_t i = 0; i < n; ++i) expect += kClusters[i];
        EXPECT_EQ(edit.text(), expect);
        edit.erase_backward(false);
    }
    EXPECT_EQ(edit.text(), "");
    edit.set_text(joined());
    edit.set_caret(0, false);
    for (size_t n = 0; n < kClusters.size(); ++n) {
        std::string expect;
        for (size_t i = n; i < kClusters.size(); ++i) expect += kClusters[i];
        EXPECT_EQ(edit.text(), expect);
        edit.erase_forward(false);
    }
    EXPECT_EQ(edit.text(), "");
}

TEST(TextView, WordMovesKeepStackedTonesInTheirWord) {
    TextEdit edit;
    const std::string viet = "Vi" + kVietnamese + "t Nam";  // "Việt Nam", tones decomposed
    edit.set_text(viet);
    edit.set_caret(0, false);
    edit.move_word(1, false);
    EXPECT_EQ(edit.caret(), 2 + kVietnamese.size() + 1);
    edit.move_word(-1, false);
    EXPECT_EQ(edit.caret(), 0u);
}

TEST(TextView, CaretGeometryAndHitTestingAreByCluster) {
    ClusterFonts fonts;
    const std::string text = joined();
    TextBox box;
    box.update(text, 1, 0, fonts, TextContext{}, 0, false);
    // "a" 10 px, seven clusters of several code points 20 px each, "b" 10 px.
    auto starts = cluster_starts();
    std::vector<float> xs;
    for (uint32_t s : starts) xs.push_back(box.caret_at(s).x);
    EXPECT_EQ(xs, (std::vector<float>{0, 10, 30, 50, 70, 90, 110, 130, 150, 160}));
    // A point anywhere over a cluster lands on one of its two edges, never inside.
    for (size_t i = 0; i + 1 < starts.size(); ++i) {
        float left = xs[i], right = xs[i + 1];
        EXPECT_EQ(box.offset_at(left + (right - left) * 0.25f, 5), starts[i]);
        EXPECT_EQ(box.offset_at(left + (right - left) * 0.75f, 5), starts[i + 1]);
    }
}

TEST(TextView, CopyGivesBackTheOriginalBytes) {
    ClusterFonts fonts;
    TextEdit edit;
    edit.set_text(joined());
    TextBox box;
    box.update(edit.text(), edit.revision(), 0, fonts, TextContext{}, 0, false);
    // A drag from the middle of the family emoji to the middle of the Vietnamese letter.
    auto starts = cluster_starts();
    edit.set_caret(box.offset_at(box.caret_at(starts[1]).x + 5, 5), false);
    edit.set_caret(box.offset_at(box.caret_at(starts[7]).x + 15, 5), true);
    std::string expect;
    for (size_t i = 1; i <= 7; ++i) expect += kClusters[i];
    EXPECT_EQ(std::string(edit.selected_text()), expect);
    // The selection is drawn as one rectangle over exactly those clusters.
    std::vector<TextView::Rect> rects;
    box.selection_rects(edit.selection_begin(), edit.selection_end(), 0, 100, rects);
    ASSERT_EQ(rects.size(), 1u);
    EXPECT_EQ(rects[0].x0, 10);
    EXPECT_EQ(rects[0].x1, 150);
}

TEST(TextView, UpAndDownKeepTheColumnAcrossWrappedLines) {
    ClusterFonts fonts;
    const std::string text = kFlag + kFlag + kFlag + " " + kFlag + kFlag + kFlag;  // two lines of 60 px at 70
    TextBox box;
    box.update(text, 1, 0, fonts, TextContext{}, 70, false);
    ASSERT_EQ(box.layout().lines.size(), 2u);
    float column = -1;
    uint32_t second = box.move_lines(uint32_t(kFlag.size() * 2), 1, column);  // after two flags
    EXPECT_EQ(column, 40);
    EXPECT_EQ(second, uint32_t(kFlag.size() * 5 + 1));
    EXPECT_EQ(box.move_lines(second, -1, column), uint32_t(kFlag.size() * 2));
    EXPECT_EQ(box.move_lines(second, 1, column), text.size());  // below the last line: the end
    EXPECT_EQ(box.line_home(second), kFlag.size() * 3 + 1);
}

TEST(TextView, APasswordShowsOneBulletPerCluster) {
    ClusterFonts fonts;
    const std::string secret = "k" + kFamily + kFlag;
    TextBox box;
    box.update(secret, 1, 0, fonts, TextContext{}, 0, true);
    EXPECT_EQ(box.shown(), "\xE2\x80\xA2\xE2\x80\xA2\xE2\x80\xA2");
    EXPECT_EQ(box.caret_at(uint32_t(1 + kFamily.size())).x, 20);  // two bullets, 10 px each
    EXPECT_EQ(box.offset_at(19, 5), 1 + kFamily.size());
}

TEST(TextView, TheLineAfterAFinalNewlineIsThere) {
    ClusterFonts fonts;
    const std::string text = "ab\n";
    TextBox box;
    box.update(text, 1, 0, fonts, TextContext{}, 100, false);
    ASSERT_EQ(box.layout().lines.size(), 2u);
    EXPECT_EQ(box.caret_at(3).y, 20);
    EXPECT_EQ(box.line_end(0), 2u);
}

}  // namespace
}  // namespace imchat
