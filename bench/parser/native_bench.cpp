// The parser benchmark's native side: the same stream, reads and checksums as the wasm module,
// compiled natively. Prints a small table; with --json one line run.mjs reads instead.
//   parser_bench_native [--mb N] [--runs N] [--read-kib N] [--seed N] [--json]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "bench_sides.h"
#include "stream_gen.h"

using imchat::bench::Mode;

namespace {

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    size_t n = v.size();
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct Side {
    const char* name;
    Mode timed, verify;
    std::vector<double> mbps;
    uint32_t checksum = 0, verify_checksum = 0;
};

}  // namespace

int main(int argc, char** argv) {
    double mb = 64;
    int runs = 5;
    size_t read_kib = 16;
    uint32_t seed = 20241124;
    bool json = false;
    for (int i = 1; i < argc; ++i) {
        auto next = [&](const char* flag) -> const char* {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "parser_bench_native: %s needs a value\n", flag);
                std::exit(2);
            }
            return argv[++i];
        };
        if (!std::strcmp(argv[i], "--mb")) mb = std::atof(next("--mb"));
        else if (!std::strcmp(argv[i], "--runs")) runs = std::atoi(next("--runs"));
        else if (!std::strcmp(argv[i], "--read-kib")) read_kib = std::strtoul(next("--read-kib"), nullptr, 10);
        else if (!std::strcmp(argv[i], "--seed")) seed = std::strtoul(next("--seed"), nullptr, 10);
        else if (!std::strcmp(argv[i], "--json")) json = true;
        else {
            std::fprintf(stderr, "usage: parser_bench_native [--mb N] [--runs N] [--read-kib N] [--seed N] [--json]\n");
            return 2;
        }
    }
    if (mb <= 0 || runs < 1 || read_kib < 1) {
        std::fprintf(stderr, "parser_bench_native: --mb, --runs and --read-kib must be positive\n");
        return 2;
    }

    const std::string stream = imchat::bench::generate_openai_stream(static_cast<size_t>(mb * 1024 * 1024), seed);
    const size_t read_size = read_kib * 1024;
    Side sides[] = {{"native events", Mode::events, Mode::events_verify, {}},
                    {"native pipeline", Mode::pipeline, Mode::pipeline_verify, {}}};
    for (Side& side : sides) {
        std::string error;
        side.verify_checksum = imchat::bench::run_whole(side.verify, stream, read_size, &error);
        if (!error.empty()) {
            std::fprintf(stderr, "parser_bench_native: %s failed: %s\n", side.name, error.c_str());
            return 1;
        }
    }
    for (int r = 0; r < runs; ++r) {
        for (Side& side : sides) {
            auto t0 = std::chrono::steady_clock::now();
            side.checksum = imchat::bench::run_whole(side.timed, stream, read_size, nullptr);
            double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
            side.mbps.push_back(stream.size() / 1e6 / s);
        }
    }

    if (json) {
        std::printf("{\"bytes\":%zu,\"runs\":%d,\"events_mbps\":%.1f,\"events_checksum\":%u,\"events_verify\":%u,"
                    "\"pipeline_mbps\":%.1f,\"pipeline_checksum\":%u,\"pipeline_verify\":%u}\n",
                    stream.size(), runs, median(sides[0].mbps), sides[0].checksum, sides[0].verify_checksum,
                    median(sides[1].mbps), sides[1].checksum, sides[1].verify_checksum);
        return 0;
    }
    std::printf("stream: %.1f MB, reads of %zu KiB, median of %d run(s)\n", stream.size() / 1e6, read_kib, runs);
    std::printf("%-18s %10s  %10s  %10s\n", "side", "MB/s", "checksum", "verify");
    for (const Side& side : sides)
        std::printf("%-18s %10.1f  %10u  %10u\n", side.name, median(side.mbps), side.checksum, side.verify_checksum);
    return 0;
}
