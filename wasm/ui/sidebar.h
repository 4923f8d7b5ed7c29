// sidebar: the list of conversations at the left: new chat, search (titles and text), and per
// conversation rename, delete (with undo), export; import below. It only draws and reports
// what was asked; the app carries it out against the history store.
#pragma once
#include <string>
#include <vector>

#include "core/history_records.h"
#include "ui/text_field.h"

namespace imchat::ui {

struct SidebarEntry {
    std::string id;
    std::string title;
    bool streaming = false;  // a reply is still arriving in that chat
};

struct SidebarActions {
    bool new_chat = false;
    std::string open;       // conversation id to show
    std::string remove;     // conversation id to delete
    std::string rename_id, rename_title;
    bool undo = false;      // bring back the last deleted conversation
    bool export_markdown = false, export_json = false, export_all = false, import_json = false;
    bool search_changed = false;  // the query changed: the app asks the store again
    bool open_settings = false, open_help = false;  // the drawer's own buttons (narrow screens)
};

class Sidebar {
public:
    // entries: newest first; current: the id shown in the transcript. As a drawer (narrow
    // screens) it also holds Settings and the shortcuts, which the top bar has no room for.
    SidebarActions draw(const LayoutFontsImGui& fonts, float width, float height, const std::vector<SidebarEntry>& entries,
                        const std::string& current, const std::string& undo_title, const std::string& problem, bool drawer);
    const std::string& query() const { return search_.text(); }

private:
    TextField search_;
    std::string renaming_;  // id of the entry being renamed
    TextField rename_;
};

}  // namespace imchat::ui
