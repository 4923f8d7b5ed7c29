// The page's sscanf, strtod and atof: linked in place of musl's with -Wl,--wrap (wasm/CMakeLists.txt).
// musl's versions share a scanner that reads floats in 128-bit long doubles; these are ~21 KB of
// wasm smaller. Callers: ImGui (.ini lines, typed slider values, rounding to a display format) and
// net/transport.cpp's Retry-After date.
#include <cstdarg>

#include "core/text_scan.h"

extern "C" int __wrap_sscanf(const char* s, const char* format, ...) {
    va_list args;
    va_start(args, format);
    int n = imchat::scan_format(s, format, args);
    va_end(args);
    return n;
}

extern "C" double __wrap_strtod(const char* s, char** end) { return imchat::scan_double(s, end); }

extern "C" double __wrap_atof(const char* s) { return imchat::scan_double(s, nullptr); }
