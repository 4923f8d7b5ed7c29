// Fonts fetched by the page: the UI font (first frame waits for it) and the code font come with
// the wasm; the CJK and symbol fonts (5 MB) are fetched after the first frame and merged into
// both when they have arrived. The Korean font is fetched only once a Hangul glyph was asked
// for. ImGui 1.92 bakes glyphs on demand, so nothing is pre-built.
#include <stdio.h>
#include <stdlib.h>

#include <algorithm>
#include <string>
#include <vector>

#include "imgui_internal.h" // ImFontLoader, to wrap stb_truetype's glyph loading
#include "platform/platform_internal.h"

namespace imchat::platform {
namespace {

enum FontSlot { kUi = 0, kMono = 1, kCjk = 2, kSymbols = 3, kKorean = 4, kSlotCount = 5 };
constexpr float kFontSize = 16.0f;
// Hangul compatibility jamo (ㅋㅋ) and syllables. Droid has three syllables of the 11 172 and
// the jamo in another style: they come from the Korean font only, so words look the same.
const ImWchar kHangulRanges[] = {0x3131, 0x318E, 0xAC00, 0xD7A3, 0};

struct Arrival {
    void* data = nullptr; // malloc'd by the page glue; ownership passes to the atlas
    int size = 0;
    bool done = false;    // arrived or failed
};

struct Fonts {
    Arrival arrivals[kSlotCount];
    ImFont* ui = nullptr;
    ImFont* mono = nullptr;
    bool ui_added = false, mono_added = false;
    bool ui_failed = false;  // the UI font never arrived: the page shows an error, nothing draws
    bool fallbacks_requested = false, fallbacks_merged = false;
    bool korean_wanted = false, korean_requested = false, korean_merged = false;
    int merges = 0;
    std::vector<unsigned> missing; // codepoints no source had, since the last merge (tests)
};
Fonts g_fonts;

bool in_ranges(const ImWchar* ranges, ImWchar c)
{
    for (; ranges && ranges[0]; ranges += 2)
        if (c >= ranges[0] && c <= ranges[1])
            return true;
    return false;
}

// stb_truetype's loader, told when a glyph is not found: a Hangul miss asks for the Korean font,
// and a glyph that no source of the font has is recorded (window.imchat.missingGlyphs()).
ImFontLoader g_loader;

bool load_glyph(ImFontAtlas* atlas, ImFontConfig* src, ImFontBaked* baked, void* data, ImWchar c,
                ImFontGlyph* out_glyph, float* out_advance_x)
{
    if (ImFontAtlasGetFontLoaderForStbTruetype()->FontBakedLoadGlyph(atlas, src, baked, data, c, out_glyph, out_advance_x))
        return true;
    Fonts& f = g_fonts;
    if (in_ranges(kHangulRanges, c))
        f.korean_wanted = true;
    // The last source that would be asked (later ones may exclude this codepoint).
    const ImVector<ImFontConfig*>& sources = baked->ContainerFont->Sources;
    for (int i = sources.Size - 1; i >= 0 && sources[i] != src; i--)
        if (!in_ranges(sources[i]->GlyphExcludeRanges, c))
            return false;
    if (f.missing.size() < 256 && std::find(f.missing.begin(), f.missing.end(), c) == f.missing.end())
        f.missing.push_back(c);
    return false;
}

ImFont* add_font(Arrival& a, const char* name)
{
    ImFontConfig cfg;
    cfg.FontDataOwnedByAtlas = true; // malloc'd buffer, freed by the atlas with IM_FREE (free)
    snprintf(cfg.Name, sizeof(cfg.Name), "%s", name);
    ImFont* font = ImGui::GetIO().Fonts->AddFontFromMemoryTTF(a.data, a.size, kFontSize, &cfg);
    if (!font) {
        fprintf(stderr, "imchat: font %s could not be read\n", name);
        free(a.data);
    }
    a.data = nullptr;
    return font;
}

// Merges a fallback font into `target`. ImGui 1.92.2b's AddFont() merges into the LAST font of
// the atlas whatever ImFontConfig::DstFont says, so the target is moved to the back for the call.
void merge_into(ImFont* target, Arrival& a, bool take_ownership, const char* name, const ImWchar* exclude = nullptr)
{
    ImVector<ImFont*>& fonts = ImGui::GetIO().Fonts->Fonts;
    int index = fonts.index_from_ptr(fonts.find(target));
    ImFont* last = fonts.back();
    fonts[index] = last;
    fonts.back() = target;
    ImFontConfig cfg;
    cfg.MergeMode = true;
    // Without ownership 1.92.2b copies the bytes, so one buffer serves several targets.
    cfg.FontDataOwnedByAtlas = take_ownership;
    cfg.GlyphExcludeRanges = exclude; // copied by the atlas
    snprintf(cfg.Name, sizeof(cfg.Name), "%s", name);
    if (!ImGui::GetIO().Fonts->AddFontFromMemoryTTF(a.data, a.size, kFontSize, &cfg))
        fprintf(stderr, "imchat: fallback font %s could not be read\n", name);
    fonts.back() = last;
    fonts[index] = target;
}

// Merges what arrived in these slots into both fonts. Glyphs looked up before were cached as
// missing: drop the baked glyphs so they are looked up again (rebaked on demand, at next use).
void merge_fallbacks(const int* slots, const char* const* names, const ImWchar* const* excludes, int count)
{
    Fonts& f = g_fonts;
    for (int i = 0; i < count; i++) {
        Arrival& a = f.arrivals[slots[i]];
        if (!a.data)
            continue;
        if (f.mono)
            merge_into(f.mono, a, false, names[i], excludes[i]);
        merge_into(f.ui, a, true, names[i], excludes[i]); // the atlas now owns the buffer
        a.data = nullptr;
    }
    f.ui->ClearOutputData();
    if (f.mono)
        f.mono->ClearOutputData();
    f.missing.clear();
    f.merges++;
}

} // namespace

bool fonts_ready()
{
    return g_fonts.ui_added;
}

// Between frames only: the atlas is not locked then, and this frame's bakes start fresh.
void fonts_update()
{
    Fonts& f = g_fonts;
    ImGuiIO& io = ImGui::GetIO();
    if (!f.ui_added && !f.ui_failed && f.arrivals[kUi].done) {
        g_loader = *ImFontAtlasGetFontLoaderForStbTruetype();
        g_loader.FontBakedLoadGlyph = load_glyph;
        io.Fonts->SetFontLoader(&g_loader);
        if (f.arrivals[kUi].data)
            f.ui = add_font(f.arrivals[kUi], "NotoSans-Regular");
        if (!f.ui) {
            // ImGui's built-in font is compiled out (imconfig_imchat.h: IMGUI_DISABLE_DEFAULT_FONT,
            // 9.5 KB of the download) and could not show Chinese anyway: say so instead.
            imchat_page_fatal("imchat could not load its font (fonts/NotoSans-Regular.ttf). "
                              "Check the connection and reload the page.");
            f.ui_failed = true;
            return;
        }
        io.FontDefault = f.ui;
        ImGui::GetStyle().FontSizeBase = kFontSize;
        f.ui_added = true;
    }
    if (f.ui_added && !f.mono_added && f.arrivals[kMono].done) {
        if (f.arrivals[kMono].data)
            f.mono = add_font(f.arrivals[kMono], "NotoSansMono-Regular");
        f.mono_added = true;
    }
    if (!f.fallbacks_requested && frames_drawn() > 0) {
        f.fallbacks_requested = true;
        imchat_page_request_font(kCjk);
        imchat_page_request_font(kSymbols);
    }
    if (!f.fallbacks_merged && f.ui_added && f.mono_added && f.arrivals[kCjk].done && f.arrivals[kSymbols].done) {
        // Symbols first: Symbola's symbols beat Droid's.
        const int slots[] = {kSymbols, kCjk};
        const char* const names[] = {"Symbola", "DroidSansFallback"};
        const ImWchar* const excludes[] = {nullptr, kHangulRanges};
        merge_fallbacks(slots, names, excludes, 2);
        f.fallbacks_merged = true;
    }
    if (f.korean_wanted && !f.korean_requested) {
        f.korean_requested = true;
        imchat_page_request_font(kKorean);
    }
    if (!f.korean_merged && f.fallbacks_merged && f.arrivals[kKorean].done) {
        const int slots[] = {kKorean};
        const char* const names[] = {"NanumSquare"};
        const ImWchar* const excludes[] = {nullptr};
        merge_fallbacks(slots, names, excludes, 1);
        f.korean_merged = true;
    }
}

ImFont* ui_font() { return g_fonts.ui; }
ImFont* mono_font() { return g_fonts.mono ? g_fonts.mono : g_fonts.ui; }

int fallback_font_merges() { return g_fonts.merges; }

} // namespace imchat::platform

// Page glue -> C++: a font fetched by imchat_page_request_font(slot). `data` was malloc'd here
// by the glue and is now ours; size < 0 means the fetch failed (the page logged why).
extern "C" EMSCRIPTEN_KEEPALIVE void imchat_platform_font_arrived(int slot, void* data, int size)
{
    using namespace imchat::platform;
    if (slot < 0 || slot >= kSlotCount || g_fonts.arrivals[slot].done) {
        free(data);
        return;
    }
    Arrival& a = g_fonts.arrivals[slot];
    a.done = true;
    a.data = size > 0 ? data : nullptr;
    a.size = size > 0 ? size : 0;
    if (size <= 0)
        free(data);
    request_frame();
}

// Test hook: window.imchat.missingGlyphs(), the codepoints no font had since the last merge.
extern "C" EMSCRIPTEN_KEEPALIVE const char* imchat_platform_missing_glyphs_json(void)
{
    static std::string json;
    json = "[";
    for (unsigned c : imchat::platform::g_fonts.missing)
        json += (json.size() > 1 ? "," : "") + std::to_string(c);
    json += "]";
    return json.c_str();
}
