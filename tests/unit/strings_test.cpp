// The UI's words: every string has its Chinese form with the same printf conversions, and the
// chat session's status line is shown in the UI's language.
#include "ui/strings.h"

#include <gtest/gtest.h>

#include <string>

namespace imchat::ui {
namespace {

// The printf conversions of a format ("%d of %d" -> "dd"), which both languages must share.
std::string conversions(const char* format) {
    std::string out;
    for (const char* p = format; *p; p++) {
        if (*p != '%') continue;
        p++;
        while (*p && std::string(".0123456789l").find(*p) != std::string::npos) p++;
        if (*p && *p != '%') out += *p;
        if (!*p) break;
    }
    return out;
}

TEST(Strings, EveryStringHasAChineseFormWithTheSameConversions) {
    for (int id = 0; id < S_Count; id++) {
        set_language(Language::English);
        std::string english = tr(static_cast<StringId>(id));
        set_language(Language::Chinese);
        std::string chinese = tr(static_cast<StringId>(id));
        EXPECT_FALSE(english.empty()) << id;
        EXPECT_FALSE(chinese.empty()) << id;
        EXPECT_EQ(conversions(english.c_str()), conversions(chinese.c_str())) << english;
    }
    set_language(Language::English);
}

TEST(Strings, StatusLineInTheUiLanguage) {
    set_language(Language::English);
    EXPECT_EQ(status_text("streaming"), "streaming");
    set_language(Language::Chinese);
    EXPECT_EQ(status_text("ready"), "就绪");
    EXPECT_EQ(status_text("connecting"), "连接中");
    EXPECT_EQ(status_text("streaming"), "接收中");
    EXPECT_EQ(status_text("done"), "完成");
    EXPECT_EQ(status_text("stopped"), "已停止");
    EXPECT_EQ(status_text("resuming"), "恢复中");
    EXPECT_EQ(status_text("reconnecting (attempt 2)"), "重新连接中（第 2 次尝试）");
    EXPECT_EQ(status_text("done (skipped 3 unreadable events from the server)"),
              "完成（跳过了服务器发来的 3 个无法读取的事件）");
    // The error itself comes from the server or the network and stays as it came.
    EXPECT_EQ(status_text("failed: HTTP 429: Too Many Requests"), "失败：HTTP 429: Too Many Requests");
    EXPECT_EQ(status_text("something new"), "something new");  // unknown words pass through
    EXPECT_EQ(status_text(""), "");
    set_language(Language::English);
}

}  // namespace
}  // namespace imchat::ui
