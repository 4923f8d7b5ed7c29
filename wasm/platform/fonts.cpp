// Fonts fetched by the page: the UI font (first frame waits for it) and the code font come with
// the wasm; the CJK and symbol fonts (5 MB) are fetched after the first frame and merged into
// both when they have arrived. ImGui 1.92 bakes glyphs on demand, so nothing is pre-built.
#include <stdio.h>
#include <stdlib.h>

#include "platform/platform_internal.h"

namespace imchat::platform {
namespace {

enum FontSlot { kUi = 0, kMono = 1, kCjk = 2, kSymbols = 3, kSlotCount = 4 };
constexpr float kFontSize = 16.0f;

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
};
Fonts g_fonts;

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
void merge_into(ImFont* target, Arrival& a, bool take_ownership, const char* name)
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
    snprintf(cfg.Name, sizeof(cfg.Name), "%s", name);
    if (!ImGui::GetIO().Fonts->AddFontFromMemoryTTF(a.data, a.size, kFontSize, &cfg))
        fprintf(stderr, "imchat: fallback font %s could not be read\n", name);
    fonts.back() = last;
    fonts[index] = target;
}

// Glyphs looked up before the merge were cached as missing: drop the baked glyphs so they are
// looked up again (rebaked on demand, at the next use).
void merge_fallbacks()
{
    Fonts& f = g_fonts;
    const int order[] = {kSymbols, kCjk}; // symbols first: Symbola's symbols beat Droid's
    const char* names[] = {"Symbola", "DroidSansFallback"};
    for (int i = 0; i < 2; i++) {
        Arrival& a = f.arrivals[order[i]];
        if (!a.data)
            continue;
        if (f.mono)
            merge_into(f.mono, a, false, names[i]);
        merge_into(f.ui, a, true, names[i]); // the atlas now owns the buffer
        a.data = nullptr;
    }
    f.ui->ClearOutputData();
    if (f.mono)
        f.mono->ClearOutputData();
    f.fallbacks_merged = true;
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
    if (!f.fallbacks_merged && f.ui_added && f.mono_added && f.arrivals[kCjk].done && f.arrivals[kSymbols].done)
        merge_fallbacks();
}

ImFont* ui_font() { return g_fonts.ui; }
ImFont* mono_font() { return g_fonts.mono ? g_fonts.mono : g_fonts.ui; }

bool fallback_fonts_merged() { return g_fonts.fallbacks_merged; }

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
