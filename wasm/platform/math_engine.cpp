#include "platform/math_engine.h"

#include <emscripten/emscripten.h>
#include <emscripten/html5.h>

extern "C" {
void imchat_math_typeset(uint32_t id, const char* tex, int display, float px, const char* color, float dpr);
int imchat_bitmap_upload(int bitmap, unsigned texture);
void imchat_bitmap_release(int bitmap);
}

namespace imchat::platform {
namespace {
MathHandlers g_handlers;
}

void set_math_handlers(MathHandlers handlers) { g_handlers = handlers; }

void typeset_math(uint32_t request, const std::string& tex, bool display, float px, const char* css_color)
{
    imchat_math_typeset(request, tex.c_str(), display ? 1 : 0, px, css_color,
                        float(emscripten_get_device_pixel_ratio()));
}

bool upload_bitmap(int bitmap, unsigned texture) { return imchat_bitmap_upload(bitmap, texture) != 0; }
void release_bitmap(int bitmap) { imchat_bitmap_release(bitmap); }

}  // namespace imchat::platform

// Called by math_glue.js.
extern "C" EMSCRIPTEN_KEEPALIVE void imchat_math_done(uint32_t id, int bitmap, int pw, int ph, float w, float h,
                                                      float depth)
{
    if (imchat::platform::g_handlers.done) imchat::platform::g_handlers.done(id, bitmap, pw, ph, w, h, depth);
    else imchat::platform::release_bitmap(bitmap);
}

extern "C" EMSCRIPTEN_KEEPALIVE void imchat_math_failed(uint32_t id, const char* message)
{
    if (imchat::platform::g_handlers.failed) imchat::platform::g_handlers.failed(id, message);
}
