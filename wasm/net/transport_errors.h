// transport_errors: the plain-words messages both transports give, in one place.
#pragma once
#include <string>
#include <string_view>

#include "net/transport.h"

namespace imchat {

// "HTTP 404: …" with the server's own words from the body (error_message_from_body).
std::string http_error_message(std::string_view body, std::string_view content_type, int status);
// "the server replied with text/html, not an event stream"
std::string not_an_event_stream_message(std::string_view content_type);
// A fetch() that rejected (no HTTP reply). A cross-origin URL may have been refused by CORS, which
// the page cannot tell apart from an unreachable host, so the message names both.
TransportError network_error(std::string_view url, std::string_view detail);

// A transport that only reports `error`, from the event loop (never from inside the open call,
// where the caller is not ready for handler calls). For bad URLs and missing browser features.
std::unique_ptr<Transport> make_failed_transport(TransportHandler* handler, TransportError error);
// The same for a plain request: callback(response) from the event loop.
std::unique_ptr<Transport> make_failed_request(HttpCallback callback, HttpResponse response);

}  // namespace imchat
