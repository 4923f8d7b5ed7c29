// OpenAI Chat Completions streams as real servers send them (OpenAI, DeepSeek, llama.cpp,
// Ollama, OpenRouter, vLLM), whole completions, and error bodies turned into messages.
#include <gtest/gtest.h>

#include "core/openai_protocol.h"

using namespace imchat;

namespace {
StreamDelta decode(OpenAiStreamDecoder& decoder, std::string_view data) {
    StreamDelta d;
    EXPECT_TRUE(decoder.decode(data, d)) << d.error << " for " << data;
    return d;
}
}  // namespace

// ---- OpenAI -------------------------------------------------------------------------------------

TEST(OpenAiStream, OpenAiRoleChunkHasNoText) {
    OpenAiStreamDecoder dec;
    StreamDelta d = decode(dec,
        R"({"id":"chatcmpl-9xY","object":"chat.completion.chunk","created":1718000000,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_0f03d4f0ee","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}],"usage":null})");
    EXPECT_TRUE(d.content.empty());
    EXPECT_TRUE(d.finish_reason.empty());
    EXPECT_FALSE(d.has_usage);
    EXPECT_FALSE(d.done);
}

TEST(OpenAiStream, OpenAiContentChunk) {
    OpenAiStreamDecoder dec;
    StreamDelta d = decode(dec,
        R"({"id":"chatcmpl-9xY","object":"chat.completion.chunk","created":1718000000,"model":"gpt-4o-mini-2024-07-18","system_fingerprint":"fp_0f03d4f0ee","choices":[{"index":0,"delta":{"content":"Hello"},"logprobs":null,"finish_reason":null}],"usage":null})");
    EXPECT_EQ(d.content, "Hello");
    EXPECT_TRUE(d.reasoning.empty());
}

TEST(OpenAiStream, OpenAiFinishChunk) {
    OpenAiStreamDecoder dec;
    StreamDelta d = decode(dec,
        R"({"id":"chatcmpl-9xY","object":"chat.completion.chunk","created":1718000000,"model":"gpt-4o-mini","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"length"}],"usage":null})");
    EXPECT_EQ(d.finish_reason, "length");
    EXPECT_FALSE(d.done);  // the end is [DONE] (after the usage chunk)
}

TEST(OpenAiStream, UsageChunkWithEmptyChoices) {
    OpenAiStreamDecoder dec;
    StreamDelta d = decode(dec,
        R"({"id":"chatcmpl-9xY","object":"chat.completion.chunk","created":1718000000,"model":"gpt-4o-mini","system_fingerprint":"fp_0f03d4f0ee","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":12,"total_tokens":21,"prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":0}}})");
    EXPECT_TRUE(d.has_usage);
    EXPECT_EQ(d.usage.prompt_tokens, 9);
    EXPECT_EQ(d.usage.completion_tokens, 12);
    EXPECT_TRUE(d.content.empty());
}

TEST(OpenAiStream, UsageChunkWithNullChoices) {
    OpenAiStreamDecoder dec;
    StreamDelta d = decode(dec, R"({"id":"x","object":"chat.completion.chunk","choices":null,"usage":{"prompt_tokens":3,"completion_tokens":4}})");
    EXPECT_TRUE(d.has_usage);
    EXPECT_EQ(d.usage.completion_tokens, 4);
}

TEST(OpenAiStream, UsageChunkWithoutChoices) {
    OpenAiStreamDecoder dec;
    StreamDelta d = decode(dec, R"({"id":"x","usage":{"prompt_tokens":7,"completion_tokens":8,"total_tokens":15}})");
    EXPECT_TRUE(d.has_usage);
    EXPECT_EQ(d.usage.prompt_tokens, 7);
    EXPECT_EQ(d.usage.completion_tokens, 8);
}

TEST(OpenAiStream, DoneSentinel) {
    OpenAiStreamDecoder dec;
    EXPECT_TRUE(decode(dec, "[DONE]").done);
    EXPECT_TRUE(decode(dec, " [DONE]\n").done);
}

TEST(OpenAiStream, NullContentIsNoText) {
    OpenAiStreamDecoder dec;
    StreamDelta d = decode(dec, R"({"choices":[{"index":0,"delta":{"content":null},"finish_reason":null}]})");
    EXPECT_TRUE(d.content.empty());
    EXPECT_FALSE(d.failed());
}

// ---- DeepSeek -----------------------------------------------------------------------------------

