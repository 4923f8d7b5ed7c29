#include "core/bench_document.h"

namespace imchat::bench {
namespace {

const char* const kSections[] = {
    "## Section heading\n\nA paragraph with **bold**, *italic*, `code` and a [link](https://example.com). "
    "It goes on for a while so that it wraps over several lines in a chat column of ordinary width.\n\n",
    "- first point with some words\n- second point\n  - nested point with `inline code`\n  - another one\n"
    "- third point\n\n",
    "| Name | Value | Note |\n|------|------:|------|\n| alpha | 1 | first |\n| beta | 22 | second |\n"
    "| gamma | 333 | **third** |\n\n",
    "中文段落：这是一段用于测试的中文文本，包含标点符号，以及一些 English words 混合在一起。"
    "我们希望它能正确地换行，并且不会在标点之前断开。\n\n",
    "1. step one\n2. step two\n3. step three with more words to wrap around the edge of the column\n\n",
    "```python\ndef handler(event):\n    # a closed code block\n    return {\"status\": 200, \"body\": event}\n```\n\n",
    "> A quote with *emphasis* that spans\n> more than one line.\n\n",
};
constexpr size_t kSectionCount = sizeof kSections / sizeof *kSections;

const char* const kCodeLines[] = {
    "    result = compute(value, factor=2.5)  # scale\n",
    "    if result > threshold:\n",
    "        items.append({\"name\": name, \"count\": 42})\n",
    "    for i in range(len(items)):\n",
    "        print(f\"{i}: {items[i]}\")\n",
    "def helper(x, y):\n",
    "    \"\"\"Adds two numbers.\"\"\"\n",
    "    return x + y\n",
};
constexpr size_t kCodeLineCount = sizeof kCodeLines / sizeof *kCodeLines;

}  // namespace

std::string_view section(size_t k) { return kSections[k % kSectionCount]; }
size_t code_line_count() { return kCodeLineCount; }
std::string_view code_line(size_t i) { return kCodeLines[i % kCodeLineCount]; }

std::string document_with_open_fence(size_t size)
{
    std::string text;
    const size_t prose = size - size / 5;
    for (size_t i = 0; text.size() < prose; i++)
        text += section(i);
    text += "```python\n";
    for (size_t i = 0; text.size() < size; i++)
        text += code_line(i);
    return text;
}

std::string document_with_open_paragraph(size_t size)
{
    std::string text;
    for (size_t i = 0; text.size() < size; i++)
        text += section(i);
    return text + "The answer continues";
}

}  // namespace imchat::bench
