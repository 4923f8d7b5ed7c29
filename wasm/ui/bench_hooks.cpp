#include "ui/bench_hooks.h"

#include <emscripten/emscripten.h>
#include <emscripten/heap.h>
#include <malloc.h>

#include <memory>
#include <string>
#include <vector>

#include "core/bench_document.h"
#include "core/json_util.h"
#include "core/openai_protocol.h"
#include "core/sse_parser.h"
#include "net/browser_network.h"
#include "platform/platform.h"
#include "ui/a11y_twins.h"
#include "ui/chat_app.h"

// The benchmark intents (bench/browser/run.mjs drives them through window.imchat.act):
//   bench_stream  N   the conversation becomes one prompt and a streaming reply of N KB: a mixed
//                     document (paragraphs, lists, tables, Chinese, code) whose last fifth is a
//                     still-open code fence
//   bench_token   i   token i arrives: its OpenAI chunk goes through our SSE parser and JSON
//                     decoder into the conversation, as from the network (no frame is drawn)
//   bench_history N   the conversation becomes N finished messages of mixed markdown
//   bench_scroll  f   the transcript scrolls to the message at fraction f (0..1) of the history
//   bench_fetch   P   streams POST http://127.0.0.1:P/v1/chat/completions through our fetch
//                     transport, SSE parser and JSON decoder, counting (not showing) the events
// imchat_bench_result() answers with JSON: the reply's text and tokens after bench_stream, layout
// and heap figures, the fetch run's counts.
namespace imchat::ui {
namespace {

const char* const kPrompts[] = {
    "Can you explain how this works, with an example?",
    "请用中文解释一下这个函数的作用，并给出一个例子。",
    "Write a small Python function that parses the table above and sums the values.",
    "What are the trade-offs here? Keep it short.",
};

// Tokens as a model streams code: words with their leading spaces, newlines on their own.
std::vector<std::string> make_tokens()
{
    std::vector<std::string> tokens;
    for (size_t l = 0; l < bench::code_line_count(); l++) {
        std::string_view s = bench::code_line(l);
        size_t i = 0;
        while (i < s.size()) {
            size_t j = i;
            while (j < s.size() && s[j] == ' ')
                j++;
            while (j < s.size() && s[j] != ' ' && s[j] != '\n' && j - i < 6)
                j++;
            if (j == i)
                j++;  // the newline
            tokens.emplace_back(s.substr(i, j - i));
            i = j;
        }
    }
    return tokens;
}

// One OpenAI chat.completion.chunk event carrying `token`, as bytes on the wire.
std::string chunk_event(std::string_view token)
{
    rapidjson::StringBuffer buffer;
    json::Writer w(buffer);
    w.StartObject();
    w.Key("id"), w.String("chatcmpl-bench");
    w.Key("object"), w.String("chat.completion.chunk");
    w.Key("created"), w.Int(1700000000);
    w.Key("model"), w.String("bench");
    w.Key("choices"), w.StartArray(), w.StartObject();
    w.Key("index"), w.Int(0);
    w.Key("delta"), w.StartObject(), w.Key("content");
    json::write_string(w, token);
    w.EndObject();
    w.Key("finish_reason"), w.Null();
    w.EndObject(), w.EndArray();
    w.EndObject();
    return "data: " + std::string(buffer.GetString(), buffer.GetSize()) + "\n\n";
}

// A finished message of the synthetic history: prompts are short, replies about 850 bytes
// (so 10 000 messages are about 5 MB).
std::string history_text(size_t i)
{
    if (i % 2 == 0)
        return kPrompts[(i / 2) % (sizeof kPrompts / sizeof *kPrompts)];
    std::string text;
    for (size_t k = i; text.size() < 800; k++)
        text += bench::section(k);
    return text;
}

// Counts what our fetch transport delivers, decoding each event as the session would.
struct FetchCounter : TransportHandler {
    OpenAiStreamDecoder decoder;
    StreamDelta delta;
    double start_ms = 0, end_ms = 0;
    long long events = 0, content_bytes = 0, bad = 0;
    bool finished = false;
    std::string error;

