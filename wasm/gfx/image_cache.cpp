#include "gfx/image_cache.h"

#include <GLES3/gl3.h>

#include "gfx/webgl2_renderer.h"
#include "platform/math_engine.h"

namespace imchat::gfx {
namespace {

unsigned new_texture(int bitmap)
{
    GLuint name = renderer_new_texture();
    if (!platform::upload_bitmap(bitmap, name)) {
        glDeleteTextures(1, &name);
        return 0;
    }
    return name;
}

}  // namespace

const CachedImage* ImageCache::find(std::string_view key)
{
    const uint32_t* slot = lru_.use(key);
    if (!slot || slots_[*slot].texture == 0) return nullptr;
    return &slots_[*slot];
}

void ImageCache::add(const std::string& key, int bitmap, int pw, int ph, float w, float h, float depth)
{
    uint32_t slot;
    if (!free_.empty()) {
        slot = free_.back();
        free_.pop_back();
    } else {
        slot = uint32_t(slots_.size());
        slots_.emplace_back();
    }
    slots_[slot] = CachedImage{new_texture(bitmap), bitmap, pw, ph, w, h, depth};
    for (uint32_t gone : lru_.put(key, slot, size_t(pw) * size_t(ph) * 4)) free_slot(gone);
}

void ImageCache::free_slot(uint32_t slot)
{
    CachedImage& c = slots_[slot];
    if (c.texture) {
        GLuint name = c.texture;
        glDeleteTextures(1, &name);
    }
    if (c.bitmap) platform::release_bitmap(c.bitmap);
    c = CachedImage{};
    free_.push_back(slot);
}

void ImageCache::clear()
{
    for (uint32_t slot : lru_.handles()) free_slot(slot);
    lru_.clear();
}

void ImageCache::context_lost()
{
    for (uint32_t slot : lru_.handles()) slots_[slot].texture = 0;
}

void ImageCache::context_restored()
{
    for (uint32_t slot : lru_.handles()) {
        CachedImage& c = slots_[slot];
        c.texture = new_texture(c.bitmap);
        ++reuploads_;
    }
}

ImageCache& transcript_images()
{
    static ImageCache cache(64u << 20);
    return cache;
}

}  // namespace imchat::gfx
