// The fonts: an ImGui 1.92 font loader (ImFontLoader) whose glyphs the browser draws in the
// system's font stacks (platform/glyph_raster), so every script and colour emoji the system
// has are drawn and no font file is ever downloaded.
//
// ImGui asks the loader for one code point at a time, synchronously, in the middle of drawing.
// Measuring is cheap (measureText, no readback) and is answered at once, so layout and
// drawing get real advances in the same frame. Drawing is not: a readback waits for the
// canvas. So the loader reserves the glyph's rectangle in the atlas, gives ImGui the glyph,
// and queues the drawing; just before ImGui::Render() (a RenderPre context hook) every glyph
// queued in the frame is drawn in one batch, one crossing into JS and one readback, and its
// pixels are copied into the atlas in time for this frame's texture upload.
//
// Sizes are baked at size x device pixel ratio (ImGui keys its bakes by density, so another
// screen or a zoom bakes again). Bold and italic are real faces of the same stacks.
#include <float.h>
#include <stdio.h>
#include <string.h>

#include <algorithm>
#include <string>
#include <vector>

#include "imgui_internal.h" // ImFontLoader, the atlas packer
#include "platform/glyph_raster.h"
#include "platform/platform_internal.h"

namespace imchat::platform {
namespace {

constexpr float kFontSize = 16.0f;
// Memory bound: ImGui discards a whole size only once it has gone unused, so a long session
// over many scripts could grow the atlas without end. 4096 x 2048 RGBA is 32 MB of CPU pixels
// and as much on the GPU: at most 64 MB together.
constexpr int kAtlasMaxWidth = 4096, kAtlasMaxHeight = 2048;
// A batch larger than this waits for the next frame (a sheet stays well within canvas limits).
constexpr int kMaxGlyphsPerBatch = 4096;
// Drawing budget per frame: a new screenful of thousands of glyphs (CJK) is drawn over a few
// frames instead of holding one frame for all of it; metrics are never deferred (ImGui lays
// text out with them at once), only pixels, and frames are requested until every glyph landed.
// The count per frame comes from the cost per glyph of the batches so far.
constexpr double kDrawBudgetMs = 16.0;
constexpr int kMinGlyphsPerBatch = 64;

struct PendingGlyph {
    ImFontBaked* baked;
    ImWchar codepoint;
    ImFontAtlasRectId rect;
    // Where the rectangle was when ImGui took the glyph: if the atlas grows or repacks later in
    // the frame, the vertices already written for it still sample that texture at that place.
    ImTextureData* tex;
    unsigned short x, y;
};

struct Fonts {
    bool started = false, ready = false;
    ImFont* faces[GlyphFace_Count] = {};
    ImFontLoader loader;
    std::vector<PendingGlyph> pending;
    std::vector<GlyphRequest> requests;
    GlyphSheet sheet;
    bool atlas_full = false; // a glyph found no room since the last eviction
    int evictions = 0;
    double ms_per_glyph = 0.05; // running estimate of a batch's cost per glyph
    // The benchmark's first-frame figures: what the first frame measured and drew.
    bool first_frame_done = false;
    GlyphRasterStats first_frame;
    // Test hook (window.imchat.drawText): a string drawn over everything, white on black.
    std::string test_text;
    int test_face = 0;
    float test_x = 0, test_y = 0, test_size = 0;
};
Fonts g_fonts;

std::string utf8_of(unsigned c)
{
    char buf[5] = {};
    ImTextCharToUtf8(buf, c);
    return buf;
}

float density_of(ImFontConfig* src, ImFontBaked* baked)
{
    return src->RasterizerDensity * baked->RasterizerDensity;
}

bool src_init(ImFontAtlas*, ImFontConfig*) { return true; }
// The browser always draws something: a fallback font's glyph, or its own missing-glyph box.
bool src_contains_glyph(ImFontAtlas*, ImFontConfig*, ImWchar) { return true; }

bool baked_init(ImFontAtlas*, ImFontConfig* src, ImFontBaked* baked, void*)
{
    const float density = density_of(src, baked);
    const GlyphMetrics& m = glyph_measure((int)src->FontLoaderFlags, baked->Size * density, "M");
    // ImGui's line for a font of size S is S high (frames, buttons, labels clip to it), while the
    // browser draws at an em of S, whose ascent + descent is about 1.36 S: with the baseline at the
    // full ascent, descenders fell out of every button. The baseline goes where the font's own
    // line would put it, scaled into ImGui's line: glyphs keep their size and sit centred in it.
    const float ascent = m.font_ascent / density, descent = m.font_descent / density;
    baked->Ascent = ascent + descent > 0 ? IM_ROUND(baked->Size * ascent / (ascent + descent)) : baked->Size * 0.8f;
    baked->Descent = baked->Ascent - baked->Size;
    // Measuring text (the layout's advance tables, CalcTextSize) must not draw glyphs: only the
    // ones drawn are drawn. The second query, when a glyph is drawn, hits the metrics cache.
    baked->LoadNoRenderOnLayout = 1;
    return true;
}

bool load_glyph(ImFontAtlas* atlas, ImFontConfig* src, ImFontBaked* baked, void*, ImWchar c,
                ImFontGlyph* out_glyph, float* out_advance_x)
{
    const int face = (int)src->FontLoaderFlags;
    const float density = density_of(src, baked);
    const float px = baked->Size * density;
    const GlyphMetrics& m = glyph_measure(face, px, utf8_of(c));
    float advance = m.advance / density;
    float shift = 0;
    if (face == GlyphFace_Mono && advance > 0) {
        // Code keeps its columns: a glyph wider than a column (CJK, most emoji, from a
        // proportional fallback font) takes exactly two, centred, as terminals draw them.
        const float column = glyph_measure(face, px, "0").advance / density;
        const float columns = advance > column * 1.25f ? 2.0f : 1.0f;
        shift = (columns * column - advance) * 0.5f;
        advance = columns * column;
    }
    if (out_advance_x) {
        *out_advance_x = advance;
        return true;
    }
    out_glyph->Codepoint = c;
    out_glyph->AdvanceX = advance;
    const int w = m.x1 - m.x0, h = m.y1 - m.y0;
    if (w <= 0 || h <= 0)
        return true; // a space
    ImFontAtlasRectId rect = ImFontAtlasPackAddRect(atlas, w, h);
    if (rect == ImFontAtlasRectId_Invalid) {
        g_fonts.atlas_full = true; // drawn blank this frame; the next frame evicts (fonts_update)
        request_frame();
        return true;
    }
    out_glyph->X0 = m.x0 / density + shift;
    out_glyph->Y0 = m.y0 / density + IM_ROUND(baked->Ascent);
    out_glyph->X1 = out_glyph->X0 + w / density;
    out_glyph->Y1 = out_glyph->Y0 + h / density;
    out_glyph->Visible = true;
    out_glyph->PackId = rect;
    ImTextureRect* r = ImFontAtlasPackGetRect(atlas, rect);
    g_fonts.pending.push_back({baked, c, rect, atlas->TexData, r->x, r->y});
    return true;
}

// A glyph is colour (an emoji) when the browser drew it in colours: text is drawn white.
bool has_colour(const uint8_t* p, int pitch, int w, int h)
{
    for (int y = 0; y < h; y++, p += pitch)
        for (int x = 0; x < w; x++) {
            const uint8_t* q = p + x * 4;
            if (q[3] > 64 && (q[0] < 200 || q[1] < 200 || q[2] < 200))
                return true;
        }
    return false;
}

// window.imchat.drawText: the browser tests compare this with the browser's own fillText.
void draw_test_text()
{
    Fonts& f = g_fonts;
    if (f.test_text.empty())
        return;
    ImDrawList* draw = ImGui::GetForegroundDrawList();
    ImFont* font = f.faces[f.test_face];
    const ImVec2 at(f.test_x, f.test_y);
    const ImVec2 size = font->CalcTextSizeA(f.test_size, FLT_MAX, 0.0f, f.test_text.c_str());
    // At least 800 x (2 x size) behind it, so a test's fixed screenshot region is all black.
    draw->AddRectFilled(ImVec2(at.x - 8, at.y - 8), ImVec2(at.x + ImMax(size.x + 8, 800.0f), at.y + ImMax(size.y, f.test_size * 2) + 8),
                        IM_COL32(0, 0, 0, 255));
    draw->AddText(font, f.test_size, at, IM_COL32(255, 255, 255, 255), f.test_text.c_str());
}

void write_glyph(ImFontAtlas* atlas, ImTextureData* tex, int x0, int y0, int w, int h, const uint8_t* from, int pitch,
                 bool coloured)
{
    for (int y = 0; y < h; y++) {
        uint8_t* to = (uint8_t*)tex->GetPixelsAt(x0, y0 + y);
        const uint8_t* row = from + (size_t)y * pitch;
        if (coloured) {
            memcpy(to, row, (size_t)w * 4);
        } else {
            // Text glyphs are white with coverage in alpha (the vertex colour tints them);
            // keeping only alpha drops the canvas's un-premultiplying rounding.
            for (int x = 0; x < w; x++) {
                to[x * 4 + 0] = to[x * 4 + 1] = to[x * 4 + 2] = 255;
                to[x * 4 + 3] = row[x * 4 + 3];
            }
        }
    }
    ImFontAtlasTextureBlockQueueUpload(atlas, tex, x0, y0, w, h);
}

void note_first_frame()
{
    if (!g_fonts.first_frame_done) {
        g_fonts.first_frame_done = true;
        g_fonts.first_frame = glyph_raster_stats();
    }
}

// Draws the frame's queued glyphs in one batch and copies them into their atlas rectangles.
void flush_pending(ImGuiContext*, ImGuiContextHook*)
{
    Fonts& f = g_fonts;
    draw_test_text();
    if (f.pending.empty()) {
        note_first_frame();
        return;
    }
    ImFontAtlas* atlas = ImGui::GetIO().Fonts;
    // Glyphs left from an earlier frame whose size was discarded since: nothing to draw.
    f.pending.erase(std::remove_if(f.pending.begin(), f.pending.end(),
                                   [&](const PendingGlyph& p) { return !ImFontAtlasPackGetRectSafe(atlas, p.rect); }),
                    f.pending.end());
    const int affordable = std::clamp((int)(kDrawBudgetMs / std::max(f.ms_per_glyph, 1e-3)), kMinGlyphsPerBatch, kMaxGlyphsPerBatch);
    const size_t count = std::min(f.pending.size(), (size_t)affordable);
    const double batch_start = now_ms();
    f.requests.resize(count);
    for (size_t i = 0; i < count; i++) {
        const PendingGlyph& p = f.pending[i];
        ImFontConfig* src = p.baked->ContainerFont->Sources[0];
        GlyphRequest& r = f.requests[i];
        r.face = (int)src->FontLoaderFlags;
        r.px = p.baked->Size * density_of(src, p.baked);
        r.text = utf8_of(p.codepoint);
        r.metrics = glyph_measure(r.face, r.px, r.text);
    }
    glyph_raster_batch(f.requests, f.sheet);
    ImTextureData* tex = atlas->TexData;
    bool coloured_any = false;
    for (size_t i = 0; i < count; i++) {
        const PendingGlyph& p = f.pending[i];
        ImTextureRect* r = ImFontAtlasPackGetRectSafe(atlas, p.rect);
        if (!r) // its size was discarded since
            continue;
        const GlyphRequest& q = f.requests[i];
        const int pitch = f.sheet.width * 4;
        const uint8_t* from = &f.sheet.pixels[(size_t)q.sheet_y * pitch + q.sheet_x * 4];
        const bool coloured = has_colour(from, pitch, r->w, r->h);
        write_glyph(atlas, tex, r->x, r->y, r->w, r->h, from, pitch, coloured);
        if (p.tex != tex && atlas->TexList.contains(p.tex) && p.tex->Pixels &&
            (p.tex->Status == ImTextureStatus_OK || p.tex->Status == ImTextureStatus_WantUpdates ||
             p.tex->Status == ImTextureStatus_WantCreate))
            write_glyph(atlas, p.tex, p.x, p.y, r->w, r->h, from, pitch, coloured);
        if (coloured && p.codepoint < (ImWchar)p.baked->IndexLookup.Size) {
            // ImGui tints a glyph unless it is marked Colored; this frame's vertices are
            // already tinted, so draw one more frame.
            ImU16 index = p.baked->IndexLookup[p.codepoint];
            if (index < p.baked->Glyphs.Size) {
                p.baked->Glyphs[index].Colored = true;
                atlas->TexPixelsUseColors = tex->UseColors = true;
                coloured_any = true;
            }
        }
    }
    f.pending.erase(f.pending.begin(), f.pending.begin() + (ptrdiff_t)count);
    f.ms_per_glyph = 0.5 * f.ms_per_glyph + 0.5 * (now_ms() - batch_start) / (double)count;
    note_first_frame();
    if (coloured_any || !f.pending.empty())
        request_frame();
}

ImFont* add_face(GlyphFace face, const char* name)
{
    ImFontConfig cfg;
    cfg.FontLoader = &g_fonts.loader;
    cfg.FontLoaderFlags = (unsigned)face; // which stack, weight and style: glyph_raster's face
    cfg.SizePixels = kFontSize;
    snprintf(cfg.Name, sizeof(cfg.Name), "%s", name);
    return ImGui::GetIO().Fonts->AddFont(&cfg);
}

bool start()
{
    Fonts& f = g_fonts;
    if (!glyph_raster_init()) {
        imchat_page_fatal("This browser does not let the page read back what it draws on a canvas "
                          "(a privacy setting, such as protection against canvas fingerprinting, "
                          "blanks or scrambles it), so imchat cannot draw any text. Allow canvas "
                          "access for this site, or turn that protection off here, and reload.");
        return false;
    }
    f.loader.Name = "browser canvas";
    f.loader.FontSrcInit = src_init;
    f.loader.FontSrcContainsGlyph = src_contains_glyph;
    f.loader.FontBakedInit = baked_init;
    f.loader.FontBakedLoadGlyph = load_glyph;
    ImFontAtlas* atlas = ImGui::GetIO().Fonts;
    atlas->TexMaxWidth = kAtlasMaxWidth;
    atlas->TexMaxHeight = kAtlasMaxHeight;
    f.faces[GlyphFace_Ui] = add_face(GlyphFace_Ui, "system-ui");
    f.faces[GlyphFace_Mono] = add_face(GlyphFace_Mono, "monospace");
    f.faces[GlyphFace_Bold] = add_face(GlyphFace_Bold, "system-ui bold");
    f.faces[GlyphFace_Italic] = add_face(GlyphFace_Italic, "system-ui italic");
    ImGui::GetIO().FontDefault = f.faces[GlyphFace_Ui];
    ImGui::GetStyle().FontSizeBase = kFontSize;
    ImGuiContextHook hook;
    hook.Type = ImGuiContextHookType_RenderPre;
    hook.Callback = flush_pending;
    ImGui::AddContextHook(ImGui::GetCurrentContext(), &hook);
    return true;
}

} // namespace

bool fonts_ready() { return g_fonts.ready; }

// Between frames only: the atlas is not locked then.
void fonts_update()
{
    Fonts& f = g_fonts;
    if (!f.started) {
        f.started = true;
        f.ready = start();
    }
    if (f.ready && f.atlas_full) {
        // The atlas is at its bound: drop every size; what is on screen is measured from the
        // cache and drawn again in the next frame's batch. (ImGui itself already dropped the
        // sizes unused for two frames before giving up, least recently used first.)
        // (Not ImFont::ClearOutputData(), which also forgets the fallback and ellipsis glyphs.)
        for (ImFont* font : f.faces)
            ImFontAtlasFontDiscardBakes(ImGui::GetIO().Fonts, font, 0);
        f.pending.clear();
        f.atlas_full = false;
        f.evictions++;
    }
}

ImFont* ui_font() { return g_fonts.faces[GlyphFace_Ui]; }
ImFont* mono_font() { return g_fonts.faces[GlyphFace_Mono]; }
ImFont* bold_font() { return g_fonts.faces[GlyphFace_Bold]; }
ImFont* italic_font() { return g_fonts.faces[GlyphFace_Italic]; }

void measure_glyphs_ahead(ImFontBaked* baked, const char* text, const char* text_end)
{
    if (!baked || baked->ContainerFont->Sources.Size == 0)
        return;
    ImFontConfig* src = baked->ContainerFont->Sources[0];
    std::vector<std::string> texts;
    while (text < text_end) {
        unsigned c = 0;
        text += ImTextCharFromUtf8(&c, text, text_end);
        texts.push_back(utf8_of(c));
    }
    glyph_measure_ahead((int)src->FontLoaderFlags, baked->Size * density_of(src, baked), texts);
}

} // namespace imchat::platform

