// image_cache: the transcript's images (typeset formulas now; diagrams and attachments next) as
// GL textures, key -> texture with its size. Bounded in bytes (GPU texels; the page keeps the
// same bitmap to re-upload), least recently drawn out first (core/byte_lru). A WebGL context
// loss forgets the textures; the restore uploads them again from the kept bitmaps.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/byte_lru.h"

namespace imchat::gfx {

struct CachedImage {
    unsigned texture = 0;        // GL name, usable as an ImTextureID
    int bitmap = 0;              // the page's bitmap handle (platform/math_engine)
    int pixel_width = 0, pixel_height = 0;
    float width = 0, height = 0, depth = 0;  // CSS px: height above the baseline, depth below
};

class ImageCache {
public:
    explicit ImageCache(size_t max_bytes) : lru_(max_bytes) {}

    // The image of key, made the most recently used; nullptr when absent (never added, or
    // evicted: the owner makes it again and, knowing its size, draws a placeholder meanwhile).
    const CachedImage* find(std::string_view key);
    // Takes a bitmap for key: uploads it and evicts what no longer fits.
    void add(const std::string& key, int bitmap, int pixel_width, int pixel_height, float width,
             float height, float depth);
    void clear();

    void context_lost();       // the GL names are dead
    void context_restored();   // upload every kept bitmap again

    size_t bytes() const { return lru_.bytes(); }
    size_t size() const { return lru_.size(); }
    size_t evictions() const { return lru_.evictions(); }
    int reuploads() const { return reuploads_; }

private:
    void free_slot(uint32_t slot);
    ByteLru lru_;
    std::vector<CachedImage> slots_;
    std::vector<uint32_t> free_;
    int reuploads_ = 0;
};

// The one cache the transcript draws from: 64 MB of texels.
ImageCache& transcript_images();

}  // namespace imchat::gfx
