#include "ui/sidebar.h"

#include <cstdio>

#include "imgui.h"
#include "imgui_internal.h"  // RenderTextEllipsis
#include "ui/a11y_twins.h"
#include "ui/layout_probe.h"
#include "ui/strings.h"
#include "ui/test_rects.h"
#include "ui/theme.h"

namespace imchat::ui {

SidebarActions Sidebar::draw(const LayoutFontsImGui& fonts, float width, float height, const std::vector<SidebarEntry>& entries,
                             const std::string& current, const std::string& undo_title, const std::string& problem, bool drawer)
{
    SidebarActions actions;
    const Theme& t = theme();
    ImGui::PushStyleColor(ImGuiCol_ChildBg, t.panel);
    ImGui::BeginChild("sidebar", ImVec2(width, height), ImGuiChildFlags_AlwaysUseWindowPadding);
    if (ImGui::Button(tr(S_NewChat), ImVec2(-FLT_MIN, 0)) | twin(tr(S_NewChat)))
        actions.new_chat = true;
    probe_label_item("sidebar", tr(S_NewChat));
    TextFieldOptions search;
    search.hint = tr(S_Search);
    if (search_.draw("##search", fonts, ImVec2(ImGui::GetContentRegionAvail().x, ImGui::GetFrameHeight()), search).edited)
        actions.search_changed = true;
    ImGui::Separator();

    float footer = ImGui::GetFrameHeightWithSpacing() * ((undo_title.empty() ? 2 : 3) + (drawer ? 1 : 0)) +
                   (problem.empty() ? 0 : ImGui::GetTextLineHeightWithSpacing() * 3);
    ImGui::BeginChild("list", ImVec2(0, -footer));
    twin_group_begin(twin_name(Twin_Chats), TwinRole::Listbox);
    for (size_t row = 0; row < entries.size(); row++) {
        const SidebarEntry& e = entries[row];
        ImGui::PushID(e.id.c_str());
        if (renaming_ == e.id) {
            // Enter or a click elsewhere renames; Escape leaves the title as it was.
            set_next_twin_name(tr(S_Rename));
            TextFieldResult r = rename_.draw("##rename", fonts, ImVec2(ImGui::GetContentRegionAvail().x, ImGui::GetFrameHeight()), {});
            if (r.deactivated) {
                if (!r.cancel && !rename_.text().empty() && rename_.text() != e.title) {
                    actions.rename_id = e.id;
                    actions.rename_title = rename_.text();
                }
                renaming_.clear();
            }
        } else {
            std::string label = (e.title.empty() ? std::string("…") : e.title) + (e.streaming ? "  ●" : "");
            const bool selected = e.id == current;
            const ImVec2 text_pos = ImGui::GetCursorScreenPos();  // the item rect includes spacing
            if (ImGui::Selectable("##entry", selected, ImGuiSelectableFlags_AllowOverlap) | twin(label.c_str(), TwinRole::Option, selected))
                actions.open = e.id;
            remember_item(("chat:" + e.title).c_str());
            char row_name[24];
            snprintf(row_name, sizeof(row_name), "entry-row-%zu", row);
            remember_item(row_name);
            // Hovered too while the "..." over it is hovered or pressed: else the button would
            // hide itself once the pointer reached it, or while held, and miss its click.
            const bool hovered = ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenOverlappedByItem |
                                                      ImGuiHoveredFlags_AllowWhenBlockedByActiveItem);
            const ImVec2 min = text_pos;
            const ImVec2 max(ImGui::GetItemRectMax().x, text_pos.y + ImGui::GetTextLineHeight());
            ImGui::OpenPopupOnItemClick("entry", ImGuiPopupFlags_MouseButtonRight);
            // A "..." button on the current or hovered entry opens the same menu as a right
            // click: touch screens have no right click. Long titles end in an ellipsis before it.
            const bool show_button = selected || hovered;
            const float button_w = show_button ? ImGui::CalcTextSize("...").x + ImGui::GetStyle().FramePadding.x * 2 : 0;
            ImGui::RenderTextEllipsis(ImGui::GetWindowDrawList(), min, ImVec2(max.x - button_w, max.y), max.x - button_w,
                                      label.c_str(), nullptr, nullptr);
            if (show_button) {
                ImVec2 back = ImGui::GetCursorScreenPos();
                ImGui::SetCursorScreenPos(ImVec2(max.x - button_w, min.y));
                // Its menu, not the chat: opening the chat would move the keyboard to the prompt
                // box, and that focus change closes the menu just opened.
                if (ImGui::SmallButton("...") | twin(twin_name(Twin_ChatMenu))) {
                    ImGui::OpenPopup("entry");
                    if (actions.open == e.id)
                        actions.open.clear();
                }
                if (selected)
                    remember_item("entry-menu");
                ImGui::SetCursorScreenPos(back);
            }
            if (ImGui::BeginPopup("entry")) {
                if (ImGui::MenuItem(tr(S_Rename)) | twin(tr(S_Rename))) {
                    renaming_ = e.id;
                    rename_.edit().set_text(e.title);
                    rename_.focus();
                }
                remember_item("entry-rename");
                probe_label_item("chat menu", tr(S_Rename), LabelAt::Left);
                if (ImGui::MenuItem(tr(S_Delete)) | twin(tr(S_Delete)))
                    actions.remove = e.id;
                ImGui::EndPopup();
            }
        }
        ImGui::PopID();
    }
    twin_group_end();
    ImGui::EndChild();