TEST(OpenAiStream, DeepSeekReasoningContent) {
    OpenAiStreamDecoder dec;
    StreamDelta d = decode(dec,
        R"({"id":"5e7b1c2a","object":"chat.completion.chunk","created":1737000000,"model":"deepseek-reasoner","system_fingerprint":"fp_7e73fd9a08","choices":[{"index":0,"delta":{"role":"assistant","content":null,"reasoning_content":"Okay, the user"},"logprobs":null,"finish_reason":null}]})");
    EXPECT_EQ(d.reasoning, "Okay, the user");
    EXPECT_TRUE(d.content.empty());
    d = decode(dec,
        R"({"id":"5e7b1c2a","object":"chat.completion.chunk","created":1737000000,"model":"deepseek-reasoner","system_fingerprint":"fp_7e73fd9a08","choices":[{"index":0,"delta":{"content":"Hi!","reasoning_content":null},"logprobs":null,"finish_reason":null}]})");
    EXPECT_EQ(d.content, "Hi!");
    EXPECT_TRUE(d.reasoning.empty());
}

TEST(OpenAiStream, DeepSeekFinalChunkCarriesUsage) {
    OpenAiStreamDecoder dec;
    StreamDelta d = decode(dec,
        R"({"id":"5e7b1c2a","object":"chat.completion.chunk","created":1737000000,"model":"deepseek-reasoner","system_fingerprint":"fp_7e73fd9a08","choices":[{"index":0,"delta":{"content":"","reasoning_content":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":13,"completion_tokens":120,"total_tokens":133,"prompt_tokens_details":{"cached_tokens":0},"completion_tokens_details":{"reasoning_tokens":100},"prompt_cache_hit_tokens":0,"prompt_cache_miss_tokens":13}})");
    EXPECT_EQ(d.finish_reason, "stop");
    EXPECT_TRUE(d.has_usage);
    EXPECT_EQ(d.usage.prompt_tokens, 13);
    EXPECT_EQ(d.usage.completion_tokens, 120);
}

// ---- llama.cpp ----------------------------------------------------------------------------------

TEST(OpenAiStream, LlamaCppContentChunk) {
    OpenAiStreamDecoder dec;
    StreamDelta d = decode(dec,
        R"({"choices":[{"finish_reason":null,"index":0,"delta":{"content":" world"}}],"created":1730000000,"id":"chatcmpl-abc","model":"gpt-3.5-turbo","system_fingerprint":"b4000-3f1ae2e3","object":"chat.completion.chunk"})");
    EXPECT_EQ(d.content, " world");
    EXPECT_FALSE(d.has_timings);
}

TEST(OpenAiStream, LlamaCppReasoningContent) {
    OpenAiStreamDecoder dec;
    StreamDelta d = decode(dec,
        R"({"choices":[{"finish_reason":null,"index":0,"delta":{"reasoning_content":"Hmm"}}],"created":1730000000,"id":"chatcmpl-abc","model":"qwen3","object":"chat.completion.chunk"})");
    EXPECT_EQ(d.reasoning, "Hmm");
}

TEST(OpenAiStream, LlamaCppFinalChunkWithTimings) {
    OpenAiStreamDecoder dec;
    StreamDelta d = decode(dec,
        R"({"choices":[{"finish_reason":"stop","index":0,"delta":{}}],"created":1730000000,"id":"chatcmpl-abc","model":"gpt-3.5-turbo","system_fingerprint":"b4000-3f1ae2e3","object":"chat.completion.chunk","usage":{"completion_tokens":10,"prompt_tokens":5,"total_tokens":15},"timings":{"prompt_n":5,"prompt_ms":20.5,"prompt_per_token_ms":4.1,"prompt_per_second":243.9,"predicted_n":10,"predicted_ms":150.25,"predicted_per_token_ms":15.025,"predicted_per_second":66.55}})");
    EXPECT_EQ(d.finish_reason, "stop");
    EXPECT_TRUE(d.has_usage);
    EXPECT_EQ(d.usage.completion_tokens, 10);
    ASSERT_TRUE(d.has_timings);
    EXPECT_DOUBLE_EQ(d.timings.prompt_ms, 20.5);
    EXPECT_DOUBLE_EQ(d.timings.predicted_ms, 150.25);
    EXPECT_DOUBLE_EQ(d.timings.predicted_per_second, 66.55);
}

TEST(OpenAiStream, PartialTimingsLeaveOthersUnknown) {
    OpenAiStreamDecoder dec;
    StreamDelta d = decode(dec, R"({"choices":[],"timings":{"predicted_per_second":12}})");
    ASSERT_TRUE(d.has_timings);
    EXPECT_DOUBLE_EQ(d.timings.predicted_per_second, 12);
    EXPECT_EQ(d.timings.prompt_ms, -1);
}

// ---- Ollama -------------------------------------------------------------------------------------

