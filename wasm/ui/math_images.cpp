#include "ui/math_images.h"

#include <cstdio>

#include "core/math_detect.h"
#include "platform/math_engine.h"
#include "platform/platform.h"

namespace imchat::ui {

MathImages& math_images()
{
    static MathImages images;
    return images;
}

std::string MathImages::key_of(std::string_view source, float px, ImU32 color)
{
    char tail[32];
    std::snprintf(tail, sizeof tail, "\x1f%g\x1f%08x", double(px), unsigned(color));
    std::string key(source);
    key += tail;
    return key;
}

void MathImages::ask(const std::string& key, std::string_view source, float px, ImU32 color)
{
    if (!handlers_set_) {
        platform::set_math_handlers({&MathImages::on_done, &MathImages::on_failed});
        handlers_set_ = true;
    }
    bool display = false;
    std::string tex(math_tex(source, &display));
    char css[8];  // ImU32 is ABGR
    std::snprintf(css, sizeof css, "#%02x%02x%02x", unsigned(color & 0xff), unsigned((color >> 8) & 0xff),
                  unsigned((color >> 16) & 0xff));
    uint32_t id = next_request_++;
    requests_[id] = key;
    ++pending_;
    platform::typeset_math(id, tex, display, px, css);
}

MathState MathImages::lookup(std::string_view source, float px, ImU32 color, MathSize* size,
                             const gfx::CachedImage** image)
{
    std::string key = key_of(source, px, color);
    Entry& e = entries_[key];
    if (e.state == MathState::Ready) {
        const gfx::CachedImage* img = gfx::transcript_images().find(key);
        if (!img) {  // evicted: make it again, keep its place meanwhile
            e.state = MathState::Pending;
            e.asked = false;
        } else if (image) {
            *image = img;
        }
    }
    if (e.state == MathState::Pending && !e.asked) {
        e.asked = true;
        ask(key, source, px, color);
    }
    if (size && e.has_size) *size = e.size;
    return e.state;
}

const std::string& MathImages::error(std::string_view source, float px, ImU32 color)
{
    return entries_[key_of(source, px, color)].error;
}

void MathImages::on_done(uint32_t request, int bitmap, int pw, int ph, float w, float h, float depth)
{
    MathImages& m = math_images();
    auto it = m.requests_.find(request);
    if (it == m.requests_.end()) {
        platform::release_bitmap(bitmap);
        return;
    }
    Entry& e = m.entries_[it->second];
    gfx::transcript_images().add(it->second, bitmap, pw, ph, w, h, depth);
    e.state = MathState::Ready;
    e.size = MathSize{w, h, depth};
    e.has_size = true;
    m.requests_.erase(it);
    --m.pending_;
    ++m.generation_;
    platform::request_frame();
}

void MathImages::on_failed(uint32_t request, const char* message)
{
    MathImages& m = math_images();
    auto it = m.requests_.find(request);
    if (it == m.requests_.end()) return;
    Entry& e = m.entries_[it->second];
    e.state = MathState::Failed;
    e.error = message ? message : "";
    m.requests_.erase(it);
    --m.pending_;
    ++m.generation_;
    platform::request_frame();
}

}  // namespace imchat::ui
