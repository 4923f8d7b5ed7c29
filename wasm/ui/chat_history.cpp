// ChatApp's history half: the sidebar's list from the history store, opening a stored
// conversation (and resuming a reply that was still streaming when the page went away),
// delete with undo, rename, import and export.
#include <algorithm>
#include <cstdio>

#include "core/conversation_bundle.h"
#include "core/conversation_io.h"
#include "core/text_search.h"
#include "imgui.h"
#include "platform/page_info.h"
#include "platform/platform.h"
#include "storage/history_store.h"
#include "ui/a11y_twins.h"
#include "ui/chat_app.h"
#include "ui/strings.h"
#include "ui/test_rects.h"

namespace imchat::ui {

namespace {

HistoryStore& store()
{
    return HistoryStore::instance();
}

std::string file_name_for(const Conversation& c, const char* extension)
{
    std::string name;
    for (char ch : c.title.empty() ? std::string("conversation") : c.title) {
        unsigned char u = static_cast<unsigned char>(ch);
        name += (u < 0x80 && !isalnum(u)) ? '-' : ch;
    }
    return name + extension;
}

} // namespace

void ChatApp::chat_changed(Chat& chat)
{
    // Called from network callbacks (and from settles): history is written from here, not from
    // frames, so a reply keeps being saved while the tab is hidden and draws no frames.
    chat.conversation.updated_ms = static_cast<int64_t>(platform::wall_clock_ms());  // a date, for exports
    chat.saver->note_changed(chat.conversation, platform::now_ms());
    platform::request_frame();
}

void ChatApp::open_history()
{
    store().on_external_change = [this](const std::string& id) {
        // Another tab wrote this conversation: merge its records in, keeping the reply this tab
        // may be streaming into it.
        if (find_chat(id)) {
            store().load(id, [this, id](bool ok, Conversation& loaded, const std::string&) {
                Chat* c = find_chat(id);
                if (!ok || !c)
                    return;
                uint32_t keep = c->session->streaming_reply();
                if (merge_stored(c->conversation, loaded, keep)) {
                    c->saver->mark_saved(c->conversation, keep);
                    if (c == current_)
                        transcript_.clear();
                    platform::request_frame();
                }
            });
        }
        refresh_history();
    };
    store().open([this](bool ok, const std::string&) {
        if (!ok) {
            platform::request_frame();
            return;
        }
        store().list([this](std::vector<ConversationSummary> list) {
            history_ = std::move(list);
            history_opened_ = true;
            // The page opens on the latest conversation, as it was left.
            if (!history_.empty() && current_->conversation.empty())
                open_conversation(history_.front().id);
            platform::request_frame();
        });
    });
}

void ChatApp::refresh_history()
{
    if (!store().available())
        return;
    store().list([this](std::vector<ConversationSummary> list) {
        history_ = std::move(list);
        platform::request_frame();
    });
    if (!sidebar_.query().empty())
        store().search(sidebar_.query(), [this](std::vector<std::string> ids) {
            search_ids_ = std::move(ids);
            platform::request_frame();
        });
}

Chat* ChatApp::find_chat(const std::string& id)
{
    for (auto& c : chats_)
        if (c->conversation.id == id)
            return c.get();
    return nullptr;
}

void ChatApp::open_conversation(const std::string& id)
{
    if (Chat* chat = find_chat(id)) {
        show_chat(chat);
        return;
    }
    store().load(id, [this, id](bool ok, Conversation& loaded, const std::string& error) {
        if (!ok) {
            notice_ = error;
            platform::request_frame();
            return;
        }
        if (find_chat(id))
            return;  // opened twice quickly
        Chat* empty = current_ && current_->conversation.empty() ? current_ : nullptr;
        Chat& chat = new_chat();  // reuses an empty current chat
        chat.conversation = std::move(loaded);
        chat.saver->mark_saved(chat.conversation);
        prepare_request(chat);
        // Replies that were streaming when the page went away: resume them from the server, or
        // keep their saved text marked interrupted.
        chat.session->resume_after_load();
        if (empty == &chat)
            transcript_.clear();
        show_chat(&chat);
        platform::request_frame();
    });
}

void ChatApp::close_chat(Chat* chat)
{
    if (chat->session->streaming())
        chat->session->stop();
    chat->saver->flush();
    bool was_current = chat == current_;
    chats_.erase(std::remove_if(chats_.begin(), chats_.end(), [chat](const auto& c) { return c.get() == chat; }),
                 chats_.end());
    if (was_current) {
        current_ = nullptr;
        new_chat();
    }
}

void ChatApp::remove_conversation(const std::string& id)
{
    std::string title;
    if (Chat* chat = find_chat(id)) {
        title = chat->conversation.title;
        chat->saver->forget();
        close_chat(chat);
    }
    for (const ConversationSummary& s : history_)
        if (s.id == id)
            title = s.title;
    store().remove(id, [this](bool) { refresh_history(); });
    history_.erase(std::remove_if(history_.begin(), history_.end(), [&](const auto& s) { return s.id == id; }), history_.end());
    deleted_id_ = id;
    deleted_title_ = title.empty() ? "…" : title;
    deleted_at_ms_ = platform::now_ms();
    platform::request_frame_after(store().undo_window_ms);
}

bool ChatApp::is_known(const std::string& id) const
{
    return !id.empty() && (std::any_of(chats_.begin(), chats_.end(), [&](const auto& c) { return c->conversation.id == id; }) ||
                           std::any_of(history_.begin(), history_.end(), [&](const auto& s) { return s.id == id; }));
}

void ChatApp::import_text(const std::string& text)
{
    std::string error;
    std::vector<Conversation> imported;
    if (!import_many_json(text, imported, error)) {
        // The open chat stays on screen: a bad file costs nothing but this notice.
        notice_ = tr(S_CannotImport) + error;
        return;
    }
    // Chats that are already here (same id: this browser exported them, or the file was
    // imported before): ask whether to keep both or skip them.
    int known = static_cast<int>(std::count_if(imported.begin(), imported.end(), [&](const Conversation& c) { return is_known(c.id); }));
    pending_import_ = std::move(imported);
    if (known > 0)
        pending_import_known_ = known;
    else
        add_imported(false);
}

void ChatApp::add_imported(bool keep_known)
{
    for (Conversation& imported : pending_import_) {
        bool known = is_known(imported.id);
        if (known && !keep_known)
            continue;
        if (imported.title.empty() && !imported.empty())
            imported.title = title_from_prompt(imported.messages().front().text);
        if (known)
            imported.title += tr(S_ImportedCopy);  // the two can be told apart in the list
        Chat& chat = new_chat();
        imported.id = chat.conversation.id;  // a copy, never an overwrite of a stored conversation
        chat.conversation = std::move(imported);
        chat.saver->note_changed(chat.conversation, platform::now_ms());
        chat.saver->flush();
    }
    pending_import_.clear();
    pending_import_known_ = 0;
    transcript_.clear();
    notice_.clear();
    refresh_history();
}

// Asked when an import holds chats that are already here.
void ChatApp::draw_import_question()
{
    if (pending_import_known_ == 0)
        return;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + vp->WorkSize.y * 0.4f), ImGuiCond_Always,
                            ImVec2(0.5f, 0.5f));
    ImGui::SetNextWindowSizeConstraints(ImVec2(0, 0), ImVec2(vp->WorkSize.x - 20, vp->WorkSize.y - 20));
    ImGui::Begin(tr(S_Import), nullptr, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings);
    char question[160];
    snprintf(question, sizeof(question), tr(S_ImportExists), pending_import_known_);
    ImGui::TextUnformatted(question);
    twin_group_begin(question, TwinRole::Dialog);  // a dialog named by its question
    if (ImGui::Button(tr(S_KeepBoth)) | twin(tr(S_KeepBoth)))
        add_imported(true);
    remember_item("import-keep-both");
    ImGui::SameLine();
    if (ImGui::Button(tr(S_Skip)) | twin(tr(S_Skip)))
        add_imported(false);
    remember_item("import-skip");
    twin_group_end();
    ImGui::End();
}

