// WebGL2 renderer for Dear ImGui 1.92.2b. See webgl2_renderer.h for the feature list.
#include "gfx/webgl2_renderer.h"

#include <GLES3/gl3.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "imgui.h"
#include "shaders.h"

namespace imchat::gfx {
namespace {

// Backend data stored in io.BackendRendererUserData, like every ImGui backend, so that a second
// ImGui context would get its own.
struct Data {
    GLuint program = 0;
    GLint projection_location = -1;
    GLint texture_location = -1;
    GLuint vao = 0;
    GLuint vbo = 0;
    GLuint ibo = 0;
    GLsizeiptr vbo_capacity = 0; // bytes allocated on the GPU; grows, never shrinks
    GLsizeiptr ibo_capacity = 0;
    bool context_lost = false;
    RendererStats stats;
};

Data* backend_data()
{
    return ImGui::GetCurrentContext() ? (Data*)ImGui::GetIO().BackendRendererUserData : nullptr;
}

GLuint compile_shader(GLenum kind, const char* source)
{
    GLuint shader = glCreateShader(kind);
    glShaderSource(shader, 1, &source, nullptr);
    glCompileShader(shader);
    GLint ok = 0;
    glGetShaderiv(shader, GL_COMPILE_STATUS, &ok);
    if (!ok) {
        char log[1024] = "";
        glGetShaderInfoLog(shader, sizeof(log), nullptr, log);
        fprintf(stderr, "imchat renderer: %s shader failed to compile: %s\n",
                kind == GL_VERTEX_SHADER ? "vertex" : "fragment", log);
        glDeleteShader(shader);
        return 0;
    }
    return shader;
}

// The attribute locations are fixed by layout(location) in shaders/imgui.vert. Called again with a
// new base whenever a command's first vertex moves: this is how VtxOffset works without
// glDrawElementsBaseVertex.
void point_vertex_attributes(size_t first_vertex)
{
    const GLsizei stride = sizeof(ImDrawVert);
    const size_t base = first_vertex * sizeof(ImDrawVert);
    glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, stride, (void*)(base + offsetof(ImDrawVert, pos)));
    glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, stride, (void*)(base + offsetof(ImDrawVert, uv)));
    glVertexAttribPointer(2, 4, GL_UNSIGNED_BYTE, GL_TRUE, stride, (void*)(base + offsetof(ImDrawVert, col)));
}

bool create_device_objects(Data* bd)
{
    GLuint vs = compile_shader(GL_VERTEX_SHADER, imchat_shaders::imgui_vert);
    GLuint fs = compile_shader(GL_FRAGMENT_SHADER, imchat_shaders::imgui_frag);
    if (!vs || !fs) {
        glDeleteShader(vs);
        glDeleteShader(fs);
        return false;
    }
    bd->program = glCreateProgram();
    glAttachShader(bd->program, vs);
    glAttachShader(bd->program, fs);
    glLinkProgram(bd->program);
    glDeleteShader(vs);
    glDeleteShader(fs);
    GLint ok = 0;
    glGetProgramiv(bd->program, GL_LINK_STATUS, &ok);
    if (!ok) {
        char log[1024] = "";
        glGetProgramInfoLog(bd->program, sizeof(log), nullptr, log);
        fprintf(stderr, "imchat renderer: shader program failed to link: %s\n", log);
        glDeleteProgram(bd->program);
        bd->program = 0;
        return false;
    }
    bd->projection_location = glGetUniformLocation(bd->program, "u_projection");
    bd->texture_location = glGetUniformLocation(bd->program, "u_texture");

    glGenVertexArrays(1, &bd->vao);
    glGenBuffers(1, &bd->vbo);
    glGenBuffers(1, &bd->ibo);
    bd->vbo_capacity = bd->ibo_capacity = 0;
    // The element buffer binding is part of the VAO, so bind both once here.
    glBindVertexArray(bd->vao);
    glBindBuffer(GL_ARRAY_BUFFER, bd->vbo);
    glBindBuffer(GL_ELEMENT_ARRAY_BUFFER, bd->ibo);
    glEnableVertexAttribArray(0);
    glEnableVertexAttribArray(1);
    glEnableVertexAttribArray(2);
    glBindVertexArray(0);
    return true;
}

