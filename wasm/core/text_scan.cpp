#include "core/text_scan.h"

#include <cstddef>
#include <cstdint>
#include <limits>

namespace imchat {

namespace {

bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

int digit_value(char c) {
    if (is_digit(c)) return c - '0';
    c = lower(c);
    return c >= 'a' && c <= 'z' ? c - 'a' + 10 : 99;
}

// Does s start with word (lower case), ignoring case?
bool starts_with_word(const char* s, const char* word) {
    for (; *word; ++s, ++word)
        if (lower(*s) != *word) return false;
    return true;
}

// 10^e for |e| <= 22: exact doubles, so one multiply or divide rounds correctly when the
// significand fits in 53 bits.
constexpr double kPowersOfTen[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                   1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

double scale_by_ten(double v, int e) {
    for (; e > 22 && v <= std::numeric_limits<double>::max(); e -= 22) v *= 1e22;
    for (; e < -22 && v != 0; e += 22) v /= 1e22;
    if (e > 22 || e < -22) return v;  // already infinite or zero
    return e >= 0 ? v * kPowersOfTen[e] : v / kPowersOfTen[-e];
}

enum class Length { hh, h, none, l, ll, size };

}  // namespace

double scan_double(const char* s, char** end) {
    const char* p = s;
    while (is_space(*p)) ++p;
    bool negative = *p == '-';
    if (*p == '-' || *p == '+') ++p;
    double value = 0;
    if (starts_with_word(p, "inf")) {
        p += starts_with_word(p, "infinity") ? 8 : 3;
        value = std::numeric_limits<double>::infinity();
    } else if (starts_with_word(p, "nan")) {
        p += 3;
        value = std::numeric_limits<double>::quiet_NaN();
    } else {
        uint64_t significand = 0;
        int digits = 0, exponent = 0;  // significant digits kept; the power of ten they lack
        bool any = false;
        for (; is_digit(*p); ++p, any = true) {
            if (digits >= 19) ++exponent;
            else if (significand != 0 || *p != '0') significand = significand * 10 + (*p - '0'), ++digits;
        }
        if (*p == '.')
            for (++p; is_digit(*p); ++p, any = true) {
                if (digits >= 19) continue;
                if (significand != 0 || *p != '0') significand = significand * 10 + (*p - '0'), ++digits;
                --exponent;
            }
        if (!any) {
            if (end) *end = const_cast<char*>(s);
            return 0;
        }
        if (lower(*p) == 'e') {
            const char* q = p + 1;
            bool negative_exponent = *q == '-';
            if (*q == '-' || *q == '+') ++q;
            if (is_digit(*q)) {
                int e = 0;
                for (; is_digit(*q); ++q) e = e < 100000 ? e * 10 + (*q - '0') : e;
                exponent += negative_exponent ? -e : e;
                p = q;
            }
        }
        value = significand == 0 ? 0.0 : scale_by_ten(static_cast<double>(significand), exponent);
    }
    if (end) *end = const_cast<char*>(p);
    return negative ? -value : value;
}

int scan_format(const char* s, const char* format, va_list args) {
    const char* p = s;
    const char* f = format;
    int assigned = 0;
    bool converted = false;  // for the -1 of "input ended before the first conversion"
    auto input_ended = [&] { return converted ? assigned : -1; };
    while (*f) {
        if (is_space(*f)) {
            while (is_space(*f)) ++f;
            while (is_space(*p)) ++p;
            continue;
        }
        if (*f != '%' || f[1] == '%') {
            if (*f == '%') {
                ++f;
                while (is_space(*p)) ++p;
            }
            if (*p == '\0') return input_ended();
            if (*p != *f) return assigned;
            ++p, ++f;
            continue;
        }
        ++f;
        bool store = *f != '*';
        if (!store) ++f;
        size_t width = 0;
        for (; is_digit(*f); ++f) width = width * 10 + (*f - '0');
        Length length = Length::none;
        if (*f == 'h') length = *++f == 'h' ? (++f, Length::hh) : Length::h;
        else if (*f == 'l') length = *++f == 'l' ? (++f, Length::ll) : Length::l;
        else if (*f == 'j') ++f, length = Length::ll;
        else if (*f == 'z' || *f == 't') ++f, length = Length::size;
        const char conversion = *f++;

        if (conversion == 'n') {
            if (store) *va_arg(args, int*) = static_cast<int>(p - s);
            continue;
        }
        if (conversion != 'c')
            while (is_space(*p)) ++p;
        if (*p == '\0') return input_ended();
        switch (conversion) {
        case 'c': {
            size_t n = width ? width : 1;
            char* out = store ? va_arg(args, char*) : nullptr;
            for (size_t i = 0; i < n; ++i, ++p) {
                if (*p == '\0') return input_ended();
                if (out) out[i] = *p;
            }
            break;
        }
        case 's': {
            char* out = store ? va_arg(args, char*) : nullptr;
            for (size_t i = 0; *p && !is_space(*p) && (!width || i < width); ++i, ++p)
                if (out) *out++ = *p;
            if (out) *out = '\0';
            break;
        }
        case 'd': case 'i': case 'u': case 'o': case 'x': case 'X': {
            size_t left = width ? width : SIZE_MAX;
            const char* q = p;
            bool negative = *q == '-';
            if ((*q == '-' || *q == '+') && left > 1) ++q, --left;
            int base = conversion == 'o' ? 8 : conversion == 'x' || conversion == 'X' ? 16 : conversion == 'i' ? 0 : 10;
            if ((base == 0 || base == 16) && q[0] == '0' && lower(q[1]) == 'x' && left > 2 && digit_value(q[2]) < 16)
                q += 2, left -= 2, base = 16;
            else if (base == 0)
                base = q[0] == '0' ? 8 : 10;
            uint64_t value = 0;
            const char* digits = q;
            for (; left > 0 && digit_value(*q) < base; ++q, --left) value = value * base + digit_value(*q);
            if (q == digits) return assigned;
            p = q;
            if (negative) value = 0 - value;
            if (!store) break;
            switch (length) {
            case Length::hh: *va_arg(args, char*) = static_cast<char>(value); break;
            case Length::h: *va_arg(args, short*) = static_cast<short>(value); break;
            case Length::none: *va_arg(args, int*) = static_cast<int>(value); break;
            case Length::l: *va_arg(args, long*) = static_cast<long>(value); break;
            case Length::ll: *va_arg(args, long long*) = static_cast<long long>(value); break;
            case Length::size: *va_arg(args, size_t*) = static_cast<size_t>(value); break;
            }
            break;
        }
        case 'f': case 'e': case 'g': case 'E': case 'G': case 'F': {
            char limited[64];
            const char* from = p;
            if (width) {  // the number may not run past the width: parse a copy cut there
                size_t n = 0;
                for (; n < width && n + 1 < sizeof(limited) && p[n]; ++n) limited[n] = p[n];
                limited[n] = '\0';
                from = limited;
            }
            char* stop = nullptr;
            double value = scan_double(from, &stop);
            if (stop == from) return assigned;
            p += stop - from;
            if (!store) break;
            if (length == Length::l || length == Length::ll) *va_arg(args, double*) = value;
            else *va_arg(args, float*) = static_cast<float>(value);
            break;
        }
        default:
            return assigned;  // not supported: stop as at a mismatch
        }
        converted = true;
        if (store) ++assigned;
    }
    return assigned;
}

}  // namespace imchat
