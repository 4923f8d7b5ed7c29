// text_scan: the part of sscanf and strtod the page uses, small. The page links these in place of
// musl's (wasm/platform/libc_scan.cpp, -Wl,--wrap): musl's scanner reads floats with 128-bit
// long-double arithmetic, ~21 KB of wasm (~10 KB gzipped) for what ImGui's .ini lines, typed
// slider values and a Retry-After date need. Portable, so native unit tests check it against the
// C library.
#pragma once
#include <cstdarg>

namespace imchat {

// strtod for decimal numbers: optional sign, digits with an optional '.', optional exponent;
// also "inf", "infinity" and "nan" in any case. Leading white space is skipped. Correctly
// rounded up to 15 significant digits and exponents within ±22 (every number a person types);
// beyond that within a few units in the last place. *end (if end) gets where the number
// stopped, or s when there was none (then the result is 0).
double scan_double(const char* s, char** end);

// vsscanf for the conversions %d %i %u %x %X %o %s %c %f %e %g %n and %% with an optional '*'
// (no assignment), width and the length modifiers hh h l ll j z t (no long double); white space in the format
// matches any run of white space. No %[ sets, no %p. Returns the number of values assigned, or
// -1 when the input ended before the first conversion, as sscanf does.
int scan_format(const char* s, const char* format, va_list args);

}  // namespace imchat