// After a context loss the old names are dead; deleting them still frees Emscripten's name tables.
void destroy_device_objects(Data* bd)
{
    glDeleteBuffers(1, &bd->vbo);
    glDeleteBuffers(1, &bd->ibo);
    glDeleteVertexArrays(1, &bd->vao);
    glDeleteProgram(bd->program);
    bd->vbo = bd->ibo = bd->vao = bd->program = 0;
    bd->vbo_capacity = bd->ibo_capacity = 0;
}

void destroy_texture(Data* bd, ImTextureData* tex)
{
    GLuint name = (GLuint)(intptr_t)tex->TexID;
    glDeleteTextures(1, &name);
    bd->stats.textures_alive--;
    tex->SetTexID(ImTextureID_Invalid);
    tex->BackendUserData = nullptr;
}

} // namespace

unsigned renderer_new_texture()
{
    GLuint name = 0;
    glGenTextures(1, &name);
    glBindTexture(GL_TEXTURE_2D, name);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    return name;
}

namespace {

void update_texture(Data* bd, ImTextureData* tex)
{
    if (tex->Status == ImTextureStatus_WantCreate) {
        // Only RGBA32 is requested by the atlas by default; WebGL2 has no texture swizzle to show
        // an Alpha8 texture as white-with-alpha, so that format is not supported here.
        IM_ASSERT(tex->Format == ImTextureFormat_RGBA32);
        IM_ASSERT(tex->TexID == ImTextureID_Invalid && tex->BackendUserData == nullptr);
        GLuint name = renderer_new_texture();
        glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
        glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, tex->Width, tex->Height, 0, GL_RGBA, GL_UNSIGNED_BYTE,
                     tex->GetPixels());
        tex->SetTexID((ImTextureID)(intptr_t)name);
        tex->SetStatus(ImTextureStatus_OK);
        bd->stats.textures_alive++;
        bd->stats.texture_uploads++;
        bd->stats.texture_upload_bytes += tex->GetSizeInBytes();
    } else if (tex->Status == ImTextureStatus_WantUpdates) {
        // Each Updates[] rect is a block of never-used texels that glyphs were just baked into.
        // UNPACK_ROW_LENGTH lets the upload read it in place from the full-width CPU copy.
        glBindTexture(GL_TEXTURE_2D, (GLuint)(intptr_t)tex->TexID);
        glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
        glPixelStorei(GL_UNPACK_ROW_LENGTH, tex->Width);
        for (const ImTextureRect& r : tex->Updates) {
            glTexSubImage2D(GL_TEXTURE_2D, 0, r.x, r.y, r.w, r.h, GL_RGBA, GL_UNSIGNED_BYTE,
                            tex->GetPixelsAt(r.x, r.y));
            bd->stats.texture_uploads++;
            bd->stats.texture_upload_bytes += (long long)r.w * r.h * tex->BytesPerPixel;
        }
        glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
        tex->SetStatus(ImTextureStatus_OK);
    } else if (tex->Status == ImTextureStatus_WantDestroy && tex->UnusedFrames > 0) {
        destroy_texture(bd, tex);
        tex->SetStatus(ImTextureStatus_Destroyed);
    }
}

