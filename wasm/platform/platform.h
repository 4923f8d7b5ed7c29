// imchat's web platform layer: one full-window canvas, WebGL2, Dear ImGui input from html5.h and
// the page glue (a hidden textarea for keys, text, IME composition and clipboard), fonts fetched
// by the page, and a requestAnimationFrame loop that draws only when something asked for it.
//
// The UI never sees the browser: it gets a frame callback between ImGui::NewFrame() and
// ImGui::Render(), and calls request_frame() when its state changed outside a frame
// (network callbacks, timers).
#pragma once

struct ImFont;
struct ImFontBaked;
struct ImVec2;

namespace imchat::platform {

struct AppHooks {
    // Called once per drawn frame with an ImGui frame open (after NewFrame, before Render).
    void (*frame)(void* user) = nullptr;
    void* user = nullptr;
};

// Creates the ImGui context, the WebGL2 context and the input handlers, then returns: the
// browser drives everything from here (main() returns, the runtime stays alive).
// Returns false (after showing a message on the page) when WebGL2 cannot be used.
bool run(AppHooks hooks);

// Draws a frame soon (next animation frame), followed by a few "settle" frames, because ImGui
// needs 2-3 frames to show the consequences of a change. Cheap to call often.
void request_frame();
// Draws a frame after `ms` milliseconds (animations, spinners). Several calls keep the earliest.
void request_frame_after(double ms);

// Milliseconds since page start, high resolution.
double now_ms();

// Fonts, drawn by the browser in the system's font stacks (platform/font_loader_browser):
// UI text (system-ui), code (monospace, wide characters at two columns), and real bold and
// italic faces of the UI stack. Every script and colour emoji the system has are drawn.
ImFont* ui_font();
ImFont* mono_font();
ImFont* bold_font();
ImFont* italic_font();
// Measures the code points of [text, text_end) in one crossing into the browser, ahead of
// ImGui's loader, which asks one code point at a time (call inside a frame).
void measure_glyphs_ahead(ImFontBaked* baked, const char* text, const char* text_end);

// IME composition (pre-edit) text while the user composes with an input method, else "".
// ImGui cannot show it itself; draw_ime_composition() paints it at the text caret with an
// underline on the foreground draw list (call inside a frame, e.g. last thing in the hook).
const char* ime_composition();
void draw_ime_composition();

// The focused text field (ui/text_field; the page has no ImGui InputText) reports itself
// every frame it is focused: its text, for window.imchat.activeText(), and its caret blink
// clock in seconds (shown while fmod(clock, 1.2) < 0.8), so that the idle loop wakes up for
// the caret's next blink and draws nothing in between.
void note_focused_text_field(const char* text, float caret_clock);

// The vertical speed (CSS px/s, positive downward) of the last finger lifted from the screen,
// over its last 100 ms of moves by the events' own times; 0 when it rested before lifting.
// Read in the frame that sees the release: a fling starts from it.
float touch_release_velocity_y();

// Background colour painted before ImGui draws (linear 0..1 components).
void set_clear_color(float r, float g, float b);

// Frames drawn since start (also window.imchat.frames() for tests).
long long frames_drawn();

} // namespace imchat::platform
