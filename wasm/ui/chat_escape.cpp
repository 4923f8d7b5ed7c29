// Esc, the way a person expects it: it closes whatever is on top, one thing per press (an open
// menu or popup, then the phone's drawer, then the topmost of the Shortcuts, Settings and "This chat" windows, then the
// find bar), and stops a streaming reply only when nothing is open. A field being edited
// (renaming a chat, a settings field) takes its Esc itself.
#include "imgui_internal.h"  // the windows' display order
#include "ui/chat_app.h"
#include "ui/strings.h"

namespace imchat::ui {

// The topmost of our closable windows that is open, closed; false when none is.
bool ChatApp::close_topmost_window()
{
    struct Candidate { ImGuiWindow* window; bool* open; };
    Candidate candidates[] = {
        {ImGui::FindWindowByName(tr(S_Shortcuts)), &help_open_},
        {ImGui::FindWindowByName(tr(S_Settings)), settings_window_.open_flag()},
        {ImGui::FindWindowByName("###chat-settings"), chat_settings_.open_flag()},
    };
    Candidate* top = nullptr;
    int top_index = -1;
    for (Candidate& c : candidates) {
        if (!c.window || !*c.open || !c.window->WasActive)
            continue;
        const int index = ImGui::FindWindowDisplayIndex(c.window);
        if (index > top_index) {
            top = &c;
            top_index = index;
        }
    }
    if (!top)
        return false;
    *top->open = false;
    return true;
}

void ChatApp::handle_escape()
{
    if (!ImGui::IsKeyChordPressed(ImGuiKey_Escape))
        return;
    // ImGui closes popups on Esc only with keyboard navigation on, which this page leaves off.
    ImGuiContext& g = *ImGui::GetCurrentContext();
    if (g.OpenPopupStack.Size > 0) {
        ImGui::ClosePopupToLevel(g.OpenPopupStack.Size - 1, true);
        return;
    }
    if (drawer_open_) {  // the phone's chat drawer lies over everything but popups
        drawer_open_ = false;
        return;
    }
    const bool editing_elsewhere = ImGui::GetActiveID() != 0 && !composer_.active();
    if (editing_elsewhere && !find_field_.active())
        return;  // the field cancels its edit
    if (close_topmost_window())
        return;
    if (find_open_) {
        close_find_bar();
        return;
    }
    if (current_->session->streaming())
        current_->session->stop();
}

}  // namespace imchat::ui
