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
void imchat_a11y_block(const int* header, const char* text, const uint32_t* runs, int run_count, const char* links,
                       int links_size);
void imchat_a11y_append(const char* text, const uint32_t* runs, int run_count, const char* links, int links_size);
void imchat_a11y_table_rows(int first_row, const char* rows, int size);
void imchat_a11y_announce(const char* text, int size);
}

namespace imchat::platform {

namespace {

std::vector<Twin> g_published;
std::string g_records;     // reused: the serialised list handed to the page
uint32_t g_activated = 0;  // set by the page between frames, read for one frame
int g_step = 0;            // with it: a slider's step

}  // namespace

void publish_twins(const Twin* twins, size_t count)
{
    g_activated = 0;  // its frame is over: a twin acts once
    g_step = 0;
    if (std::equal(twins, twins + count, g_published.begin(), g_published.end()))
        return;  // the usual frame: nothing moved, nothing to tell the page
    g_published.assign(twins, twins + count);
    // One record per twin: "id role flags parent x y w h now lo hi", the name and the value,
    // separated by U+001F, records ending in U+001E.
    g_records.clear();
    char numbers[160];
    for (const Twin& t : g_published) {
        int n = snprintf(numbers, sizeof(numbers), "%u %d %d %d %d %d %d %d %g %g %g\x1f", t.id, static_cast<int>(t.role), t.flags,
                         t.parent, t.x, t.y, t.w, t.h, t.now, t.lo, t.hi);
        g_records.append(numbers, n);
        g_records += t.name;
        g_records += '\x1f';
        g_records += t.value;
        g_records += '\x1e';
    }
    imchat_a11y_sync_twins(g_records.data(), static_cast<int>(g_records.size()));
}

uint32_t twin_activated()
{
    return g_activated;
}

int twin_activation_step()
{
    return g_step;
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

void mirror_block(const MirrorBlock& b, std::string_view text, const std::vector<InlineRun>& runs, const InlineLinks& links)
{
    const int header[] = {static_cast<int>(b.kind), b.level, b.quote_depth, b.list_depth, b.ordered, b.number, b.task_state};
    imchat_a11y_block(header, text.data(), reinterpret_cast<const uint32_t*>(runs.data()), static_cast<int>(runs.size()),
                      links.data(), static_cast<int>(links.size()));
}

void mirror_append(std::string_view text, const std::vector<InlineRun>& runs, const InlineLinks& links)
{
    imchat_a11y_append(text.data(), reinterpret_cast<const uint32_t*>(runs.data()), static_cast<int>(runs.size()), links.data(),
                       static_cast<int>(links.size()));
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
// control with that id acts as if clicked (a slider moves by `step`; steps pressed between two
// frames add up, none is lost).
extern "C" EMSCRIPTEN_KEEPALIVE void imchat_a11y_activate(uint32_t id, int step)
{
    using namespace imchat::platform;
    g_step = g_activated == id ? g_step + step : step;
    g_activated = id;
    imchat::platform::request_frame();
}