    if (!problem.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, t.error);
        ImGui::PushTextWrapPos(0);
        ImGui::TextUnformatted(problem.c_str());
        ImGui::PopTextWrapPos();
        ImGui::PopStyleColor();
    }
    if (!undo_title.empty()) {
        ImGui::TextDisabled("%s", tr(S_Deleted));
        probe_text_item("sidebar", tr(S_Deleted));
        ImGui::SameLine();
        if (ImGui::SmallButton(tr(S_Undo)) | twin(tr(S_Undo)))
            actions.undo = true;
    }
    // The current conversation: rename, delete and export; import adds a new one.
    if (ImGui::Button(tr(S_Export)) | twin(tr(S_Export)))
        ImGui::OpenPopup("export");
    remember_item("export");
    probe_label_item("sidebar", tr(S_Export));
    if (ImGui::BeginPopup("export")) {
        if (ImGui::MenuItem(tr(S_ExportMarkdown)) | twin(tr(S_ExportMarkdown)))
            actions.export_markdown = true;
        remember_item("export-markdown");
        if (ImGui::MenuItem(tr(S_ExportJson)) | twin(tr(S_ExportJson)))
            actions.export_json = true;
        remember_item("export-json");
        probe_label_item("export menu", tr(S_ExportJson), LabelAt::Left);
        if (ImGui::MenuItem(tr(S_ExportAll)) | twin(tr(S_ExportAll)))
            actions.export_all = true;
        remember_item("export-all");
        probe_label_item("export menu", tr(S_ExportAll), LabelAt::Left);
        ImGui::EndPopup();
    }
    ImGui::SameLine();
    if (ImGui::Button(tr(S_Import)) | twin(tr(S_Import)))
        actions.import_json = true;
    remember_item("import");
    probe_label_item("sidebar", tr(S_Import));
    ImGui::SameLine();
    if ((ImGui::Button(tr(S_Delete)) | twin(tr(S_Delete))) && !current.empty())
        actions.remove = current;
    probe_label_item("sidebar", tr(S_Delete));
    if (drawer) {
        if (ImGui::Button(tr(S_Settings)) | twin(tr(S_Settings)))
            actions.open_settings = true;
        remember_item("settings");
        probe_label_item("drawer", tr(S_Settings));
        ImGui::SameLine();
        if (ImGui::Button(tr(S_Shortcuts)) | twin(tr(S_Shortcuts)))
            actions.open_help = true;
        remember_item("help");
        probe_label_item("drawer", tr(S_Shortcuts));
    }
    ImGui::EndChild();
    ImGui::PopStyleColor();
    return actions;
}

} // namespace imchat::ui
