// glyph_raster: text drawn by the browser's own canvas, in the system's font stacks (see
// glyph_raster_glue.js). Knows nothing of ImGui: it measures a piece of text (one code point
// today) in a face at a pixel size, and draws many of them into one sheet in one crossing.
#pragma once
#include <stdint.h>

#include <string>
#include <vector>

namespace imchat::platform {

// The faces: CSS font stacks, each with its weight and style (all part of the cache keys).
enum GlyphFace : int { GlyphFace_Ui, GlyphFace_Mono, GlyphFace_Bold, GlyphFace_Italic, GlyphFace_Count };

// Device pixels, around the pen origin on the baseline (y grows downward). The ink box is the
// browser's measured ink bounds rounded out, plus a pixel of margin for anti-aliasing.
struct GlyphMetrics {
    float advance = 0;
    int x0 = 0, y0 = 0, x1 = 0, y1 = 0; // empty when x0 == x1
    float font_ascent = 0, font_descent = 0; // the face's line box at this size (descent > 0)
};

// Registers the faces and checks that canvas readback works. False when the browser blanks or
// noises what a canvas gives back (privacy modes): text would then be invisible.
bool glyph_raster_init();

// Metrics of `text` (UTF-8) in `face` at `px` device pixels; cached per (face, size, text).
const GlyphMetrics& glyph_measure(int face, float px, const std::string& text);
// Measures every text of `texts` not cached yet, all in one crossing (batching ahead of
// glyph_measure, which ImGui's loader calls one code point at a time).
void glyph_measure_ahead(int face, float px, const std::vector<std::string>& texts);

// One glyph of a batch: what to draw, and where its ink box goes in the sheet.
struct GlyphRequest {
    int face = 0;
    float px = 0;
    std::string text;
    GlyphMetrics metrics;
    int sheet_x = 0, sheet_y = 0; // top-left of the ink box in the sheet (set by the batch)
};

// Draws every request into one RGBA sheet (straight alpha, row pitch sheet_width * 4) with one
// readback. Requests are placed in rows; their sheet_x/sheet_y say where each landed.
struct GlyphSheet {
    int width = 0, height = 0;
    std::vector<uint8_t> pixels;
};
void glyph_raster_batch(std::vector<GlyphRequest>& requests, GlyphSheet& sheet);

// Totals since start, for the benchmark: glyphs drawn, batches, and the ms spent in batches.
struct GlyphRasterStats {
    long long glyphs = 0, batches = 0, measures = 0;
    double batch_ms = 0, measure_ms = 0;
};
const GlyphRasterStats& glyph_raster_stats();

} // namespace imchat::platform
