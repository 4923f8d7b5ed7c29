#include "net/transport_errors.h"

#include <emscripten/val.h>

#include "core/openai_protocol.h"
#include "net/js_callbacks.h"

namespace imchat {

std::string http_error_message(std::string_view body, std::string_view content_type, int status) {
    return error_message_from_body(body, content_type, status);
}

std::string not_an_event_stream_message(std::string_view content_type) {
    std::string type = media_type(content_type);
    return "the server replied with " + (type.empty() ? std::string("no content type") : type) +
           ", not an event stream";
}

TransportError network_error(std::string_view url, std::string_view detail) {
    TransportError error;
    error.retryable = true;
    std::string origin = url_origin(url);
    emscripten::val location = emscripten::val::global("location");
    std::string page_origin = location.isUndefined() || location.isNull() ? std::string()
                                                                          : js_string_or(location["origin"]);
    if (!origin.empty() && !page_origin.empty() && origin != page_origin) {
        error.message = "could not reach " + origin +
                        ": the endpoint refused the connection or does not allow this page's origin (CORS)";
    } else {
        error.message = "could not reach " + (origin.empty() ? std::string("the server") : origin);
        if (!detail.empty()) error.message += " (" + std::string(detail) + ")";
    }
    return error;
}

namespace {

// A call made from the event loop soon, cancelled by abort() or destruction: a failure known
// before any request (bad URL) still reaches its handler asynchronously, as a real one would.
class DeferredCall final : public Transport {
public:
    explicit DeferredCall(std::function<void()> fn) { timer_ = start_timer(0, std::move(fn)); }
    ~DeferredCall() override { abort(); }
    void abort() override {
        cancel_timer(timer_);
        timer_ = 0;
    }

private:
    uint32_t timer_ = 0;
};

}  // namespace

std::unique_ptr<Transport> make_failed_transport(TransportHandler* handler, TransportError error) {
    return std::make_unique<DeferredCall>([handler, error = std::move(error)] { handler->on_error(error); });
}

std::unique_ptr<Transport> make_failed_request(HttpCallback callback, HttpResponse response) {
    return std::make_unique<DeferredCall>(
        [callback = std::move(callback), response = std::move(response)] { callback(response); });
}

}  // namespace imchat
