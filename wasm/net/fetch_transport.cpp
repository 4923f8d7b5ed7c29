#include "net/fetch_transport.h"

#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <cmath>

#include "core/sse_parser.h"
#include "net/js_callbacks.h"
#include "net/transport_errors.h"

namespace imchat {
using emscripten::val;

namespace {

// fetch(url, {method, body, headers, signal}) with our AbortController; returns the promise.
val start_fetch(const std::string& url, const std::string& method, const std::string& body,
                const std::vector<Header>& headers, const val& abort_controller) {
    val init = val::object();
    init.set("method", method);
    val js_headers = val::object();
    bool has_content_type = false;
    for (const Header& h : headers) {
        js_headers.set(h.name, h.value);
        has_content_type = has_content_type || media_type(h.name) == "content-type";
    }
    if (!body.empty()) {
        if (!has_content_type) js_headers.set("Content-Type", std::string("application/json"));
        init.set("body", body);
    }
    init.set("headers", js_headers);
    init.set("signal", abort_controller["signal"]);
    return val::global("fetch")(url, init);
}

std::string header(const val& response, const char* name) {
    return js_string_or(response["headers"].call<val>("get", std::string(name)));
}

bool retryable_status(int status) { return status == 408 || status == 429 || status >= 500; }

// ---- streamed fetch -------------------------------------------------------------------------

struct FetchStream {
    uint32_t handle = 0;
    TransportHandler* handler = nullptr;
    std::string url;
    val abort_controller = val::undefined();
    val reader = val::undefined();
    SseParser parser;
    std::vector<unsigned char> buffer;  // reused for every chunk
    bool closed = false;
    int status = 0;
    std::string content_type;
    int retry_after = -1;
    double stall_ms = 0;          // 0: no stall rule
    double last_activity_ms = 0;  // the response or the last chunk
    uint32_t stall_timer = 0;
};

HandleTable<FetchStream>& fetch_streams() {
    static HandleTable<FetchStream> table;
    return table;
}

void finish(FetchStream& s) {
    s.closed = true;
    cancel_timer(s.stall_timer);
    s.stall_timer = 0;
    fetch_streams().remove(s.handle);
}

void fail(FetchStream& s, TransportError error);

// The stall rule of the direct path: a server that keeps the connection open but sends nothing
// (not even a `: ping` comment) would otherwise leave the reply "streaming" forever.
void arm_stall_timer(FetchStream& s, double delay_ms) {
    if (s.stall_ms <= 0 || s.closed) return;
    uint32_t handle = s.handle;
    s.stall_timer = start_timer(delay_ms, [handle] {
        std::shared_ptr<FetchStream> s = fetch_streams().find(handle);
        if (!s) return;
        s->stall_timer = 0;
        double quiet = monotonic_ms() - s->last_activity_ms;
        if (quiet < s->stall_ms) {
            arm_stall_timer(*s, s->stall_ms - quiet);
            return;
        }
        TransportError error;
        error.http_status = s->status;
        error.retryable = true;
        error.message = "the server stopped sending (nothing for " +
                        std::to_string(static_cast<long>(std::lround(s->stall_ms / 1000))) + " s)";
        fail(*s, error);
    });
}

void fail(FetchStream& s, TransportError error) {
    if (s.closed) return;
    finish(s);
    s.abort_controller.call<void>("abort");
    s.handler->on_error(error);
}

void read_next(FetchStream& s) {
    s.reader.call<val>("read").call<val>("then", bound_callback("imchat_fetch_chunk", s.handle),
                                         bound_callback("imchat_fetch_read_failed", s.handle));
}

void dispatch_event(void* user, const SseEvent& event) {
    auto* s = static_cast<FetchStream*>(user);
    if (s->closed) return;  // the handler aborted on an earlier event of this chunk
    s->handler->on_event(event.type, event.data, event.last_event_id);
}

void on_stream_response(uint32_t handle, val response) {
    std::shared_ptr<FetchStream> s = fetch_streams().find(handle);
    if (!s) return;
    s->status = response["status"].as<int>();
    s->content_type = header(response, "content-type");
    if (s->status < 200 || s->status > 299) {
        s->retry_after = parse_retry_after(header(response, "retry-after"), wall_clock_ms());
        response.call<val>("text").call<val>("then", bound_callback("imchat_fetch_error_body", handle),
                                             bound_callback("imchat_fetch_error_body", handle));
        return;
    }
    if (media_type(s->content_type) != "text/event-stream") {
        TransportError error;
        error.http_status = s->status;
        error.message = not_an_event_stream_message(s->content_type);
        fail(*s, error);
        return;
    }
    s->reader = response["body"].call<val>("getReader");
    // From here on the body must keep coming. (Not before: a server may hold its headers back
    // while it reads a long prompt.)
    s->last_activity_ms = monotonic_ms();
    arm_stall_timer(*s, s->stall_ms);
    s->handler->on_open(s->status);
    if (!s->closed) read_next(*s);
}

void on_stream_error_body(uint32_t handle, val body) {
    std::shared_ptr<FetchStream> s = fetch_streams().find(handle);
    if (!s) return;
    TransportError error;
    error.http_status = s->status;
    error.retry_after_seconds = s->retry_after;
    error.retryable = retryable_status(s->status);
    error.message = http_error_message(js_string_or(body), s->content_type, s->status);
    fail(*s, error);
}

void on_stream_rejected(uint32_t handle, val reason) {
    std::shared_ptr<FetchStream> s = fetch_streams().find(handle);
    if (!s) return;
    fail(*s, network_error(s->url, js_error_message(reason)));
}

void on_chunk(uint32_t handle, val result) {
    std::shared_ptr<FetchStream> s = fetch_streams().find(handle);
    if (!s) return;
    s->last_activity_ms = monotonic_ms();
    if (result["done"].as<bool>()) {
        finish(*s);
        s->handler->on_done();
        return;
    }
    val chunk = result["value"];
    size_t size = chunk["length"].as<size_t>();
    if (s->buffer.size() < size) s->buffer.resize(size);
    // One copy straight into wasm memory (the view is made right here, after any growth).
    val(emscripten::typed_memory_view(size, s->buffer.data())).call<void>("set", chunk);
    s->parser.feed(reinterpret_cast<const char*>(s->buffer.data()), size, &dispatch_event, s.get());
    if (s->closed) return;
    if (s->parser.failed()) {
        TransportError error;
        error.http_status = s->status;
        error.message = "the event stream is malformed: " + s->parser.error();
        fail(*s, error);
        return;
    }
    read_next(*s);
}

void on_read_failed(uint32_t handle, val reason) {
    std::shared_ptr<FetchStream> s = fetch_streams().find(handle);
    if (!s) return;
    TransportError error;
    error.http_status = s->status;
    error.retryable = true;
    error.message = "the connection broke mid-reply (" + js_error_message(reason) + ")";
    fail(*s, error);
}

class FetchStreamTransport final : public Transport {
public:
    explicit FetchStreamTransport(uint32_t handle) : handle_(handle) {}
    ~FetchStreamTransport() override { abort(); }
    void abort() override {
        if (std::shared_ptr<FetchStream> s = fetch_streams().find(handle_)) {
            finish(*s);
            s->abort_controller.call<void>("abort");
        }
    }

private:
    uint32_t handle_;
};

// ---- whole replies --------------------------------------------------------------------------

struct FetchRequest {
    uint32_t handle = 0;
    std::string url;
    HttpCallback callback;
    val abort_controller = val::undefined();
    HttpResponse response;
};

HandleTable<FetchRequest>& fetch_requests() {
    static HandleTable<FetchRequest> table;
    return table;
}

void deliver(FetchRequest& r) {
    fetch_requests().remove(r.handle);
    r.callback(r.response);
}

void on_request_response(uint32_t handle, val response) {
    std::shared_ptr<FetchRequest> r = fetch_requests().find(handle);
    if (!r) return;
    r->response.status = response["status"].as<int>();
    r->response.content_type = header(response, "content-type");
    r->response.retry_after_seconds = parse_retry_after(header(response, "retry-after"), wall_clock_ms());
    response.call<val>("text").call<val>("then", bound_callback("imchat_fetch_request_body", handle),
                                         bound_callback("imchat_fetch_request_rejected", handle));
}

void on_request_body(uint32_t handle, val body) {
    std::shared_ptr<FetchRequest> r = fetch_requests().find(handle);
    if (!r) return;
    HttpResponse& response = r->response;
    response.body = js_string_or(body);
    if (response.status < 200 || response.status > 299) {
        response.error.http_status = response.status;
        response.error.retry_after_seconds = response.retry_after_seconds;
        response.error.retryable = retryable_status(response.status);
        response.error.message = http_error_message(response.body, response.content_type, response.status);
    }
    deliver(*r);
}

void on_request_rejected(uint32_t handle, val reason) {
    std::shared_ptr<FetchRequest> r = fetch_requests().find(handle);
    if (!r) return;
    r->response.error = network_error(r->url, js_error_message(reason));
    r->response.error.http_status = r->response.status;
    deliver(*r);
}

class FetchRequestTransport final : public Transport {
public:
    explicit FetchRequestTransport(uint32_t handle) : handle_(handle) {}
    ~FetchRequestTransport() override { abort(); }
    void abort() override {
        if (std::shared_ptr<FetchRequest> r = fetch_requests().find(handle_)) {
            fetch_requests().remove(handle_);
            r->abort_controller.call<void>("abort");
        }
    }

private:
    uint32_t handle_;
};

}  // namespace

std::unique_ptr<Transport> open_fetch_stream(std::string url, std::string body, std::vector<Header> headers,
                                             TransportHandler* handler, double stall_ms) {
    if (!url_is_usable(url)) {
        TransportError error;
        error.message = "not a usable URL: " + url;
        return make_failed_transport(handler, error);
    }
    auto s = std::make_shared<FetchStream>();
    s->handler = handler;
    s->url = std::move(url);
    s->abort_controller = val::global("AbortController").new_();
    s->handle = fetch_streams().add(s);
    s->stall_ms = stall_ms;
    headers.push_back({"Accept", "text/event-stream"});
    start_fetch(s->url, body.empty() ? "GET" : "POST", body, headers, s->abort_controller)
        .call<val>("then", bound_callback("imchat_fetch_response", s->handle),
                   bound_callback("imchat_fetch_rejected", s->handle));
    return std::make_unique<FetchStreamTransport>(s->handle);
}

std::unique_ptr<Transport> fetch_json(std::string url, std::string method, std::string body,
                                      std::vector<Header> headers, HttpCallback callback) {
    if (!url_is_usable(url)) {
        HttpResponse response;
        response.error.message = "not a usable URL: " + url;
        return make_failed_request(std::move(callback), std::move(response));
    }
    auto r = std::make_shared<FetchRequest>();
    r->url = std::move(url);
    r->callback = std::move(callback);
    r->abort_controller = val::global("AbortController").new_();
    r->handle = fetch_requests().add(r);
    start_fetch(r->url, method, body, headers, r->abort_controller)
        .call<val>("then", bound_callback("imchat_fetch_request_response", r->handle),
                   bound_callback("imchat_fetch_request_rejected", r->handle));
    return std::make_unique<FetchRequestTransport>(r->handle);
}

EMSCRIPTEN_BINDINGS(imchat_fetch) {
    emscripten::function("imchat_fetch_response", &on_stream_response);
    emscripten::function("imchat_fetch_error_body", &on_stream_error_body);
    emscripten::function("imchat_fetch_rejected", &on_stream_rejected);
    emscripten::function("imchat_fetch_chunk", &on_chunk);
    emscripten::function("imchat_fetch_read_failed", &on_read_failed);
    emscripten::function("imchat_fetch_request_response", &on_request_response);
    emscripten::function("imchat_fetch_request_body", &on_request_body);
    emscripten::function("imchat_fetch_request_rejected", &on_request_rejected);
}

}  // namespace imchat
