// The WHATWG Encoding Standard's UTF-8 decoder: each maximal subpart of an ill-formed sequence
// becomes one U+FFFD (the same policy as Unicode's "U+FFFD Substitution of Maximal Subparts").
#include "core/utf8.h"

#include <gtest/gtest.h>

#include <random>

namespace imchat {
namespace {

const std::string R(kReplacementChar);

std::string decode(std::string_view bytes) {
    std::string out;
    utf8_decode_append(out, bytes);
    return out;
}

std::string decode_in_pieces(std::string_view bytes, const std::vector<size_t>& cuts) {
    Utf8Decoder decoder;
    std::string out;
    size_t at = 0;
    for (size_t cut : cuts) {
        decoder.decode(bytes.substr(at, cut - at), out);
        at = cut;
    }
    decoder.decode(bytes.substr(at), out);
    decoder.finish(out);
    return out;
}

TEST(Utf8, WellFormedTextPassesThroughUnchanged) {
    std::string text = "plain ASCII, caf\xC3\xA9, \xE4\xBD\xA0\xE5\xA5\xBD, \xF0\x9F\x98\x80, U+10FFFF \xF4\x8F\xBF\xBF";
    EXPECT_TRUE(utf8_is_valid(text));
    EXPECT_EQ(decode(text), text);
}

TEST(Utf8, LoneContinuationAndInvalidLeadBytesAreOneReplacementEach) {
    // Bytes 80..BF without a lead, C0, C1 and F5..FF can never start a sequence.
    EXPECT_EQ(decode("a\x80" "b"), "a" + R + "b");
    EXPECT_EQ(decode("\xFF\xFE"), R + R);
    EXPECT_EQ(decode("\xF5\x80"), R + R);
    EXPECT_EQ(utf8_valid_prefix("ab\x80"), 2u);
}

TEST(Utf8, OverlongFormsAreRejectedByteByByte) {
    // C0 80 (overlong NUL): C0 is no lead byte, 80 a lone continuation.
    EXPECT_EQ(decode("\xC0\x80"), R + R);
    // E0 80 80: after E0 the second byte must be A0..BF, so E0 alone is the maximal subpart.
    EXPECT_EQ(decode("\xE0\x80\x80"), R + R + R);
    // F0 8F BF BF: after F0 the second byte must be 90..BF.
    EXPECT_EQ(decode("\xF0\x8F\xBF\xBF"), R + R + R + R);
}

TEST(Utf8, SurrogatesAndCodePointsAboveTheLastAreRejected) {
    EXPECT_EQ(decode("\xED\xA0\x80"), R + R + R);      // U+D800: after ED only 80..9F
    EXPECT_EQ(decode("\xF4\x90\x80\x80"), R + R + R + R);  // U+110000: after F4 only 80..8F
    EXPECT_EQ(decode("\xED\x9F\xBF"), "\xED\x9F\xBF");  // U+D7FF is fine
}

TEST(Utf8, TruncatedSequenceIsOneReplacement) {
    // A valid start cut short by another byte: the whole start is one maximal subpart.
    EXPECT_EQ(decode("\xF0\x9F\x98" "x"), R + "x");
    EXPECT_EQ(decode("\xE4\xBD" "x"), R + "x");
    // Cut short by the end of input.
    EXPECT_EQ(decode("x\xF0\x9F\x98"), "x" + R);
}

TEST(Utf8, UnicodeTable3_8Example) {
    // The example of Unicode 15, section 3.9, Table 3-8 (matching the Encoding Standard).
    EXPECT_EQ(decode("\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64"),
              "a" + R + R + R + "b" + R + "c" + R + R + "d");
}

TEST(Utf8, DecoderGivesTheSameTextForEverySplit) {
    const std::string bytes = "a\xE4\xBD\xA0\xF0\x9F\x98\x80\xF0\x9F\x98x\xED\xA0\x80\xC3\xA9\xE4\xBD";
    const std::string whole = decode(bytes);
    for (size_t cut = 0; cut <= bytes.size(); ++cut)
        EXPECT_EQ(decode_in_pieces(bytes, {cut}), whole) << "cut at " << cut;
    std::vector<size_t> every_byte;
    for (size_t i = 1; i < bytes.size(); ++i) every_byte.push_back(i);
    EXPECT_EQ(decode_in_pieces(bytes, every_byte), whole);
}

TEST(Utf8, DecoderMatchesWholeDecodeOnRandomBytes) {
    std::mt19937 rng(7);
    for (int round = 0; round < 300; ++round) {
        std::string bytes(1 + rng() % 40, '\0');
        // Bias toward the interesting bytes: leads, continuations and ASCII.
        const unsigned char pool[] = {'a', 0x80, 0x9F, 0xA0, 0xBF, 0xC2, 0xE0, 0xED, 0xE4, 0xF0, 0xF4, 0xFF};
        for (char& c : bytes) c = static_cast<char>(pool[rng() % sizeof pool]);
        std::vector<size_t> cuts;
        for (size_t i = 1; i < bytes.size(); ++i)
            if (rng() % 3 == 0) cuts.push_back(i);
        std::string whole = decode(bytes);
        EXPECT_TRUE(utf8_is_valid(whole));
        EXPECT_EQ(decode_in_pieces(bytes, cuts), whole);
    }
}

TEST(Utf8, FinishTurnsAnUnfinishedSequenceIntoOneReplacement) {
    Utf8Decoder decoder;
    std::string out;
    decoder.decode("ok\xE4\xBD", out);
    EXPECT_EQ(out, "ok");
    decoder.finish(out);
    EXPECT_EQ(out, "ok" + R);
}

TEST(Utf8, Utf16LengthCountsSurrogatePairsAsTwo) {
    EXPECT_EQ(utf8_utf16_length(""), 0u);
    EXPECT_EQ(utf8_utf16_length("abc"), 3u);
    EXPECT_EQ(utf8_utf16_length("\xE4\xBD\xA0\xE5\xA5\xBD"), 2u);
    EXPECT_EQ(utf8_utf16_length("\xF0\x9F\x98\x80"), 2u);
    EXPECT_EQ(utf8_utf16_length("0123456789\xC3\xA9\xF0\x9F\x98\x80xyz"), 16u);
}

}  // namespace
}  // namespace imchat