// Every chat in one file: open ones as they are now, the others as stored.
void ChatApp::export_all()
{
    std::vector<std::string> stored;
    for (const ConversationSummary& s : history_)
        if (!find_chat(s.id))
            stored.push_back(s.id);
    auto loaded = std::make_shared<std::vector<Conversation>>();
    auto remaining = std::make_shared<size_t>(stored.size());
    auto finish = [this, loaded] {
        std::vector<const Conversation*> all;
        for (const auto& c : chats_)
            if (!c->conversation.empty())
                all.push_back(&c->conversation);
        for (const Conversation& c : *loaded)
            all.push_back(&c);
        if (all.empty()) {
            notice_ = tr(S_NothingToExport);
            return;
        }
        platform::download_text("imchat-chats.json", "application/json", export_all_json(all));
    };
    if (stored.empty()) {
        finish();
        return;
    }
    for (const std::string& id : stored)
        store().load(id, [loaded, remaining, finish](bool ok, Conversation& c, const std::string&) {
            if (ok)
                loaded->push_back(std::move(c));
            if (--*remaining == 0)
                finish();
        });
}

void ChatApp::do_sidebar_actions(const SidebarActions& a)
{
    if (a.new_chat)
        new_chat();
    if (!a.open.empty())
        open_conversation(a.open);
    if (!a.remove.empty())
        remove_conversation(a.remove);
    if (!a.rename_id.empty()) {
        if (Chat* chat = find_chat(a.rename_id)) {
            chat->conversation.title = a.rename_title;
            chat->saver->note_changed(chat->conversation, platform::now_ms());
            chat->saver->flush();
        } else {
            store().rename(a.rename_id, a.rename_title);
        }
        for (ConversationSummary& s : history_)
            if (s.id == a.rename_id)
                s.title = a.rename_title;
    }
    if (a.undo && !deleted_id_.empty()) {
        store().undo_remove(deleted_id_, [this](bool) { refresh_history(); });
        deleted_id_.clear();
        deleted_title_.clear();
    }
    if (a.search_changed)
        refresh_history();
    const Conversation& c = current_->conversation;
    if ((a.export_markdown || a.export_json) && c.empty())
        notice_ = tr(S_NothingToExport);  // said beside the button, rather than nothing happening
    if (a.export_markdown && !c.empty())
        platform::download_text(file_name_for(c, ".md"), "text/markdown", export_markdown(c));
    if (a.export_all)
        export_all();
    if (a.export_json && !c.empty())
        platform::download_text(file_name_for(c, ".json"), "application/json", export_json(c));
    if (a.import_json)
        platform::pick_text_file(".json,application/json", [](void* user, const std::string& text, const std::string& error) {
            ChatApp* app = static_cast<ChatApp*>(user);
            if (!error.empty())
                app->notice_ = error;
            else
                app->import_text(text);
        }, this);
    // The undo offer lasts as long as the store keeps the deleted conversation.
    if (!deleted_id_.empty() && platform::now_ms() - deleted_at_ms_ > store().undo_window_ms) {
        deleted_id_.clear();
        deleted_title_.clear();
    }
}

std::vector<SidebarEntry> ChatApp::sidebar_entries() const
{
    std::vector<SidebarEntry> out;
    bool filtering = !sidebar_.query().empty();
    auto matches = [&](const std::string& id) {
        return !filtering || std::find(search_ids_.begin(), search_ids_.end(), id) != search_ids_.end();
    };
    // Open chats not yet in the stored list (new this session) come first.
    for (auto it = chats_.rbegin(); it != chats_.rend(); ++it) {
        const Chat& chat = **it;
        if (chat.conversation.empty())
            continue;
        bool listed = std::any_of(history_.begin(), history_.end(), [&](const auto& s) { return s.id == chat.conversation.id; });
        if (!listed && (!filtering || text_matches(chat.conversation.title, sidebar_.query())))
            out.push_back({chat.conversation.id, chat.conversation.title, chat.session->streaming()});
    }
    for (const ConversationSummary& s : history_) {
        if (!matches(s.id))
            continue;
        SidebarEntry e{s.id, s.title, false};
        for (const auto& chat : chats_)
            if (chat->conversation.id == s.id) {
                e.title = chat->conversation.title;
                e.streaming = chat->session->streaming();
            }
        out.push_back(std::move(e));
    }
    return out;
}

} // namespace imchat::ui
