// The MCP client's messages (JSON-RPC 2.0, revision 2025-06-18) and its view of tools: what it
// writes, what it reads from real servers' answers, tool names for the model, results capped.
#include <gtest/gtest.h>

#include <rapidjson/document.h>

#include "core/mcp_messages.h"
#include "core/mcp_tools.h"

using namespace imchat::mcp;

namespace {
rapidjson::Document parsed(const std::string& text)
{
    rapidjson::Document d;
    EXPECT_FALSE(d.Parse(text.c_str()).HasParseError()) << text;
    return d;
}
}  // namespace

TEST(McpMessages, InitializeOffersTheLatestRevisionAndNoCapabilities)
{
    rapidjson::Document d = parsed(initialize_request(1, "imchat", "0.5"));
    EXPECT_STREQ(d["jsonrpc"].GetString(), "2.0");
    EXPECT_EQ(d["id"].GetInt(), 1);
    EXPECT_STREQ(d["method"].GetString(), "initialize");
    EXPECT_STREQ(d["params"]["protocolVersion"].GetString(), "2025-06-18");
    EXPECT_TRUE(d["params"]["capabilities"].ObjectEmpty()) << "no sampling or elicitation offered";
    EXPECT_STREQ(d["params"]["clientInfo"]["name"].GetString(), "imchat");
    rapidjson::Document n = parsed(initialized_notification());
    EXPECT_FALSE(n.HasMember("id")) << "a notification has no id";
    EXPECT_STREQ(n["method"].GetString(), "notifications/initialized");
}

TEST(McpMessages, ToolsListPagesAndCallsCarryAProgressToken)
{
    EXPECT_FALSE(parsed(tools_list_request(2, ""))["params"].HasMember("cursor"));
    EXPECT_STREQ(parsed(tools_list_request(3, "page-2"))["params"]["cursor"].GetString(), "page-2");
    rapidjson::Document c = parsed(tools_call_request(7, "slow", R"({"seconds":2})"));
    EXPECT_STREQ(c["params"]["name"].GetString(), "slow");
    EXPECT_EQ(c["params"]["arguments"]["seconds"].GetInt(), 2);
    EXPECT_EQ(c["params"]["_meta"]["progressToken"].GetInt(), 7);
    rapidjson::Document x = parsed(cancelled_notification(7, "the person pressed Stop"));
    EXPECT_EQ(x["params"]["requestId"].GetInt(), 7);
}

TEST(McpMessages, InitializeResultNegotiatesDown)
{
    ServerHello hello;
    std::string error;
    ASSERT_TRUE(parse_initialize_result(R"({"protocolVersion":"2025-03-26","capabilities":{"tools":{"listChanged":true},"logging":{}},"serverInfo":{"name":"test-server","version":"1.0.0"}})", hello, error)) << error;
    EXPECT_EQ(hello.protocol_version, "2025-03-26");
    EXPECT_EQ(hello.name, "test-server");
    EXPECT_TRUE(hello.has_tools);
    EXPECT_TRUE(hello.tools_list_changed);
    EXPECT_FALSE(parse_initialize_result(R"({"protocolVersion":"2023-01-01","capabilities":{}})", hello, error));
    EXPECT_NE(error.find("2023-01-01"), std::string::npos) << error;
}

TEST(McpMessages, ResponsesRequestsNotificationsAndBatches)
{
    std::vector<Incoming> in;
    std::string error;
    ASSERT_TRUE(parse_incoming(R"([{"jsonrpc":"2.0","id":4,"result":{"tools":[]}},
        {"jsonrpc":"2.0","id":5,"error":{"code":-32602,"message":"Unknown tool: nope"}},
        {"jsonrpc":"2.0","id":"srv-1","method":"ping"},
        {"jsonrpc":"2.0","method":"notifications/progress","params":{"progressToken":9,"progress":1,"total":3,"message":"step 1"}}])", in, error)) << error;
    ASSERT_EQ(in.size(), 4u);
    EXPECT_EQ(in[0].kind, Incoming::Response);
    EXPECT_EQ(in[0].id, 4);
    EXPECT_EQ(in[0].result_json, R"({"tools":[]})");
    EXPECT_TRUE(in[1].failed());
    EXPECT_EQ(in[1].error_code, -32602);
    EXPECT_EQ(in[1].error_message, "Unknown tool: nope");
    EXPECT_EQ(in[2].kind, Incoming::Request);
    EXPECT_EQ(in[2].id_json, "\"srv-1\"");
    EXPECT_EQ(in[3].kind, Incoming::Notification);
    Progress p;
    ASSERT_TRUE(parse_progress(in[3].params_json, p));
    EXPECT_EQ(p.token, 9);
    EXPECT_EQ(p.total, 3);
    EXPECT_EQ(p.message, "step 1");

    rapidjson::Document pong = parsed(answer_server_request(in[2]));
    EXPECT_STREQ(pong["id"].GetString(), "srv-1");
    EXPECT_TRUE(pong["result"].ObjectEmpty());
    Incoming sampling;
    sampling.kind = Incoming::Request;
    sampling.id_json = "12";
    sampling.method = "sampling/createMessage";
    rapidjson::Document refused = parsed(answer_server_request(sampling));
    EXPECT_EQ(refused["id"].GetInt(), 12);
    EXPECT_EQ(refused["error"]["code"].GetInt(), -32601);
}

