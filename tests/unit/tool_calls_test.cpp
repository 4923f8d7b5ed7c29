// Streamed tool calls as real servers send them (OpenAI, Ollama, LM Studio, vLLM, llama.cpp),
// decoded by OpenAiStreamDecoder and assembled by add_tool_call_piece; and the request side that
// offers tools and carries calls and their results back.
#include <gtest/gtest.h>

#include <rapidjson/document.h>

#include "core/builtin_protocol.h"
#include "core/openai_protocol.h"
#include "core/request_builder.h"
#include "core/tool_calls.h"

using namespace imchat;

namespace {

// Feeds each event through the decoder (its fast path first, as the app does) into one assembler.
std::vector<ToolCall> assemble(std::initializer_list<const char*> events, std::string* finish_reason = nullptr)
{
    OpenAiStreamDecoder decoder;
    std::vector<ToolCall> calls;
    for (const char* e : events) {
        StreamDelta d;
        EXPECT_TRUE(decoder.decode(e, d)) << d.error;
        StreamDelta general;
        decoder.decode_general(e, general);
        EXPECT_EQ(d.tool_calls.size(), general.tool_calls.size()) << "both paths see the calls of " << e;
        for (const ToolCallDelta& piece : d.tool_calls)
            add_tool_call_piece(calls, piece);
        if (finish_reason && !d.finish_reason.empty())
            *finish_reason = d.finish_reason;
    }
    finish_tool_calls(calls);
    return calls;
}

}  // namespace

TEST(ToolCalls, OpenAiTwoCallsInterleavedOverManyPieces)
{
    std::string finish;
    std::vector<ToolCall> c = assemble({
        R"({"id":"chatcmpl-1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"get_weather","arguments":""}}]},"finish_reason":null}]})",
        R"({"id":"chatcmpl-1","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\": \"Pa"}}]},"finish_reason":null}]})",
        R"({"id":"chatcmpl-1","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"get_time","arguments":""}}]},"finish_reason":null}]})",
        R"({"id":"chatcmpl-1","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"ris\"}"}}]},"finish_reason":null}]})",
        R"({"id":"chatcmpl-1","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"{\"zone\":\"CET\"}"}}]},"finish_reason":null}]})",
        R"({"id":"chatcmpl-1","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]})",
    }, &finish);
    ASSERT_EQ(c.size(), 2u);
    EXPECT_EQ(finish, "tool_calls");
    EXPECT_EQ(c[0].id, "call_a");
    EXPECT_EQ(c[0].name, "get_weather");
    EXPECT_EQ(c[0].arguments, R"({"city": "Paris"})");
    EXPECT_EQ(c[0].error, "");
    EXPECT_EQ(c[1].id, "call_b");
    EXPECT_EQ(c[1].name, "get_time");
    EXPECT_EQ(c[1].arguments, R"({"zone":"CET"})");
}

TEST(ToolCalls, TheFastPathNeverDropsACallBesideContent)
{
    OpenAiStreamDecoder decoder;
    StreamDelta d;
    ASSERT_TRUE(decoder.decode(R"({"choices":[{"index":0,"delta":{"content":"Let me check.","tool_calls":[{"index":0,"id":"c1","function":{"name":"f","arguments":"{}"}}]}}]})", d));
    EXPECT_EQ(d.content, "Let me check.");
    ASSERT_EQ(d.tool_calls.size(), 1u);
    EXPECT_EQ(d.tool_calls[0].name, "f");
    // And an ordinary chunk with "tool_calls": null stays on the fast path with no calls.
    ASSERT_TRUE(decoder.decode(R"({"choices":[{"index":0,"delta":{"content":"x","tool_calls":null}}]})", d));
    EXPECT_EQ(d.content, "x");
    EXPECT_TRUE(d.tool_calls.empty());
}

TEST(ToolCalls, OllamaGivesEveryCallIndexZeroAndSendsEachWhole)
{
    std::vector<ToolCall> c = assemble({
        R"({"id":"chatcmpl-5","object":"chat.completion.chunk","model":"qwen3","choices":[{"index":0,"delta":{"role":"assistant","content":"","tool_calls":[{"id":"call_x1","index":0,"type":"function","function":{"name":"add","arguments":"{\"a\":1,\"b\":2}"}}]},"finish_reason":null}]})",
        R"({"id":"chatcmpl-5","object":"chat.completion.chunk","model":"qwen3","choices":[{"index":0,"delta":{"role":"assistant","content":"","tool_calls":[{"id":"call_x2","index":0,"type":"function","function":{"name":"add","arguments":"{\"a\":3,\"b\":4}"}}]},"finish_reason":null}]})",
        R"({"id":"chatcmpl-5","object":"chat.completion.chunk","model":"qwen3","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":"tool_calls"}]})",
    });
    ASSERT_EQ(c.size(), 2u);
    EXPECT_EQ(c[0].id, "call_x1");
    EXPECT_EQ(c[0].arguments, R"({"a":1,"b":2})");
    EXPECT_EQ(c[1].id, "call_x2");
    EXPECT_EQ(c[1].arguments, R"({"a":3,"b":4})");
}

