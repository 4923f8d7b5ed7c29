#include "core/plain_sse.h"

namespace imchat {
namespace {

std::string percent_encode(std::string_view text) {
    static const char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size() * 3);
    for (unsigned char c : text) {
        bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                          c == '-' || c == '.' || c == '_' || c == '~';
        if (unreserved) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += kHex[c >> 4];
            out += kHex[c & 15];
        }
    }
    return out;
}

}  // namespace

std::string plain_sse_url(std::string_view url_template, std::string_view prompt) {
    static constexpr std::string_view kSlot = "{prompt}";
    std::string encoded = percent_encode(prompt);
    std::string out;
    size_t from = 0;
    bool replaced = false;
    for (size_t at = url_template.find(kSlot); at != std::string_view::npos; at = url_template.find(kSlot, from)) {
        out.append(url_template.substr(from, at - from));
        out += encoded;
        from = at + kSlot.size();
        replaced = true;
    }
    out.append(url_template.substr(from));
    if (!replaced) {
        size_t hash = out.find('#');
        std::string fragment;
        if (hash != std::string::npos) {
            fragment = out.substr(hash);
            out.resize(hash);
        }
        if (out.find('?') == std::string::npos) out += '?';
        else if (out.back() != '?' && out.back() != '&') out += '&';
        out += "prompt=" + encoded + fragment;
    }
    return out;
}

bool decode_plain_sse_event(std::string_view type, std::string_view data, StreamDelta& out) {
    out.clear();
    if (type == "message") out.content.assign(data);
    else if (type == "done") out.done = true;
    else out.ping = true;
    return true;
}

}  // namespace imchat
