// Browser input -> ImGui. Mouse, wheel, touch, focus and resize come through html5.h; keys,
// text, IME composition and the clipboard come from the page glue's hidden textarea (the
// "text agent"), which calls the imchat_platform_* functions at the bottom.
#include <float.h>
#include <stdio.h>

#include "imgui_internal.h" // the input event queue, read while a copy event runs frames

#include "platform/platform_internal.h"

namespace imchat::platform {
namespace {

void add_modifiers(bool ctrl, bool shift, bool alt, bool meta)
{
    ImGuiIO& io = ImGui::GetIO();
    io.AddKeyEvent(ImGuiMod_Ctrl, ctrl);
    io.AddKeyEvent(ImGuiMod_Shift, shift);
    io.AddKeyEvent(ImGuiMod_Alt, alt);
    io.AddKeyEvent(ImGuiMod_Super, meta);
}

// DOM buttons: 0 left, 1 middle, 2 right. ImGui: 0 left, 1 right, 2 middle.
int imgui_button(unsigned short dom_button)
{
    switch (dom_button) {
    case 0: return 0;
    case 1: return 2;
    case 2: return 1;
    default: return dom_button < ImGuiMouseButton_COUNT ? dom_button : -1;
    }
}

void add_mouse_position(long client_x, long client_y)
{
    const State& s = state();
    ImGui::GetIO().AddMousePosEvent((float)(client_x - s.canvas_left), (float)(client_y - s.canvas_top));
}

EM_BOOL on_mouse_down(int, const EmscriptenMouseEvent* e, void*)
{
    ImGuiIO& io = ImGui::GetIO();
    io.AddMouseSourceEvent(ImGuiMouseSource_Mouse);
    add_modifiers(e->ctrlKey, e->shiftKey, e->altKey, e->metaKey);
    add_mouse_position(e->clientX, e->clientY);
    const int button = imgui_button(e->button);
    if (button >= 0) {
        io.AddMouseButtonEvent(button, true);
        state().dom_buttons |= 1 << button;
    }
    // The default action would move focus to the body; keep the text agent focused instead so
    // the next keystrokes reach ImGui.
    imchat_page_focus_text_agent();
    request_frame_for_input();
    return EM_TRUE;
}

// Registered on the window so that a drag that leaves the canvas keeps reporting.
EM_BOOL on_mouse_up(int, const EmscriptenMouseEvent* e, void*)
{
    ImGuiIO& io = ImGui::GetIO();
    add_mouse_position(e->clientX, e->clientY);
    // Only releases of presses that began on the canvas. The queued state counts, not
    // io.MouseDown: a quick click's press may still wait in ImGui's queue when its release
    // arrives, and dropping that release would leave the button held (and eat double-clicks).
    const int button = imgui_button(e->button);
    State& s = state();
    if (button >= 0 && (s.dom_buttons & (1 << button))) {
        s.dom_buttons &= ~(1 << button);
        io.AddMouseButtonEvent(button, false);
    }
    request_frame_for_input();
    return EM_FALSE;
}

EM_BOOL on_mouse_move(int, const EmscriptenMouseEvent* e, void*)
{
    ImGuiIO& io = ImGui::GetIO();
    io.AddMouseSourceEvent(ImGuiMouseSource_Mouse);
    add_mouse_position(e->clientX, e->clientY);
    request_frame_for_input();
    return EM_FALSE;
}

EM_BOOL on_mouse_leave(int, const EmscriptenMouseEvent*, void*)
{
    if (!ImGui::IsAnyMouseDown()) {
        ImGui::GetIO().AddMousePosEvent(-FLT_MAX, -FLT_MAX);
        request_frame_for_input();
    }
    return EM_FALSE;
}

// One wheel "step" scrolls 5 lines in ImGui. A common notch is 100 px (deltaMode 0) or 3 lines
// (deltaMode 1): both become 0.6 steps, i.e. 3 lines. A page (deltaMode 2) is taken as 20 lines.
EM_BOOL on_wheel(int, const EmscriptenWheelEvent* e, void*)
{
    if (e->mouse.ctrlKey)
        return EM_FALSE; // leave Ctrl+wheel to the browser's zoom (we follow the DPR change)
    double per_unit;
    switch (e->deltaMode) {
    case DOM_DELTA_LINE: per_unit = 1.0 / 5.0; break;
    case DOM_DELTA_PAGE: per_unit = 4.0; break;
    default: per_unit = 0.6 / 100.0; break;
    }
    ImGuiIO& io = ImGui::GetIO();
    io.AddMouseSourceEvent(ImGuiMouseSource_Mouse);
    add_mouse_position(e->mouse.clientX, e->mouse.clientY);
    io.AddMouseWheelEvent((float)(-e->deltaX * per_unit), (float)(-e->deltaY * per_unit));
    request_frame_for_input();
    return EM_TRUE;
}

// The finger's speed when it lifts, over its moves of the last 100 ms (at least two of them).
// Times come from the events: frames can be slow or see several moves at once.
float finger_velocity_y(const State& s, double end_ms)
{
    constexpr int n = State::kTouchSamples;
    if (s.touch_sample_next < 2)
        return 0;
    const State::TouchSample& last = s.touch_samples[(s.touch_sample_next - 1) % n];
    if (end_ms - last.ms > 50)
        return 0;  // it rested before lifting
    const State::TouchSample* first = &last;
    for (int i = 2; i <= n && i <= s.touch_sample_next && last.ms - first->ms < 100; i++)
        first = &s.touch_samples[(s.touch_sample_next - i) % n];
    const double ms = last.ms - first->ms;
    return ms >= 1 ? (float)((last.y - first->y) * 1000.0 / ms) : 0.0f;
}

// Touch drives the mouse (first changed touch point), tagged as a touch screen so ImGui skips
// hover-only behaviour and the transcript scrolls on a touch drag instead of selecting
// (ImGui 1.92.2b has no drag-to-scroll of its own).
EM_BOOL on_touch(int type, const EmscriptenTouchEvent* e, void*)
{
    const EmscriptenTouchPoint* point = nullptr;
    for (int i = 0; i < e->numTouches; i++)
        if (e->touches[i].isChanged) {
            point = &e->touches[i];
            break;
        }
    if (!point)
        return EM_FALSE;
    ImGuiIO& io = ImGui::GetIO();
    io.AddMouseSourceEvent(ImGuiMouseSource_TouchScreen);
    add_mouse_position(point->clientX, point->clientY);
    State& s = state();
    const bool lifted = type == EMSCRIPTEN_EVENT_TOUCHEND || type == EMSCRIPTEN_EVENT_TOUCHCANCEL;
    if (type == EMSCRIPTEN_EVENT_TOUCHSTART)
        s.touch_sample_next = 0;
    if (lifted)
        s.touch_release_velocity_y = type == EMSCRIPTEN_EVENT_TOUCHEND ? finger_velocity_y(s, e->timestamp) : 0.0f;
    else
        s.touch_samples[s.touch_sample_next++ % State::kTouchSamples] = {e->timestamp, (float)point->clientY};
    if (type == EMSCRIPTEN_EVENT_TOUCHSTART)
        io.AddMouseButtonEvent(0, true);
    else if (lifted) {
        io.AddMouseButtonEvent(0, false);
        // A lifted finger hovers nothing (no tooltip or hover-only button left behind).
        io.AddMousePosEvent(-FLT_MAX, -FLT_MAX);
        // A tap on a text field: focusing inside the gesture lets mobile browsers raise the keyboard.
        imchat_page_focus_text_agent();
    }
    request_frame_for_input();
    return EM_TRUE; // no emulated mouse events, no page scrolling
}

EM_BOOL on_focus(int type, const EmscriptenFocusEvent*, void*)
{
    ImGui::GetIO().AddFocusEvent(type == EMSCRIPTEN_EVENT_FOCUS);
    request_frame_for_input();
    return EM_FALSE;
}

EM_BOOL on_resize(int, const EmscriptenUiEvent*, void*)
{
    request_frame(); // the frame itself reads the new size and DPR
    return EM_FALSE;
}

EM_BOOL on_visibility(int, const EmscriptenVisibilityChangeEvent* e, void*)
{
    if (!e->hidden)
        request_frame();
    return EM_FALSE;
}

const char* css_cursor(ImGuiMouseCursor cursor)
{
    switch (cursor) {
    case ImGuiMouseCursor_None: return "none";
    case ImGuiMouseCursor_TextInput: return "text";
    case ImGuiMouseCursor_ResizeAll: return "move";
    case ImGuiMouseCursor_ResizeNS: return "ns-resize";
    case ImGuiMouseCursor_ResizeEW: return "ew-resize";
    case ImGuiMouseCursor_ResizeNESW: return "nesw-resize";
    case ImGuiMouseCursor_ResizeNWSE: return "nwse-resize";
    case ImGuiMouseCursor_Hand: return "pointer";
    case ImGuiMouseCursor_Wait: return "wait";
    case ImGuiMouseCursor_Progress: return "progress";
    case ImGuiMouseCursor_NotAllowed: return "not-allowed";
    default: return "default";
    }
}

} // namespace

void install_input_handlers()
{
    const char* canvas = "#canvas";
    emscripten_set_mousedown_callback(canvas, nullptr, EM_TRUE, on_mouse_down);
    emscripten_set_mouseup_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_TRUE, on_mouse_up);
    emscripten_set_mousemove_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_TRUE, on_mouse_move);
    emscripten_set_mouseleave_callback(canvas, nullptr, EM_TRUE, on_mouse_leave);
    emscripten_set_wheel_callback(canvas, nullptr, EM_FALSE, on_wheel);
    emscripten_set_touchstart_callback(canvas, nullptr, EM_FALSE, on_touch);
    emscripten_set_touchmove_callback(canvas, nullptr, EM_FALSE, on_touch);
    emscripten_set_touchend_callback(canvas, nullptr, EM_FALSE, on_touch);
    emscripten_set_touchcancel_callback(canvas, nullptr, EM_FALSE, on_touch);
    emscripten_set_focus_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_FALSE, on_focus);
    emscripten_set_blur_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_FALSE, on_focus);
    emscripten_set_resize_callback(EMSCRIPTEN_EVENT_TARGET_WINDOW, nullptr, EM_FALSE, on_resize);
    emscripten_set_visibilitychange_callback(nullptr, EM_FALSE, on_visibility);
}