TEST(ToolCalls, TwoWholeCallsInOneDeltaAtIndexZeroWithoutIds)
{
    std::vector<ToolCall> c = assemble({
        R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"name":"a","arguments":"{\"n\":1}"}},{"index":0,"function":{"name":"b","arguments":{"n":2}}}]}}]})",
    });
    ASSERT_EQ(c.size(), 2u);
    EXPECT_EQ(c[0].name, "a");
    EXPECT_EQ(c[1].name, "b");
    EXPECT_EQ(c[1].arguments, R"({"n":2})") << "an arguments object (Ollama's own dialect) becomes JSON text";
    EXPECT_NE(c[0].id, c[1].id) << "calls without ids get distinct ones";
}

TEST(ToolCalls, FreshIdsOnLaterPiecesContinueTheCall)
{
    // LM Studio and some vLLM versions put a new id on every piece of one call.
    std::vector<ToolCall> c = assemble({
        R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"111","type":"function","function":{"name":"search","arguments":""}}]}}]})",
        R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"222","type":"function","function":{"arguments":"{\"q\":"}}]}}]})",
        R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"333","type":"function","function":{"arguments":"\"cats\"}"}}]}}]})",
    });
    ASSERT_EQ(c.size(), 1u);
    EXPECT_EQ(c[0].id, "111");
    EXPECT_EQ(c[0].arguments, R"({"q":"cats"})");
    EXPECT_EQ(c[0].error, "");
}

TEST(ToolCalls, EmptyArgumentsAreAnEmptyObject)
{
    std::vector<ToolCall> c = assemble({
        R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"c","function":{"name":"now","arguments":""}}]}}]})",
    });
    ASSERT_EQ(c.size(), 1u);
    EXPECT_EQ(c[0].arguments, "{}");
    EXPECT_EQ(c[0].error, "");
}

TEST(ToolCalls, ArgumentsThatAreNotAnObjectFailThatCallOnly)
{
    std::vector<ToolCall> c = assemble({
        R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"c1","function":{"name":"good","arguments":"{\"x\":1}"}}]}}]})",
        R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"c2","function":{"name":"cut","arguments":"{\"x\": 1, \"y\""}}]}}]})",
        R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":2,"id":"c3","function":{"name":"list","arguments":"[1,2]"}}]}}]})",
        R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":3,"id":"c4","function":{"arguments":"{}"}}]}}]})",
    });
    ASSERT_EQ(c.size(), 4u);
    EXPECT_EQ(c[0].error, "");
    EXPECT_NE(c[1].error.find("cut"), std::string::npos) << c[1].error;
    EXPECT_NE(c[1].error.find("not valid JSON"), std::string::npos) << c[1].error;
    EXPECT_NE(c[2].error.find("not an object"), std::string::npos) << c[2].error;
    EXPECT_NE(c[3].error.find("without a name"), std::string::npos) << c[3].error;
    EXPECT_EQ(c[1].arguments, R"({"x": 1, "y")") << "the model's text is kept as it came";
}

TEST(ToolCalls, PiecesWithoutAnIndexContinueTheLastCall)
{
    std::vector<ToolCall> c = assemble({
        R"({"choices":[{"index":0,"delta":{"tool_calls":[{"id":"c1","function":{"name":"f","arguments":"{\"a\""}}]}}]})",
        R"({"choices":[{"index":0,"delta":{"tool_calls":[{"function":{"arguments":":2}"}}]}}]})",
        R"({"choices":[{"index":0,"delta":{"tool_calls":[{"id":"c2","function":{"name":"g","arguments":"{}"}}]}}]})",
    });
    ASSERT_EQ(c.size(), 2u);
    EXPECT_EQ(c[0].arguments, R"({"a":2})");
    EXPECT_EQ(c[1].name, "g");
}

