#include "ui/palette.h"

#include <algorithm>
#include <cmath>

namespace imchat::ui {

namespace {

// Every label colour below was checked against every fill it sits on (tests/unit/palette_test):
// ImGui's own blue states (60 % grey text on #4296fa) fell to 2.8:1.
constexpr Palette kDark = {
    true,
    0x1e1f22, 0x17181a, 0xe6e6e6, 0xb0b3ba, 0x6ea8ff, 0xff6b6b, 0x2f3136, 0x141517, 0x34363c,
    0x34363c, 0x4a4d55, 0x3a3c42, 0x3a3c42, 0x26282c,
    {0xdcdcdc, 0xc586c0, 0xce9178, 0x6a9955, 0xb5cea8},
    0x4c8dff,
    0x26344d, 0x2b3b57, 0x31456a,
    0x26344d, 0x2b3b57, 0x31456a,
    0x2f3136, 0x383b41, 0x26344d,
    0xffffff, 0x2b5fc7, 0x2563eb, 0x1d4ed8, 0xc62828, 0xd03434, 0xb71c1c,
};

constexpr Palette kLight = {
    false,
    0xffffff, 0xf4f4f6, 0x1f2328, 0x595e66, 0x1d4ed8, 0xc62828, 0xeef0f3, 0xf6f8fa, 0xd8dde3,
    0xebedf0, 0xc9ced6, 0xd8dde3, 0xd0d7de, 0xf0f2f5,
    {0x24292f, 0xa626a4, 0x0a7d32, 0x6e7781, 0x986801},
    0x2563eb,
    0xe8eef9, 0xdde7fa, 0xd2e0fa,
    0xe8eef9, 0xdde7fa, 0xd2e0fa,
    0xeef0f3, 0xe2e5ea, 0xdde7fa,
    0xffffff, 0x2563eb, 0x1d4ed8, 0x1e40af, 0xc62828, 0xb71c1c, 0xa61b1b,
};

double channel(uint32_t c8)
{
    double c = c8 / 255.0;
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

double luminance(uint32_t rgb)
{
    return 0.2126 * channel((rgb >> 16) & 255) + 0.7152 * channel((rgb >> 8) & 255) + 0.0722 * channel(rgb & 255);
}

} // namespace

const Palette& dark_palette() { return kDark; }
const Palette& light_palette() { return kLight; }

double contrast_ratio(uint32_t a, uint32_t b)
{
    double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

} // namespace imchat::ui