void setup_render_state(Data* bd, ImDrawData* draw_data, int fb_width, int fb_height)
{
    glEnable(GL_BLEND);
    glBlendEquation(GL_FUNC_ADD);
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    glDisable(GL_CULL_FACE);
    glDisable(GL_DEPTH_TEST);
    glDisable(GL_STENCIL_TEST);
    glEnable(GL_SCISSOR_TEST);
    glViewport(0, 0, fb_width, fb_height);

    // Orthographic projection: DisplayPos (top left) .. DisplayPos + DisplaySize, in CSS pixels.
    const float l = draw_data->DisplayPos.x;
    const float r = draw_data->DisplayPos.x + draw_data->DisplaySize.x;
    const float t = draw_data->DisplayPos.y;
    const float b = draw_data->DisplayPos.y + draw_data->DisplaySize.y;
    const float projection[16] = {
        2.0f / (r - l),    0.0f,              0.0f,  0.0f,
        0.0f,              2.0f / (t - b),    0.0f,  0.0f,
        0.0f,              0.0f,              -1.0f, 0.0f,
        (r + l) / (l - r), (t + b) / (b - t), 0.0f,  1.0f,
    };
    glUseProgram(bd->program);
    glUniformMatrix4fv(bd->projection_location, 1, GL_FALSE, projection);
    glUniform1i(bd->texture_location, 0);
    glActiveTexture(GL_TEXTURE0);
    glBindVertexArray(bd->vao);
    glBindBuffer(GL_ARRAY_BUFFER, bd->vbo);
}

// Makes sure a buffer holds `bytes`; grows by half again so a slowly growing UI does not
// reallocate every frame.
void reserve_buffer(GLenum target, GLsizeiptr* capacity, GLsizeiptr bytes)
{
    if (bytes <= *capacity)
        return;
    GLsizeiptr grown = *capacity + *capacity / 2;
    *capacity = bytes > grown ? bytes : grown;
    glBufferData(target, *capacity, nullptr, GL_STREAM_DRAW);
}

} // namespace

bool renderer_init()
{
    ImGuiIO& io = ImGui::GetIO();
    IM_ASSERT(io.BackendRendererUserData == nullptr && "renderer already initialised");
    Data* bd = IM_NEW(Data)();
    io.BackendRendererUserData = bd;
    io.BackendRendererName = "imchat_webgl2";
    io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset | ImGuiBackendFlags_RendererHasTextures;

    GLint max_texture_size = 0;
    glGetIntegerv(GL_MAX_TEXTURE_SIZE, &max_texture_size);
    ImGuiPlatformIO& platform_io = ImGui::GetPlatformIO();
    platform_io.Renderer_TextureMaxWidth = platform_io.Renderer_TextureMaxHeight = (int)max_texture_size;

    if (!create_device_objects(bd)) {
        renderer_shutdown();
        return false;
    }
    return true;
}

void renderer_shutdown()
{
    Data* bd = backend_data();
    if (!bd)
        return;
    // Textures shared with another context (RefCount > 1) stay with it.
    for (ImTextureData* tex : ImGui::GetPlatformIO().Textures)
        if (tex->RefCount == 1 && tex->TexID != ImTextureID_Invalid) {
            destroy_texture(bd, tex);
            tex->SetStatus(ImTextureStatus_Destroyed);
        }
    destroy_device_objects(bd);
    ImGuiIO& io = ImGui::GetIO();
    io.BackendRendererName = nullptr;
    io.BackendRendererUserData = nullptr;
    io.BackendFlags &= ~(ImGuiBackendFlags_RendererHasVtxOffset | ImGuiBackendFlags_RendererHasTextures);
    ImGui::GetPlatformIO().Renderer_TextureMaxWidth = ImGui::GetPlatformIO().Renderer_TextureMaxHeight = 0;
    IM_DELETE(bd);
}

// A rectangle of whole framebuffer pixels, GL's way up (origin bottom left), ends exclusive.
struct PixelBox {
    int x0, y0, x1, y1;
    // The pixels `r` (display coordinates, top down) touches.
    static PixelBox of(const ImVec4& r, ImVec2 scale, int fb_height)
    {
        return {(int)floorf(r.x * scale.x), fb_height - (int)ceilf(r.w * scale.y), (int)ceilf(r.z * scale.x),
                fb_height - (int)floorf(r.y * scale.y)};
    }
    bool intersect(const PixelBox& o)
    {
        x0 = x0 > o.x0 ? x0 : o.x0;
        y0 = y0 > o.y0 ? y0 : o.y0;
        x1 = x1 < o.x1 ? x1 : o.x1;
        y1 = y1 < o.y1 ? y1 : o.y1;
        return x1 > x0 && y1 > y0;
    }
};