TEST(OpenAiStream, OllamaChunks) {
    OpenAiStreamDecoder dec;
    StreamDelta d = decode(dec,
        R"({"id":"chatcmpl-123","object":"chat.completion.chunk","created":1720000000,"model":"llama3.2","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":"The"},"finish_reason":null}]})");
    EXPECT_EQ(d.content, "The");
    d = decode(dec,
        R"({"id":"chatcmpl-123","object":"chat.completion.chunk","created":1720000000,"model":"llama3.2","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":"stop"}]})");
    EXPECT_EQ(d.finish_reason, "stop");
    EXPECT_TRUE(d.content.empty());
    d = decode(dec,
        R"({"id":"chatcmpl-123","object":"chat.completion.chunk","created":1720000000,"model":"llama3.2","system_fingerprint":"fp_ollama","choices":[],"usage":{"prompt_tokens":26,"completion_tokens":10,"total_tokens":36}})");
    EXPECT_EQ(d.usage.prompt_tokens, 26);
}

TEST(OpenAiStream, OllamaThinkingAsReasoning) {
    OpenAiStreamDecoder dec;
    StreamDelta d = decode(dec,
        R"({"id":"chatcmpl-5","object":"chat.completion.chunk","created":1750000000,"model":"qwen3:0.6b","system_fingerprint":"fp_ollama","choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning":"Okay"},"finish_reason":null}]})");
    EXPECT_EQ(d.reasoning, "Okay");
    EXPECT_TRUE(d.content.empty());
}

// ---- OpenRouter / vLLM --------------------------------------------------------------------------

TEST(OpenAiStream, OpenRouterChunkWithReasoningNull) {
    OpenAiStreamDecoder dec;
    StreamDelta d = decode(dec,
        R"({"id":"gen-1730000000-abc","provider":"OpenAI","model":"openai/gpt-4o","object":"chat.completion.chunk","created":1730000000,"choices":[{"index":0,"delta":{"role":"assistant","content":"Hi","reasoning":null,"reasoning_details":[]},"finish_reason":null,"native_finish_reason":null,"logprobs":null}]})");
    EXPECT_EQ(d.content, "Hi");
    EXPECT_TRUE(d.reasoning.empty());
}

TEST(OpenAiStream, OpenRouterReasoning) {
    OpenAiStreamDecoder dec;
    StreamDelta d = decode(dec,
        R"({"id":"gen-1","provider":"DeepInfra","model":"deepseek/deepseek-r1","object":"chat.completion.chunk","created":1730000000,"choices":[{"index":0,"delta":{"role":"assistant","content":"","reasoning":"First,","reasoning_details":[{"type":"reasoning.text","text":"First,"}]},"finish_reason":null,"native_finish_reason":null,"logprobs":null}]})");
    EXPECT_EQ(d.reasoning, "First,");
}

TEST(OpenAiStream, OpenRouterUsageChunkWithEmptyDelta) {
    OpenAiStreamDecoder dec;
    StreamDelta d = decode(dec,
        R"({"id":"gen-1","provider":"OpenAI","model":"openai/gpt-4o","object":"chat.completion.chunk","created":1730000000,"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null,"native_finish_reason":null,"logprobs":null}],"usage":{"prompt_tokens":10,"completion_tokens":5,"total_tokens":15,"cost":0.0001}})");
    EXPECT_TRUE(d.has_usage);
    EXPECT_EQ(d.usage.completion_tokens, 5);
}

TEST(OpenAiStream, OpenRouterMidStreamErrorWins) {
    OpenAiStreamDecoder dec;
    StreamDelta d = decode(dec,
        R"({"id":"cmpl-abc123","object":"chat.completion.chunk","created":1234567890,"model":"gpt-3.5-turbo","provider":"openai","error":{"code":"server_error","message":"Provider disconnected unexpectedly"},"choices":[{"index":0,"delta":{"content":""},"finish_reason":"error"}]})");
    EXPECT_TRUE(d.failed());
    EXPECT_EQ(d.error, "Provider disconnected unexpectedly");
    EXPECT_EQ(d.error_status, 0);
}

TEST(OpenAiStream, BothReasoningFieldsAreNotDoubled) {
    OpenAiStreamDecoder dec;
    StreamDelta d = decode(dec, R"({"choices":[{"index":0,"delta":{"reasoning_content":"abc","reasoning":"abc"}}]})");
    EXPECT_EQ(d.reasoning, "abc");
}

TEST(OpenAiStream, ContentAsArrayOfParts) {
    OpenAiStreamDecoder dec;
    StreamDelta d = decode(dec, R"({"choices":[{"delta":{"content":[{"type":"text","text":"a"},{"type":"image_url"},{"type":"text","text":"b"}]}}]})");
    EXPECT_EQ(d.content, "ab");
}

// ---- errors in the stream -----------------------------------------------------------------------