    void on_event(std::string_view, std::string_view data, std::string_view) override
    {
        if (!decoder.decode(data, delta)) {
            bad++;
            return;
        }
        events++;
        content_bytes += static_cast<long long>(delta.content.size());
    }
    void on_error(const TransportError& e) override { finish(e.message); }
    void on_done() override { finish(""); }
    void finish(std::string e)
    {
        end_ms = platform::now_ms();
        error = std::move(e);
        finished = true;
    }
};

struct BenchState {
    uint32_t reply = 0;
    std::vector<std::string> tokens;
    std::vector<std::string> events;
    SseParser parser;
    OpenAiStreamDecoder decoder;
    StreamDelta delta;
    Conversation* conversation = nullptr;
    std::unique_ptr<FetchCounter> fetch;
    std::unique_ptr<Transport> fetch_stream;
    ChatApp* app = nullptr;
    std::string result;
};

BenchState& bench()
{
    static BenchState s;
    return s;
}

void on_token_event(void* user, const SseEvent& event)
{
    BenchState& b = *static_cast<BenchState*>(user);
    if (b.decoder.decode(event.data, b.delta))
        b.conversation->apply(b.reply, b.delta, platform::now_ms());
}

void reset_conversation(ChatApp& app)
{
    app.conversation().clear();
    app.transcript().clear();
    bench().reply = 0;
}

}  // namespace

bool bench_act(ChatApp& app, std::string_view name, double arg)
{
    BenchState& b = bench();
    b.app = &app;
    b.conversation = &app.conversation();
    Conversation& conv = app.conversation();
    if (name == "bench_stream") {
        reset_conversation(app);
        uint32_t prompt = conv.add(0, Role::User, "Write a long answer with code.");
        b.reply = conv.add_reply(prompt, "bench", platform::now_ms());
        StreamDelta first;
        first.content = bench::document_with_open_fence(static_cast<size_t>(arg * 1024));
        conv.apply(b.reply, first, platform::now_ms());
        if (b.tokens.empty()) {
            b.tokens = make_tokens();
            for (const std::string& t : b.tokens)
                b.events.push_back(chunk_event(t));
        }
        b.parser = SseParser();
        app.transcript().follow_bottom();
    } else if (name == "bench_a11y_interval") {
        TranscriptMirror::live_interval_ms = arg;  // ms between writes of the live reply's mirror
    } else if (name == "bench_token") {
        if (!b.reply || b.events.empty())
            return true;
        const std::string& e = b.events[static_cast<size_t>(arg) % b.events.size()];
        b.parser.feed(e, on_token_event, &b);
    } else if (name == "bench_history") {
        reset_conversation(app);
        uint32_t parent = 0;
        for (size_t i = 0; i < static_cast<size_t>(arg); i++)
            parent = conv.add(parent, i % 2 ? Role::Assistant : Role::User, history_text(i));
    } else if (name == "bench_scroll") {
        std::vector<uint32_t> path = conv.active_path();
        if (!path.empty()) {
            size_t i = static_cast<size_t>(arg * static_cast<double>(path.size() - 1) + 0.5);
            app.transcript().scroll_to(path[i < path.size() ? i : path.size() - 1]);
        }
    } else if (name == "bench_fetch") {
        b.fetch_stream.reset();
        b.fetch = std::make_unique<FetchCounter>();
        b.fetch->start_ms = platform::now_ms();
        std::string url = "http://127.0.0.1:" + std::to_string(static_cast<int>(arg)) + "/v1/chat/completions";
        b.fetch_stream = browser_network().open_fetch_stream(
            url, R"({"model":"bench","stream":true,"messages":[{"role":"user","content":"go"}]})",
            {{"Content-Type", "application/json"}}, b.fetch.get());
    } else {
        return false;
    }
    platform::request_frame();
    return true;
}

}  // namespace imchat::ui

// The figures of the last bench intents as JSON (bench/browser/run.mjs reads them).
extern "C" EMSCRIPTEN_KEEPALIVE const char* imchat_bench_result(int with_text)
{
    using namespace imchat;
    ui::BenchState& b = ui::bench();
    rapidjson::StringBuffer buffer;
    json::Writer w(buffer);
    w.StartObject();
    struct mallinfo mi = mallinfo();
    w.Key("heapBytes"), w.Uint64(emscripten_get_heap_size());
    w.Key("mallocUsedBytes"), w.Uint64(static_cast<uint64_t>(mi.uordblks));
    if (b.app) {
        size_t text_bytes = 0;
        for (const Message& m : b.app->conversation().messages())
            text_bytes += m.text.size();
        w.Key("messages"), w.Uint64(b.app->conversation().size());
        w.Key("textBytes"), w.Uint64(text_bytes);
        w.Key("layoutPending"), w.Bool(b.app->transcript().more_layout_pending());
        w.Key("laidOutLastFrame"), w.Uint64(b.app->transcript().laid_out_last_frame());
        w.Key("drawnLastFrame"), w.Uint64(b.app->transcript().drawn_last_frame());
        w.Key("a11yMs"), w.Double(ui::a11y_ms_spent());
    }
    if (with_text && b.reply && b.conversation) {
        w.Key("text");
        json::write_string(w, b.conversation->find(b.reply)->text);
        w.Key("tokens"), w.StartArray();
        for (const std::string& t : b.tokens)
            json::write_string(w, t);
        w.EndArray();
    }
    if (b.fetch) {
        w.Key("fetch"), w.StartObject();
        w.Key("finished"), w.Bool(b.fetch->finished);
        w.Key("events"), w.Int64(b.fetch->events);
        w.Key("contentBytes"), w.Int64(b.fetch->content_bytes);
        w.Key("undecodable"), w.Int64(b.fetch->bad);
        w.Key("ms"), w.Double(b.fetch->finished ? b.fetch->end_ms - b.fetch->start_ms : -1);
        w.Key("error"), w.String(b.fetch->error.c_str());
        w.EndObject();
    }
    w.EndObject();
    b.result.assign(buffer.GetString(), buffer.GetSize());
    return b.result.c_str();
}
