// Shared between the platform layer's files: its state and the page glue's JS functions.
#pragma once

#include <emscripten/emscripten.h>
#include <emscripten/html5.h>
#include <emscripten/html5_webgl.h>
#include <string>
#include <vector>

#include "imgui.h"
#include "platform/platform.h"

struct ImGuiInputEvent;

namespace imchat::platform {

struct State {
    AppHooks hooks;
    EMSCRIPTEN_WEBGL_CONTEXT_HANDLE gl = 0;
    bool context_lost = false;

    // Loop
    bool raf_pending = false;
    int settle_frames = 0;          // frames still to draw after the last request
    long blink_timer = 0;           // emscripten_set_timeout ids (0 = none)
    long later_timer = 0;
    double later_due_ms = 0;        // when later_timer fires
    double last_frame_ms = 0;
    long long frames = 0;
    bool in_frame = false;
    double frame_cpu_ms = 0;        // last frame, from its start to after the GL submit
    double frame_cpu_total_ms = 0;  // all frames
    long long frames_redrawn = 0;         // drawn whole (the others drew part of the canvas or none)
    long long frames_partly_redrawn = 0;
    float clear_color[3] = {0.09f, 0.09f, 0.10f};

    // Display
    int backing_width = 0, backing_height = 0;
    double canvas_left = 0, canvas_top = 0; // canvas position in the viewport, CSS px

    // Input
    ImGuiMouseCursor cursor = ImGuiMouseCursor_COUNT; // last one sent to the page
    bool is_mac = false;
    int dom_buttons = 0;            // buttons pressed on the canvas and not yet released (bit per button)
    int dom_modifiers = 0;          // last key event's modifiers: 1 ctrl, 2 shift, 4 alt, 8 meta
    std::string composition;        // IME pre-edit text, "" when not composing
    ImVec2 ime_pos = ImVec2(0, 0);  // caret position from Platform_SetImeDataFn, CSS px
    float ime_line_height = 0;
    bool ime_want_text = false;
    const char* field_text = nullptr; // note_focused_text_field() in the last frame, else null
    float field_caret_clock = -1;
    // The finger the mouse follows: its latest positions (event time in ms, CSS px), a ring.
    struct TouchSample { double ms; float y; };
    static constexpr int kTouchSamples = 8;
    TouchSample touch_samples[kTouchSamples] = {};
    int touch_sample_next = 0;
    float touch_release_velocity_y = 0;
    // Arrival times of queued events: those with an id below next_event_id came by `ms`.
    struct InputStamp { ImU32 next_event_id; double ms; };
    std::vector<InputStamp> input_stamps;

    // Clipboard: the browser only hands out clipboard text in a `paste` event and only takes it
    // in a `copy`/`cut` event (or asynchronously), so ImGui talks to this string.
    std::string clipboard;
    bool clipboard_written = false; // ImGui set the clipboard since the flag was cleared
    bool in_copy_event = false;
};

State& state();

// Draws one frame now if drawing is possible (used by the loop and by the copy handler).
bool draw_frame_now();
// request_frame() plus one late frame for delayed hover effects; every input event calls it.
void request_frame_for_input();
// True once the fonts are set up (false for good when canvas readback does not work).
bool fonts_ready();
// Sets the fonts up on first use, and keeps the atlas within its memory bound; called before
// NewFrame.
void fonts_update();
void install_input_handlers();
// Input steps (input_steps.cpp): how many events at the head of ImGui's queue one frame takes.
int input_step_length(const ImVector<ImGuiInputEvent>& queue);
void note_input_arrival(double ms);
double input_arrival_ms(ImU32 event_id, double fallback_ms);
void update_mouse_cursor();
ImGuiKey key_from_dom(const char* code, const char* key);

} // namespace imchat::platform

// Page glue (wasm/platform/page_glue.js), the JS side of the platform layer.
extern "C" {
int imchat_page_init(void);                       // listeners; returns 1 on macOS/iOS
void imchat_page_set_cursor(const char* css);
void imchat_page_set_ime(double x, double y, double line_height, int want_text_input);
void imchat_page_focus_text_agent(void);
void imchat_page_first_frame(void);
void imchat_page_clipboard_write(const char* text);
void imchat_page_open_url(const char* url);
void imchat_page_canvas_box(double* left_top_width_height);
void imchat_page_fatal(const char* message);
}