TEST(OpenAiStream, ErrorObjectWithNumericCode) {
    OpenAiStreamDecoder dec;
    StreamDelta d = decode(dec, R"({"error":{"message":"Rate limit exceeded","code":429,"metadata":{}}})");
    EXPECT_EQ(d.error, "Rate limit exceeded");
    EXPECT_EQ(d.error_status, 429);
}

TEST(OpenAiStream, ErrorObjectWithTypeOnly) {
    OpenAiStreamDecoder dec;
    StreamDelta d = decode(dec, R"({"error":{"type":"server_error","code":"overloaded"}})");
    EXPECT_EQ(d.error, "server_error");
}

TEST(OpenAiStream, ErrorAsString) {
    OpenAiStreamDecoder dec;
    StreamDelta d = decode(dec, R"({"error":"model 'llama9' not found"})");
    EXPECT_EQ(d.error, "model 'llama9' not found");
}

TEST(OpenAiStream, BareVllmErrorResponse) {
    OpenAiStreamDecoder dec;
    StreamDelta d = decode(dec, R"({"object":"error","message":"This model's maximum context length is 4096 tokens.","type":"BadRequestError","param":null,"code":400})");
    EXPECT_EQ(d.error, "This model's maximum context length is 4096 tokens.");
    EXPECT_EQ(d.error_status, 400);
}

TEST(OpenAiStream, ErrorNullIsNoError) {
    OpenAiStreamDecoder dec;
    StreamDelta d = decode(dec, R"({"error":null,"choices":[{"delta":{"content":"ok"}}]})");
    EXPECT_FALSE(d.failed());
    EXPECT_EQ(d.content, "ok");
}

TEST(OpenAiStream, MalformedDataFailsClearly) {
    OpenAiStreamDecoder dec;
    StreamDelta d;
    EXPECT_FALSE(dec.decode(R"({"choices":[{"delta":{"content":"a"})", d));
    EXPECT_NE(d.error.find("invalid JSON"), std::string::npos) << d.error;
    EXPECT_FALSE(dec.decode("", d));
    EXPECT_FALSE(dec.decode("42", d));
    EXPECT_NE(d.error.find("object"), std::string::npos) << d.error;
    // Wrong types inside a valid object are not fatal: nothing usable, nothing invented.
    EXPECT_TRUE(dec.decode(R"({"choices":{"0":1},"usage":5,"timings":[]})", d));
    EXPECT_TRUE(d.content.empty());
    EXPECT_FALSE(d.has_usage);
    EXPECT_FALSE(d.has_timings);
    EXPECT_TRUE(dec.decode(R"({"choices":[7,{"delta":{}}]})", d));
    EXPECT_TRUE(dec.decode(R"({"choices":[{"delta":{"content":5}}]})", d));
    EXPECT_TRUE(d.content.empty());
}

TEST(OpenAiStream, DecoderIsReusableAcrossManyChunks) {
    OpenAiStreamDecoder dec;
    std::string all;
    StreamDelta d;
    for (int i = 0; i < 3000; ++i) {
        std::string chunk = R"({"choices":[{"index":0,"delta":{"content":")" + std::to_string(i % 10) + R"("},"finish_reason":null}]})";
        ASSERT_TRUE(dec.decode(chunk, d));
        all += d.content;
    }
    EXPECT_EQ(all.size(), 3000u);
    EXPECT_EQ(all.substr(0, 12), "012345678901");
}

// ---- whole completions --------------------------------------------------------------------------

TEST(OpenAiCompletion, OpenAiCompletion) {
    OpenAiStreamDecoder dec;
    StreamDelta d;
    ASSERT_TRUE(dec.decode_completion(
        R"({"id":"chatcmpl-1","object":"chat.completion","created":1718000000,"model":"gpt-4o-mini","choices":[{"index":0,"message":{"role":"assistant","content":"Hello there!","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":8,"completion_tokens":3,"total_tokens":11}})",
        d));
    EXPECT_TRUE(d.done);
    EXPECT_EQ(d.content, "Hello there!");
    EXPECT_EQ(d.finish_reason, "stop");
    EXPECT_EQ(d.usage.completion_tokens, 3);
}

TEST(OpenAiCompletion, DeepSeekCompletionWithReasoning) {
    OpenAiStreamDecoder dec;
    StreamDelta d;
    ASSERT_TRUE(dec.decode_completion(
        R"({"id":"x","object":"chat.completion","model":"deepseek-reasoner","choices":[{"index":0,"message":{"role":"assistant","content":"42","reasoning_content":"Compute."},"finish_reason":"stop"}],"usage":{"prompt_tokens":5,"completion_tokens":9}})",
        d));
    EXPECT_EQ(d.content, "42");
    EXPECT_EQ(d.reasoning, "Compute.");
}

TEST(OpenAiCompletion, LlamaCppCompletionWithTimings) {
    OpenAiStreamDecoder dec;
    StreamDelta d;
    ASSERT_TRUE(dec.decode_completion(
        R"({"choices":[{"finish_reason":"length","index":0,"message":{"role":"assistant","content":"abc"}}],"created":1,"model":"m","object":"chat.completion","usage":{"completion_tokens":16,"prompt_tokens":4,"total_tokens":20},"timings":{"prompt_ms":1.5,"predicted_ms":80,"predicted_per_second":200}})",
        d));
    EXPECT_EQ(d.finish_reason, "length");
    ASSERT_TRUE(d.has_timings);
    EXPECT_DOUBLE_EQ(d.timings.predicted_per_second, 200);
}

TEST(OpenAiCompletion, ErrorBodyAndBadShapes) {
    OpenAiStreamDecoder dec;
    StreamDelta d;
    ASSERT_TRUE(dec.decode_completion(R"({"error":{"message":"Invalid API key","type":"invalid_request_error","code":"invalid_api_key"}})", d));
    EXPECT_EQ(d.error, "Invalid API key");
    EXPECT_FALSE(dec.decode_completion(R"({"choices":[]})", d));
    EXPECT_NE(d.error.find("no choices"), std::string::npos);
    EXPECT_FALSE(dec.decode_completion(R"({"choices":[{"message":"hi"}]})", d));
    EXPECT_NE(d.error.find("message"), std::string::npos);
    EXPECT_FALSE(dec.decode_completion("<html>", d));
    EXPECT_NE(d.error.find("invalid JSON"), std::string::npos);
}

// ---- error bodies -------------------------------------------------------------------------------

TEST(ErrorMessageFromBody, OpenAiErrorObject) {
    EXPECT_EQ(error_message_from_body(
                  R"({"error":{"message":"Invalid API key","type":"invalid_request_error","param":null,"code":"invalid_api_key"}})",
                  "application/json; charset=utf-8", 401),
              "HTTP 401: Invalid API key");
}

TEST(ErrorMessageFromBody, ErrorString) {
    EXPECT_EQ(error_message_from_body(R"({"error":"model \"x\" not found, try pulling it first"})",
                                      "application/json", 404),
              "HTTP 404: model \"x\" not found, try pulling it first");
}

