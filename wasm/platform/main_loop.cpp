// The platform's main loop: requestAnimationFrame driven, but a frame is drawn only when
// something asked for one (input, resize, DPR change, request_frame(), a timer), plus a few
// settle frames. An idle page draws nothing and uses no CPU.
#include <emscripten/emscripten.h>
#include <emscripten/eventloop.h>
#include <math.h>
#include <string.h>
#include <stdio.h>

#include "gfx/frame_damage.h"
#include "gfx/image_cache.h"
#include "gfx/webgl2_renderer.h"
#include "imgui_internal.h" // the input queue length
#include "platform/platform_internal.h"

namespace imchat::platform {

gfx::FrameDamage g_damage;  // what each frame changed: only that is drawn

namespace {

// ImGui needs a couple of frames to settle after a change (hover state, layout that depends on
// the previous frame's sizes, popups opening). Tracy and others use 3.
constexpr int kSettleFrames = 3;
// One extra frame this long after the last input, so delayed hover effects (tooltips use
// 0.15 s and 0.40 s delays) appear without drawing continuously.
constexpr double kLateSettleMs = 450.0;
// Frames built (not drawn) per drawn frame for queued input; more waits for the next frame.
constexpr int kMaxBuiltFrames = 200;

State g_state;

EM_BOOL on_animation_frame(double, void*);

void schedule_animation_frame()
{
    State& s = g_state;
    if (s.raf_pending)
        return;
    s.raf_pending = true;
    emscripten_request_animation_frame(on_animation_frame, nullptr);
}

void on_later_timer(void*)
{
    g_state.later_timer = 0;
    g_state.settle_frames = g_state.settle_frames > 1 ? g_state.settle_frames : 1;
    schedule_animation_frame();
}

void on_blink_timer(void*)
{
    g_state.blink_timer = 0;
    g_state.settle_frames = g_state.settle_frames > 1 ? g_state.settle_frames : 1;
    schedule_animation_frame();
}

// True while a key other than a modifier is held: ImGui repeats keys (Backspace held down)
// from its own clock, which only advances while frames are drawn.
bool non_modifier_key_down()
{
    for (int key = ImGuiKey_NamedKey_BEGIN; key < ImGuiKey_GamepadStart; key++) {
        if (key >= ImGuiKey_LeftCtrl && key <= ImGuiKey_RightSuper)
            continue;
        if (ImGui::IsKeyDown((ImGuiKey)key))
            return true;
    }
    return false;
}

// After the settle frames ran out: wake up for the focused text field's next caret blink, at
// most twice per blink period. The caret shows while fmod(clock, 1.2) < 0.8.
void schedule_idle_wakeups()
{
    if (!ImGui::GetIO().ConfigInputTextCursorBlink || !g_state.field_text)
        return;
    const float anim = g_state.field_caret_clock;
    float seconds;
    if (anim < 0.8f)
        seconds = 0.8f - anim;
    else {
        const float phase = fmodf(anim, 1.2f);
        seconds = phase < 0.8f ? 0.8f - phase : 1.2f - phase;
    }
    if (g_state.blink_timer)
        emscripten_clear_timeout(g_state.blink_timer);
    g_state.blink_timer = emscripten_set_timeout(on_blink_timer, seconds * 1000.0 + 5.0, nullptr);
}

EM_BOOL on_animation_frame(double, void*)
{
    State& s = g_state;
    s.raf_pending = false;
    if (!draw_frame_now())
        return EM_FALSE; // fonts not there yet or context lost: their arrival requests a frame
    if (s.settle_frames > 0)
        s.settle_frames--;
    // Input still queued (more steps than one frame builds), a held key or button: keep going.
    ImGuiContext& g = *ImGui::GetCurrentContext();
    if (g.InputEventsQueue.Size > 0 || ImGui::IsAnyMouseDown() || non_modifier_key_down())
        s.settle_frames = s.settle_frames > 1 ? s.settle_frames : 1;
    if (s.settle_frames > 0)
        schedule_animation_frame();
    else
        schedule_idle_wakeups();
    return EM_FALSE;
}

void update_display()
{
    State& s = g_state;
    double box[4] = {0, 0, 0, 0};  // left, top, width, height in CSS px
    imchat_page_canvas_box(box);
    const double css_width = box[2], css_height = box[3];
    double dpr = emscripten_get_device_pixel_ratio();
    if (dpr <= 0)
        dpr = 1;
    const int width = (int)lround(css_width * dpr);
    const int height = (int)lround(css_height * dpr);
    if (width != s.backing_width || height != s.backing_height) {
        // Resizing clears the canvas; this frame redraws it right away.
        emscripten_set_canvas_element_size("#canvas", width, height);
        s.backing_width = width;
        s.backing_height = height;
    }
    s.canvas_left = box[0];
    s.canvas_top = box[1];
    // DisplaySize x FramebufferScale is exactly the backing store, so ImGui's pixels land on
    // device pixels (and glyphs are baked at the device density).
    ImGuiIO& io = ImGui::GetIO();
    io.DisplaySize = ImVec2((float)(width / dpr), (float)(height / dpr));
    io.DisplayFramebufferScale = ImVec2((float)dpr, (float)dpr);
}

// ImGui -> page: the caret rectangle for the IME candidate window, and whether a text field is
// active (the page shows the on-screen keyboard only then).
void set_ime_data(ImGuiContext*, ImGuiViewport*, ImGuiPlatformImeData* data)
{
    State& s = g_state;
    s.ime_pos = data->InputPos;
    s.ime_line_height = data->InputLineHeight;
    s.ime_want_text = data->WantTextInput || data->WantVisible;
    imchat_page_set_ime(s.canvas_left + data->InputPos.x, s.canvas_top + data->InputPos.y,
                        data->InputLineHeight, s.ime_want_text ? 1 : 0);
}

const char* get_clipboard(ImGuiContext*)
{
    return g_state.clipboard.c_str();
}

void set_clipboard(ImGuiContext*, const char* text)
{
    State& s = g_state;
    s.clipboard = text ? text : "";
    s.clipboard_written = true;
    // Inside a copy/cut event the page puts the text in the event's clipboardData; elsewhere
    // (a Copy button) the asynchronous clipboard API is the only way, where the browser allows.
    if (!s.in_copy_event)
        imchat_page_clipboard_write(s.clipboard.c_str());
}

bool open_in_shell(ImGuiContext*, const char* url)
{
    imchat_page_open_url(url); // the page opens only http(s) URLs
    return true;
}

EM_BOOL on_context_lost(int, const void*, void*)
{
    g_state.context_lost = true;
    gfx::renderer_context_lost();
    gfx::transcript_images().context_lost();
    return EM_TRUE; // preventDefault: without it the browser never restores the context
}

EM_BOOL on_context_restored(int, const void*, void*)
{
    State& s = g_state;
    emscripten_webgl_make_context_current(s.gl);
    if (!gfx::renderer_context_restored()) {
        imchat_page_fatal("The graphics context came back broken. Reload the page.");
        return EM_TRUE;
    }
    gfx::transcript_images().context_restored();  // formulas and other images, from their bitmaps
    s.context_lost = false;
    s.backing_width = s.backing_height = 0; // re-apply the canvas size
    g_damage.invalidate();
    request_frame();
    return EM_TRUE;
}

// Starts an ImGui frame that takes one input step (input_steps.cpp) from the queue, at the
// time its events arrived (or `now_ms` without input); the rest waits for the next frame.
void new_frame_with_one_step(double now_ms)
{
    State& s = g_state;
    ImGuiContext& g = *ImGui::GetCurrentContext();
    ImVector<ImGuiInputEvent>& queue = g.InputEventsQueue;
    const int step = input_step_length(queue);
    const double at = step > 0 ? input_arrival_ms(queue[step - 1].EventId, now_ms) : now_ms;
    ImVector<ImGuiInputEvent> later;
    if (step < queue.Size) {
        later.resize(queue.Size - step);
        memcpy(later.Data, queue.Data + step, (size_t)later.Size * sizeof(ImGuiInputEvent));
        queue.resize(step);
    }
    ImGuiIO& io = ImGui::GetIO();
    io.DeltaTime = s.last_frame_ms > 0 && at > s.last_frame_ms ? (float)((at - s.last_frame_ms) / 1000.0) : 1e-4f;
    s.last_frame_ms = at > s.last_frame_ms ? at : s.last_frame_ms;
    ImGui::NewFrame();  // takes the whole step (the trickle queue is off)
    for (const ImGuiInputEvent& e : later)
        queue.push_back(e);
    s.field_text = nullptr;
    s.field_caret_clock = -1;
    if (s.hooks.frame)
        s.hooks.frame(s.hooks.user);
}

} // namespace

State& state() { return g_state; }

bool draw_frame_now()
{
    State& s = g_state;
    if (s.in_frame || s.context_lost)
        return false;
    fonts_update();
    if (!fonts_ready())
        return false;
    s.in_frame = true;
    const double start = now_ms();
    update_display();
    // Every input step but the last gets a frame that is built and not drawn, so that all the
    // keys and clicks that came since the last picture are in the next one.
    ImGuiContext& g = *ImGui::GetCurrentContext();
    for (int built = 0; built < kMaxBuiltFrames && input_step_length(g.InputEventsQueue) < g.InputEventsQueue.Size; built++) {
        new_frame_with_one_step(start);
        ImGui::EndFrame();
    }
    new_frame_with_one_step(start);
    ImGui::Render();
    // Only the part that changed is drawn again (a keystroke: the prompt box), and a frame that
    // changed nothing (most settle frames) draws nothing; the canvas keeps the rest.
    ImDrawData* draw_data = ImGui::GetDrawData();
    ImVec4 damage;
    const gfx::FrameDamage::Kind kind = g_damage.compute(draw_data, &damage);
    if (kind != gfx::FrameDamage::Kind::None) {
        const ImVec4* only = kind == gfx::FrameDamage::Kind::Part ? &damage : nullptr;
        gfx::renderer_clear(s.clear_color[0], s.clear_color[1], s.clear_color[2], only);
        gfx::renderer_render(draw_data, only);
    }
    s.frames_redrawn += kind == gfx::FrameDamage::Kind::Full ? 1 : 0;
    s.frames_partly_redrawn += kind == gfx::FrameDamage::Kind::Part ? 1 : 0;
    s.frame_cpu_ms = now_ms() - start;
    s.frame_cpu_total_ms += s.frame_cpu_ms;
    update_mouse_cursor();
    s.in_frame = false;
    if (s.frames++ == 0)
        imchat_page_first_frame();
    return true;
}

bool run(AppHooks hooks)
{
    State& s = g_state;
    s.hooks = hooks;

    EmscriptenWebGLContextAttributes attrs;
    emscripten_webgl_init_context_attributes(&attrs);
    attrs.majorVersion = 2;
    attrs.minorVersion = 0;
    attrs.alpha = EM_FALSE; // opaque canvas: nothing behind it to blend with
    attrs.depth = EM_FALSE;
    attrs.stencil = EM_FALSE;
    attrs.antialias = EM_FALSE; // ImGui anti-aliases its own shapes
    attrs.premultipliedAlpha = EM_FALSE;
    attrs.preserveDrawingBuffer = EM_TRUE; // frames redraw only what changed (gfx/frame_damage)
    s.gl = emscripten_webgl_create_context("#canvas", &attrs);
    if (s.gl <= 0) {
        imchat_page_fatal("This browser could not start WebGL2, which imchat needs to draw.");
        return false;
    }
    emscripten_webgl_make_context_current(s.gl);

    IMGUI_CHECKVERSION();
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr; // no file system; the UI stores what it needs itself
    io.LogFilename = nullptr;
    io.BackendPlatformName = "imchat_web";
    io.BackendFlags |= ImGuiBackendFlags_HasMouseCursors;
    s.is_mac = imchat_page_init() != 0;
    io.ConfigMacOSXBehaviors = s.is_mac;
    // The loop cuts the input queue into steps itself and builds a frame per step (see
    // input_steps.cpp): ImGui takes each step whole.
    io.ConfigInputTrickleEventQueue = false;

    ImGuiPlatformIO& pio = ImGui::GetPlatformIO();
    pio.Platform_SetImeDataFn = set_ime_data;
    pio.Platform_GetClipboardTextFn = get_clipboard;
    pio.Platform_SetClipboardTextFn = set_clipboard;
    pio.Platform_OpenInShellFn = open_in_shell;

    if (!gfx::renderer_init()) {
        imchat_page_fatal("imchat could not set up its WebGL2 shaders.");
        return false;
    }
    emscripten_set_webglcontextlost_callback("#canvas", nullptr, EM_TRUE,
        (em_webgl_context_callback)on_context_lost);
    emscripten_set_webglcontextrestored_callback("#canvas", nullptr, EM_TRUE,
        (em_webgl_context_callback)on_context_restored);
    install_input_handlers();
    request_frame();
    return true;
}

void request_frame()
{
    State& s = g_state;
    s.settle_frames = kSettleFrames;
    schedule_animation_frame();
}

void request_frame_after(double ms)
{
    State& s = g_state;
    const double due = now_ms() + ms;
    if (s.later_timer) {
        if (s.later_due_ms <= due)
            return;
        emscripten_clear_timeout(s.later_timer);
    }
    s.later_due_ms = due;
    s.later_timer = emscripten_set_timeout(on_later_timer, ms, nullptr);
}

// Input handlers call this: draw now-ish, and once more after hover delays have passed.
void request_frame_for_input()
{
    note_input_arrival(now_ms());
    request_frame();
    request_frame_after(kLateSettleMs);
}

double now_ms() { return emscripten_get_now(); }

void set_clear_color(float r, float g, float b)
{
    g_state.clear_color[0] = r;
    g_state.clear_color[1] = g;
    g_state.clear_color[2] = b;
    g_damage.invalidate();
}

long long frames_drawn() { return g_state.frames; }

void note_focused_text_field(const char* text, float caret_clock)
{
    g_state.field_text = text;
    g_state.field_caret_clock = caret_clock;
}

} // namespace imchat::platform

