#include "core/sentences.h"

#include <gtest/gtest.h>

#include <string>

using imchat::last_sentence_end;

TEST(Sentences, EndsAfterTheLastCompleteSentenceAndItsSpace)
{
    std::string t = "One. Two! Three? Four";
    EXPECT_EQ(t.substr(0, last_sentence_end(t, 0, 0)), "One. Two! Three? ");
    EXPECT_EQ(last_sentence_end("no end yet", 0, 0), 0u);
}

TEST(Sentences, AFullStopLastIsNotAnEndYetNorADecimalPoint)
{
    EXPECT_EQ(last_sentence_end("It is 3.", 0, 0), 0u);
    EXPECT_EQ(last_sentence_end("It is 3.14 now", 0, 0), 0u);
    std::string t = "He said \"yes.\" Then";
    EXPECT_EQ(t.substr(0, last_sentence_end(t, 0, 0)), "He said \"yes.\" ");
}

TEST(Sentences, LineBreaksAndCjkStopsEndSentences)
{
    std::string t = "a list item\nnext";
    EXPECT_EQ(last_sentence_end(t, 0, 0), 12u);
    std::string zh = "你好。我们开始吧！还有";
    EXPECT_EQ(zh.substr(0, last_sentence_end(zh, 0, 0)), "你好。我们开始吧！");
}

TEST(Sentences, ScanningOnlyTheNewBytesFindsWhatAFullScanFinds)
{
    // Growing the text a byte at a time, remembering where the last call ended, gives the
    // same ends as scanning everything each time.
    std::string full = "First one. Second, with 2.5 apples! \"Quoted.\" 第三句。 Last";
    size_t said = 0, scanned = 0;
    std::string pieces;
    for (size_t n = 1; n <= full.size(); n++) {
        std::string_view t(full.data(), n);
        size_t end = last_sentence_end(t, said, scanned);
        EXPECT_EQ(end, last_sentence_end(t, said, said)) << n;
        pieces += std::string(t.substr(said, end - said)) + "|";
        said = end;
        scanned = n - 1;
    }
    // 。 ends its sentence at once, before the space after it has arrived.
    EXPECT_EQ(said, std::string("First one. Second, with 2.5 apples! \"Quoted.\" 第三句。").size());
}
