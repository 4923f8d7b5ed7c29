// Grapheme clusters against Unicode's own test files (Debian's unicode-data package): every
// boundary of GraphemeBreakTest.txt, every fully-qualified emoji of emoji-test.txt as one
// cluster, and the cap on a letter with a thousand combining marks.
#include "core/graphemes.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/utf8.h"

namespace imchat {
namespace {

std::string unicode_file(const char* name) { return std::string(IMCHAT_UNICODE_DATA) + "/" + name; }

// Boundaries by walking forward from the start.
std::vector<uint32_t> forward_boundaries(std::string_view s) {
    std::vector<uint32_t> out;
    for (uint32_t i = 0; i < s.size(); i = grapheme_end(s, i)) out.push_back(i);
    out.push_back(uint32_t(s.size()));
    return out;
}

std::vector<uint32_t> backward_boundaries(std::string_view s) {
    std::vector<uint32_t> out{uint32_t(s.size())};
    for (uint32_t i = uint32_t(s.size()); i > 0;) out.insert(out.begin(), i = prev_grapheme_boundary(s, i));
    return out;
}

// Debian's unicode-data is Unicode 15.0, utf8proc follows Unicode 17, which took
// Extended_Pictographic from the 672 pictographs that are not emoji (U+2701 UPPER BLADE SCISSORS
// among them), so a joiner no longer glues two of them. The one test case that changed, as
// Unicode 17 has it:
const char* const kChangedInUnicode17[][2] = {
    {"\xC3\xB7 2701 \xC3\x97 200D \xC3\x97 2701 \xC3\xB7", "\xC3\xB7 2701 \xC3\x97 200D \xC3\xB7 2701 \xC3\xB7"},
};

std::string as_unicode_17(std::string line) {
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.pop_back();
    for (auto& change : kChangedInUnicode17)
        if (line == change[0]) return change[1];
    return line;
}

TEST(Graphemes, UnicodeGraphemeBreakTest) {
    std::ifstream in(unicode_file("auxiliary/GraphemeBreakTest.txt"));
    ASSERT_TRUE(in) << "Unicode's GraphemeBreakTest.txt is missing: run scripts/setup (unicode-data)";
    std::string line;
    int cases = 0, failures = 0;
    while (std::getline(in, line)) {
        line = line.substr(0, line.find('#'));
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        line = as_unicode_17(line);
        std::istringstream words(line);
        std::string w, text;
        std::vector<uint32_t> expected;
        while (words >> w) {
            if (w == "\xC3\xB7") expected.push_back(uint32_t(text.size()));  // ÷: a boundary
            else if (w != "\xC3\x97") utf8_encode_append(text, uint32_t(std::stoul(w, nullptr, 16)));  // ×: none
        }
        ++cases;
        auto forward = forward_boundaries(text);
        auto backward = backward_boundaries(text);
        if (forward != expected || backward != expected) {
            if (++failures <= 10) ADD_FAILURE() << "GraphemeBreakTest: " << line;
        }
        // From any byte, the next boundary is the first expected one after it.
        for (uint32_t at = 0; at < text.size(); ++at) {
            uint32_t want = *std::upper_bound(expected.begin(), expected.end(), at);
            if (next_grapheme_boundary(text, at) != want && ++failures <= 10)
                ADD_FAILURE() << "next from " << at << ": " << line;
        }
    }
    EXPECT_GT(cases, 600);
    EXPECT_EQ(failures, 0);
}

TEST(Graphemes, EveryFullyQualifiedEmojiIsOneCluster) {
    std::ifstream in(unicode_file("emoji/emoji-test.txt"));
    ASSERT_TRUE(in) << "Unicode's emoji-test.txt is missing: run scripts/setup (unicode-data)";
    std::string line;
    int emoji = 0;
    while (std::getline(in, line)) {
        if (line.find("; fully-qualified") == std::string::npos) continue;
        std::istringstream words(line.substr(0, line.find(';')));
        std::string w, text;
        while (words >> w) utf8_encode_append(text, uint32_t(std::stoul(w, nullptr, 16)));
        ++emoji;
        // Between two letters, so the rules see neighbours too.
        std::string s = "a" + text + "b";
        ASSERT_EQ(grapheme_end(s, 1), 1 + text.size()) << line;
        ASSERT_EQ(prev_grapheme_boundary(s, uint32_t(1 + text.size())), 1u) << line;
    }
    EXPECT_GT(emoji, 3000);
}

TEST(Graphemes, AThousandCombiningMarksAreCutAfterTheCap) {
    std::string s = "a";
    for (int i = 0; i < 1000; ++i) s += "\xCC\x81";  // U+0301
    s += "b";
    auto b = forward_boundaries(s);
    // 1001 code points in pieces of at most kMaxClusterCodepoints, then "b".
    ASSERT_EQ(b.size(), size_t((1001 + kMaxClusterCodepoints - 1) / kMaxClusterCodepoints + 2));
    EXPECT_EQ(b[1], 1 + 2 * (kMaxClusterCodepoints - 1));
    EXPECT_EQ(backward_boundaries(s), b);
}

TEST(Graphemes, RowOfFlagsPairsFromTheStart) {
    const std::string de = "\xF0\x9F\x87\xA9\xF0\x9F\x87\xAA";  // 🇩🇪
    std::string s;
    for (int i = 0; i < 50; ++i) s += de;
    auto b = backward_boundaries(s);
    ASSERT_EQ(b.size(), 51u);
    for (size_t i = 0; i < b.size(); ++i) EXPECT_EQ(b[i], i * de.size());
}

}  // namespace
}  // namespace imchat
