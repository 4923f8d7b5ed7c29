// "Export all" writes every chat into one file, and import reads it (or a single chat) back.
#include <gtest/gtest.h>

#include "core/conversation_bundle.h"
#include "core/conversation_io.h"

using namespace imchat;

namespace {

Conversation chat(const char* id, const char* title, const char* text) {
    Conversation c;
    c.id = id;
    c.title = title;
    c.created_ms = 1732000000000;
    c.updated_ms = 1732000000500;
    c.add(c.add(0, Role::User, text), Role::Assistant, std::string("re: ") + text);
    return c;
}

} // namespace

TEST(ConversationBundle, EveryChatRoundTrips) {
    Conversation a = chat("a-1", "First", "hello"), b = chat("b-2", "第二", "你好");
    std::vector<Conversation> back;
    std::string error;
    ASSERT_TRUE(import_many_json(export_all_json({&a, &b}), back, error)) << error;
    ASSERT_EQ(back.size(), 2u);
    EXPECT_EQ(back[0].id, "a-1");
    EXPECT_EQ(back[1].title, "第二");
    EXPECT_EQ(back[1].messages()[1].text, "re: 你好");
}

TEST(ConversationBundle, ASingleChatFileImportsAsOne) {
    Conversation a = chat("a-1", "First", "hello");
    std::vector<Conversation> back;
    std::string error;
    ASSERT_TRUE(import_many_json(export_json(a), back, error)) << error;
    ASSERT_EQ(back.size(), 1u);
    EXPECT_EQ(back[0].title, "First");
}

TEST(ConversationBundle, ABadEntryIsNamedAndNothingIsImported) {
    Conversation a = chat("a-1", "First", "hello");
    std::string text = export_all_json({&a});
    text.insert(text.size() - 2, ",{\"format\":\"imchat.conversation\",\"version\":9}");
    std::vector<Conversation> back;
    std::string error;
    EXPECT_FALSE(import_many_json(text, back, error));
    EXPECT_NE(error.find("conversations[1]"), std::string::npos) << error;
    EXPECT_TRUE(back.empty());
}
