// layout_fonts: the ImGui fonts behind the core's text layout. Maps a block kind and span
// style to a font and size, and gives the layout their glyph advances (FontMetrics) without
// the layout ever seeing ImGui. Refreshed once per frame: ImFontBaked pointers live one frame.
#pragma once
#include <cstdint>

#include "core/text_layout.h"

struct ImFont;
struct ImFontBaked;

namespace imchat::ui {

struct Face {
    ImFont* font = nullptr;
    float size = 0;
    ImFontBaked* baked = nullptr;  // this frame's baked data for (font, size)
    FontMetrics metrics;
    // metrics.ascii is measured on a face's first use after the fonts changed, not up front:
    // each (face, size) costs the browser ~100 measureText calls, and most frames use few faces.
    bool ascii_ready = false;
};

// Headings use the bold face at their sizes; Bold and Italic are the body size's strong and
// emphasised text (real faces of the UI stack, platform/font_loader_browser).
enum FaceId : uint8_t { Face_Body, Face_Mono, Face_H1, Face_H2, Face_H3, Face_Small, Face_Bold, Face_Italic, Face_Count };

class LayoutFontsImGui : public LayoutFonts {
public:
    // Call once per frame inside the frame, before any layout or drawing. body_size is the
    // transcript's text size in CSS pixels (Ctrl +/- zoom changes it).
    void refresh(float body_size);

    const FontMetrics& metrics(BlockKind kind, int heading_level, bool table_header,
                               uint16_t style) const override;
    uint64_t key() const override { return key_; }
    // A formula typeset at the body size (ui/math_images), once its size is known.
    bool inline_box(std::string_view span_text, uint16_t style, InlineBox& box) const override;

    const Face& face(FaceId id) const { return ready(faces_[id]); }
    const Face& face_for(BlockKind kind, int heading_level, uint16_t style) const;

private:
    // Fills the face's ASCII advances if this is its first use since the fonts changed.
    const Face& ready(Face& f) const;

    mutable Face faces_[Face_Count];
    uint64_t key_ = 0;
};

}  // namespace imchat::ui
