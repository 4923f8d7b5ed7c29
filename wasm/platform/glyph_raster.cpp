#include "platform/glyph_raster.h"

#include <emscripten/emscripten.h>
#include <math.h>

#include <algorithm>
#include <unordered_map>

#include "platform/platform.h"

extern "C" {
int imchat_glyph_init(void);
int imchat_glyph_cjk_region(void);
void imchat_glyph_set_face(int face, const char* family, int weight, int italic);
void imchat_glyph_measure(int face, float px, int count, const int32_t* texts, float* out);
void imchat_glyph_raster_batch(int count, const int32_t* requests, int width, int height, uint8_t* pixels);
}

namespace imchat::platform {
namespace {

// The system's fonts, most specific first. The emoji fonts come last so that a text font's own
// symbols win over emoji where both have a character (digits, #, *); generic families resolve
// to whatever the system has for each script (Chromium falls back per character).
const char* const kEmoji = "\"Apple Color Emoji\", \"Segoe UI Emoji\", \"Noto Color Emoji\"";
// CJK fonts by name, after the text stack: a character that no font of the stack has goes to
// the browser's per-character system fallback, which costs Chromium on Linux 80-360 us per new
// character (a fontconfig search each); with the platforms' CJK fonts named it is 20-50 us
// (docs/PERFORMANCE.md, "World text"). Han characters take different shapes per region, so the
// reader's region comes first (navigator.language), as the browser's own fallback would pick.
const char* const kCjkByRegion[4] = {
    "\"Noto Sans CJK SC\", \"Source Han Sans SC\", \"PingFang SC\", \"Microsoft YaHei\"",
    "\"Noto Sans CJK TC\", \"Source Han Sans TC\", \"PingFang TC\", \"Microsoft JhengHei\"",
    "\"Noto Sans CJK JP\", \"Source Han Sans JP\", \"Hiragino Sans\", \"Yu Gothic\", \"Meiryo\"",
    "\"Noto Sans CJK KR\", \"Source Han Sans KR\", \"Apple SD Gothic Neo\", \"Malgun Gothic\"",
};
const char* const kCjkMonoByRegion[4] = {"\"Noto Sans Mono CJK SC\"", "\"Noto Sans Mono CJK TC\"",
                                         "\"Noto Sans Mono CJK JP\"", "\"Noto Sans Mono CJK KR\""};

std::string cjk_families(int first_region, bool mono)
{
    std::string out;
    for (int pass = 0; pass < (mono ? 2 : 1); pass++) {
        const char* const* list = mono && pass == 0 ? kCjkMonoByRegion : kCjkByRegion;
        for (int i = 0; i < 4; i++) {
            const int region = i == 0 ? first_region : (i <= first_region ? i - 1 : i);
            out += ", ";
            out += list[region];
        }
    }
    return out;
}

struct FaceSpec { const char* family; int weight; bool italic; };
std::string g_families[GlyphFace_Count];
const FaceSpec kFaces[GlyphFace_Count] = {
    {"system-ui, sans-serif", 400, false},
    {"ui-monospace, Menlo, Consolas, \"Noto Sans Mono\", \"DejaVu Sans Mono\", monospace", 400, false},
    {"system-ui, sans-serif", 700, false},
    {"system-ui, sans-serif", 400, true},
};

struct Cache {
    std::unordered_map<std::string, GlyphMetrics> metrics;
    GlyphRasterStats stats;
    std::vector<int32_t> request_words;
};
Cache g_cache;

std::string cache_key(int face, float px, const std::string& text)
{
    // Sizes are kept to 1/64 px, like the batch requests.
    std::string key;
    key.reserve(text.size() + 8);
    const int32_t size = (int32_t)lroundf(px * 64.0f);
    key.push_back((char)face);
    key.append((const char*)&size, sizeof(size));
    key += text;
    return key;
}

GlyphMetrics metrics_from(const float* m)
{
    GlyphMetrics g;
    g.advance = m[0];
    g.font_ascent = m[5];
    g.font_descent = m[6];
    // No ink (a space): an empty box. Otherwise the ink bounds rounded out, one pixel of margin.
    if (m[1] + m[2] > 0 && m[3] + m[4] > 0) {
        g.x0 = (int)floorf(-m[1]) - 1;
        g.x1 = (int)ceilf(m[2]) + 1;
        g.y0 = (int)floorf(-m[3]) - 1;
        g.y1 = (int)ceilf(m[4]) + 1;
    }
    return g;
}

void measure_into_cache(int face, float px, const std::string* const* texts, int count)
{
    Cache& c = g_cache;
    const double start = now_ms();
    std::vector<int32_t> pointers((size_t)count);
    std::vector<float> out((size_t)count * 7);
    for (int i = 0; i < count; i++)
        pointers[i] = (int32_t)(intptr_t)texts[i]->c_str();
    imchat_glyph_measure(face, px, count, pointers.data(), out.data());
    for (int i = 0; i < count; i++)
        c.metrics[cache_key(face, px, *texts[i])] = metrics_from(&out[(size_t)i * 7]);
    c.stats.measures += count;
    c.stats.measure_ms += now_ms() - start;
}

} // namespace

bool glyph_raster_init()
{
    const bool readback_ok = imchat_glyph_init() != 0;
    for (int i = 0; i < GlyphFace_Count; i++) {
        int region = imchat_glyph_cjk_region();
        region = region >= 0 && region < 4 ? region : 0;
        g_families[i] = std::string(kFaces[i].family) + cjk_families(region, i == GlyphFace_Mono) + ", " + kEmoji;
        imchat_glyph_set_face(i, g_families[i].c_str(), kFaces[i].weight, kFaces[i].italic ? 1 : 0);
    }
    return readback_ok;
}

const GlyphMetrics& glyph_measure(int face, float px, const std::string& text)
{
    Cache& c = g_cache;
    auto found = c.metrics.find(cache_key(face, px, text));
    if (found != c.metrics.end())
        return found->second;
    const std::string* one = &text;
    measure_into_cache(face, px, &one, 1);
    return c.metrics[cache_key(face, px, text)];
}

void glyph_measure_ahead(int face, float px, const std::vector<std::string>& texts)
{
    Cache& c = g_cache;
    std::vector<const std::string*> missing;
    for (const std::string& t : texts)
        if (c.metrics.find(cache_key(face, px, t)) == c.metrics.end())
            missing.push_back(&t);
    if (!missing.empty())
        measure_into_cache(face, px, missing.data(), (int)missing.size());
}

void glyph_raster_batch(std::vector<GlyphRequest>& requests, GlyphSheet& sheet)
{
    if (requests.empty())
        return;
    Cache& c = g_cache;
    const double start = now_ms();
    // Shelf packing into rows of a fixed width: the sheet is thrown away after the batch, so
    // nothing smarter pays. Two pixels between boxes keep anti-aliasing from bleeding across.
    const int kGap = 2;
    int row_width = 1024;
    for (const GlyphRequest& r : requests)
        row_width = std::max(row_width, r.metrics.x1 - r.metrics.x0 + kGap);
    int x = 0, y = 0, row_height = 0;
    for (GlyphRequest& r : requests) {
        const int w = r.metrics.x1 - r.metrics.x0, h = r.metrics.y1 - r.metrics.y0;
        if (x + w + kGap > row_width) {
            x = 0;
            y += row_height;
            row_height = 0;
        }
        r.sheet_x = x;
        r.sheet_y = y;
        x += w + kGap;
        row_height = std::max(row_height, h + kGap);
    }
    sheet.width = row_width;
    sheet.height = std::max(1, y + row_height);
    sheet.pixels.resize((size_t)sheet.width * sheet.height * 4);
    c.request_words.resize(requests.size() * 5);
    for (size_t i = 0; i < requests.size(); i++) {
        const GlyphRequest& r = requests[i];
        int32_t* w = &c.request_words[i * 5];
        w[0] = r.face;
        w[1] = (int32_t)lroundf(r.px * 64.0f);
        w[2] = (int32_t)(intptr_t)r.text.c_str();
        w[3] = r.sheet_x - r.metrics.x0;
        w[4] = r.sheet_y - r.metrics.y0;
    }
    imchat_glyph_raster_batch((int)requests.size(), c.request_words.data(), sheet.width, sheet.height, sheet.pixels.data());
    c.stats.glyphs += (long long)requests.size();
    c.stats.batches++;
    c.stats.batch_ms += now_ms() - start;
}

const GlyphRasterStats& glyph_raster_stats() { return g_cache.stats; }

} // namespace imchat::platform