// Test hook: window.imchat.drawText(text, face, x, y, size) draws `text` (UTF-8) in a face at
// a CSS position and size on top of every frame, white on black; an empty text stops it.
extern "C" EMSCRIPTEN_KEEPALIVE void imchat_platform_draw_test_text(const char* text, int face, float x, float y, float size)
{
    using namespace imchat::platform;
    Fonts& f = g_fonts;
    f.test_text = text ? text : "";
    f.test_face = face >= 0 && face < GlyphFace_Count ? face : 0;
    f.test_x = x;
    f.test_y = y;
    f.test_size = size;
    request_frame();
}

// Test hook: window.imchat.monoAdvances(text), the code face's advance of each code point at
// 16 px, as ImGui's layout sees them.
extern "C" EMSCRIPTEN_KEEPALIVE const char* imchat_platform_mono_advances_json(const char* text)
{
    static std::string json;
    json = "[";
    ImFontBaked* baked = imchat::platform::mono_font()->GetFontBaked(16.0f);
    for (const char* p = text; *p;) {
        unsigned c = 0;
        p += ImTextCharFromUtf8(&c, p, nullptr);
        char number[32];
        snprintf(number, sizeof(number), "%s%.3f", json.size() > 1 ? "," : "", baked->GetCharAdvance((ImWchar)c));
        json += number;
    }
    return (json += "]").c_str();
}

// Test and benchmark hook: window.imchat.glyphStats().
extern "C" EMSCRIPTEN_KEEPALIVE const char* imchat_platform_glyph_stats_json(void)
{
    using namespace imchat::platform;
    static char json[512];
    const GlyphRasterStats& s = glyph_raster_stats();
    const GlyphRasterStats& first = g_fonts.first_frame;
    ImTextureData* tex = ImGui::GetIO().Fonts->TexData;
    snprintf(json, sizeof(json),
             "{\"glyphs\":%lld,\"batches\":%lld,\"batchMs\":%.3f,\"measures\":%lld,\"measureMs\":%.3f,"
             "\"atlasWidth\":%d,\"atlasHeight\":%d,\"evictions\":%d,\"pending\":%d,"
             "\"firstFrame\":{\"glyphs\":%lld,\"batchMs\":%.3f,\"measures\":%lld,\"measureMs\":%.3f}}",
             s.glyphs, s.batches, s.batch_ms, s.measures, s.measure_ms, tex ? tex->Width : 0,
             tex ? tex->Height : 0, g_fonts.evictions, (int)g_fonts.pending.size(), first.glyphs, first.batch_ms,
             first.measures, first.measure_ms);
    return json;
}
