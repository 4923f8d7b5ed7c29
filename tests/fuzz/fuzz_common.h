// Helpers the fuzz targets share: a check that stops the run with a message (libFuzzer then
// saves the input as a crash), and pieces of an input chosen by the input itself.
#pragma once
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <vector>

namespace imchat::fuzz {

[[noreturn]] inline void fail(const char* what, const char* file, int line) {
    std::fprintf(stderr, "%s:%d: property violated: %s\n", file, line, what);
    std::abort();
}

#define FUZZ_CHECK(cond)                                                    \
    do {                                                                    \
        if (!(cond)) ::imchat::fuzz::fail(#cond, __FILE__, __LINE__);       \
    } while (0)

// Cut points derived from the bytes themselves (their hash seeds a tiny generator), so every
// input carries its own chunking and mutations explore content and chunking together. Pieces
// are mostly 1..8 bytes, one in eight up to 64. `salt` gives another chunking of the same bytes.
inline std::vector<std::string_view> split(std::string_view s, uint32_t salt = 0) {
    uint32_t h = 2166136261u ^ salt;
    for (unsigned char c : s) h = (h ^ c) * 16777619u;
    if (h == 0) h = 1;
    std::vector<std::string_view> pieces;
    size_t at = 0;
    while (at < s.size()) {
        h ^= h << 13;
        h ^= h >> 17;
        h ^= h << 5;
        size_t n = (h & 7) == 0 ? 1 + (h >> 8) % 64 : 1 + (h >> 8) % 8;
        n = std::min(n, s.size() - at);
        pieces.push_back(s.substr(at, n));
        at += n;
    }
    return pieces;
}

inline std::string_view as_view(const uint8_t* data, size_t size) {
    return std::string_view(reinterpret_cast<const char*>(data), size);
}

}  // namespace imchat::fuzz