// Automation hooks (window.imchat.frames(), renderStats()) and page -> C++ notifications.
extern "C" {

EMSCRIPTEN_KEEPALIVE double imchat_platform_frames(void)
{
    return (double)imchat::platform::frames_drawn();
}

// Renderer counters as JSON, parsed by window.imchat.renderStats().
EMSCRIPTEN_KEEPALIVE const char* imchat_platform_stats_json(void)
{
    static char buffer[512];
    const imchat::gfx::RendererStats& st = imchat::gfx::renderer_stats();
    snprintf(buffer, sizeof(buffer),
             "{\"drawCalls\":%d,\"vertices\":%d,\"indices\":%d,\"textureUploads\":%d,"
             "\"textureUploadBytes\":%lld,\"framesRendered\":%lld,\"totalTextureUploads\":%lld,"
             "\"texturesAlive\":%d,\"deviceRebuilds\":%d,\"backingWidth\":%d,\"backingHeight\":%d,"
             "\"frameCpuMs\":%.4f,\"frameCpuTotalMs\":%.4f,\"framesRedrawn\":%lld,\"framesPartlyRedrawn\":%lld}",
             st.draw_calls, st.vertices, st.indices, st.texture_uploads, st.texture_upload_bytes,
             st.frames, st.total_texture_uploads, st.textures_alive, st.device_rebuilds,
             imchat::platform::state().backing_width, imchat::platform::state().backing_height,
             imchat::platform::state().frame_cpu_ms, imchat::platform::state().frame_cpu_total_ms,
             imchat::platform::state().frames_redrawn, imchat::platform::state().frames_partly_redrawn);
    return buffer;
}

// Draws one frame now, synchronously (benchmarks: append a token, then draw). Returns the
// frame's CPU time in ms (start to GL submit), or -1 when no frame could be drawn.
EMSCRIPTEN_KEEPALIVE double imchat_platform_draw_frame(void)
{
    return imchat::platform::draw_frame_now() ? imchat::platform::state().frame_cpu_ms : -1.0;
}

// Draws one frame now, all of it (tests: a picture drawn in parts must equal it).
EMSCRIPTEN_KEEPALIVE double imchat_platform_redraw_whole(void)
{
    imchat::platform::g_damage.invalidate();
    return imchat_platform_draw_frame();
}

// Device pixel ratio changed (the page watches a resolution media query) or the page became
// visible again.
EMSCRIPTEN_KEEPALIVE void imchat_platform_display_changed(void)
{
    imchat::platform::request_frame();
}

} // extern "C"
