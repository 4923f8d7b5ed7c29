// event_source_transport: a reply streamed by the browser's EventSource (GET), kept alive.
// The native object already reconnects after a drop, honouring the server's `retry:` and sending
// Last-Event-ID. On top of it:
//   - the first retry after a drop is immediate: a new object with ?last_event_id=<last id seen>
//     replaces the one that would wait `retry:`; a second error in a row (no event between) is
//     left to the native reconnect, i.e. the server's back-off;
//   - the stall rule: no event (pings count) for options.stall_ms → close it and open a new one
//     with ?last_event_id=<last id seen>;
//   - hard failures (the object gave up: readyState CLOSED): a probe fetch of the same URL tells
//     why. 4xx (other than 408/429) and a reply that is not an event stream are final errors
//     with the server's message; 5xx, 429, 503 and network errors retry with a new object,
//     after a backoff (or Retry-After), at most options.max_retries times in a row; 204 (the
//     server has nothing more for this reply) ends the stream with on_done().
// Events reset the retry count: a stream that keeps making progress is never given up on.
#pragma once
#include "net/transport.h"

namespace imchat {

std::unique_ptr<Transport> open_event_source(std::string url, std::string last_event_id,
                                             const EventSourceOptions& options,
                                             TransportHandler* handler);

}  // namespace imchat