TEST(ErrorMessageFromBody, MessageAndDetail) {
    EXPECT_EQ(error_message_from_body(R"({"message":"Too many requests"})", "application/json", 429),
              "HTTP 429: Too many requests");
    EXPECT_EQ(error_message_from_body(R"({"detail":"Not authenticated"})", "application/json", 403),
              "HTTP 403: Not authenticated");
    EXPECT_EQ(error_message_from_body(
                  R"({"detail":[{"loc":["body","messages"],"msg":"field required","type":"value_error.missing"}]})",
                  "application/json", 422),
              "HTTP 422: field required");
}

TEST(ErrorMessageFromBody, JsonWithoutContentType) {
    EXPECT_EQ(error_message_from_body(R"(  {"error":{"message":"Bad key"}} )", "", 401), "HTTP 401: Bad key");
}

TEST(ErrorMessageFromBody, UnknownJsonShapeShowsTheJson) {
    EXPECT_EQ(error_message_from_body(R"({"status":"bad"})", "application/json", 400), R"(HTTP 400: {"status":"bad"})");
}

TEST(ErrorMessageFromBody, HtmlTitle) {
    EXPECT_EQ(error_message_from_body(
                  "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n",
                  "text/html", 502),
              "HTTP 502: Bad Gateway");
    EXPECT_EQ(error_message_from_body("<HTML><HEAD><TITLE>Access &amp; Denied</TITLE></HEAD></HTML>", "text/html", 403),
              "HTTP 403: Access & Denied");
}

TEST(ErrorMessageFromBody, HtmlWithoutTitleStripsTagsScriptsAndStyles) {
    std::string msg = error_message_from_body(
        "<!DOCTYPE html><html><head><style>body{color:red}</style><script>var x = '<b>';</script></head>"
        "<body><h1>Service   Unavailable</h1>\n<p>The server is&nbsp;temporarily down &#8212; try later.</p></body></html>",
        "text/html; charset=UTF-8", 503);
    EXPECT_EQ(msg, "HTTP 503: Service Unavailable The server is temporarily down \xE2\x80\x94 try later.");
}

TEST(ErrorMessageFromBody, LongTextIsCutOnUtf8Boundary) {
    std::string body;
    for (int i = 0; i < 200; ++i) body += "错";  // 3 bytes each
    std::string msg = error_message_from_body(body, "text/plain", 500);
    ASSERT_EQ(msg.rfind("HTTP 500: ", 0), 0u);
    std::string text = msg.substr(10);
    EXPECT_LE(text.size(), 200u + 3);
    EXPECT_EQ(text.substr(text.size() - 3), "\xE2\x80\xA6");
    // Whole characters only before the ellipsis.
    EXPECT_EQ((text.size() - 3) % 3, 0u);
}

