// a11y_twins: each control the UI draws reports itself here, once per frame, so that the page
// can give it an accessible twin (platform/a11y_dom.h): a real button, option, listbox or
// dialog over its rectangle that a screen reader finds and a keyboard can press.
//
// A control calls twin() right after its ImGui item, and acts when either was pressed:
//
//     if (ImGui::Button(tr(S_Stop)) | twin(tr(S_Stop)))   // '|', not '||': report every frame
//         session.stop();
//
// The list is handed to the page at the end of the frame (publish_twins); the page changes
// only when the list did.
#pragma once
#include <string_view>

#include "platform/a11y_dom.h"

namespace imchat::ui {

using platform::TwinRole;

// The last ImGui item as a control named `name` (the ImGui item id is its identity). Returns
// true in the frame after its twin was activated, unless the item is disabled. `selected`: an
// option's selection, a radio's or checkbox's check.
bool twin(const char* name, TwinRole role = TwinRole::Button, bool selected = false);
// The last item as a slider showing `text` for `now` in [lo, hi]; returns the step its twin
// asked for this frame (+1, -1), else 0.
int twin_slider(const char* name, double now, double lo, double hi, const char* text);
// The last item as a text field holding `value` (`active`: it has the keyboard); true when its
// twin was focused or activated (the field should take the keyboard).
bool twin_textbox(const char* name, std::string_view value, bool active);
// The accessible name of the next slider or text field drawn (as SetNextItemWidth does for its
// width): form rows name their fields with their label. Read once by take_next_twin_name().
void set_next_twin_name(const char* name);
const char* take_next_twin_name();
// The current window's close button (the "x" ImGui draws in its title bar).
bool twin_close_button(const char* name);
// The current window (a dialog) or child window (a listbox) as a group: the twins reported
// until twin_group_end() go inside it.
void twin_group_begin(const char* name, TwinRole role);
void twin_group_end();
// End of frame: hands the list to the page, and forgets the activation.
void publish_twins();
// Milliseconds spent so far on the twins and the transcript mirror, page calls included (for
// window.imchat.state().a11yMs and the browser benchmark).
double& a11y_ms_spent();

// Names of controls that show a symbol rather than a word.
enum TwinName { Twin_PreviousBranch, Twin_NextBranch, Twin_ChatMenu, Twin_Chats, Twin_ToggleSidebar, Twin_You, Twin_Assistant,
                Twin_MessageInput, Twin_ChooseModel };
const char* twin_name(TwinName name);

}  // namespace imchat::ui
