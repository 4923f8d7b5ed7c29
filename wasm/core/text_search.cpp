#include "core/text_search.h"

#include <string>

namespace imchat {

namespace {

// Ill-formed bytes decode to a private value per byte, so they match only the same byte.
constexpr char32_t kRawByte = 0x110000;

// The code point at text[i] and its length in bytes (1 for an ill-formed byte).
char32_t decode_at(std::string_view text, size_t i, size_t& length)
{
    const unsigned char b = static_cast<unsigned char>(text[i]);
    length = 1;
    if (b < 0x80)
        return b;
    size_t n = b >= 0xF0 && b <= 0xF4 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 && b < 0xE0 ? 2 : 0;
    if (n == 0 || b > 0xF4 || i + n > text.size())
        return kRawByte + b;
    char32_t c = b & (0x7F >> n);
    for (size_t k = 1; k < n; k++) {
        const unsigned char t = static_cast<unsigned char>(text[i + k]);
        if ((t & 0xC0) != 0x80)
            return kRawByte + b;
        c = (c << 6) | (t & 0x3F);
    }
    // Overlong forms, surrogates and values past U+10FFFF are ill-formed too.
    if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10FFFF)) || (c >= 0xD800 && c <= 0xDFFF))
        return kRawByte + b;
    length = n;
    return c;
}

// Blocks where upper and lower case alternate: even code point upper, the next one lower.
bool in_even_odd_pairs(char32_t c)
{
    static const char32_t kRanges[][2] = {
        {0x100, 0x12F}, {0x132, 0x137}, {0x14A, 0x177}, {0x1DE, 0x1EF}, {0x1F8, 0x21F},
        {0x222, 0x233}, {0x246, 0x24F}, {0x370, 0x373}, {0x3D8, 0x3EF}, {0x460, 0x481},
        {0x48A, 0x4BF}, {0x4D0, 0x52F}, {0x1E00, 0x1E95}, {0x1EA0, 0x1EFF}, {0x2C80, 0x2CE3},
        {0xA640, 0xA66D}, {0xA680, 0xA69B}, {0xA722, 0xA72F}, {0xA732, 0xA76F}, {0xA77E, 0xA787},
    };
    for (const auto& r : kRanges)
        if (c >= r[0] && c <= r[1])
            return true;
    return false;
}

}  // namespace

char32_t fold_case(char32_t c)
{
    if (c < 0x80)
        return c >= 'A' && c <= 'Z' ? c + 32 : c;
    if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
        return c + 32;  // Latin-1 capitals
    if (in_even_odd_pairs(c))
        return c | 1;
    // Blocks where the capital is odd and the small letter follows it.
    if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E) || (c >= 0x4C1 && c <= 0x4CE))
        return c & 1 ? c + 1 : c;
    if (c >= 0x391 && c <= 0x3AB && c != 0x3A2)
        return c + 32;  // Greek capitals
    if (c >= 0x410 && c <= 0x42F)
        return c + 32;  // Cyrillic capitals
    if (c >= 0x400 && c <= 0x40F)
        return c + 80;  // Ѐ..Џ
    if (c >= 0x531 && c <= 0x556)
        return c + 48;  // Armenian
    if (c >= 0x10A0 && c <= 0x10C5)
        return c + 0x1C60;  // Georgian Asomtavruli -> Nuskhuri
    if (c >= 0x2160 && c <= 0x216F)
        return c + 16;  // Roman numerals
    if (c >= 0x24B6 && c <= 0x24CF)
        return c + 26;  // circled letters
    if (c >= 0x2C00 && c <= 0x2C2F)
        return c + 48;  // Glagolitic
    if (c >= 0xFF21 && c <= 0xFF3A)
        return c + 32;  // fullwidth Latin
    if (c >= 0x10400 && c <= 0x10427)
        return c + 40;  // Deseret
    switch (c) {
    case 0xB5: return 0x3BC;    // micro sign -> μ
    case 0x178: return 0xFF;    // Ÿ
    case 0x17F: return 's';     // long s
    case 0x386: return 0x3AC;   // Greek capitals with tonos
    case 0x388: return 0x3AD;
    case 0x389: return 0x3AE;
    case 0x38A: return 0x3AF;
    case 0x38C: return 0x3CC;
    case 0x38E: return 0x3CD;
    case 0x38F: return 0x3CE;
    case 0x3C2: return 0x3C3;   // final sigma
    case 0x4C0: return 0x4CF;   // palochka
    case 0x1E9E: return 0xDF;   // capital sharp s
    case 0x2126: return 0x3C9;  // ohm sign
    case 0x212A: return 'k';    // kelvin sign
    case 0x212B: return 0xE5;   // angstrom sign
    default: return c;
    }
}

TextRange find_ignoring_case(std::string_view text, std::string_view query, size_t from)
{
    std::u32string folded;
    for (size_t i = 0, n = 0; i < query.size(); i += n)
        folded.push_back(fold_case(decode_at(query, i, n)));
    if (folded.empty())
        return {};
    for (size_t start = from, first_length = 0; start < text.size(); start += first_length) {
        const char32_t first = fold_case(decode_at(text, start, first_length));
        if (first != folded[0])
            continue;
        size_t at = start + first_length, k = 1, n = 0;
        while (k < folded.size() && at < text.size() && fold_case(decode_at(text, at, n)) == folded[k]) {
            at += n;
            k++;
        }
        if (k == folded.size())
            return {start, at};
    }
    return {};
}

bool text_matches(std::string_view text, std::string_view query)
{
    return query.empty() || find_ignoring_case(text, query).found();
}

}  // namespace imchat
