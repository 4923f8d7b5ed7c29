// math_engine: the page's math engine (math_glue.js: MathJax in a lazily started Web Worker,
// rastered on the main thread) and the bitmaps it leaves for textures (gfx/image_cache).
#pragma once
#include <cstdint>
#include <string>

namespace imchat::platform {

// Answers of typeset_math, delivered between frames. done: `bitmap` is the page's handle of
// an ImageBitmap of pixel_width x pixel_height device pixels; width, height (above the
// baseline) and depth (below it) are CSS pixels. failed: the engine's message (a TeX error,
// a time-out, a bitmap too large).
struct MathHandlers {
    void (*done)(uint32_t request, int bitmap, int pixel_width, int pixel_height, float width,
                 float height, float depth) = nullptr;
    void (*failed)(uint32_t request, const char* message) = nullptr;
};
void set_math_handlers(MathHandlers handlers);

// Typesets TeX (display or inline) at a font size of `px` CSS pixels in `css_color` (#rrggbb),
// rastered at the device pixel ratio. The engine starts with the first call.
void typeset_math(uint32_t request, const std::string& tex, bool display, float px, const char* css_color);

// Uploads a bitmap into a GL texture (bound to TEXTURE_2D afterwards); false if it is gone.
bool upload_bitmap(int bitmap, unsigned texture);
void release_bitmap(int bitmap);

}  // namespace imchat::platform
