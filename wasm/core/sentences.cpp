#include "core/sentences.h"

namespace imchat {

namespace {

bool is_space(char c)
{
    return c == ' ' || c == '\n' || c == '\t' || c == '\r';
}

bool is_closer(char c)
{
    return c == '"' || c == '\'' || c == ')' || c == ']' || c == '*' || c == '_';
}

// 。 E3 80 82, ！ EF BC 81, ？ EF BC 9F: the byte after which the sentence has ended.
bool ends_cjk_stop(std::string_view t, size_t i)
{
    if (i < 2)
        return false;
    unsigned char a = t[i - 2], b = t[i - 1], c = t[i];
    return (a == 0xE3 && b == 0x80 && c == 0x82) || (a == 0xEF && b == 0xBC && (c == 0x81 || c == 0x9F));
}

} // namespace

size_t last_sentence_end(std::string_view text, size_t from, size_t scan_from)
{
    size_t found = from;
    if (scan_from < from)
        scan_from = from;
    // A sentence's end may lie in the bytes just before: step back over its mark and closers.
    auto in_mark = [&](char c) { return c == '.' || c == '!' || c == '?' || is_closer(c); };
    while (scan_from > from && in_mark(text[scan_from - 1]))
        scan_from--;
    for (size_t i = scan_from; i < text.size(); i++) {
        char c = text[i];
        size_t end = 0;  // one past the sentence's last byte, when it ends here
        if (c == '\n') {
            end = i + 1;
        } else if (ends_cjk_stop(text, i)) {
            end = i + 1;
        } else if (c == '.' || c == '!' || c == '?') {
            size_t j = i + 1;
            while (j < text.size() && (text[j] == '.' || text[j] == '!' || text[j] == '?' || is_closer(text[j])))
                j++;
            if (j < text.size() && is_space(text[j]))
                end = j;
            i = j - 1;
        }
        if (end) {
            while (end < text.size() && is_space(text[end]))
                end++;
            found = end;
            i = end - 1;
        }
    }
    return found;
}

}  // namespace imchat