TEST(ErrorMessageFromBody, PlainTextCollapsesWhitespace) {
    EXPECT_EQ(error_message_from_body("upstream\n  connect error\tor disconnect", "text/plain", 503),
              "HTTP 503: upstream connect error or disconnect");
}

TEST(ErrorMessageFromBody, EmptyBodyGivesReasonPhrase) {
    EXPECT_EQ(error_message_from_body("", "", 401), "HTTP 401: Unauthorized");
    EXPECT_EQ(error_message_from_body("  \n", "text/html", 504), "HTTP 504: Gateway Timeout");
    EXPECT_EQ(error_message_from_body("", "", 599), "HTTP 599: Server Error");
}

TEST(ErrorMessageFromBody, BrokenInputNeverCrashes) {
    for (std::string_view body : {std::string_view("{"), std::string_view("<title>"), std::string_view("<title>x"),
                                  std::string_view("<script>"), std::string_view("&#xFFFFFFFFFF;"),
                                  std::string_view("&#0;&#xD800;&"), std::string_view("\xFF\xFE"),
                                  std::string_view("<<<>>>"), std::string_view("[1,2]")}) {
        std::string msg = error_message_from_body(body, "text/html", 500);
        EXPECT_EQ(msg.rfind("HTTP 500: ", 0), 0u) << msg;
    }
}

// ---- hostile input ------------------------------------------------------------------------------

TEST(OpenAiStream, EveryPrefixAndMutationIsHandled) {
    // Truncated and corrupted chunks (a proxy cutting a frame, a flipped byte) must give either a
    // decoded delta or a clear error, never a crash; the sanitizer build checks memory too.
    const std::string samples[] = {
        R"({"choices":[{"index":0,"delta":{"role":"assistant","content":"Hi \u4f60","reasoning_content":"r"},"finish_reason":null}],"usage":{"prompt_tokens":1,"completion_tokens":2},"timings":{"prompt_ms":1.5}})",
        R"({"error":{"message":"bad","code":429}})",
        R"({"object":"error","message":"m","code":400})",
        "[DONE]",
    };
    OpenAiStreamDecoder dec;
    StreamDelta d;
    uint32_t seed = 12345;
    auto next = [&seed] { return seed = seed * 1103515245u + 12345u, (seed >> 16) & 0x7fff; };
    for (const std::string& s : samples) {
        for (size_t n = 0; n <= s.size(); ++n) {
            bool ok = dec.decode(std::string_view(s).substr(0, n), d);
            EXPECT_TRUE(ok || !d.error.empty());
            ok = dec.decode_completion(std::string_view(s).substr(0, n), d);
            EXPECT_TRUE(ok || !d.error.empty());
        }
        for (int i = 0; i < 2000; ++i) {
            std::string m = s;
            for (int k = 0; k < 3; ++k) m[next() % m.size()] = static_cast<char>(next() & 0xff);
            bool ok = dec.decode(m, d);
            EXPECT_TRUE(ok || !d.error.empty());
            std::string msg = error_message_from_body(m, next() & 1 ? "text/html" : "application/json", 500);
            EXPECT_EQ(msg.rfind("HTTP 500: ", 0), 0u);
        }
    }
}

// ---- the fast path reads exactly like the general path ------------------------------------------

namespace {
void expect_same_as_general(std::string_view data) {
    OpenAiStreamDecoder fast, general;
    StreamDelta a, b;
    bool ok_a = fast.decode(data, a);
    bool ok_b = general.decode_general(data, b);
    EXPECT_EQ(ok_a, ok_b) << data;
    EXPECT_EQ(a.content, b.content) << data;
    EXPECT_EQ(a.reasoning, b.reasoning) << data;
    EXPECT_EQ(a.finish_reason, b.finish_reason) << data;
    EXPECT_EQ(a.error, b.error) << data;
    EXPECT_EQ(a.error_status, b.error_status) << data;
    EXPECT_EQ(a.has_usage, b.has_usage) << data;
    EXPECT_EQ(a.usage.prompt_tokens, b.usage.prompt_tokens) << data;
    EXPECT_EQ(a.usage.completion_tokens, b.usage.completion_tokens) << data;
    EXPECT_EQ(a.has_timings, b.has_timings) << data;
    EXPECT_EQ(a.timings.prompt_ms, b.timings.prompt_ms) << data;
    EXPECT_EQ(a.timings.predicted_ms, b.timings.predicted_ms) << data;
    EXPECT_EQ(a.timings.predicted_per_second, b.timings.predicted_per_second) << data;
    EXPECT_EQ(a.done, b.done) << data;
}
}  // namespace

