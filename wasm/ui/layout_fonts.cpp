#include "ui/layout_fonts.h"

#include <cmath>

#include "imgui.h"
#include "platform/cluster_raster.h"
#include "platform/platform.h"
#include "ui/math_images.h"
#include "ui/theme.h"

namespace imchat::ui {

namespace {

float fallback_advance(const void* user, uint32_t codepoint)
{
    const Face* face = static_cast<const Face*>(user);
    return face->baked->GetCharAdvance(static_cast<ImWchar>(codepoint));
}

// A cluster of several code points is drawn as one image (platform/cluster_raster): its advance
// is the browser's for the whole string.
float cluster_advance(const void* user, std::string_view cluster)
{
    const Face* face = static_cast<const Face*>(user);
    return platform::cluster_advance(face->font, face->size, cluster);
}

uint64_t mix(uint64_t h, uint64_t v)
{
    h ^= v + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    return h;
}

} // namespace

void LayoutFontsImGui::refresh(float body_size)
{
    ImFont* ui = platform::ui_font();
    ImFont* mono = platform::mono_font();
    ImFont* bold = platform::bold_font();
    const struct { ImFont* font; float size; } wanted[Face_Count] = {
        {ui, body_size}, {mono, body_size * 0.9f}, {bold, body_size * 1.5f},
        {bold, body_size * 1.3f}, {bold, body_size * 1.12f}, {ui, body_size * 0.8f},
        {bold, body_size}, {platform::italic_font(), body_size},
    };
    // The key changes when any font or size changes, or the pixel ratio: glyphs are measured at
    // size x ratio, so their advances in CSS pixels shift by fractions at another ratio.
    const float density = ImGui::GetIO().DisplayFramebufferScale.x;
    uint64_t key = static_cast<uint64_t>(density * 64.0f) + 1;
    for (int i = 0; i < Face_Count; i++)
        key = mix(mix(key, reinterpret_cast<uintptr_t>(wanted[i].font)), static_cast<uint64_t>(wanted[i].size * 64.0f));

    for (int i = 0; i < Face_Count; i++) {
        Face& f = faces_[i];
        f.font = wanted[i].font;
        // Whole pixels: ImGui bakes a font at its size rounded (GetFontBaked), and a glyph
        // drawn at any other size is its bitmap stretched, which blurred code (0.9 × 16 = 14.4
        // px drawn from the 14 px bake) beside the sharp 16 px body text.
        f.size = std::round(wanted[i].size);
        // At the frame's density, explicitly: a font not yet pushed this frame (code, before the
        // first code block) still carries density 1, and its bake would measure and draw blurred.
        f.baked = f.font->GetFontBaked(f.size, density);
        f.metrics.fallback = fallback_advance;
        f.metrics.cluster = cluster_advance;
        f.metrics.user = &f;
        if (key != key_) {
            f.metrics.id = mix(key, static_cast<uint64_t>(i));
            f.metrics.line_height = f.size * 1.45f;
            f.ascii_ready = false;
        }
    }
    // Code sits on a tighter line pitch than prose.
    faces_[Face_Mono].metrics.line_height = faces_[Face_Mono].size * 1.35f;
    key_ = key;
}

const Face& LayoutFontsImGui::ready(Face& f) const
{
    if (f.ascii_ready)
        return f;
    f.ascii_ready = true;
    static const char kAscii[] = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";
    platform::measure_glyphs_ahead(f.baked, kAscii, kAscii + sizeof(kAscii) - 1); // one crossing
    for (int c = 0; c < 128; c++)
        f.metrics.ascii[c] = c >= 32 && c != 127 ? f.baked->GetCharAdvance(static_cast<ImWchar>(c)) : 0.0f;
    return f;
}

const Face& LayoutFontsImGui::face_for(BlockKind kind, int heading_level, uint16_t style) const
{
    if (kind == BlockKind::CodeBlock || (style & SpanStyle_Code))
        return face(Face_Mono);
    if (kind == BlockKind::Heading)
        return face(heading_level <= 1 ? Face_H1 : heading_level == 2 ? Face_H2 : Face_H3);
    if (style & SpanStyle_Strong)
        return face(Face_Bold);
    if (style & SpanStyle_Emphasis)
        return face(Face_Italic);
    return face(Face_Body);
}

bool LayoutFontsImGui::inline_box(std::string_view span_text, uint16_t style, InlineBox& box) const
{
    const Face& f = faces_[Face_Body];
    MathSize size;
    size.width = -1;
    MathState state = math_images().lookup(span_text, f.size, theme().text, &size);
    if (state == MathState::Failed || size.width < 0)
        return false;
    box.width = size.width;
    if (style & SpanStyle_MathDisplay) {
        box.line_height = std::max(f.metrics.line_height, size.height + size.depth + 12.0f);
    } else {
        // Text is centred in its line; the formula's baseline sits on the text's, so the line
        // must reach as far above and below the centre as the formula does.
        float below_centre = f.baked->Ascent - f.size * 0.5f;
        box.line_height = std::max({f.metrics.line_height, 2 * (size.height - below_centre) + 2,
                                    2 * (size.depth + below_centre) + 2});
    }
    return true;
}

const FontMetrics& LayoutFontsImGui::metrics(BlockKind kind, int heading_level, bool table_header,
                                            uint16_t style) const
{
    return face_for(kind, heading_level, style).metrics;
}

} // namespace imchat::ui
