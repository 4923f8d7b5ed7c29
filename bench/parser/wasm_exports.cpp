// The parser benchmark's wasm module: plain C exports that run.mjs calls through Module._name.
// JavaScript copies each read into the input buffer (that copy is part of what is measured,
// as it is in the app) and calls bench_feed with its length.
#include <emscripten/emscripten.h>

#include <cstdlib>
#include <string>

#include "bench_sides.h"
#include "stream_gen.h"

namespace {
imchat::bench::BenchRun g_run;
std::string g_stream;
char* g_input = nullptr;
size_t g_input_capacity = 0;
}  // namespace

extern "C" {

// Generates the benchmark stream inside wasm memory; returns its address (size: bench_stream_size).
EMSCRIPTEN_KEEPALIVE const char* bench_generate(double megabytes, uint32_t seed) {
    g_stream = imchat::bench::generate_openai_stream(static_cast<size_t>(megabytes * 1024 * 1024), seed);
    return g_stream.data();
}
EMSCRIPTEN_KEEPALIVE size_t bench_stream_size() { return g_stream.size(); }
// After JavaScript has taken its copy, the stream leaves wasm memory so the runs start clean.
EMSCRIPTEN_KEEPALIVE void bench_release_stream() { std::string().swap(g_stream); }

// The buffer each read is copied into before bench_feed.
EMSCRIPTEN_KEEPALIVE char* bench_input(size_t capacity) {
    if (capacity > g_input_capacity) {
        std::free(g_input);
        g_input = static_cast<char*>(std::malloc(capacity));
        g_input_capacity = g_input ? capacity : 0;
    }
    return g_input;
}

EMSCRIPTEN_KEEPALIVE void bench_start(int mode) { g_run.start(static_cast<imchat::bench::Mode>(mode)); }
EMSCRIPTEN_KEEPALIVE int bench_feed(size_t size) { return g_run.feed(g_input, size) ? 1 : 0; }
EMSCRIPTEN_KEEPALIVE uint32_t bench_finish() { return g_run.finish(); }
// The failure of the last run, for run.mjs to print (empty if none).
EMSCRIPTEN_KEEPALIVE const char* bench_error() { return g_run.error().c_str(); }

}  // extern "C"
