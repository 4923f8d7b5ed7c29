// Clusters drawn as one image: measured and rasterised by the browser through glyph_raster (one
// crossing for a new cluster), copied into a rectangle of ImGui's atlas, drawn as a textured quad.
#include "platform/cluster_raster.h"

#include <emscripten/emscripten.h>
#include <float.h>
#include <string.h>

#include <string>
#include <unordered_map>
#include <vector>

#include "core/graphemes.h"
#include "core/utf8.h"
#include "imgui_internal.h"  // the atlas packer
#include "platform/glyph_raster.h"
#include "platform/platform.h"

namespace imchat::platform {
namespace {

// At most this many cluster images at once; the least recently drawn goes first. A screenful
// holds far fewer; 512 images of even a 64 px heading's emoji (~20 KB each) are ~10 MB of the
// atlas's 32 MB, so the glyphs keep their room.
constexpr size_t kMaxClusters = 512;

struct ClusterImage {
    GlyphMetrics metrics;     // device pixels
    ImFontAtlasRectId rect = ImFontAtlasRectId_Invalid;
    bool coloured = false;
    long long last_used = 0;
};

struct Clusters {
    std::unordered_map<std::string, ClusterImage> images;  // key: face, size, text
    std::vector<GlyphRequest> requests;
    GlyphSheet sheet;
    long long clock = 0;
};
Clusters g_clusters;

struct FaceAt {
    int face;
    float px;       // device pixels
    float density;  // device pixels per CSS pixel
    ImFontBaked* baked;
};

FaceAt face_at(ImFont* font, float size)
{
    ImFontBaked* baked = font->GetFontBaked(size);
    ImFontConfig* src = font->Sources[0];
    const float density = src->RasterizerDensity * baked->RasterizerDensity;
    return {(int)src->FontLoaderFlags, baked->Size * density, density, baked};
}

std::string key_of(const FaceAt& f, std::string_view text)
{
    std::string key;
    key.reserve(text.size() + 8);
    key += (char)f.face;
    key.append(reinterpret_cast<const char*>(&f.px), sizeof f.px);
    key.append(text);
    return key;
}

// Code keeps its columns (as the loader does for single code points): a cluster wider than a
// column takes exactly two, its image centred in them.
float column_shift(const FaceAt& f, float& advance)
{
    if (f.face != GlyphFace_Mono || advance <= 0)
        return 0;
    const float column = glyph_measure(f.face, f.px, "0").advance / f.density;
    const float columns = advance > column * 1.25f ? 2.0f : 1.0f;
    const float shift = (columns * column - advance) * 0.5f;
    advance = columns * column;
    return shift;
}

void evict_oldest()
{
    Clusters& c = g_clusters;
    auto oldest = c.images.begin();
    for (auto it = c.images.begin(); it != c.images.end(); ++it)
        if (it->second.last_used < oldest->second.last_used)
            oldest = it;
    if (oldest == c.images.end())
        return;
    ImFontAtlas* atlas = ImGui::GetIO().Fonts;
    if (ImFontAtlasPackGetRectSafe(atlas, oldest->second.rect))
        ImFontAtlasPackDiscardRect(atlas, oldest->second.rect);
    c.images.erase(oldest);
}

// Text is drawn white, so any inked pixel darker than white in some channel is the font's own
// colour (grey family emoji included, which a chroma test misses): the cluster is not tinted.
bool drawn_in_colour(const uint8_t* p, int pitch, int w, int h)
{
    for (int y = 0; y < h; y++, p += pitch)
        for (const uint8_t* q = p; q < p + w * 4; q += 4)
            if (q[3] > 64 && ImMin(q[0], ImMin(q[1], q[2])) < 200)
                return true;
    return false;
}

// Draws the cluster with the browser and copies it into a new atlas rectangle.
void rasterise(ClusterImage& image, const FaceAt& f, std::string_view text)
{
    Clusters& c = g_clusters;
    ImFontAtlas* atlas = ImGui::GetIO().Fonts;
    const int w = image.metrics.x1 - image.metrics.x0, h = image.metrics.y1 - image.metrics.y0;
    if (w <= 0 || h <= 0)
        return;
    image.rect = ImFontAtlasPackAddRect(atlas, w, h);
    if (image.rect == ImFontAtlasRectId_Invalid)
        return;  // no room: drawn blank; older clusters go first next time (kMaxClusters)
    c.requests.resize(1);
    GlyphRequest& r = c.requests[0];
    r.face = f.face;
    r.px = f.px;
    r.text.assign(text);
    r.metrics = image.metrics;
    glyph_raster_batch(c.requests, c.sheet);
    ImTextureRect* rect = ImFontAtlasPackGetRect(atlas, image.rect);
    ImTextureData* tex = atlas->TexData;
    const int pitch = c.sheet.width * 4;
    const uint8_t* from = &c.sheet.pixels[(size_t)r.sheet_y * pitch + (size_t)r.sheet_x * 4];
    image.coloured = drawn_in_colour(from, pitch, w, h);
    for (int y = 0; y < h; y++) {
        uint8_t* to = (uint8_t*)tex->GetPixelsAt(rect->x, rect->y + y);
        const uint8_t* row = from + (size_t)y * pitch;
        if (image.coloured) {
            memcpy(to, row, (size_t)w * 4);
        } else {  // white with coverage in alpha: the vertex colour tints it, as for glyphs
            for (int x = 0; x < w; x++) {
                to[x * 4 + 0] = to[x * 4 + 1] = to[x * 4 + 2] = 255;
                to[x * 4 + 3] = row[x * 4 + 3];
            }
        }
    }
    if (image.coloured)
        atlas->TexPixelsUseColors = tex->UseColors = true;
    ImFontAtlasTextureBlockQueueUpload(atlas, tex, rect->x, rect->y, w, h);
}

ClusterImage& image_of(const FaceAt& f, std::string_view text)
{
    Clusters& c = g_clusters;
    std::string key = key_of(f, text);
    auto it = c.images.find(key);
    if (it == c.images.end()) {
        if (c.images.size() >= kMaxClusters)
            evict_oldest();
        it = c.images.emplace(std::move(key), ClusterImage()).first;
        it->second.metrics = glyph_measure(f.face, f.px, std::string(text));
    }
    it->second.last_used = ++c.clock;
    return it->second;
}

// Draws one cluster with its pen at x; returns its advance.
float draw_cluster(ImDrawList* draw, const FaceAt& f, float size, ImVec2 pen, ImU32 color, std::string_view text)
{
    ClusterImage& image = image_of(f, text);
    ImFontAtlas* atlas = ImGui::GetIO().Fonts;
    const float scale = size / f.baked->Size;
    float advance = image.metrics.advance / f.density;
    const float shift = column_shift(f, advance);
    ImTextureRect* r = ImFontAtlasPackGetRectSafe(atlas, image.rect);
    if (!r) {  // new, or its rectangle went with an atlas eviction
        rasterise(image, f, text);
        r = ImFontAtlasPackGetRectSafe(atlas, image.rect);
    }
    if (r) {
        const float x0 = pen.x + (image.metrics.x0 / f.density + shift) * scale;
        const float y0 = pen.y + (image.metrics.y0 / f.density + IM_ROUND(f.baked->Ascent)) * scale;
        const ImVec2 uv0(r->x * atlas->TexUvScale.x, r->y * atlas->TexUvScale.y);
        const ImVec2 uv1((r->x + r->w) * atlas->TexUvScale.x, (r->y + r->h) * atlas->TexUvScale.y);
        const ImU32 tint = image.coloured ? ((color & IM_COL32_A_MASK) | 0x00FFFFFF) : color;
        draw->AddImage(atlas->TexRef, ImVec2(x0, y0), ImVec2(x0 + r->w / f.density * scale, y0 + r->h / f.density * scale),
                       uv0, uv1, tint);
    }
    return advance * scale;
}

}  // namespace

float cluster_advance(ImFont* font, float size, std::string_view cluster)
{
    FaceAt f = face_at(font, size);
    float advance = glyph_measure(f.face, f.px, std::string(cluster)).advance / f.density;
    column_shift(f, advance);
    return advance * (size / f.baked->Size);
}

void draw_text_clusters(ImDrawList* draw, ImFont* font, float size, ImVec2 pos, ImU32 color, const char* begin,
                        const char* end)
{
    const std::string_view text(begin, size_t(end - begin));
    size_t i = 0;
    while (i < text.size() && (unsigned char)text[i] < 0x80)
        i++;
    if (i == text.size())  // ASCII: the glyphs as ImGui draws them
        return draw->AddText(font, size, pos, color, begin, end);
    FaceAt f = face_at(font, size);
    float x = pos.x;
    size_t piece = 0;  // start of the code points not drawn yet
    i = 0;
    while (i < text.size()) {
        if ((unsigned char)text[i] < 0x80 && (i + 1 >= text.size() || (unsigned char)text[i + 1] < 0x80)) {
            i++;
            continue;
        }
        size_t one = i;
        utf8_next(text, one);
        const size_t cluster_end = grapheme_end(text, uint32_t(i));
        if (cluster_end <= one) {
            i = one;
            continue;
        }
        if (i > piece) {
            draw->AddText(font, size, ImVec2(x, pos.y), color, begin + piece, begin + i);
            x += font->CalcTextSizeA(size, FLT_MAX, 0.0f, begin + piece, begin + i).x;
        }
        x += draw_cluster(draw, f, size, ImVec2(x, pos.y), color, text.substr(i, cluster_end - i));
        i = piece = cluster_end;
    }
    if (piece < text.size())
        draw->AddText(font, size, ImVec2(x, pos.y), color, begin + piece, end);
}

namespace {

// Test hook (window.imchat.drawClusters): a string drawn over everything, white on black, by
// draw_text_clusters, just before each frame is rendered.
struct TestText {
    std::string text;
    int face = 0;
    float x = 0, y = 0, size = 0;
    bool hooked = false;
} g_test;

void draw_test_clusters(ImGuiContext*, ImGuiContextHook*)
{
    if (g_test.text.empty())
        return;
    ImFont* faces[] = {ui_font(), mono_font(), bold_font(), italic_font()};
    ImFont* font = faces[g_test.face];
    ImDrawList* draw = ImGui::GetForegroundDrawList();
    const ImVec2 at(g_test.x, g_test.y);
    draw->AddRectFilled(ImVec2(at.x - 8, at.y - 8), ImVec2(at.x + 800, at.y + g_test.size * 2 + 8), IM_COL32(0, 0, 0, 255));
    const char* b = g_test.text.data();
    draw_text_clusters(draw, font, g_test.size, at, IM_COL32(255, 255, 255, 255), b, b + g_test.text.size());
}

}  // namespace
}  // namespace imchat::platform

// Test hook: window.imchat.drawClusters(text, face, x, y, size), as drawText but through our
// cluster drawing; window.imchat.clusterImages(): cluster images held.
extern "C" EMSCRIPTEN_KEEPALIVE void imchat_platform_draw_test_clusters(const char* text, int face, float x, float y, float size)
{
    using namespace imchat::platform;
    if (!g_test.hooked) {
        ImGuiContextHook hook;
        hook.Type = ImGuiContextHookType_RenderPre;
        hook.Callback = draw_test_clusters;
        ImGui::AddContextHook(ImGui::GetCurrentContext(), &hook);
        g_test.hooked = true;
    }
    g_test.text = text ? text : "";
    g_test.face = face >= 0 && face < 4 ? face : 0;
    g_test.x = x;
    g_test.y = y;
    g_test.size = size;
    request_frame();
}

extern "C" EMSCRIPTEN_KEEPALIVE int imchat_platform_cluster_images(void)
{
    return (int)imchat::platform::g_clusters.images.size();
}
