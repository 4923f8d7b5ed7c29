// chat_session: turns the user's intents (send, stop, regenerate, retry, edit, resume) into
// requests, and the replies' events into changes of a Conversation.
// Two paths, chosen by settings.endpoint:
//   BuiltIn  serve.py's own API (its demo model, or its proxy to a real model):
//            POST {server}/api/chat → {"id"} → EventSource on {server}/api/chat/<id>/stream.
//            The stream survives drops (Last-Event-ID, ?last_event_id=) and page reloads: the
//            reply's id and last event id are kept in the Message, and resume() reattaches.
//   Direct   an OpenAI-compatible base URL: POST {base}/chat/completions as a streamed fetch
//            (Authorization: Bearer key). A break keeps the partial text: Interrupted, Retry.
// Network callbacks update the conversation and call request_frame; they never draw.
// One request at a time per session: intents return false while one is in flight or when they
// do not apply (the UI greys their buttons out with the same checks).
// Portable: no Emscripten here; the transports come in through `Network` (net/transport.h).
#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/conversation.h"
#include "core/openai_protocol.h"
#include "core/think_tags.h"
#include "net/transport.h"

namespace imchat {

enum class EndpointKind : uint8_t {
    BuiltIn,  // serve.py's /api/chat (demo model or proxy)
    Direct,   // an OpenAI-compatible server, straight from the page (it must allow CORS)
    PlainSse, // a GET event stream of bare text `data:` lines (core/plain_sse.h)
};

struct SessionSettings {
    EndpointKind endpoint = EndpointKind::BuiltIn;
    // Where serve.py's API lives: "" for the page's own origin (relative URLs); an absolute
    // "http://host:port" under Node, where relative URLs mean nothing.
    std::string server_url;
    // Direct: the API base, e.g. "http://127.0.0.1:8080/v1" (…/chat/completions is appended).
    std::string base_url;
    std::string api_key;       // Direct: sent as "Authorization: Bearer <key>" when non-empty
    // PlainSse: the stream's URL; {prompt} becomes the prompt (else ?prompt= is appended). A path
    // starting with '/' is on server_url's origin.
    std::string plain_url = "/chat/stream?prompt={prompt}";
    std::string model = "imchat-demo";  // serve.py's demo model (servers require a model)
    std::string system_prompt;
    std::optional<double> temperature, top_p;
    std::optional<int> max_tokens;
    // > 0: the user chose to drop the oldest turns so the prompt fits this many tokens.
    int64_t fit_to_tokens = 0;
    double stall_timeout_ms = 45000;  // BuiltIn: no event for this long → reconnect; Direct: no byte
                                      // of the body for this long → Interrupted
    int max_retries = 5;              // BuiltIn: hard failures in a row before giving up
    double retry_backoff_ms = 500;    // BuiltIn: first reconnect delay after a hard failure
};

class ChatSession : private TransportHandler {
public:
    using Clock = std::function<double()>;

    // The session keeps references to conversation and network: both must outlive it.
    ChatSession(Conversation& conversation, Network& network, Clock now_ms,
                std::function<void()> request_frame);
    ~ChatSession() override;
    ChatSession(const ChatSession&) = delete;
    ChatSession& operator=(const ChatSession&) = delete;

    SessionSettings settings;  // read when a request starts

    // Adds the user's message after the active leaf and an assistant reply under it (Waiting),
    // and starts the request. False for empty text or while streaming.
    bool send(std::string_view text);
    // Stops the reply in flight, keeping its text (Stopped). BuiltIn also tells the server
    // (POST /api/chat/<id>/stop) so it stops generating; Direct aborts the fetch.
    void stop();
    // A new sibling reply for the same user message (the old one is kept as a branch).
    bool regenerate(uint32_t assistant_id);
    // Tries a Failed/Interrupted reply again (0 = the active leaf). A BuiltIn reply the server
    // still has is resumed where it broke; otherwise the reply is cleared and asked again.
    bool retry(uint32_t assistant_id = 0);
    // A sibling of the user message with new text, and a fresh reply under it.
    bool edit_and_resend(uint32_t user_id, std::string new_text);
    // Reattaches a BuiltIn reply loaded from storage (reply_id + last_event_id kept in the
    // Message) to its stream with ?last_event_id=. If the server no longer has it (404), the
    // message becomes Interrupted, keeping its text.
    bool resume(uint32_t assistant_id);
    // After loading a conversation from storage: replies left Waiting/Streaming by a closed page
    // are settled. The active leaf is resumed when the server may still have it; any other is
    // marked Interrupted ("the page was closed while this reply was streaming"), text kept.
    // Returns true when a resume started.
    bool resume_after_load();

