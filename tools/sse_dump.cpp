// sse-dump: reads a text/event-stream on stdin and prints each dispatched event as one JSON
// line, {"type":…,"data":…,"lastEventId":…}, the moment it completes (stdin is read as bytes
// arrive, not at EOF). At the end prints {"retry":N} if the stream set a reconnection time.
//   curl -sN http://127.0.0.1:8000/v1/chat/completions ... | sse-dump
// A stream the parser rejects (an event over --max-event-bytes) is reported on stderr, exit 1.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "core/sse_parser.h"

namespace {

// JSON string escaping for valid UTF-8 (the parser guarantees it): quotes, backslashes and
// control characters are escaped, everything else is copied as is.
void append_json_string(std::string& out, std::string_view s) {
    static const char kHex[] = "0123456789abcdef";
    out.push_back('"');
    size_t run = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out.append(s.data() + run, i - run);
        run = i + 1;
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                out += "\\u00";
                out.push_back(kHex[c >> 4]);
                out.push_back(kHex[c & 15]);
        }
    }
    out.append(s.data() + run, s.size() - run);
    out.push_back('"');
}

bool write_all(const std::string& text) {
    const char* p = text.data();
    size_t left = text.size();
    while (left > 0) {
        ssize_t n = write(STDOUT_FILENO, p, left);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        p += n;
        left -= static_cast<size_t>(n);
    }
    return true;
}

struct Output {
    std::string lines;  // the JSON lines of the chunk being parsed, written out after it
};

void print_event(void* user, const imchat::SseEvent& e) {
    std::string& out = static_cast<Output*>(user)->lines;
    out += "{\"type\":";
    append_json_string(out, e.type);
    out += ",\"data\":";
    append_json_string(out, e.data);
    out += ",\"lastEventId\":";
    append_json_string(out, e.last_event_id);
    out += "}\n";
}

int usage() {
    std::fprintf(stderr, "usage: sse-dump [--max-event-bytes N] < stream\n");
    return 2;
}

}  // namespace

int main(int argc, char** argv) {
    size_t max_event_bytes = imchat::SseParser::kDefaultMaxEventBytes;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--max-event-bytes") == 0 && i + 1 < argc) {
            char* end = nullptr;
            unsigned long long v = std::strtoull(argv[++i], &end, 10);
            if (*end != '\0' || v == 0) return usage();
            max_event_bytes = static_cast<size_t>(v);
        } else {
            return usage();
        }
    }

    imchat::SseParser parser(max_event_bytes);
    Output out;
    static char buffer[64 * 1024];
    for (;;) {
        // read(2) returns whatever has arrived, so each event is printed as soon as its blank
        // line is in, while the writer is still streaming.
        ssize_t n = read(STDIN_FILENO, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            std::fprintf(stderr, "sse-dump: reading stdin: %s\n", std::strerror(errno));
            return 1;
        }
        if (n == 0) break;
        out.lines.clear();
        bool ok = parser.feed(buffer, static_cast<size_t>(n), print_event, &out);
        if (!write_all(out.lines)) return 1;  // stdout closed: nobody is listening any more
        if (!ok) {
            std::fprintf(stderr, "sse-dump: %s\n", parser.error().c_str());
            return 1;
        }
    }
    if (parser.retry_ms() >= 0) {
        if (!write_all("{\"retry\":" + std::to_string(parser.retry_ms()) + "}\n")) return 1;
    }
    return 0;
}