TEST(OpenAiStream, FastPathMatchesGeneralPathOnAwkwardChunks) {
    using namespace std::string_literals;
    const std::string cases[] = {
        R"({"choices":[{"delta":{"content":"a"}}],"choices":[{"delta":{"content":"b"}}]})",  // duplicate: first wins
        R"({"choices":[{"delta":{"content":"a","content":"b"}}]})",
        R"({"usage":{"prompt_tokens":1,"prompt_tokens":2}})",
        R"({"choices":[{"delta":{"content":"x"}}],"error":{"message":"late error"}})",
        R"({"choices":[{"delta":{"content":"x"}}],"error":null})",
        R"({"choices":[{"delta":{"content":"x"}}],"error":false})",
        R"({"choices":[{"delta":{"content":"x"}}],"error":true})",
        R"({"choices":[{"delta":{"content":"x"}}],"error":[1]})",
        R"({"choices":[{"delta":{"content":"x"}}],"error":""})",
        R"({"choices":[{"delta":{"content":"x"}}],"object":"error","message":"m","code":503})",
        R"({"object":"chat.completion.chunk","choices":[{"delta":{"content":"\u0000\u00e9\ud83d\ude80"}}]})",
        R"({"choices":[{"delta":{"content":{"text":"obj"}}}]})",
        R"({"choices":[{"delta":{"content":["a",{"text":"b"}]}}]})",
        R"({"choices":[{"delta":{"reasoning_content":"","reasoning":"r"}}]})",
        R"({"choices":[{"delta":{"reasoning":"r","reasoning_content":"rc"}}]})",
        R"({"choices":[{"delta":{"reasoning":5,"reasoning_content":null}}]})",
        R"({"choices":[[],{"delta":{"content":"second"}}]})",
        R"({"choices":[{"delta":"text","finish_reason":7}]})",
        R"({"choices":[{"finish_reason":"stop","delta":{"content":"z"}},{"delta":{"content":"y"}}]})",
        R"({"usage":{"prompt_tokens":1.0,"completion_tokens":1.5}})",
        R"({"usage":{"prompt_tokens":-7,"completion_tokens":18446744073709551615}})",
        R"({"usage":{"prompt_tokens":9223372036854775807,"completion_tokens":1e300}})",
        R"({"usage":{"prompt_tokens":9000000000000001.0,"completion_tokens":-0.0}})",
        R"({"usage":null,"timings":{"prompt_ms":1e-400,"predicted_ms":-3,"predicted_per_second":12345678901234567890}})",
        R"({"usage":[],"timings":"x"})",
        R"({"choices":[{"delta":{"con\u0074ent":"escaped key"}}]})",
        R"({"a":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]],"choices":[{"delta":{"content":"deep"}}]})",
        R"({"choices":[{"delta":{"content":"x"}}]} )",
        R"({"choices":[{"delta":{"content":"x"}}]}x)",
        "{\"choices\":[{\"delta\":{\"content\":\"x\"}}]}\0"s,
        "{\"choices\":[{\"delta\":{\"content\":\"x\"}}]}\0{}"s,
        "{\"choices\":[{\"delta\":{\"content\":\"\xC3\x28\"}}]}",  // invalid UTF-8
        R"({"choices":[{"delta":{"content":"unterminated)",
        "\f{\"choices\":[{\"delta\":{\"content\":\"formfeed\"}}]}\v",
        "[DONE]", " [DONE] ", "", "null", "[]", "\"s\"", "{}",
        // What the scanner itself must get right: escapes, numbers, grammar, whitespace.
        R"({"choices":[{"delta":{"content":"\" \\ \/ \b \f \n \r \t \u00e9 \u4E2D \ud83d\ude80 \u0000 end"}}]})",
        R"({"choices":[{"delta":{"content":"lone \ud83d"}}]})",
        R"({"choices":[{"delta":{"content":"lone \ude80"}}]})",
        R"({"choices":[{"delta":{"content":"pair? \ud83d\u0041"}}]})",
        R"({"choices":[{"delta":{"content":"bad \x"}}]})",
        R"({"choices":[{"delta":{"content":"short \u12"}}]})",
        "{\"choices\":[{\"delta\":{\"content\":\"tab\tinside\"}}]}",
        R"({"usage":{"prompt_tokens":0123}})",
        R"({"usage":{"prompt_tokens":-0,"completion_tokens":123456789012345678}})",
        R"({"usage":{"prompt_tokens":-123456789012345678,"completion_tokens":1234567890123456789}})",
        R"({"usage":{"prompt_tokens":1.,"completion_tokens":2}})",
        R"({"usage":{"prompt_tokens":-,"completion_tokens":2}})",
        R"({"usage":{"prompt_tokens":1e5,"completion_tokens":2E-1}})",
        R"({"timings":{"prompt_ms":12,"predicted_ms":-4,"predicted_per_second":0}})",
        R"({"choices":[{"delta":{"content":"x"},}]})",
        R"({"choices":[{"delta":{"content":"x"}},]})",
        R"({"choices":[{"delta":{"content":"x"}}],})",
        R"({,"choices":[]})",
        R"({"choices" [] })",
        R"({"":1,"choices":[{"delta":{"content":"empty key"}}]})",
        " {\r\n\t\"choices\" : [ { \"delta\" : { \"content\" : \"spaced\" } , \"finish_reason\" : \"stop\" } ] } ",
        R"({"choices":[{"delta":{"content":"x"}}],"x":tru})",
        R"({"choices":[{"delta":{"content":"x"}}],"x":nul,"y":false})",
        R"({"choices":[{"delta":{"content":"x"}}],"x":[true,false,null,-1,{}]})",
        R"({"object":"\u0065rror","message":"escaped object value"})",
        R"({"object":"chat.completion.chunk","choices":[{"delta":{"content":"ok"}}]})",
        R"({"choices":[{"delta":{"reasoning_content":"\u00e9","reasoning":"r"}}]})",
        R"({"choices":[{"delta":{"reasoning":"only reasoning"}}]})",
        "{\"choices\":[{\"delta\":{\"content\":\"caf\xC3\xA9 \xF0\x9F\x98\x80\"}}]}",
        "{\"choices\":[{\"delta\":{\"content\":\"\xED\xA0\x80 surrogate bytes\"}}]}",
        "{\"choices\":[{\"delta\":{\"content\":\"\xC0\xAF overlong\"}}]}",
        "{\"x\":\xC3\xA9,\"choices\":[]}",
    };
    for (const std::string& c : cases) expect_same_as_general(c);
}

