// The page's sscanf/strtod stand-ins (core/text_scan) against the C library's, on what the page
// scans: ImGui's .ini lines and typed slider values, a Retry-After date, and hostile text.
#include "core/text_scan.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace imchat {
namespace {

int scan(const char* s, const char* format, ...) {
    va_list args;
    va_start(args, format);
    int n = scan_format(s, format, args);
    va_end(args);
    return n;
}

TEST(TextScan, DoublesMatchStrtod) {
    const char* cases[] = {"0", "-0", "1", "0.7", "  3.25xyz", "+12.5e3", "1e-5", "6.02214076e23", "1.7976931348623157e308",
                           "2.2250738585072014e-308", "123456789012345", "0.1", "0.30000000000000004", ".5", "5.",
                           "1e", "1e+", "-.e1", "abc", "", "-", "1e400", "1e-400", "0.000001", "99999999999999999999",
                           "0.0000000000000000000000000000001", "4.9e-324"};
    for (const char* c : cases) {
        char* want_end = nullptr;
        char* got_end = nullptr;
        double want = std::strtod(c, &want_end);
        double got = scan_double(c, &got_end);
        EXPECT_EQ(got_end - c, want_end - c) << c;
        if (want == 0 || std::isinf(want)) EXPECT_EQ(got, want) << c;
        else EXPECT_NEAR(got, want, std::fabs(want) * 4e-16) << c;
    }
    EXPECT_TRUE(std::isinf(scan_double("-Infinity", nullptr)));
    EXPECT_TRUE(std::isnan(scan_double("nan", nullptr)));
    // What a person types, exactly as strtod gives it.
    for (const char* c : {"0.7", "1.25", "0.95", "2048", "-40.5", "1e-3", "100000000"})
        EXPECT_EQ(scan_double(c, nullptr), std::strtod(c, nullptr)) << c;
}

TEST(TextScan, ImGuiIniLines) {
    int x = 0, y = 0;
    EXPECT_EQ(scan("Pos=60,-12", "Pos=%i,%i", &x, &y), 2);
    EXPECT_EQ(x, 60);
    EXPECT_EQ(y, -12);
    EXPECT_EQ(scan("Size=0x10,010", "Size=%i,%i", &x, &y), 2);  // %i reads hex and octal
    EXPECT_EQ(x, 16);
    EXPECT_EQ(y, 8);
    EXPECT_EQ(scan("Collapsed=1", "Pos=%i,%i", &x, &y), 0);
    unsigned id = 0;
    EXPECT_EQ(scan("DEADBEEF,rest", "%X", &id), 1);
    EXPECT_EQ(id, 0xDEADBEEFu);
    unsigned c[4] = {};
    EXPECT_EQ(scan("FF8000", "%02X%02X%02X", &c[0], &c[1], &c[2]), 3);
    EXPECT_EQ(c[0], 255u);
    EXPECT_EQ(c[1], 128u);
    EXPECT_EQ(c[2], 0u);
}

TEST(TextScan, TypedSliderValues) {
    float f = 0;
    double d = 0;
    int i = 0;
    unsigned u = 0;
    long long ll = 0;
    EXPECT_EQ(scan(" 0.7", "%f", &f), 1);
    EXPECT_EQ(f, 0.7f);
    EXPECT_EQ(scan("-1.5e2", "%lf", &d), 1);
    EXPECT_EQ(d, -150.0);
    EXPECT_EQ(scan("4096", "%d", &i), 1);
    EXPECT_EQ(i, 4096);
    EXPECT_EQ(scan("42", "%u", &u), 1);
    EXPECT_EQ(u, 42u);
    EXPECT_EQ(scan("-9000000000", "%lld", &ll), 1);
    EXPECT_EQ(ll, -9000000000LL);
    EXPECT_EQ(scan("abc", "%d", &i), 0);
    EXPECT_EQ(scan("", "%d", &i), -1);
    EXPECT_EQ(scan("   ", "%f", &f), -1);
    EXPECT_EQ(scan("12.5", "%2f", &f), 1);  // the width cuts the number
    EXPECT_EQ(f, 12.0f);
}

TEST(TextScan, MatchesSscanfOnDatesAndStatus) {
    const char* inputs[] = {"Sun, 06 Nov 1994 08:49:37 GMT", "Sun,06 Nov 1994 8:9:7 GMT", "Sun, 06 Nov", "",
                            "Sunday, 06-Nov-94 08:49:37 GMT", "Wed, 21 Oct 2015 07:28:00 GMT trailing"};
    for (const char* in : inputs) {
        char w1[4] = {}, m1[4] = {}, z1[4] = {}, w2[4] = {}, m2[4] = {}, z2[4] = {};
        int a1[5] = {}, a2[5] = {};
        const char* fmt = "%3s, %d %3s %d %d:%d:%d %3s";
        int want = std::sscanf(in, fmt, w1, &a1[0], m1, &a1[1], &a1[2], &a1[3], &a1[4], z1);
        int got = scan(in, fmt, w2, &a2[0], m2, &a2[1], &a2[2], &a2[3], &a2[4], z2);
        EXPECT_EQ(got, want) << in;
        EXPECT_EQ(std::memcmp(a1, a2, sizeof a1), 0) << in;
        EXPECT_STREQ(w1, w2) << in;
        EXPECT_STREQ(m1, m2) << in;
        EXPECT_STREQ(z1, z2) << in;
    }
    int n = 0, m = 0;
    EXPECT_EQ(scan(" (attempt 3)", " (attempt %d)", &n), 1);
    EXPECT_EQ(n, 3);
    EXPECT_EQ(scan("x7 y", "x%d%n", &n, &m), 1);
    EXPECT_EQ(m, 2);
    EXPECT_EQ(scan("100%", "%d%%", &n), 1);
    char ch[3] = {};
    EXPECT_EQ(scan(" ab", "%2c", ch), 1);
    EXPECT_STREQ(ch, " a");
    EXPECT_EQ(scan("5 6", "%*d %d", &n), 1);
    EXPECT_EQ(n, 6);
}

}  // namespace
}  // namespace imchat
