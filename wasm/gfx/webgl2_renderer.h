// WebGL2 renderer for Dear ImGui 1.92.2b, written for imchat (GLES3 through Emscripten).
//
// Implemented features:
//  [X] Renderer: texture updates for the dynamic font atlas (ImGuiBackendFlags_RendererHasTextures):
//      create, partial updates per Updates[] rect (UNPACK_ROW_LENGTH), destroy.
//  [X] Renderer: large meshes (ImGuiBackendFlags_RendererHasVtxOffset). WebGL2 has no base-vertex draw,
//      so the vertex attributes are re-pointed at the command's first vertex when VtxOffset changes.
//  [X] Renderer: ImDrawCallback_ResetRenderState and user callbacks.
//  [X] Renderer: WebGL context loss and restore (device objects rebuilt, textures re-created from the
//      pixels ImGui keeps in RAM).
// All vertex and index data of a frame goes to one VBO and one IBO (STREAM_DRAW), one upload per
// draw list, with no per-frame heap allocation.
#pragma once

struct ImDrawData;
struct ImVec4;

namespace imchat::gfx {

// Counters of the last rendered frame plus running totals, for tests and the perf work.
struct RendererStats {
    int draw_calls = 0;          // glDrawElements calls in the last frame
    int vertices = 0;            // vertices uploaded in the last frame
    int indices = 0;             // indices uploaded in the last frame
    int texture_uploads = 0;     // texImage2D/texSubImage2D calls in the last frame
    long long texture_upload_bytes = 0; // pixels bytes sent in the last frame
    long long frames = 0;              // frames rendered since start
    long long total_texture_uploads = 0;
    int textures_alive = 0;      // GL textures currently owned by the renderer
    int device_rebuilds = 0;     // times the GL objects were re-created after a context restore
};

// Call with the WebGL2 context current. Returns false when the shaders do not compile.
bool renderer_init();
void renderer_shutdown();
// Clears the whole canvas, or only `only` (display coordinates: min x/y, max x/y), before
// renderer_render draws over it.
void renderer_clear(float r, float g, float b, const ImVec4* only = nullptr);
// Processes draw_data->Textures, then draws the lists, all of them or only what falls in `only`
// (the rest of the canvas keeps the previous frame: gfx/frame_damage).
void renderer_render(ImDrawData* draw_data, const ImVec4* only = nullptr);
// Context loss: GL objects are gone. The renderer forgets them and asks ImGui to re-create every
// texture whose pixels it still holds; renderer_restore() builds the program and buffers again.
void renderer_context_lost();
bool renderer_context_restored();
const RendererStats& renderer_stats();
// A new GL texture, bound, sampled linearly and clamped: the atlas and the transcript's images.
unsigned renderer_new_texture();

} // namespace imchat::gfx
