// cluster_raster: grapheme clusters of several code points (a ZWJ family, a flag, a keycap, a
// skin-tone emoji, a letter with stacked marks) drawn as one image. ImGui looks glyphs up by one
// code point, so such a cluster cannot be an ImFont glyph: the browser's canvas draws the whole
// cluster as one string (platform/glyph_raster, so its font joins it), into an atlas rectangle
// we own (packed in ImGui's atlas beside the glyphs, least recently used first out), and our
// text drawing places that image where the code points would have gone.
#pragma once
#include <string_view>

#include "imgui.h"

namespace imchat::platform {

// The advance, in CSS pixels, of `cluster` (UTF-8, one grapheme cluster) in `font` at `size`:
// the browser's measureText of the whole string, so the layout and the drawing agree.
float cluster_advance(ImFont* font, float size, std::string_view cluster);

// ImDrawList::AddText for one line of text [begin, end), with every cluster of several code
// points drawn as one image. Text without such clusters goes to AddText as it is.
void draw_text_clusters(ImDrawList* draw, ImFont* font, float size, ImVec2 pos, ImU32 color, const char* begin,
                        const char* end);

}  // namespace imchat::platform