TEST(McpMessages, WhatIsNotJsonRpcIsAClearError)
{
    std::vector<Incoming> in;
    std::string error;
    EXPECT_FALSE(parse_incoming("<html>", in, error));
    EXPECT_NE(error.find("invalid JSON"), std::string::npos) << error;
    EXPECT_FALSE(parse_incoming(R"({"id":1,"result":{}})", in, error)) << "no jsonrpc member";
    EXPECT_FALSE(parse_incoming(R"({"jsonrpc":"2.0","result":{}})", in, error)) << "a response without an id";
    // A batch keeps what it can read.
    EXPECT_FALSE(parse_incoming(R"([{"jsonrpc":"2.0","id":1,"result":{}}, 5])", in, error));
    EXPECT_EQ(in.size(), 1u);
}

TEST(McpTools, ListPagesAndSchemas)
{
    std::vector<ToolInfo> tools;
    std::string cursor, error;
    ASSERT_TRUE(parse_tools_list(R"({"tools":[{"name":"get_weather","title":"Weather","description":"Weather in a city","inputSchema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}},{"name":""},{"name":"now"}],"nextCursor":"2"})", tools, cursor, error)) << error;
    ASSERT_EQ(tools.size(), 2u) << "a tool without a name cannot be called";
    EXPECT_EQ(cursor, "2");
    EXPECT_NE(tools[0].input_schema_json.find("\"required\":[\"city\"]"), std::string::npos);
    EXPECT_EQ(tools[1].input_schema_json, R"({"type":"object"})");
    ASSERT_TRUE(parse_tools_list(R"({"tools":[]})", tools, cursor, error));
    EXPECT_EQ(cursor, "");
    EXPECT_FALSE(parse_tools_list(R"({"items":[]})", tools, cursor, error));
}

TEST(McpTools, NamesAreValidUniqueAndMapBack)
{
    ToolNames names;
    EXPECT_EQ(names.add("files", "read_file"), "read_file");
    EXPECT_EQ(names.add("git", "read_file"), "git__read_file") << "the same tool name on another server";
    EXPECT_EQ(names.add("files", "read_file"), "read_file") << "asking again gives the same name";
    std::string dotted = names.add("web", "fetch.url");
    EXPECT_TRUE(is_api_tool_name(dotted)) << dotted;
    std::string long_name = names.add(std::string(50, 's'), std::string(50, 't'));
    EXPECT_TRUE(is_api_tool_name(long_name)) << long_name;
    std::string long_again = names.add(std::string(50, 's'), std::string(50, 't') + "x");
    EXPECT_TRUE(is_api_tool_name(long_again));
    EXPECT_NE(long_again, long_name) << "cut to 64, then numbered";
    const ToolNames::Entry* e = names.find("git__read_file");
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->server, "git");
    EXPECT_EQ(e->tool, "read_file");
    EXPECT_EQ(names.find("nope"), nullptr);

    rapidjson::Document d = parsed(openai_tools_json({ToolInfo{"read_file", "", "Reads a file", R"({"type":"object"})"}}, {"git__read_file"}));
    EXPECT_STREQ(d[0]["type"].GetString(), "function");
    EXPECT_STREQ(d[0]["function"]["name"].GetString(), "git__read_file");
    EXPECT_STREQ(d[0]["function"]["description"].GetString(), "Reads a file");
    EXPECT_STREQ(d[0]["function"]["parameters"]["type"].GetString(), "object");
}

TEST(McpTools, ResultsForTheTranscriptAndForTheModel)
{
    ToolResult r;
    std::string error;
    ASSERT_TRUE(parse_tool_result(R"({"content":[{"type":"text","text":"18 C"},{"type":"image","data":"iVBORw0KGgoAAAANSUhEUg==","mimeType":"image/png"},{"type":"resource_link","uri":"file:///tmp/a.txt","name":"a.txt"},{"type":"video","x":1}]})", r, error)) << error;
    ASSERT_EQ(r.content.size(), 3u) << "an unknown part kind is left out";
    EXPECT_EQ(r.content[1].kind, ToolContent::Image);
    EXPECT_EQ(r.content[1].mime_type, "image/png");
    EXPECT_FALSE(r.is_error);
    EXPECT_EQ(result_for_model(r, 1000), "18 C\n[image/png, 16 B]\n[a.txt](file:///tmp/a.txt)");

    ToolResult failed;
    ASSERT_TRUE(parse_tool_result(R"({"content":[{"type":"text","text":"no such city"}],"isError":true})", failed, error));
    EXPECT_TRUE(failed.is_error);
    EXPECT_EQ(result_for_model(failed, 1000), "Error: no such city");

    ToolResult structured;
    ASSERT_TRUE(parse_tool_result(R"({"content":[],"structuredContent":{"t":18}})", structured, error));
    EXPECT_EQ(result_for_model(structured, 1000), R"({"t":18})");
}

TEST(McpTools, AHugeResultIsCutOnACharacterWithANote)
{
    ToolResult r;
    r.content.push_back({ToolContent::Text, std::string(10, 'a') + "\xE4\xBD\xA0" + std::string(5000, 'b'), {}, {}, {}, {}});
    std::string sent = result_for_model(r, 11);
    EXPECT_EQ(sent.substr(0, 10), std::string(10, 'a'));
    EXPECT_EQ(sent.find("\xE4"), std::string::npos) << "never half a character";
    EXPECT_NE(sent.find("[cut: 5 KB more"), std::string::npos) << sent;
    EXPECT_EQ(r.content[0].text.size(), 5013u) << "the transcript keeps the whole result";
}
