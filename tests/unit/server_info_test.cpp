#include "core/request_builder.h"
#include "core/server_info.h"

#include <gtest/gtest.h>

using namespace imchat;

TEST(ServerInfo, ModelListOpenAiShape)
{
    std::vector<std::string> models;
    std::string error;
    ASSERT_TRUE(parse_model_list(R"({"object":"list","data":[{"id":"imchat-demo","object":"model"},{"id":"llama-3"}]})",
                                 models, error));
    EXPECT_EQ(models, (std::vector<std::string>{"imchat-demo", "llama-3"}));
}

TEST(ServerInfo, ModelListOllamaTagsShape)
{
    std::vector<std::string> models;
    std::string error;
    ASSERT_TRUE(parse_model_list(R"({"models":[{"name":"qwen2:7b","model":"qwen2:7b"}]})", models, error));
    EXPECT_EQ(models, (std::vector<std::string>{"qwen2:7b"}));
}

TEST(ServerInfo, ModelListRejectsOtherBodies)
{
    std::vector<std::string> models;
    std::string error;
    EXPECT_FALSE(parse_model_list("<html>nope</html>", models, error));
    EXPECT_FALSE(error.empty());
    EXPECT_FALSE(parse_model_list(R"({"data":"x"})", models, error));
    EXPECT_TRUE(models.empty());
}

TEST(ServerInfo, ContextLengthFromLlamaCppProps)
{
    EXPECT_EQ(parse_context_length(R"({"default_generation_settings":{"n_ctx":8192}})"), 8192);
    EXPECT_EQ(parse_context_length(R"({"n_ctx":4096})"), 4096);
    EXPECT_EQ(parse_context_length(R"({"other":1})"), 0);
    EXPECT_EQ(parse_context_length("not json"), 0);
}

TEST(ServerInfo, TokenEstimateCountsCjkPerCharacter)
{
    EXPECT_EQ(estimate_tokens(""), 0);
    EXPECT_EQ(estimate_tokens("abcdefgh"), 2);
    EXPECT_EQ(estimate_tokens("你好世界"), 4);
    EXPECT_EQ(estimate_tokens("ab你"), 2);
}

TEST(RequestBuilder, DropOldestTurnsKeepsWholeTurnsAndTheLastMessage)
{
    std::vector<ChatMessage> m = {
        {Role::User, std::string(400, 'a')}, {Role::Assistant, std::string(400, 'b')},
        {Role::User, std::string(40, 'c')}, {Role::Assistant, std::string(40, 'd')},
        {Role::User, std::string(40, 'e')},
    };
    EXPECT_EQ(drop_oldest_turns(m, 1000), 0u);  // fits: nothing dropped
    EXPECT_EQ(m.size(), 5u);
    EXPECT_EQ(drop_oldest_turns(m, 40), 2u);    // the first turn goes, user and reply together
    ASSERT_EQ(m.size(), 3u);
    EXPECT_EQ(m[0].role, Role::User);
    EXPECT_EQ(m[0].content[0], 'c');
    EXPECT_EQ(drop_oldest_turns(m, 1), 2u);     // never the last message
    ASSERT_EQ(m.size(), 1u);
    EXPECT_EQ(m[0].content[0], 'e');
}
