#include "stream_gen.h"

#include <iterator>

namespace imchat::bench {
namespace {

// xorshift32: tiny and identical on every platform.
struct Rng {
    uint32_t s;
    uint32_t next() {
        s ^= s << 13;
        s ^= s >> 17;
        s ^= s << 5;
        return s;
    }
    uint32_t below(uint32_t n) { return next() % n; }
};

// Tokens as they appear inside a JSON string: escapes are already written as JSON escapes.
const char* const kTokens[] = {
    " the", " model", " answer", " is", " a", " of", " to", " and", " in", " stream", " token",
    " parser", " event", " data", " quickly", " however", ",", ".", " (", ")", ":", " 42",
    "\xE4\xBD\xA0\xE5\xA5\xBD",              // 你好
    "\xE4\xB8\x96\xE7\x95\x8C",              // 世界
    "\xE6\xA8\xA1\xE5\x9E\x8B",              // 模型
    "\xE6\x95\xB0\xE6\x8D\xAE\xE6\xB5\x81",  // 数据流
    "\xEF\xBC\x8C",                          // ，
    "\xE3\x80\x82",                          // 。
    " \xF0\x9F\x98\x80",                     // 😀
    "\\n", "\\n\\n", "\\t", "\\\"", " \\\"quoted\\\"", "\\\\", " caf\\u00e9", " \\u4e2d\\u6587",
    " \\ud83d\\ude80", " `code`", " **bold**", " - item", "\\u003cdiv\\u003e",
};

const char* const kModels[] = {"gpt-4o-mini-2024-07-18", "gpt-4.1-2025-04-14", "deepseek-chat"};

void append_id(std::string& out, Rng& rng) {
    static const char kAlnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    out += "chatcmpl-";
    for (int i = 0; i < 29; ++i) out.push_back(kAlnum[rng.below(62)]);
}

}  // namespace

std::string generate_openai_stream(size_t target_bytes, uint32_t seed) {
    Rng rng{seed ? seed : 1};
    std::string out;
    out.reserve(target_bytes + 4096);
    uint64_t created = 1732460000;
    uint64_t event_number = 0;
    while (out.size() < target_bytes) {
        std::string prefix = "{\"id\":\"";
        append_id(prefix, rng);
        prefix += "\",\"object\":\"chat.completion.chunk\",\"created\":" + std::to_string(created) +
                  ",\"model\":\"" + kModels[rng.below(std::size(kModels))] + "\",\"choices\":[{\"index\":0,\"delta\":";
        created += 1 + rng.below(30);
        uint32_t chunks = 50 + rng.below(700);
        for (uint32_t c = 0;; ++c) {
            // The last chunk of a completion (or of the stream, once it is long enough) finishes it.
            bool last = c > 0 && (c == chunks + 1 || out.size() >= target_bytes);
            ++event_number;
            if (event_number % 8 == 0) out += "id: " + std::to_string(event_number) + "\n";
            if (event_number % 97 == 0) out += ": keep-alive\n";
            out += "data: ";
            out += prefix;
            if (c == 0) {
                out += "{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}";
            } else if (last) {
                out += "{},\"finish_reason\":\"stop\"}]}";
            } else {
                out += "{\"content\":\"";
                for (uint32_t t = 0, n = 1 + rng.below(4); t < n; ++t) out += kTokens[rng.below(std::size(kTokens))];
                out += "\"},\"finish_reason\":null}]}";
            }
            out += "\n\n";
            if (last) break;
        }
    }
    out += "data: [DONE]\n\n";
    return out;
}

}  // namespace imchat::bench
