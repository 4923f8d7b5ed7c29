// transport: one C++ interface over the two ways a reply streams into the page.
//   EventSource (GET, resumable by event id, reconnects by itself)
//   streamed fetch (POST with a JSON body and headers, read through a ReadableStream)
// Both deliver SSE events; the second runs our own SseParser over the body's bytes.
// This header is portable (no Emscripten): the chat session codes against `Network`, so a test
// or another platform can hand it different transports. The browser's are in browser_network.h.
#pragma once
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace imchat {

struct TransportError {
    int http_status = 0;          // 0 when no HTTP reply was had (network, CORS, abort, parse)
    int retry_after_seconds = -1; // from Retry-After on 429/503, -1 when absent
    bool retryable = false;       // a later attempt may succeed (network drop, 429, 503)
    std::string message;          // plain words for the status line
};

// What a transport tells its owner. Calls arrive from browser callbacks, never from a frame.
// The owner may abort or even destroy the transport from inside any of these calls (transports
// keep their own state alive until the call returns); the handler itself must stay alive.
struct TransportHandler {
    virtual ~TransportHandler() = default;
    virtual void on_open(int http_status) {}
    virtual void on_event(std::string_view type, std::string_view data, std::string_view id) = 0;
    // The connection broke and the transport is trying again (1-based attempt number).
    virtual void on_reconnecting(int attempt) {}
    virtual void on_error(const TransportError& error) = 0;  // final: no more calls follow
    // The body ended cleanly (fetch), or the server said the stream has nothing more (EventSource:
    // HTTP 204). Final too.
    virtual void on_done() = 0;
};

struct Header {
    std::string name;
    std::string value;
};

class Transport {
public:
    virtual ~Transport() = default;
    // Stops the stream; no handler call follows. Safe to call more than once.
    virtual void abort() = 0;
};

struct EventSourceOptions {
    // Named events to listen for besides "message" (EventSource only delivers names it is told).
    std::vector<std::string> event_names = {"done", "fail", "ping", "tool_call"};
    // The stall rule: no event (pings count) for this long → close and open a new EventSource
    // that resumes with ?last_event_id=. Servers ping every ~15 s, so 45 s means "dead".
    double stall_ms = 45000;
    // Hard failures (EventSource gave up, or a stall) in a row before the error is final.
    int max_retries = 5;
    double backoff_ms = 500;       // first retry delay after a hard failure; doubles each time
    double max_backoff_ms = 10000;
};

// A whole (non-streamed) HTTP reply. status 0: no reply at all, see error.
struct HttpResponse {
    int status = 0;
    std::string content_type;
    std::string body;
    int retry_after_seconds = -1;
    TransportError error;  // set (message non-empty) when the request failed
    bool ok() const { return error.message.empty() && status >= 200 && status < 300; }
};
using HttpCallback = std::function<void(const HttpResponse&)>;

// The transports a session can open. Every call returns at once; results arrive later through
// the handler or callback. Dropping (or aborting) the returned object cancels the request and
// guarantees no later call into the handler or callback.
class Network {
public:
    virtual ~Network() = default;
    // GET url as an EventSource. A non-empty last_event_id resumes: ?last_event_id=<id> is
    // appended (the constructor cannot set Last-Event-ID; native reconnects send the header).
    virtual std::unique_ptr<Transport> open_event_source(std::string url, std::string last_event_id,
                                                         const EventSourceOptions& options,
                                                         TransportHandler* handler) = 0;
    // POST body (JSON) to url (an empty body: GET it) and read the reply as an event stream.
    // stall_ms > 0: no byte for
    // that long (comments count) ends the stream with a retryable error.
    virtual std::unique_ptr<Transport> open_fetch_stream(std::string url, std::string body,
                                                         std::vector<Header> headers,
                                                         TransportHandler* handler, double stall_ms = 0) = 0;
    // A plain request whose whole reply is handed to callback (method "GET", "POST", ...).
    virtual std::unique_ptr<Transport> fetch_json(std::string url, std::string method, std::string body,
                                                  std::vector<Header> headers, HttpCallback callback) = 0;
};

// Helpers shared by the transports (portable, in transport.cpp).
// "https://host:port" of an absolute http(s) URL, "" for a relative or unusable one.
std::string url_origin(std::string_view url);
// true for an absolute http:// or https:// URL with a host, or a path starting with '/'.
bool url_is_usable(std::string_view url);
// url with `name=value` appended as a query parameter (value percent-encoded).
std::string url_with_query(std::string_view url, std::string_view name, std::string_view value);
// Retry-After: delta-seconds, or an HTTP-date turned into seconds from now (clamped at 0).
// -1 when empty or unreadable. now_unix_ms is the wall clock (dates are absolute).
int parse_retry_after(std::string_view value, double now_unix_ms);
// "text/event-stream; charset=utf-8" → "text/event-stream" (lower case, no parameters).
std::string media_type(std::string_view content_type);

}  // namespace imchat
