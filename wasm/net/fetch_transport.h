// fetch_transport: POST requests through the browser's fetch().
//   open_fetch_stream: the reply body is an event stream, read chunk by chunk through
//     response.body.getReader() into our SseParser (each chunk copied into wasm memory in one
//     call). Before reading, the reply is checked: a non-2xx status reports the server's message
//     from the body with http_status (429/503 also Retry-After, retryable); a content type other
//     than text/event-stream is a clear error. abort() uses an AbortController. A body that
//     breaks is reported at once (retryable) and never retried here: a POST cannot resume, and
//     nothing waits before the owner decides (the EventSource path's "first retry at once").
//   fetch_json: a whole reply (POST /api/chat, /stop, GET /v1/models) handed to a callback.
#pragma once
#include "net/transport.h"

namespace imchat {

std::unique_ptr<Transport> open_fetch_stream(std::string url, std::string body, std::vector<Header> headers,
                                             TransportHandler* handler, double stall_ms = 0);

std::unique_ptr<Transport> fetch_json(std::string url, std::string method, std::string body,
                                      std::vector<Header> headers, HttpCallback callback);

}  // namespace imchat
