#include "core/number_text.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

#include "core/text_scan.h"

namespace imchat {

bool parse_number_text(std::string_view text, double lo, double hi, int decimals, double& out)
{
    size_t i = 0, digits = 0, points = 0;
    if (i < text.size() && text[i] == '-')
        i++;
    for (; i < text.size(); i++) {
        if (text[i] >= '0' && text[i] <= '9')
            digits++;
        else if (text[i] == '.' && decimals > 0 && points == 0)
            points++;
        else
            return false;
    }
    if (digits == 0)
        return false;
    double v = scan_double(std::string(text).c_str(), nullptr);
    if (!(v >= lo && v <= hi))
        return false;
    out = v;
    return true;
}

std::string format_number_text(double value, int decimals)
{
    char buf[64];
    snprintf(buf, sizeof(buf), "%.*f", std::clamp(decimals, 0, 9), value);
    return buf;
}

namespace {

double round_to_step(double value, double lo, double hi, double step)
{
    if (step > 0)
        value = lo + std::round((value - lo) / step) * step;
    return std::clamp(value, lo, hi);
}

}  // namespace

double slider_value_at(double t, double lo, double hi, double step)
{
    return round_to_step(lo + std::clamp(t, 0.0, 1.0) * (hi - lo), lo, hi, step);
}

double slider_step(double value, int steps, double lo, double hi, double step)
{
    return round_to_step(value + steps * step, lo, hi, step);
}

}  // namespace imchat
