// transport: one C++ interface over the two ways a reply streams into the page.
//   EventSource (GET, resumable by event id, reconnects by itself)
//   streamed fetch (POST with a JSON body and headers, read through a ReadableStream)
// Both deliver SSE events; the second runs our own SseParser over the body's bytes.
#pragma once
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
struct TransportHandler {
    virtual ~TransportHandler() = default;
    virtual void on_open(int http_status) {}
    virtual void on_event(std::string_view type, std::string_view data, std::string_view id) = 0;
    virtual void on_error(const TransportError& error) = 0;  // final: no more calls follow
    virtual void on_done() = 0;                              // the body ended cleanly
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

}  // namespace imchat
