// The one case-insensitive matcher behind find (count and highlight) and the sidebar filter.
#include "core/text_search.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace imchat {
namespace {

// Every match, as the highlight walks them: each search starts where the last match ended.
std::vector<std::pair<size_t, size_t>> all_matches(std::string_view text, std::string_view query) {
    std::vector<std::pair<size_t, size_t>> out;
    for (TextRange r = find_ignoring_case(text, query); r.found(); r = find_ignoring_case(text, query, r.end))
        out.emplace_back(r.begin, r.end);
    return out;
}

TEST(TextSearch, AsciiIgnoresCase) {
    EXPECT_TRUE(text_matches("Hello World", "wORLD"));
    EXPECT_TRUE(text_matches("anything", ""));
    EXPECT_FALSE(text_matches("abc", "abcd"));
    EXPECT_FALSE(text_matches("", "a"));
    using V = std::vector<std::pair<size_t, size_t>>;
    EXPECT_EQ(all_matches("abcABCabc", "Bc"), (V{{1, 3}, {4, 6}, {7, 9}}));
    EXPECT_EQ(all_matches("aaaa", "aa"), (V{{0, 2}, {2, 4}}));  // matches do not overlap
    EXPECT_EQ(all_matches("abc", ""), V{});                     // nothing to highlight
}

// The ranges are byte offsets into the text, around whole characters, also where a letter and its
// folded form differ in length (the kelvin sign is 3 bytes, its fold 'k' is 1).
TEST(TextSearch, LatinGreekCyrillicRanges) {
    using V = std::vector<std::pair<size_t, size_t>>;
    const std::string german = "Kein ÄRGER, nur ärger und Ärger.";
    EXPECT_EQ(all_matches(german, "ärger"), (V{{5, 11}, {17, 23}, {28, 34}}));
    EXPECT_EQ(all_matches(german, "ÄRGER"), all_matches(german, "ärger"));
    EXPECT_EQ(german.substr(5, 6), "ÄRGER");

    const std::string greek = "ΣΟΦΊΑ και σοφία";  // capitals with tonos, final sigma
    EXPECT_EQ(all_matches(greek, "σοφία"), (V{{0, 10}, {18, 28}}));
    EXPECT_TRUE(text_matches("ΟΔΥΣΣΕΥΣ", "οδυσσευς"));  // ς folds to σ
    EXPECT_TRUE(text_matches("οδυσσευς", "ΟΔΥΣΣΕΥΣ"));

    const std::string russian = "ПРИВЕТ, Привет, привет, ЁЖ ёж";
    EXPECT_EQ(all_matches(russian, "привет").size(), 3u);
    EXPECT_EQ(all_matches(russian, "ёж"), (V{{42, 46}, {47, 51}}));

    EXPECT_EQ(all_matches("2 \u212A", "k"), (V{{2, 5}}));  // KELVIN SIGN
    EXPECT_TRUE(text_matches("Łódź ŻÓŁW", "żółw"));
    EXPECT_TRUE(text_matches("ＦＵＬＬ", "ｆｕｌｌ"));
    EXPECT_TRUE(text_matches("ՀԱՅԵՐԵՆ", "հայերեն"));
}

TEST(TextSearch, OtherTextComparesExactly) {
    EXPECT_TRUE(text_matches("汉字 Ünï", "字 ü"));
    EXPECT_FALSE(text_matches("汉字", "汉子"));
    EXPECT_FALSE(text_matches("ß", "ss"));  // simple folding only: one letter to one
    EXPECT_FALSE(text_matches("×", "÷"));  // U+00D7 and U+00F7 are not a case pair
    EXPECT_TRUE(text_matches("안녕하세요", "하세"));
}

TEST(TextSearch, IllFormedBytesMatchOnlyThemselves) {
    const std::string text = "ab\xC3(\xFF" "cd";
    EXPECT_TRUE(text_matches(text, "\xFF" "C"));
    EXPECT_FALSE(text_matches(text, "\xC3\xA9"));
    EXPECT_EQ(find_ignoring_case(text, "(").begin, 3u);
    // A sequence cut off at the end of the text is searched byte by byte, never read past.
    EXPECT_FALSE(text_matches("x\xE2\x82", "\xE2\x82\xAC"));
    EXPECT_TRUE(text_matches("x\xE2\x82", "\xE2\x82"));
}

TEST(TextSearch, FoldCaseKeepsLowerCaseAndNonLetters) {
    for (char32_t c : {U'a', U'z', U'ä', U'σ', U'я', U'1', U' ', U'字', U'ß'})
        EXPECT_EQ(fold_case(c), c);
    EXPECT_EQ(fold_case(U'Ÿ'), U'ÿ');
    EXPECT_EQ(fold_case(U'Ą'), U'ą');
    EXPECT_EQ(fold_case(U'Ľ'), U'ľ');
    EXPECT_EQ(fold_case(U'Ž'), U'ž');
    EXPECT_EQ(fold_case(U'Ѐ'), U'ѐ');
    EXPECT_EQ(fold_case(U'Ệ'), U'ệ');
    EXPECT_EQ(fold_case(U'ẞ'), U'ß');
}

}  // namespace
}  // namespace imchat