TEST(ToolCalls, OlderFunctionCallField)
{
    std::vector<ToolCall> c = assemble({
        R"({"choices":[{"index":0,"delta":{"function_call":{"name":"lookup","arguments":"{\"k\":"}}}]})",
        R"({"choices":[{"index":0,"delta":{"function_call":{"arguments":"7}"}}}]})",
    });
    ASSERT_EQ(c.size(), 1u);
    EXPECT_EQ(c[0].name, "lookup");
    EXPECT_EQ(c[0].arguments, R"({"k":7})");
}

TEST(ToolCalls, WholeCompletionCarriesItsCalls)
{
    OpenAiStreamDecoder decoder;
    StreamDelta d;
    ASSERT_TRUE(decoder.decode_completion(R"({"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{\"q\":1}"}}]},"finish_reason":"tool_calls"}]})", d)) << d.error;
    ASSERT_EQ(d.tool_calls.size(), 1u);
    EXPECT_EQ(d.tool_calls[0].id, "call_1");
    EXPECT_EQ(d.finish_reason, "tool_calls");
}

TEST(ToolCalls, TheRequestOffersToolsAndCarriesCallsAndResults)
{
    ChatRequest r;
    r.model = "m";
    r.tools_json = R"([{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"}}}])";
    r.tool_choice = "auto";
    ChatMessage ask{Role::User, "weather?", {}, {}};
    ChatMessage call{Role::Assistant, "", {{"call_a", "get_weather", R"({"city":"Paris"})", ""}}, {}};
    ChatMessage result{Role::Tool, "18 C, clear", {}, "call_a"};
    r.messages = {ask, call, result};
    rapidjson::Document d;
    std::string body = build_openai_request(r);
    ASSERT_FALSE(d.Parse(body.c_str()).HasParseError()) << body;
    ASSERT_TRUE(d["tools"].IsArray());
    EXPECT_STREQ(d["tools"][0]["function"]["name"].GetString(), "get_weather");
    EXPECT_STREQ(d["tool_choice"].GetString(), "auto");
    const auto& m = d["messages"];
    ASSERT_EQ(m.Size(), 3u);
    EXPECT_TRUE(m[1]["content"].IsNull());
    EXPECT_STREQ(m[1]["tool_calls"][0]["id"].GetString(), "call_a");
    EXPECT_STREQ(m[1]["tool_calls"][0]["type"].GetString(), "function");
    EXPECT_STREQ(m[1]["tool_calls"][0]["function"]["arguments"].GetString(), R"({"city":"Paris"})");
    EXPECT_STREQ(m[2]["role"].GetString(), "tool");
    EXPECT_STREQ(m[2]["tool_call_id"].GetString(), "call_a");
    EXPECT_STREQ(m[2]["content"].GetString(), "18 C, clear");

    r.tool_choice = R"({"type":"function","function":{"name":"get_weather"}})";
    body = build_openai_request(r);
    ASSERT_FALSE(d.Parse(body.c_str()).HasParseError()) << body;
    EXPECT_STREQ(d["tool_choice"]["function"]["name"].GetString(), "get_weather");

    ChatRequest plain;
    plain.model = "m";
    plain.messages = {ask};
    body = build_openai_request(plain);
    EXPECT_EQ(body.find("tools"), std::string::npos) << "no tools offered, none sent: " << body;
}

TEST(ToolCalls, AnIdUsedTwiceIsMadeUnique)
{
    std::vector<ToolCall> c = assemble({
        R"({"choices":[{"index":0,"delta":{"tool_calls":[{"id":"x","index":0,"function":{"name":"add","arguments":"{\"a\":1}"}}]}}]})",
        R"({"choices":[{"index":0,"delta":{"tool_calls":[{"id":"x","index":0,"function":{"name":"add","arguments":"{\"a\":2}"}}]}}]})",
    });
    ASSERT_EQ(c.size(), 2u) << "a complete call at index 0 followed by a named one: two calls";
    EXPECT_EQ(c[0].id, "x");
    EXPECT_NE(c[1].id, "x");
}