// RapidJSON 1.1 faults the JSON reader works around (found by tests/fuzz).
TEST(OpenAiStream, LoneSurrogateEscapesBecomeReplacementCharacters) {
    OpenAiStreamDecoder dec;
    StreamDelta d = decode(dec, R"({"choices":[{"delta":{"content":"a\udc80b\ud83dc\ud83d\ude00"}}]})");
    EXPECT_EQ(d.content, "a\xEF\xBF\xBD" "b\xEF\xBF\xBD" "c\xF0\x9F\x98\x80");
    d = decode(dec, R"({"choices":[{"delta":{"content":"\\udc80 is text"}}]})");
    EXPECT_EQ(d.content, "\\udc80 is text");
    // A truncated UTF-8 sequence at the very end must fail cleanly (ASan checks the reads).
    StreamDelta bad;
    EXPECT_FALSE(dec.decode_general("\"\xF0", bad));
    EXPECT_FALSE(dec.decode_general("{\"a\":\"\xF4\x8F", bad));
}

TEST(OpenAiStream, ZeroWithExponentIsZero) {
    OpenAiStreamDecoder dec;
    StreamDelta d = decode(dec, R"({"timings":{"prompt_ms":0e88,"predicted_ms":-0.0E-30,"predicted_per_second":0e400},"x":"0e88"})");
    EXPECT_EQ(d.timings.prompt_ms, 0);
    EXPECT_EQ(d.timings.predicted_ms, 0);
    EXPECT_EQ(d.timings.predicted_per_second, 0);
    d = decode(dec, R"({"timings":{"prompt_ms":0.000000000000000000000000,"predicted_ms":10.000e5,"predicted_per_second":0.5e1}})");
    EXPECT_EQ(d.timings.prompt_ms, 0);
    EXPECT_EQ(d.timings.predicted_ms, 1e6);
    EXPECT_EQ(d.timings.predicted_per_second, 5);
    StreamDelta bad;
    EXPECT_FALSE(dec.decode(R"({"timings":{"prompt_ms":0e}})", bad));
    EXPECT_FALSE(dec.decode(R"({"timings":{"prompt_ms":0.}})", bad));
    EXPECT_FALSE(dec.decode(R"({"timings":{"prompt_ms":00e5}})", bad));
    // Absurdly long numbers are refused (RapidJSON's conversion misbehaves on some of them).
    EXPECT_FALSE(dec.decode(R"({"timings":{"prompt_ms":0.)" + std::string(350, '0') + "5}}", bad));
    EXPECT_NE(bad.error.find("number longer than"), std::string::npos) << bad.error;
    EXPECT_TRUE(dec.decode(R"({"timings":{"prompt_ms":1.)" + std::string(90, '0') + "5}}", bad));
    EXPECT_EQ(bad.timings.prompt_ms, 1);
}
