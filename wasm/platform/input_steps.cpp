// Input steps: how everything that arrived between two animation frames reaches ImGui in the
// next one, in order, without losing a quick press and release and without one frame per key.
//
// ImGui's own answer to fast input is its trickle queue (io.ConfigInputTrickleEventQueue): a
// frame takes at most one change per key or button, the rest waits for the next frame. At 60
// frames/s nobody notices; when a frame takes 100 ms (a 2880x1800 canvas on a software
// rasteriser), a 60-character burst drains one character per frame and lands seconds after the
// last key. So the platform cuts ImGui's queue into steps by the same kind of rules, and the loop
// builds one ImGui frame per step, drawing only the last (main_loop.cpp): every key is handled
// before the next picture, at the cost of building the UI, not drawing it, once per step.
//
// The rules, besides ImGui's (one change per key or button, the mouse apart from keys and text):
// - a press waits for a step after the move that brought the pointer over its target, so the
//   item there is hovered a frame before it is pressed: a tap, or a click with no hover before
//   it (items that allow overlap take a click only when they were hovered the frame before);
// - one command key (Enter, Backspace, arrows, anything with Ctrl) per step, never after typed
//   text and never followed by text: the text field handles one command per frame, before the
//   frame's characters, so this keeps "ab<Backspace>c" and Ctrl+Z in the order typed;
// - a modifier change never joins keys already changed in the step, which would see it early
//   (Enter then Shift down is a send, not Shift+Enter).
#include "imgui_internal.h"  // the input event queue and its events

#include "platform/platform_internal.h"

namespace imchat::platform {
namespace {

bool is_modifier(ImGuiKey key)
{
    return (key & ImGuiMod_Mask_) != 0 || (key >= ImGuiKey_LeftCtrl && key <= ImGuiKey_RightSuper);
}

} // namespace

int input_step_length(const ImVector<ImGuiInputEvent>& queue)
{
    ImGuiContext& g = *ImGui::GetCurrentContext();
    ImBitArray<ImGuiKey_NamedKey_COUNT> changed;  // by KeysData index (modifiers have theirs)
    int buttons = 0;  // changed this step, bit per button
    bool moved = false, wheeled = false, typed = false, command = false, any_key = false;
    bool ctrl = g.IO.KeyCtrl, alt = g.IO.KeyAlt;  // as the step's keys will see them
    int n = 0;
    for (; n < queue.Size; n++) {
        const ImGuiInputEvent& e = queue[n];
        if (e.Type == ImGuiInputEventType_MousePos) {
            if (buttons || wheeled || any_key || typed)
                break;
            moved = true;
        } else if (e.Type == ImGuiInputEventType_MouseButton) {
            const int bit = 1 << e.MouseButton.Button;
            if ((buttons & bit) || wheeled || (e.MouseButton.Down && moved))
                break;
            buttons |= bit;
        } else if (e.Type == ImGuiInputEventType_MouseWheel) {
            if (moved || buttons)
                break;
            wheeled = true;
        } else if (e.Type == ImGuiInputEventType_Key) {
            const ImGuiKey key = e.Key.Key;
            const int index = (int)(ImGui::GetKeyData(key) - g.IO.KeysData);
            if (changed.TestBit(index) || buttons)
                break;
            if (is_modifier(key)) {
                if (any_key)
                    break;
                if (key == ImGuiMod_Ctrl)
                    ctrl = e.Key.Down;
                else if (key == ImGuiMod_Alt)
                    alt = e.Key.Down;
            } else {
                // As ImGui decides whether a key may type a character (IsKeyChordPotentiallyCharInput).
                const bool types = !(ctrl && (!alt || g.IO.ConfigMacOSXBehaviors)) && ImGui::IsNamedKey(key) &&
                                   g.KeysMayBeCharInput.TestBit(key);
                if (e.Key.Down && !types) {
                    if (command || typed)
                        break;
                    command = true;
                }
                any_key = true;
            }
            changed.SetBit(index);
        } else if (e.Type == ImGuiInputEventType_Text) {
            if (buttons || moved || wheeled || command)
                break;
            typed = true;
        }
    }
    return n > 0 ? n : (queue.Size > 0 ? 1 : 0);
}

// When events arrived: every input handler stamps the queue's next event id with the time
// (request_frame_for_input), so a step's frame runs at its events' time, not at the frame's.
void note_input_arrival(double ms)
{
    State& s = state();
    const ImU32 next_id = ImGui::GetCurrentContext()->InputEventsNextEventId;
    if (!s.input_stamps.empty() && s.input_stamps.back().next_event_id == next_id)
        return;
    s.input_stamps.push_back({next_id, ms});
}

double input_arrival_ms(ImU32 event_id, double fallback_ms)
{
    State& s = state();
    // Stamps of events that are gone go first (ids only grow).
    size_t drop = 0;
    while (drop < s.input_stamps.size() && s.input_stamps[drop].next_event_id <= event_id)
        drop++;
    s.input_stamps.erase(s.input_stamps.begin(), s.input_stamps.begin() + (long)drop);
    return s.input_stamps.empty() ? fallback_ms : s.input_stamps.front().ms;
}

} // namespace imchat::platform
