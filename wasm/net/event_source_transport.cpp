#include "net/event_source_transport.h"

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <algorithm>
#include <cmath>

#include "core/sse_parser.h"
#include "net/js_callbacks.h"
#include "net/transport_errors.h"

namespace imchat {
using emscripten::val;

namespace {

constexpr int kConnecting = 0, kClosed = 2;  // EventSource.readyState

struct EventSourceStream {
    uint32_t handle = 0;
    TransportHandler* handler = nullptr;
    std::string url;             // as given, without our last_event_id parameter
    std::string last_event_id;   // latest id seen (or the one to resume from)
    EventSourceOptions options;
    val source = val::undefined();       // the current EventSource
    val probe_abort = val::undefined();  // AbortController of a probe in flight
    bool closed = false;
    int attempt = 0;             // failures in a row since the last event
    double last_activity_ms = 0;
    uint32_t stall_timer = 0, retry_timer = 0;
    int probe_status = 0;        // a probe's reply, kept while its body is read
    std::string probe_content_type;
};

HandleTable<EventSourceStream>& streams() {
    static HandleTable<EventSourceStream> table;
    return table;
}

std::string resume_url(const EventSourceStream& s) {
    return s.last_event_id.empty() ? s.url : url_with_query(s.url, "last_event_id", s.last_event_id);
}

void close_source(EventSourceStream& s) {
    if (!s.source.isUndefined()) {
        s.source.call<void>("close");
        s.source = val::undefined();
    }
    if (!s.probe_abort.isUndefined()) {
        s.probe_abort.call<void>("abort");
        s.probe_abort = val::undefined();
    }
    cancel_timer(s.stall_timer);
    cancel_timer(s.retry_timer);
    s.stall_timer = s.retry_timer = 0;
}

// Ends the stream for good and tells the handler, which must be the last thing touched.
void fail(EventSourceStream& s, TransportError error) {
    if (s.closed) return;
    close_source(s);
    s.closed = true;
    streams().remove(s.handle);
    s.handler->on_error(error);
}

void open_source(EventSourceStream& s);

void arm_stall_timer(EventSourceStream& s, double delay_ms) {
    uint32_t handle = s.handle;
    s.stall_timer = start_timer(delay_ms, [handle] {
        std::shared_ptr<EventSourceStream> s = streams().find(handle);
        if (!s) return;
        s->stall_timer = 0;
        double quiet = monotonic_ms() - s->last_activity_ms;
        if (quiet < s->options.stall_ms) {
            arm_stall_timer(*s, s->options.stall_ms - quiet);
            return;
        }
        close_source(*s);
        if (++s->attempt > s->options.max_retries) {
            TransportError error;
            error.retryable = true;
            error.message = "the server stopped sending (no event for " +
                            std::to_string(static_cast<int>(std::lround(s->options.stall_ms / 1000))) + " s)";
            fail(*s, error);
            return;
        }
        open_source(*s);  // at once: a stall is not the server refusing us
        s->handler->on_reconnecting(s->attempt);
    });
}

// A new EventSource after `delay_ms`, resuming from the last id seen.
void reopen_later(EventSourceStream& s, double delay_ms) {
    cancel_timer(s.stall_timer);  // nothing to watch while we wait
    s.stall_timer = 0;
    cancel_timer(s.retry_timer);
    uint32_t handle = s.handle;
    s.retry_timer = start_timer(delay_ms, [handle] {
        std::shared_ptr<EventSourceStream> s = streams().find(handle);
        if (!s) return;
        s->retry_timer = 0;
        open_source(*s);
    });
    s.handler->on_reconnecting(s.attempt);
}

double backoff_ms(const EventSourceStream& s) {
    double delay = s.options.backoff_ms * std::pow(2.0, std::max(0, s.attempt - 1));
    return std::min(delay, s.options.max_backoff_ms);
}

void open_source(EventSourceStream& s) {
    if (!s.source.isUndefined()) s.source.call<void>("close");  // never two at once
    s.source = val::global("EventSource").new_(resume_url(s));
    s.source.call<void>("addEventListener", std::string("open"), bound_callback("imchat_es_open", s.handle));
    s.source.call<void>("addEventListener", std::string("error"), bound_callback("imchat_es_error", s.handle));
    val on_event = bound_callback("imchat_es_event", s.handle);
    s.source.call<void>("addEventListener", std::string("message"), on_event);
    for (const std::string& name : s.options.event_names)
        s.source.call<void>("addEventListener", name, on_event);
    s.last_activity_ms = monotonic_ms();
    cancel_timer(s.stall_timer);
    arm_stall_timer(s, s.options.stall_ms);
}

// Why did the EventSource give up? Ask the same URL with fetch and look at the reply.
void probe(EventSourceStream& s) {
    s.probe_abort = val::global("AbortController").new_();
    val init = val::object();
    init.set("signal", s.probe_abort["signal"]);
    val headers = val::object();
    headers.set("Accept", std::string("text/event-stream"));
    init.set("headers", headers);
    val::global("fetch")(resume_url(s), init)
        .call<val>("then", bound_callback("imchat_es_probe_reply", s.handle),
                   bound_callback("imchat_es_probe_rejected", s.handle));
}

void on_open(uint32_t handle, val) {
    std::shared_ptr<EventSourceStream> s = streams().find(handle);
    if (!s) return;
    s->last_activity_ms = monotonic_ms();
    s->handler->on_open(200);
}

void on_event(uint32_t handle, val event) {
    std::shared_ptr<EventSourceStream> s = streams().find(handle);
    if (!s) return;
    s->last_activity_ms = monotonic_ms();
    s->attempt = 0;
    std::string id = js_string_or(event["lastEventId"]);
    if (!id.empty()) s->last_event_id = id;
    std::string type = js_string_or(event["type"], "message");
    // The browser has buffered the event already; do not copy a huge one into wasm memory too.
    // Same cap (and words) as the fetch path's SseParser.
    val js_data = event["data"];
    if (js_data.isString() && js_data["length"].as<double>() > SseParser::kDefaultMaxEventBytes) {
        TransportError error;
        error.message = "the event stream is malformed: event larger than " +
                        std::to_string(SseParser::kDefaultMaxEventBytes) + " bytes";
        fail(*s, error);
        return;
    }
    std::string data = js_string_or(js_data);
    s->handler->on_event(type, data, s->last_event_id);
}

void on_error(uint32_t handle, val) {
    std::shared_ptr<EventSourceStream> s = streams().find(handle);
    if (!s || s->source.isUndefined()) return;
    int state = s->source["readyState"].as<int>();
    if (state == kConnecting) {
        if (++s->attempt > s->options.max_retries) {
            TransportError error;
            error.retryable = true;
            error.message = "the connection to the server keeps breaking";
            fail(*s, error);
            return;
        }
        // The object would reconnect by itself, but only after the server's retry: (serve.py
        // sends 1 s), a pause on every drop. The first retry after a drop goes at once, with a
        // new object resuming from the last id; only a second failure in a row (no event in
        // between) is left to the object's own delay, the server's back-off.
        if (s->attempt == 1) open_source(*s);
        s->handler->on_reconnecting(s->attempt);
        return;
    }
    if (state != kClosed) return;
    s->source.call<void>("close");
    s->source = val::undefined();
    if (++s->attempt > s->options.max_retries) {
        TransportError error;
        error.retryable = true;
        error.message = "the server keeps refusing the stream";
        fail(*s, error);
        return;
    }
    probe(*s);
}

void on_probe_reply(uint32_t handle, val response) {
    std::shared_ptr<EventSourceStream> s = streams().find(handle);
    if (!s) return;
    int status = response["status"].as<int>();
    std::string content_type = js_string_or(response["headers"].call<val>("get", std::string("content-type")));
    bool is_stream = media_type(content_type) == "text/event-stream";
    if (status == 204) {
        // The server has nothing more for this id: the reply ended and was read to its end.
        s->probe_abort = val::undefined();
        close_source(*s);
        s->closed = true;
        streams().remove(s->handle);
        s->handler->on_done();
        return;
    }
    if (status >= 200 && status < 300 && is_stream) {
        s->probe_abort.call<void>("abort");  // the stream works now: let a new EventSource have it
        s->probe_abort = val::undefined();
        reopen_later(*s, s->attempt <= 1 ? 0.0 : backoff_ms(*s));  // the first retry: at once
        return;
    }
    if (status == 408 || status == 429 || status >= 500) {
        int retry_after = parse_retry_after(
            js_string_or(response["headers"].call<val>("get", std::string("retry-after"))), wall_clock_ms());
        s->probe_abort.call<void>("abort");
        s->probe_abort = val::undefined();
        double delay = backoff_ms(*s);
        if (retry_after >= 0) delay = std::max(delay, retry_after * 1000.0);
        reopen_later(*s, delay);
        return;
    }
    // Final: read the body for the server's own words.
    s->probe_status = status;
    s->probe_content_type = content_type;
    s->probe_abort = val::undefined();
    response.call<val>("text").call<val>("then", bound_callback("imchat_es_probe_body", handle),
                                         bound_callback("imchat_es_probe_rejected", handle));
}

void on_probe_body(uint32_t handle, val body) {
    std::shared_ptr<EventSourceStream> s = streams().find(handle);
    if (!s) return;
    TransportError error;
    error.http_status = s->probe_status;
    if (s->probe_status >= 200 && s->probe_status < 300)
        error.message = not_an_event_stream_message(s->probe_content_type);
    else
        error.message = http_error_message(js_string_or(body), s->probe_content_type, s->probe_status);
    fail(*s, error);
}

void on_probe_rejected(uint32_t handle, val reason) {
    std::shared_ptr<EventSourceStream> s = streams().find(handle);
    if (!s) return;
    s->probe_abort = val::undefined();
    // Unreachable right now: try a new EventSource after the backoff (bounded by max_retries).
    reopen_later(*s, backoff_ms(*s));
}

class EventSourceTransport final : public Transport {
public:
    explicit EventSourceTransport(uint32_t handle) : handle_(handle) {}
    ~EventSourceTransport() override { abort(); }
    void abort() override {
        if (std::shared_ptr<EventSourceStream> s = streams().find(handle_)) {
            close_source(*s);
            s->closed = true;
            streams().remove(handle_);
        }
    }

private:
    uint32_t handle_;
};

}  // namespace

std::unique_ptr<Transport> open_event_source(std::string url, std::string last_event_id,
                                             const EventSourceOptions& options,
                                             TransportHandler* handler) {
    if (!url_is_usable(url)) {
        TransportError error;
        error.message = "not a usable URL: " + url;
        return make_failed_transport(handler, error);
    }
    if (val::global("EventSource").isUndefined()) {
        TransportError error;
        error.message = "this environment has no EventSource";
        return make_failed_transport(handler, error);
    }
    auto s = std::make_shared<EventSourceStream>();
    s->handler = handler;
    s->url = std::move(url);
    s->last_event_id = std::move(last_event_id);
    s->options = options;
    s->handle = streams().add(s);
    open_source(*s);
    return std::make_unique<EventSourceTransport>(s->handle);
}

EMSCRIPTEN_BINDINGS(imchat_event_source) {
    emscripten::function("imchat_es_open", &on_open);
    emscripten::function("imchat_es_event", &on_event);
    emscripten::function("imchat_es_error", &on_error);
    emscripten::function("imchat_es_probe_reply", &on_probe_reply);
    emscripten::function("imchat_es_probe_body", &on_probe_body);
    emscripten::function("imchat_es_probe_rejected", &on_probe_rejected);
}

}  // namespace imchat