TEST(ToolCalls, BuiltinApiToolCallEvents)
{
    // serve.py's own API sends the pieces in `tool_call` events, shaped as in an OpenAI delta.
    std::vector<ToolCall> calls;
    for (const char* data : {R"({"tool_calls":[{"index":0,"id":"call_9","type":"function","function":{"name":"get_weather","arguments":""}}]})",
                             R"({"tool_calls":[{"index":0,"function":{"arguments":"{\"city\": "}}]})",
                             R"({"tool_calls":[{"index":0,"function":{"arguments":"\"Paris\"}"}}]})"}) {
        StreamDelta d;
        ASSERT_TRUE(decode_builtin_event("tool_call", data, d)) << d.error;
        for (const ToolCallDelta& piece : d.tool_calls)
            add_tool_call_piece(calls, piece);
    }
    finish_tool_calls(calls);
    ASSERT_EQ(calls.size(), 1u);
    EXPECT_EQ(calls[0].arguments, R"({"city": "Paris"})");
    StreamDelta bad;
    EXPECT_FALSE(decode_builtin_event("tool_call", R"({"tool_calls":7})", bad));
    EXPECT_NE(bad.error.find("tool_call"), std::string::npos) << bad.error;
}

// ---- kept with the conversation -------------------------------------------------------------

#include <fstream>
#include <iterator>

#include "core/conversation.h"
#include "core/conversation_io.h"
#include "core/history_records.h"

namespace {

// A reply that called a tool, streamed piece by piece through Conversation::apply.
Conversation conversation_with_a_call()
{
    Conversation c;
    c.id = "tools-fixture";
    c.title = "weather";
    c.created_ms = c.updated_ms = 1796400000000;
    uint32_t ask = c.add(0, Role::User, "/tool get_weather {\"city\": \"Paris\"}");
    uint32_t reply = c.add(ask, Role::Assistant, "");
    c.set_status(reply, MessageStatus::Waiting, 1);
    OpenAiStreamDecoder decoder;
    for (const char* e : {R"({"choices":[{"index":0,"delta":{"content":"Calling get_weather."}}]})",
                          R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_w","type":"function","function":{"name":"get_weather","arguments":""}}]}}]})",
                          R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\": "}}]}}]})",
                          R"({"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"Paris\"}"}}]}}]})",
                          R"({"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]})", "[DONE]"}) {
        StreamDelta d;
        EXPECT_TRUE(decoder.decode(e, d));
        c.apply(reply, d, 2);
    }
    return c;
}

}  // namespace

TEST(ToolCalls, AReplysCallsAreAssembledIntoItsMessage)
{
    Conversation c = conversation_with_a_call();
    const Message& m = *c.find(c.active_path().back());
    EXPECT_EQ(m.text, "Calling get_weather.");
    EXPECT_EQ(m.finish_reason, "tool_calls");
    EXPECT_EQ(m.status, MessageStatus::Done);
    ASSERT_EQ(m.tool_calls.size(), 1u);
    EXPECT_EQ(m.tool_calls[0].id, "call_w");
    EXPECT_EQ(m.tool_calls[0].arguments, R"({"city": "Paris"})");
    EXPECT_NE(export_markdown(c).find("**Tool call** `get_weather`"), std::string::npos) << export_markdown(c);
}

TEST(ToolCalls, CallsSurviveExportAndTheStoredRecord)
{
    Conversation c = conversation_with_a_call();
    Conversation back;
    std::string error;
    ASSERT_TRUE(import_json(export_json(c), back, error)) << error;
    EXPECT_EQ(back, c);
    const Message& m = *c.find(c.active_path().back());
    std::string record = message_record_json(m);
    EXPECT_NE(record.find("\"tool_calls\":[{\"id\":\"call_w\""), std::string::npos) << record;
}

// The file this build writes for a reply with a call (tests/unit/fixtures): later builds must
// read it. Written by export_json of conversation_with_a_call(); compared byte for byte so a
// change to the format shows here and gets its migration.
TEST(ToolCalls, TodaysExportWithACallIsTheFixture)
{
    std::ifstream file(IMCHAT_FIXTURES "/export-tool-call.json", std::ios::binary);
    ASSERT_TRUE(file) << "fixture missing; this build writes:\n" << export_json(conversation_with_a_call());
    std::string text((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    Conversation c;
    std::string error;
    ASSERT_TRUE(import_json(text, c, error)) << error;
    EXPECT_EQ(c, conversation_with_a_call());
    EXPECT_EQ(export_json(c), text);
}

TEST(ToolCalls, MalformedStoredCallsAreAClearError)
{
    std::string json = export_json(conversation_with_a_call());
    std::string bad = json;
    bad.replace(bad.find("\"tool_calls\":["), 14, "\"tool_calls\":7,\"x\":[");
    Conversation c;
    std::string error;
    EXPECT_FALSE(import_json(bad, c, error));
    EXPECT_NE(error.find("tool_calls"), std::string::npos) << error;
}
