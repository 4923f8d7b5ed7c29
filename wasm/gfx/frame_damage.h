// frame_damage: the part of the picture a frame changed, found by comparing its draw data with
// the previous frame's, so that the renderer redraws only that rectangle (the canvas keeps the
// rest: preserveDrawingBuffer) or nothing at all.
//
// A keystroke changes the prompt box and its caret; on a software rasteriser at 2880x1800 a
// full redraw for it costs tens of milliseconds of GPU-process time, and the settle frames that
// follow every input change nothing. Commands are matched by their order in each draw list; a
// command with the same clip rectangle and texture is compared vertex by vertex (in index
// order), and only its changed middle (after the common prefix, before the common suffix) is
// damage: typing in the box leaves the vertices before and after its text alone.
#pragma once
#include <vector>

#include "imgui.h"

namespace imchat::gfx {

class FrameDamage {
public:
    enum class Kind { None, Part, Full };
    // Compares with the previous call's draw data. `rect` (display coordinates, min x/y and max
    // x/y) is set for Part. Textures being created or updated make the frame Full.
    Kind compute(const ImDrawData* draw_data, ImVec4* rect);
    // The next frame is drawn whole (context restored, clear colour changed).
    void invalidate() { valid_ = false; }

private:
    struct Command {
        ImVec4 clip;
        ImTextureID texture;
        unsigned first, count;  // into vertices_: the command's vertices in index order
    };
    void capture(const ImDrawData* draw_data, std::vector<ImDrawVert>& vertices, std::vector<Command>& commands) const;

    std::vector<ImDrawVert> vertices_, next_vertices_;
    std::vector<Command> commands_, next_commands_;
    std::vector<int> list_sizes_, next_list_sizes_;  // commands per draw list
    ImVec2 display_size_ = ImVec2(0, 0), scale_ = ImVec2(0, 0);
    bool valid_ = false;
};

} // namespace imchat::gfx