void update_mouse_cursor()
{
    State& s = state();
    ImGuiIO& io = ImGui::GetIO();
    if (io.ConfigFlags & ImGuiConfigFlags_NoMouseCursorChange)
        return;
    ImGuiMouseCursor cursor = io.MouseDrawCursor ? ImGuiMouseCursor_None : ImGui::GetMouseCursor();
    if (cursor == s.cursor)
        return;
    s.cursor = cursor;
    imchat_page_set_cursor(css_cursor(cursor));
}

float touch_release_velocity_y() { return state().touch_release_velocity_y; }

const char* ime_composition() { return state().composition.c_str(); }

void draw_ime_composition()
{
    const State& s = state();
    if (s.composition.empty() || !s.ime_want_text)
        return;
    // Drawn over the field at the caret, on an opaque box so it reads as "being composed".
    ImDrawList* draw = ImGui::GetForegroundDrawList();
    const char* text = s.composition.c_str();
    const ImVec2 size = ImGui::CalcTextSize(text);
    const float line = s.ime_line_height > 0 ? s.ime_line_height : ImGui::GetFontSize();
    const ImVec2 min = s.ime_pos;
    const ImVec2 max(min.x + size.x + 2.0f, min.y + line);
    draw->AddRectFilled(min, max, ImGui::GetColorU32(ImGuiCol_FrameBgActive, 1.0f));
    draw->AddRectFilled(min, max, ImGui::GetColorU32(ImGuiCol_WindowBg, 0.85f));
    draw->AddText(ImVec2(min.x + 1.0f, min.y + (line - size.y) * 0.5f), ImGui::GetColorU32(ImGuiCol_Text), text);
    draw->AddLine(ImVec2(min.x, max.y - 1.0f), ImVec2(max.x, max.y - 1.0f), ImGui::GetColorU32(ImGuiCol_Text), 1.0f);
}

} // namespace imchat::platform

