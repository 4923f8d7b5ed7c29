#include "platform/a11y_dom.h"

#include <emscripten/emscripten.h>

#include <algorithm>
#include <cstdio>

#include "platform/platform.h"

// The DOM side is in a11y_glue.js.
extern "C" {
void imchat_a11y_sync_twins(const char* records, int size);
void imchat_a11y_message(int index, const char* role);
void imchat_a11y_truncate(int count);
void imchat_a11y_truncate_blocks(int count);
void imchat_a11y_block(const int* header, const char* text, const uint32_t* runs, int run_count);
void imchat_a11y_append(const char* text, const uint32_t* runs, int run_count);
void imchat_a11y_table_rows(int first_row, const char* rows, int size);
void imchat_a11y_announce(const char* text, int size);
}

namespace imchat::platform {

namespace {

std::vector<Twin> g_published;
std::string g_records;     // reused: the serialised list handed to the page
uint32_t g_activated = 0;  // set by the page between frames, read for one frame

}  // namespace

void publish_twins(const Twin* twins, size_t count)
{
    g_activated = 0;  // its frame is over: a twin acts once
    if (std::equal(twins, twins + count, g_published.begin(), g_published.end()))
        return;  // the usual frame: nothing moved, nothing to tell the page
    g_published.assign(twins, twins + count);
    // One record per twin: "id role flags parent x y w h" then the name, records ending in U+001E.
    g_records.clear();
    char numbers[96];
    for (const Twin& t : g_published) {
        int n = snprintf(numbers, sizeof(numbers), "%u %d %d %d %d %d %d %d\x1f", t.id, static_cast<int>(t.role), t.flags, t.parent,
                         t.x, t.y, t.w, t.h);
        g_records.append(numbers, n);
        g_records += t.name;
        g_records += '\x1e';
    }
    imchat_a11y_sync_twins(g_records.data(), static_cast<int>(g_records.size()));
}

uint32_t twin_activated()
{
    return g_activated;
}

void mirror_message(int index, const char* role)
{
    imchat_a11y_message(index, role);
}

void mirror_truncate(int count)
{
    imchat_a11y_truncate(count);
}

void mirror_truncate_blocks(int count)
{
    imchat_a11y_truncate_blocks(count);
}

// Text goes to the page as a pointer and byte runs: the glue decodes each run on its own, so
// no copy of the text is made on this side.
static_assert(sizeof(InlineRun) == 3 * sizeof(uint32_t));

void mirror_block(const MirrorBlock& b, std::string_view text, const std::vector<InlineRun>& runs)
{
    const int header[] = {static_cast<int>(b.kind), b.level, b.quote_depth, b.list_depth, b.ordered, b.number, b.task_state};
    imchat_a11y_block(header, text.data(), reinterpret_cast<const uint32_t*>(runs.data()), static_cast<int>(runs.size()));
}

void mirror_append(std::string_view text, const std::vector<InlineRun>& runs)
{
    imchat_a11y_append(text.data(), reinterpret_cast<const uint32_t*>(runs.data()), static_cast<int>(runs.size()));
}

void mirror_table_rows(int first_row, std::string_view rows)
{
    imchat_a11y_table_rows(first_row, rows.data(), static_cast<int>(rows.size()));
}

void announce(std::string_view sentences)
{
    if (!sentences.empty())
        imchat_a11y_announce(sentences.data(), static_cast<int>(sentences.size()));
}

}  // namespace imchat::platform

// A twin was clicked or pressed (Enter, Space, a screen reader's action): the next frame's
// control with that id acts as if clicked.
extern "C" EMSCRIPTEN_KEEPALIVE void imchat_a11y_activate(uint32_t id)
{
    imchat::platform::g_activated = id;
    imchat::platform::request_frame();
}
