// math_images: formulas of the transcript between the layout, the drawing and the math engine.
// A formula is keyed by (source, font size, colour); the first sight of one (layout or draw)
// asks the engine, its answer lands in gfx::transcript_images() (or as a failure, drawn as the
// source in the error colour). Sizes outlive evicted textures, so an evicted formula keeps its
// place (a placeholder of the final size) while it is made again.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "gfx/image_cache.h"
#include "imgui.h"

namespace imchat::ui {

struct MathSize {
    float width = 0, height = 0, depth = 0;  // CSS px; height above the baseline, depth below
};

enum class MathState : uint8_t { Pending, Ready, Failed };

class MathImages {
public:
    // The state of `source` (a math span's text) at `px` in `color`; asks for it the first time.
    // size: filled when known (Ready, or Pending after an eviction); image: when drawable.
    MathState lookup(std::string_view source, float px, ImU32 color, MathSize* size,
                     const gfx::CachedImage** image = nullptr);
    // The engine's message for a failed formula ("" otherwise).
    const std::string& error(std::string_view source, float px, ImU32 color);
    // Bumped whenever an answer arrives: layouts holding formulas are redone.
    uint64_t generation() const { return generation_; }
    size_t pending() const { return pending_; }

private:
    struct Entry {
        MathState state = MathState::Pending;
        bool asked = false;
        MathSize size;
        bool has_size = false;
        std::string error;
    };
    static std::string key_of(std::string_view source, float px, ImU32 color);
    void ask(const std::string& key, std::string_view source, float px, ImU32 color);
    static void on_done(uint32_t request, int bitmap, int pw, int ph, float w, float h, float depth);
    static void on_failed(uint32_t request, const char* message);

    std::unordered_map<std::string, Entry> entries_;
    std::unordered_map<uint32_t, std::string> requests_;  // request id -> key
    uint32_t next_request_ = 1;
    uint64_t generation_ = 1;
    size_t pending_ = 0;
    bool handlers_set_ = false;
};

MathImages& math_images();

}  // namespace imchat::ui
