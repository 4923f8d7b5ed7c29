// Portable helpers of the transports: URL pieces, Retry-After, media types.
#include "net/transport.h"

#include <cctype>
#include <cstdio>
#include <cstring>
#include <ctime>

namespace imchat {
namespace {

bool starts_with_nocase(std::string_view s, std::string_view prefix) {
    if (s.size() < prefix.size()) return false;
    for (size_t i = 0; i < prefix.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
    return true;
}

size_t scheme_length(std::string_view url) {
    if (starts_with_nocase(url, "http://")) return 7;
    if (starts_with_nocase(url, "https://")) return 8;
    return 0;
}

}  // namespace

std::string url_origin(std::string_view url) {
    size_t start = scheme_length(url);
    if (start == 0) return {};
    size_t end = url.find_first_of("/?#", start);
    if (end == std::string_view::npos) end = url.size();
    if (end == start) return {};
    std::string origin(url.substr(0, end));
    for (size_t i = 0; i < start; ++i) origin[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(origin[i])));
    return origin;
}

bool url_is_usable(std::string_view url) {
    for (char c : url)
        if (static_cast<unsigned char>(c) <= ' ') return false;  // spaces, controls: a typo
    if (!url.empty() && url[0] == '/') return url.size() < 2 || url[1] != '/';
    return !url_origin(url).empty();
}

std::string url_with_query(std::string_view url, std::string_view name, std::string_view value) {
    std::string out(url);
    size_t hash = out.find('#');
    std::string fragment;
    if (hash != std::string::npos) {
        fragment = out.substr(hash);
        out.resize(hash);
    }
    out += out.find('?') == std::string::npos ? '?' : '&';
    out += name;
    out += '=';
    static const char hex[] = "0123456789ABCDEF";
    for (unsigned char c : value) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out + fragment;
}

int parse_retry_after(std::string_view value, double now_unix_ms) {
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
    if (value.empty()) return -1;
    bool digits = true;
    for (char c : value) digits = digits && std::isdigit(static_cast<unsigned char>(c));
    if (digits) {
        if (value.size() > 9) return 999999999;
        int seconds = 0;
        for (char c : value) seconds = seconds * 10 + (c - '0');
        return seconds;
    }
    // IMF-fixdate, the one form servers send: "Sun, 06 Nov 1994 08:49:37 GMT".
    char weekday[4] = {}, month[4] = {}, zone[4] = {};
    int day = 0, year = 0, hour = 0, minute = 0, second = 0;
    std::string text(value);
    if (std::sscanf(text.c_str(), "%3s, %d %3s %d %d:%d:%d %3s", weekday, &day, month, &year, &hour,
                    &minute, &second, zone) != 8)
        return -1;
    static const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    int mon = -1;
    for (int i = 0; i < 12; ++i)
        if (std::strcmp(month, months[i]) == 0) mon = i;
    if (mon < 0 || std::strcmp(zone, "GMT") != 0) return -1;
    // Days from the civil date (proleptic Gregorian), so no time-zone-dependent mktime.
    int y = year - (mon < 2);
    int era = (y >= 0 ? y : y - 399) / 400;
    int yoe = y - era * 400;
    int mp = (mon + 10) % 12;  // March = 0
    int doy = (153 * mp + 2) / 5 + day - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    double days = era * 146097.0 + doe - 719468;
    double when_ms = ((days * 24 + hour) * 60 + minute) * 60000.0 + second * 1000.0;
    double delta = (when_ms - now_unix_ms) / 1000.0;
    if (delta <= 0) return 0;
    return delta > 999999999 ? 999999999 : static_cast<int>(delta + 0.999);
}

std::string media_type(std::string_view content_type) {
    size_t end = content_type.find(';');
    std::string_view type = content_type.substr(0, end);
    while (!type.empty() && type.front() == ' ') type.remove_prefix(1);
    while (!type.empty() && type.back() == ' ') type.remove_suffix(1);
    std::string out(type);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

}  // namespace imchat
