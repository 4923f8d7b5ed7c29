#include "net/browser_network.h"

#include "net/event_source_transport.h"
#include "net/fetch_transport.h"

namespace imchat {
namespace {

class BrowserNetwork final : public Network {
public:
    std::unique_ptr<Transport> open_event_source(std::string url, std::string last_event_id,
                                                 const EventSourceOptions& options,
                                                 TransportHandler* handler) override {
        return imchat::open_event_source(std::move(url), std::move(last_event_id), options, handler);
    }
    std::unique_ptr<Transport> open_fetch_stream(std::string url, std::string body, std::vector<Header> headers,
                                                 TransportHandler* handler, double stall_ms) override {
        return imchat::open_fetch_stream(std::move(url), std::move(body), std::move(headers), handler, stall_ms);
    }
    std::unique_ptr<Transport> fetch_json(std::string url, std::string method, std::string body,
                                          std::vector<Header> headers, HttpCallback callback) override {
        return imchat::fetch_json(std::move(url), std::move(method), std::move(body), std::move(headers),
                                  std::move(callback));
    }
};

}  // namespace

Network& browser_network() {
    static BrowserNetwork network;
    return network;
}

}  // namespace imchat
