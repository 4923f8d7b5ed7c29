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
#include "platform/a11y_dom.h"

namespace imchat::ui {

using platform::TwinRole;

// The last ImGui item as a control named `name` (the ImGui item id is its identity). Returns
// true in the frame after its twin was activated, unless the item is disabled.
bool twin(const char* name, TwinRole role = TwinRole::Button, bool selected = false);
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
enum TwinName { Twin_PreviousBranch, Twin_NextBranch, Twin_ChatMenu, Twin_Chats, Twin_ToggleSidebar, Twin_You, Twin_Assistant };
const char* twin_name(TwinName name);

}  // namespace imchat::ui