using namespace imchat::platform;

// Called by the page glue (wasm/platform/page_glue.js) from the text agent's events.
extern "C" {

// keydown/keyup. `code` and `key` are KeyboardEvent.code/.key. Keys that map to nothing (or an
// empty code, used for "modifiers only") still update the modifiers.
EMSCRIPTEN_KEEPALIVE void imchat_platform_key(const char* code, const char* key, int down, int mods)
{
    ImGuiIO& io = ImGui::GetIO();
    state().dom_modifiers = mods;
    add_modifiers(mods & 1, mods & 2, mods & 4, mods & 8);
    const ImGuiKey imgui_key = key_from_dom(code, key);
    if (imgui_key != ImGuiKey_None)
        io.AddKeyEvent(imgui_key, down != 0);
    request_frame_for_input();
}

// Text typed or committed by the input method (UTF-8).
EMSCRIPTEN_KEEPALIVE void imchat_platform_text(const char* utf8)
{
    ImGui::GetIO().AddInputCharactersUTF8(utf8);
    request_frame_for_input();
}

// The input method's current pre-edit text; "" when composition ended.
EMSCRIPTEN_KEEPALIVE void imchat_platform_composition(const char* utf8)
{
    state().composition = utf8;
    request_frame_for_input();
}

// A `paste` event brought text: it becomes the clipboard, then ImGui gets the paste shortcut so
// the focused text field inserts it. The real Ctrl/Cmd+V keydown was not forwarded for the key V,
// so this is the only paste ImGui sees, and it happens after the clipboard was filled.
EMSCRIPTEN_KEEPALIVE void imchat_platform_paste(const char* utf8)
{
    State& s = state();
    s.clipboard = utf8;
    ImGuiIO& io = ImGui::GetIO();
    // ImGui swaps Cmd and Ctrl itself when ConfigMacOSXBehaviors is on, so send what a user
    // of this OS presses, unless the last key event says it is held already.
    const ImGuiKey shortcut = s.is_mac ? ImGuiMod_Super : ImGuiMod_Ctrl;
    const bool held = (s.dom_modifiers & (s.is_mac ? 8 : 1)) != 0;
    if (!held)
        io.AddKeyEvent(shortcut, true);
    io.AddKeyEvent(ImGuiKey_V, true);
    io.AddKeyEvent(ImGuiKey_V, false);
    if (!held)
        io.AddKeyEvent(shortcut, false);
    request_frame_for_input();
}

// `copy`/`cut` event: the Ctrl/Cmd+C (or X) keydown is already queued in ImGui. Run a frame right
// now so the focused widget handles it and calls SetClipboardText, then hand that text to the
// page for the event's clipboardData. Returns NULL when ImGui did not copy anything.
EMSCRIPTEN_KEEPALIVE const char* imchat_platform_copy(void)
{
    State& s = state();
    s.clipboard_written = false;
    s.in_copy_event = true;
    // A frame takes every queued input step, up to a limit (main_loop.cpp): a long backlog
    // ahead of the Ctrl+C may need more than one.
    ImGuiContext& g = *ImGui::GetCurrentContext();
    for (int i = 0; i < 8 && !s.clipboard_written; i++) {
        if (!draw_frame_now())
            break;
        if (g.InputEventsQueue.Size == 0)
            break;
    }
    s.in_copy_event = false;
    request_frame();
    return s.clipboard_written ? s.clipboard.c_str() : nullptr;
}

// Test hooks: the text of the field being edited (NULL when none is active), and the IME
// state as JSON (composition text and caret).
EMSCRIPTEN_KEEPALIVE const char* imchat_platform_active_text(void)
{
    return state().field_text;
}

EMSCRIPTEN_KEEPALIVE const char* imchat_platform_ime_json(void)
{
    static std::string json;
    const State& s = state();
    char numbers[160];
    snprintf(numbers, sizeof(numbers), "{\"x\":%.1f,\"y\":%.1f,\"lineHeight\":%.1f,\"wantText\":%s,\"composition\":\"",
             s.ime_pos.x, s.ime_pos.y, s.ime_line_height, s.ime_want_text ? "true" : "false");
    json = numbers;
    for (char c : s.composition) {
        if (c == '"' || c == '\\')
            json += '\\';
        if ((unsigned char)c >= 0x20)
            json += c;
    }
    json += "\"}";
    return json.c_str();
}

} // extern "C"