void renderer_clear(float r, float g, float b, const ImVec4* only)
{
    Data* bd = backend_data();
    if (!bd || bd->context_lost)
        return;
    if (only) {
        const ImGuiIO& io = ImGui::GetIO();
        const PixelBox box = PixelBox::of(*only, io.DisplayFramebufferScale, (int)(io.DisplaySize.y * io.DisplayFramebufferScale.y));
        glEnable(GL_SCISSOR_TEST);
        glScissor(box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0);
    } else {
        glDisable(GL_SCISSOR_TEST); // glClear honours the scissor box left by the last frame
    }
    glClearColor(r, g, b, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
}

void renderer_render(ImDrawData* draw_data, const ImVec4* only)
{
    Data* bd = backend_data();
    if (!bd || bd->context_lost)
        return;
    const int fb_width = (int)(draw_data->DisplaySize.x * draw_data->FramebufferScale.x);
    const int fb_height = (int)(draw_data->DisplaySize.y * draw_data->FramebufferScale.y);
    if (fb_width <= 0 || fb_height <= 0)
        return;

    RendererStats& stats = bd->stats;
    stats.draw_calls = stats.vertices = stats.indices = stats.texture_uploads = 0;
    stats.texture_upload_bytes = 0;
    stats.frames++;

    // Textures first, and before any early-out: a texture left in WantCreate would stay there.
    if (draw_data->Textures != nullptr)
        for (ImTextureData* tex : *draw_data->Textures)
            if (tex->Status != ImTextureStatus_OK)
                update_texture(bd, tex);
    stats.total_texture_uploads += stats.texture_uploads;

    setup_render_state(bd, draw_data, fb_width, fb_height);
    if (draw_data->TotalVtxCount == 0)
        return;

    // Upload: every list goes into one shared VBO/IBO at its running offset.
    reserve_buffer(GL_ARRAY_BUFFER, &bd->vbo_capacity, (GLsizeiptr)draw_data->TotalVtxCount * sizeof(ImDrawVert));
    reserve_buffer(GL_ELEMENT_ARRAY_BUFFER, &bd->ibo_capacity, (GLsizeiptr)draw_data->TotalIdxCount * sizeof(ImDrawIdx));
    {
        GLintptr vtx_bytes = 0, idx_bytes = 0;
        for (const ImDrawList* list : draw_data->CmdLists) {
            const GLsizeiptr vsize = (GLsizeiptr)list->VtxBuffer.Size * sizeof(ImDrawVert);
            const GLsizeiptr isize = (GLsizeiptr)list->IdxBuffer.Size * sizeof(ImDrawIdx);
            glBufferSubData(GL_ARRAY_BUFFER, vtx_bytes, vsize, list->VtxBuffer.Data);
            glBufferSubData(GL_ELEMENT_ARRAY_BUFFER, idx_bytes, isize, list->IdxBuffer.Data);
            vtx_bytes += vsize;
            idx_bytes += isize;
        }
    }
    stats.vertices = draw_data->TotalVtxCount;
    stats.indices = draw_data->TotalIdxCount;

    const ImVec2 clip_off = draw_data->DisplayPos;
    const ImVec2 clip_scale = draw_data->FramebufferScale;
    const PixelBox damage = only ? PixelBox::of(ImVec4(only->x - clip_off.x, only->y - clip_off.y, only->z - clip_off.x,
                                                       only->w - clip_off.y), clip_scale, fb_height)
                                 : PixelBox{0, 0, fb_width, fb_height};
    const GLenum index_type = sizeof(ImDrawIdx) == 2 ? GL_UNSIGNED_SHORT : GL_UNSIGNED_INT;
    size_t bound_first_vertex = SIZE_MAX;
    GLuint bound_texture = 0;
    int global_vtx = 0, global_idx = 0;
    for (const ImDrawList* list : draw_data->CmdLists) {
        for (const ImDrawCmd& cmd : list->CmdBuffer) {
            if (cmd.UserCallback != nullptr) {
                if (cmd.UserCallback == ImDrawCallback_ResetRenderState)
                    setup_render_state(bd, draw_data, fb_width, fb_height);
                else
                    cmd.UserCallback(list, &cmd);
                // Either way our cached bindings may be stale now.
                bound_first_vertex = SIZE_MAX;
                bound_texture = 0;
                continue;
            }
            // Clip rectangle in framebuffer pixels; GL's scissor origin is bottom left.
            const ImVec2 clip_min((cmd.ClipRect.x - clip_off.x) * clip_scale.x, (cmd.ClipRect.y - clip_off.y) * clip_scale.y);
            const ImVec2 clip_max((cmd.ClipRect.z - clip_off.x) * clip_scale.x, (cmd.ClipRect.w - clip_off.y) * clip_scale.y);
            if (clip_max.x <= clip_min.x || clip_max.y <= clip_min.y || cmd.ElemCount == 0)
                continue;
            PixelBox box = {(int)clip_min.x, (int)((float)fb_height - clip_max.y), 0, 0};
            box.x1 = box.x0 + (int)(clip_max.x - clip_min.x);
            box.y1 = box.y0 + (int)(clip_max.y - clip_min.y);
            // Within the part being redrawn, in the same whole pixels as a whole frame's.
            if (only && !box.intersect(damage))
                continue;
            glScissor(box.x0, box.y0, box.x1 - box.x0, box.y1 - box.y0);

            const size_t first_vertex = (size_t)global_vtx + cmd.VtxOffset;
            if (first_vertex != bound_first_vertex) {
                point_vertex_attributes(first_vertex);
                bound_first_vertex = first_vertex;
            }
            const GLuint texture = (GLuint)(intptr_t)cmd.GetTexID();
            if (texture != bound_texture) {
                glBindTexture(GL_TEXTURE_2D, texture);
                bound_texture = texture;
            }
            glDrawElements(GL_TRIANGLES, (GLsizei)cmd.ElemCount, index_type,
                           (void*)(((size_t)global_idx + cmd.IdxOffset) * sizeof(ImDrawIdx)));
            stats.draw_calls++;
        }
        global_vtx += list->VtxBuffer.Size;
        global_idx += list->IdxBuffer.Size;
    }
    glBindVertexArray(0);
}

void renderer_context_lost()
{
    Data* bd = backend_data();
    if (!bd)
        return;
    bd->context_lost = true;
    // ImGui keeps every texture's pixels in RAM: forget the GL names and ask for re-creation.
    // (In 1.92.2b setting Destroyed on an atlas texture also leads to WantCreate at the next
    // NewFrame, but user textures would not come back that way, so ask directly.)
    for (ImTextureData* tex : ImGui::GetPlatformIO().Textures) {
        if (tex->TexID != ImTextureID_Invalid)
            destroy_texture(bd, tex);
        if (tex->Status == ImTextureStatus_WantDestroy || tex->Pixels == nullptr)
            tex->SetStatus(ImTextureStatus_Destroyed);
        else
            tex->SetStatus(ImTextureStatus_WantCreate);
    }
}

bool renderer_context_restored()
{
    Data* bd = backend_data();
    if (!bd)
        return false;
    destroy_device_objects(bd);
    if (!create_device_objects(bd))
        return false;
    bd->context_lost = false;
    bd->stats.device_rebuilds++;
    return true;
}

const RendererStats& renderer_stats()
{
    static const RendererStats empty;
    Data* bd = backend_data();
    return bd ? bd->stats : empty;
}

} // namespace imchat::gfx
