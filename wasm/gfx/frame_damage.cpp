#include "gfx/frame_damage.h"

#include <string.h>

#include "imgui_internal.h"  // ImMin, ImMax

namespace imchat::gfx {
namespace {

bool same_vertex(const ImDrawVert& a, const ImDrawVert& b)
{
    return memcmp(&a, &b, sizeof(ImDrawVert)) == 0;
}

bool same_rect(const ImVec4& a, const ImVec4& b)
{
    return a.x == b.x && a.y == b.y && a.z == b.z && a.w == b.w;
}

void add_rect(ImVec4& into, const ImVec4& r)
{
    into.x = ImMin(into.x, r.x);
    into.y = ImMin(into.y, r.y);
    into.z = ImMax(into.z, r.z);
    into.w = ImMax(into.w, r.w);
}

// The box around vertices [first, first + count), within the command's clip rectangle.
void add_vertices(ImVec4& into, const ImDrawVert* v, unsigned count, const ImVec4& clip)
{
    if (count == 0)
        return;
    ImVec4 box(v[0].pos.x, v[0].pos.y, v[0].pos.x, v[0].pos.y);
    for (unsigned i = 1; i < count; i++) {
        box.x = ImMin(box.x, v[i].pos.x);
        box.y = ImMin(box.y, v[i].pos.y);
        box.z = ImMax(box.z, v[i].pos.x);
        box.w = ImMax(box.w, v[i].pos.y);
    }
    box = ImVec4(ImMax(box.x, clip.x), ImMax(box.y, clip.y), ImMin(box.z, clip.z), ImMin(box.w, clip.w));
    if (box.z > box.x && box.w > box.y)
        add_rect(into, box);
}

} // namespace

void FrameDamage::capture(const ImDrawData* draw_data, std::vector<ImDrawVert>& vertices, std::vector<Command>& commands) const
{
    vertices.clear();
    commands.clear();
    for (const ImDrawList* list : draw_data->CmdLists) {
        for (const ImDrawCmd& cmd : list->CmdBuffer) {
            Command c{cmd.ClipRect, cmd.UserCallback ? ImTextureID_Invalid : cmd.GetTexID(), (unsigned)vertices.size(), cmd.ElemCount};
            if (!cmd.UserCallback)
                for (unsigned i = 0; i < cmd.ElemCount; i++)
                    vertices.push_back(list->VtxBuffer[(int)cmd.VtxOffset + list->IdxBuffer[(int)(cmd.IdxOffset + i)]]);
            else
                c.count = 0;
            commands.push_back(c);
        }
    }
}

FrameDamage::Kind FrameDamage::compute(const ImDrawData* draw_data, ImVec4* rect)
{
    capture(draw_data, next_vertices_, next_commands_);
    next_list_sizes_.clear();
    bool full = !valid_ || draw_data->DisplaySize.x != display_size_.x || draw_data->DisplaySize.y != display_size_.y ||
                draw_data->FramebufferScale.x != scale_.x || draw_data->FramebufferScale.y != scale_.y;
    for (const ImDrawList* list : draw_data->CmdLists) {
        next_list_sizes_.push_back(list->CmdBuffer.Size);
        for (const ImDrawCmd& cmd : list->CmdBuffer)
            full = full || cmd.UserCallback != nullptr;  // who knows what a callback draws
    }
    if (draw_data->Textures)
        for (const ImTextureData* tex : *draw_data->Textures)
            full = full || tex->Status != ImTextureStatus_OK;
    full = full || next_list_sizes_ != list_sizes_;

    const float big = 1e30f;
    ImVec4 damage(big, big, -big, -big);
    for (size_t i = 0; !full && i < next_commands_.size(); i++) {
        const Command& a = commands_[i];
        const Command& b = next_commands_[i];
        if (!same_rect(a.clip, b.clip) || a.texture != b.texture) {
            add_rect(damage, a.clip);
            add_rect(damage, b.clip);
            continue;
        }
        const ImDrawVert* va = vertices_.data() + a.first;
        const ImDrawVert* vb = next_vertices_.data() + b.first;
        // Whole triangles in common at the start and at the end; what lies between changed.
        const unsigned shorter = ImMin(a.count, b.count);
        unsigned head = 0;
        while (head < shorter && same_vertex(va[head], vb[head]))
            head++;
        head -= head % 3;
        if (head == a.count && head == b.count)
            continue;
        unsigned tail = 0;
        while (tail < shorter - head && same_vertex(va[a.count - 1 - tail], vb[b.count - 1 - tail]))
            tail++;
        tail -= tail % 3;
        add_vertices(damage, va + head, a.count - head - tail, a.clip);
        add_vertices(damage, vb + head, b.count - head - tail, b.clip);
    }

    vertices_.swap(next_vertices_);
    commands_.swap(next_commands_);
    list_sizes_.swap(next_list_sizes_);
    display_size_ = draw_data->DisplaySize;
    scale_ = draw_data->FramebufferScale;
    valid_ = true;
    if (full)
        return Kind::Full;
    if (damage.z <= damage.x || damage.w <= damage.y)
        return Kind::None;
    // A pixel around it: anti-aliased edges and the rounding to device pixels.
    *rect = ImVec4(damage.x - 1, damage.y - 1, damage.z + 1, damage.w + 1);
    return Kind::Part;
}

} // namespace imchat::gfx