    // Asks for the model list (BuiltIn: {server}/v1/models, Direct: {base}/models) and calls
    // done(ids, "") or done({}, error) later. Does not disturb a reply in flight.
    using ModelsCallback = std::function<void(std::vector<std::string> ids, std::string error)>;
    void list_models(ModelsCallback done);

    bool streaming() const { return reply_ != 0; }
    uint32_t streaming_reply() const { return reply_; }  // the reply being written, 0 if none
    // One line for the status bar: "connecting", "streaming", "done", "stopped",
    // "reconnecting (attempt 2)", "failed: HTTP 429: …", …
    const std::string& status_line() const { return status_line_; }
    // The endpoint changed: a failure reported by the old one no longer describes this session.
    void forget_failure();
    const std::string& last_error() const { return last_error_; }  // "" after a success
    int reconnects() const { return reconnects_; }
    // The Retry-After (seconds) of the last failure, -1 when it had none (429 and 503 send one).
    int last_retry_after_seconds() const { return last_retry_after_; }  // reconnect attempts seen (all replies)
    int skipped_events() const { return skipped_events_; }  // undecodable events skipped (all replies)

    Conversation& conversation() { return conversation_; }
    const Conversation& conversation() const { return conversation_; }

    // The message that "resume"/"retry" would act on: true when id is a reply with a stream the
    // server may still have (BuiltIn reply_id, not Done/Stopped).
    bool can_resume(uint32_t assistant_id) const;

private:
    enum class Stage : uint8_t { Idle, Posting, Streaming };

    void start_reply(uint32_t reply);  // the request for a reply in Waiting state
    void start_builtin(uint32_t reply);
    void start_direct(uint32_t reply);
    // A GET of settings.plain_url; resume: again after a break, from the message's last event id.
    void start_plain(uint32_t reply, bool resume);
    void open_builtin_stream(uint32_t reply, const std::string& last_event_id);
    void apply(StreamDelta& delta);
    void flush_think_splitter(StreamDelta& delta);
    // http_status: the server's status when it answered with an error (kept on the message: a
    // refused prompt is left out of later requests), 0 otherwise.
    void fail_reply(std::string error, bool force_interrupted = false, int http_status = 0);
    void end_request(std::string status_line);  // drops the stream; the session is idle again
    void post_stop(const std::string& reply_id);
    void set_status_line(std::string text);
    std::string builtin_url(std::string_view path) const;

    // TransportHandler (the current stream only: older ones are aborted before a new one opens)
    void on_open(int http_status) override;
    void on_event(std::string_view type, std::string_view data, std::string_view id) override;
    void on_reconnecting(int attempt) override;
    void on_error(const TransportError& error) override;
    void on_done() override;

    Conversation& conversation_;
    Network& network_;
    Clock now_ms_;
    std::function<void()> request_frame_;

    uint32_t reply_ = 0;          // the reply in flight, 0 when idle
    EndpointKind path_ = EndpointKind::BuiltIn;  // the path of the request in flight
    bool resuming_ = false;       // the stream in flight reattaches a stored reply
    bool split_think_ = true;     // run content through think_splitter_ (not for a resumed tail)
    std::unique_ptr<Transport> stream_;  // the reply's stream
    // Plain requests (POST /api/chat, …/stop) by key; each removes itself when it answers, so
    // a Stop pressed before POST /api/chat answered can still tell the server once it does.
    std::map<uint32_t, std::unique_ptr<Transport>> calls_;
    uint32_t next_call_ = 1;
    std::unique_ptr<OpenAiStreamDecoder> openai_decoder_;
    ThinkTagSplitter think_splitter_;
    StreamDelta delta_;           // reused for every event
    std::string status_line_ = "ready";
    std::string last_error_;
    int reconnects_ = 0;
    int last_retry_after_ = -1;
    int skipped_events_ = 0;
    int skipped_this_reply_ = 0;  // shown in the status line when the reply ends
    int plain_reconnects_ = 0;    // PlainSse: breaks resumed in a row, up to settings.max_retries
};

}  // namespace imchat
