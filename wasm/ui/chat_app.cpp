#include "ui/chat_app.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app/session_state.h"
#include "core/conversation_io.h"
#include "core/history_records.h"
#include "core/markdown.h"
#include "core/request_builder.h"
#include "core/server_info.h"
#include "core/text_search.h"
#include "net/browser_network.h"
#include "storage/history_store.h"
#include "storage/settings_store.h"
#include "platform/page_info.h"
#include "platform/platform.h"
#include "ui/a11y_twins.h"
#include "ui/bench_hooks.h"
#include "ui/fit_text.h"
#include "ui/layout_probe.h"
#include "ui/strings.h"
#include "ui/test_rects.h"
#include "ui/theme.h"

namespace imchat::ui {

ChatApp::ChatApp()
    : settings_window_(browser_network())
{
    std::string problem;
    settings_.session.model = "imchat-demo";
    load_settings(settings_, problem);
    new_chat();
    apply_prefs();
    open_history();
}

Chat& ChatApp::new_chat()
{
    // An empty chat is reused instead of piling up blank ones.
    if (current_ && current_->conversation.empty())
        return *current_;
    auto chat = std::make_unique<Chat>();
    Chat* raw = chat.get();
    chat->session = std::make_unique<ChatSession>(chat->conversation, browser_network(), platform::now_ms,
                                                  [this, raw] { chat_changed(*raw); });
    chat->session->settings = settings_.session;
    chat->saver = std::make_unique<ConversationSaver>(HistoryStore::instance());
    chat->conversation.created_ms = chat->conversation.updated_ms = static_cast<int64_t>(platform::wall_clock_ms());
    chat->conversation.id = HistoryStore::instance().new_conversation_id();
    chats_.push_back(std::move(chat));
    show_chat(chats_.back().get());
    return *chats_.back();
}

void ChatApp::show_chat(Chat* chat)
{
    if (chat == current_)
        return;
    current_ = chat;
    transcript_.clear();
    editing_ = 0;
    mirror_.reset();
    composer_.focus();
}

void ChatApp::apply_prefs()
{
    bool dark = settings_.theme == "system" ? platform::prefers_dark_scheme() : settings_.theme == "dark";
    apply_theme(dark);
    bool chinese = settings_.language == "zh" ||
                   (settings_.language == "auto" && platform::browser_language().rfind("zh", 0) == 0);
    set_language(chinese ? Language::Chinese : Language::English);
}

void ChatApp::prepare_request(Chat& chat)
{
    AppSettings settings = settings_for(chat);
    chat.session->settings = settings.session;
    // The reply needs room too: what max_tokens asks for, else a quarter of the context.
    int64_t context = settings.context_length.value_or(0);
    int64_t reply = settings.session.max_tokens.value_or(static_cast<int>(context / 4));
    chat.session->settings.fit_to_tokens = chat.fit_history && context > 0 ? std::max<int64_t>(context - reply, 1) : 0;
}

// When the conversation and the prompt are estimated to exceed the model's context, say so and
// offer to leave the oldest turns out of the request. The estimate is redone only when the
// conversation or the prompt changed.
bool ChatApp::context_exceeded(Chat& chat)
{
    const ChatOverrides& own = chat.conversation.overrides();
    int64_t context = own.context_length ? *own.context_length : settings_.context_length.value_or(0);
    if (context <= 0 || chat.fit_history)
        return false;
    size_t prompt_size = composer_.text().size();
    if (chat.estimate_revision != chat.conversation.revision() || chat.estimate_prompt_size != prompt_size) {
        const std::string& system_prompt = own.system_prompt ? *own.system_prompt : settings_.session.system_prompt;
        int64_t tokens = estimate_tokens(composer_.text()) + estimate_tokens(system_prompt);
        // What a request would carry (a refused prompt is not sent again).
        for (uint32_t id : context_ids(chat.conversation))
            tokens += estimate_tokens(chat.conversation.find(id)->text);
        chat.estimated_tokens = tokens;
        chat.estimate_revision = chat.conversation.revision();
        chat.estimate_prompt_size = prompt_size;
    }
    return chat.estimated_tokens > context;
}

void ChatApp::draw_context_warning(Chat& chat)
{
    int64_t context = settings_for(chat).context_length.value_or(0);
    ImGui::PushStyleColor(ImGuiCol_Text, theme().error);
    ImGui::Text(tr(S_ContextWarning), static_cast<int>(chat.estimated_tokens), static_cast<int>(context));
    ImGui::PopStyleColor();
    ImGui::SameLine();
    if (ImGui::SmallButton(tr(S_DropOldest)) | twin(tr(S_DropOldest)))
        chat.fit_history = true;
}

void ChatApp::send_from_composer()
{
    std::string text = composer_.text();
    ChatSession& session = *current_->session;
    prepare_request(*current_);
    current_->retry_at_ms = 0;
    bool ok = editing_ ? session.edit_and_resend(editing_, text) : session.send(text);
    if (ok) {
        Conversation& conversation = current_->conversation;
        if (conversation.title.empty())
            conversation.title = title_from_prompt(text);
        composer_.clear();
        editing_ = 0;
        transcript_.follow_bottom();
    }
}

std::string ChatApp::last_code_block() const
{
    // The last fenced block of the last reply that has one.
    const Conversation& c = current_->conversation;
    std::vector<uint32_t> path = c.active_path();
    for (auto it = path.rbegin(); it != path.rend(); ++it) {
        const Message* m = c.find(*it);
        if (m->role != Role::Assistant)
            continue;
        ParsedMarkdown md = parse_markdown(m->text, MarkdownOptions{false, false});
        for (auto b = md.blocks.rbegin(); b != md.blocks.rend(); ++b)
            if (b->kind == BlockKind::CodeBlock)
                return b->text;
    }
    return {};
}

void ChatApp::handle_shortcuts()
{
    ImGuiIO& io = ImGui::GetIO();
    ChatSession& session = *current_->session;
    const Conversation& conversation = current_->conversation;
    // ChatGPT's shortcuts, listed in the help panel (Ctrl+/).
    if (ImGui::IsKeyChordPressed(ImGuiMod_Ctrl | ImGuiMod_Shift | ImGuiKey_O))
        new_chat();
    if (ImGui::IsKeyChordPressed(ImGuiMod_Shift | ImGuiKey_Escape))
        composer_.focus();
    if (ImGui::IsKeyChordPressed(ImGuiMod_Ctrl | ImGuiMod_Shift | ImGuiKey_C)) {
        std::vector<uint32_t> path = conversation.active_path();
        for (auto it = path.rbegin(); it != path.rend(); ++it)
            if (conversation.find(*it)->role == Role::Assistant) {
                ImGui::SetClipboardText(conversation.find(*it)->text.c_str());
                break;
            }
    }
    if (ImGui::IsKeyChordPressed(ImGuiMod_Ctrl | ImGuiMod_Shift | ImGuiKey_Semicolon)) {
        std::string code = last_code_block();
        if (!code.empty())
            ImGui::SetClipboardText(code.c_str());
    }
    if (ImGui::IsKeyChordPressed(ImGuiMod_Ctrl | ImGuiKey_Slash))
        help_open_ = !help_open_;
    if (ImGui::IsKeyChordPressed(ImGuiMod_Ctrl | ImGuiKey_F)) {
        find_open_ = true;
        find_focus_ = true;
    }
    if (ImGui::IsKeyChordPressed(ImGuiMod_Ctrl | ImGuiKey_Equal) || ImGui::IsKeyChordPressed(ImGuiMod_Ctrl | ImGuiKey_KeypadAdd))
        settings_.text_size = std::min(settings_.text_size + 1.0f, 32.0f);
    if (ImGui::IsKeyChordPressed(ImGuiMod_Ctrl | ImGuiKey_Minus) || ImGui::IsKeyChordPressed(ImGuiMod_Ctrl | ImGuiKey_KeypadSubtract))
        settings_.text_size = std::max(settings_.text_size - 1.0f, 10.0f);
    if (ImGui::IsKeyChordPressed(ImGuiMod_Ctrl | ImGuiKey_0))
        settings_.text_size = 16.0f;
    handle_escape();
    (void)io;
    (void)session;
}

// [<<] title ... [model] [New chat] [Find] [Settings] [?]. On a narrow screen New chat,
// Settings and ? live in the drawer, and the model and the title share what is left, each
// ending in "…" when cut (the title hides when too little is left for it).
void ChatApp::draw_top_bar(float width, bool narrow)
{
    const Theme& t = theme();
    const ImGuiStyle& style = ImGui::GetStyle();
    const float pad = style.FramePadding.x * 2, gap = style.ItemSpacing.x;
    auto button_w = [&](const char* label) { return ImGui::CalcTextSize(label, nullptr, true).x + pad; };
    bool& open = narrow ? drawer_open_ : sidebar_open_;
    const char* toggle = open ? "<<" : ">>";
    if (ImGui::Button(toggle) | twin(twin_name(Twin_ToggleSidebar)))
        open = !open;
    remember_item("sidebar-toggle");
    probe_label_item("top bar", toggle);

    // The model this chat uses, marked when the chat has settings of its own; a click opens them.
    const ChatOverrides& own = current_->conversation.overrides();
    std::string model = (own.model ? *own.model : settings_.session.model) + (own.any() ? " *" : "");
    float right = button_w(tr(S_Find)) + gap;
    if (!narrow)
        right += button_w(tr(S_NewChat)) + button_w(tr(S_Settings)) + button_w("?") + gap * 3;
    float left = button_w(toggle) + gap;
    float room = std::max(width - left - right, 0.0f);
    // The model gets up to half of the room (a third on a phone), the title the rest.
    float model_w = std::min(button_w(model.c_str()), std::max(room * (narrow ? 0.45f : 0.5f), 0.0f));
    std::string model_shown = fit_text(model, model_w - pad);
    float title_w = room - model_w - gap;
    std::string title = current_->conversation.title.empty() ? "imchat" : current_->conversation.title;
    if (title_w >= ImGui::CalcTextSize("imc\xE2\x80\xA6").x) {
        ImGui::SameLine();
        std::string shown = fit_text(title, title_w);
        ImGui::PushStyleColor(ImGuiCol_Text, t.text_dim);
        ImGui::AlignTextToFramePadding();
        ImGui::TextUnformatted(shown.c_str());
        ImGui::PopStyleColor();
        probe_text_item("top bar", shown.c_str());
        tooltip_when_cut(shown, title);
    }
    ImGui::SameLine(std::max(width - right - model_w, left));
    if (ImGui::Button((model_shown + "###chat-model").c_str(), ImVec2(model_w, 0)) | twin(tr(S_ChatSettingsTip)))
        chat_settings_.open();
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("%s\n%s", model.c_str(), tr(S_ChatSettingsTip));
    remember_item("chat-settings");
    probe_label_item("top bar", model_shown.c_str());
    if (!narrow) {
        ImGui::SameLine();
        if (ImGui::Button(tr(S_NewChat)) | twin(tr(S_NewChat)))
            new_chat();
        probe_label_item("top bar", tr(S_NewChat));
    }
    ImGui::SameLine();
    if (ImGui::Button(tr(S_Find)) | twin(tr(S_Find))) {
        find_open_ = !find_open_;
        find_focus_ = find_open_;
    }
    remember_item("find-button");
    probe_label_item("top bar", tr(S_Find));
    if (!narrow) {
        ImGui::SameLine();
        if (ImGui::Button(tr(S_Settings)) | twin(tr(S_Settings)))
            settings_window_.open();
        remember_item("settings");
        probe_label_item("top bar", tr(S_Settings));
        ImGui::SameLine();
        if (ImGui::Button("?") | twin(tr(S_Help)))
            help_open_ = !help_open_;
        remember_item("help");
        probe_label_item("top bar", "?");
    }
}

void ChatApp::draw_find_bar(float width)
{
    // Matches are counted per message of the active path; Enter/Shift+Enter step through them.
    // The search runs again only when the query or the conversation changed, not every frame.
    const Conversation& conversation = current_->conversation;
    if (find_field_.text() != find_hits_query_ || conversation.revision() != find_hits_revision_ ||
        current_ != find_hits_chat_) {
        find_hits_.clear();
        // Every match counts (six in one message are six), as the transcript highlights them.
        if (!find_field_.text().empty())
            for (uint32_t id : conversation.active_path()) {
                const std::string& text = conversation.find(id)->text;
                for (TextRange r = find_ignoring_case(text, find_field_.text()); r.found();
                     r = find_ignoring_case(text, find_field_.text(), r.end))
                    find_hits_.push_back(id);
            }
        find_hits_query_ = find_field_.text();
        find_hits_revision_ = conversation.revision();
        find_hits_chat_ = current_;
    }
    const std::vector<uint32_t>& hits = find_hits_;
    if (find_focus_) {
        find_field_.focus();
        find_focus_ = false;
    }
    TextFieldOptions options;
    options.hint = tr(S_FindHint);
    TextFieldResult field = find_field_.draw("##find", fonts_, ImVec2(std::min(360.0f, width * 0.5f), ImGui::GetFrameHeight()), options);
    remember_item("find");
    if (field.edited)
        find_index_ = 0;
    if (field.submit) {
        if (!hits.empty()) {
            find_index_ = (find_index_ + (ImGui::GetIO().KeyShift ? -1 : 1) + static_cast<int>(hits.size())) % static_cast<int>(hits.size());
            transcript_.scroll_to(hits[find_index_]);
        }
        find_focus_ = true;  // Enter gives up the keyboard: keep typing there
    }
    ImGui::SameLine();
    if (find_field_.text().empty())
        ImGui::TextDisabled(" ");
    else if (hits.empty())
        ImGui::TextDisabled("%s", tr(S_NoMatches));
    else
        ImGui::TextDisabled(tr(S_FindCount), std::min(find_index_ + 1, static_cast<int>(hits.size())), static_cast<int>(hits.size()));
    probe_text_item("find bar", "(count)");
    ImGui::SameLine();
    bool close = ImGui::SmallButton(tr(S_Close)) | twin(tr(S_Close));
    probe_label_item("find bar", tr(S_Close));
    if (close)
        close_find_bar();
}

void ChatApp::close_find_bar()
{
    find_open_ = false;
    find_field_.edit().set_text({});
    composer_.focus();
}

void ChatApp::draw_status_line()
{
    const Theme& t = theme();
    const std::string& line = current_->session->status_line();
    bool failed = line.rfind("failed", 0) == 0;
    std::string status = status_text(line);
    if (current_->retry_at_ms > 0) {
        double left = std::max(0.0, (current_->retry_at_ms - platform::now_ms()) / 1000.0);
        char retrying[64];
        snprintf(retrying, sizeof(retrying), tr(S_RetryingIn), std::ceil(left));
        status += std::string("  ") + retrying;
    }
    // One line under the composer: the status first, then the model in what is left; either
    // ends in "…" when cut and shows whole on hover or a long press (the failed reply in the
    // transcript shows its error wrapped).
    const ChatOverrides& own = current_->conversation.overrides();
    const std::string& model = own.model ? *own.model : settings_.session.model;
    const float width = ImGui::GetContentRegionAvail().x;
    std::string shown = fit_text(status, width);
    ImGui::PushStyleColor(ImGuiCol_Text, failed ? t.error : t.text_dim);
    ImGui::TextUnformatted(shown.c_str());
    ImGui::PopStyleColor();
    probe_text_item("status line", shown.c_str());
    tooltip_when_cut(shown, status);
    float rest = width - ImGui::CalcTextSize(shown.c_str()).x - ImGui::GetStyle().ItemSpacing.x;
    if (!model.empty() && shown == status && rest > ImGui::CalcTextSize("·  m\xE2\x80\xA6").x) {
        std::string tail = "·  " + model, tail_shown = fit_text(tail, rest);
        ImGui::SameLine();
        ImGui::TextDisabled("%s", tail_shown.c_str());
        probe_text_item("status line", tail_shown.c_str());
        tooltip_when_cut(tail_shown, tail);
    }
}

// A reply refused with 429/503 and a Retry-After is tried again when that time has come; the
// status line counts down meanwhile.
void ChatApp::update_retry_timer(Chat& chat)
{
    ChatSession& session = *chat.session;
    const Conversation& c = chat.conversation;
    const Message* leaf = c.find(c.leaf());
    if (session.streaming() || !leaf || leaf->role != Role::Assistant || leaf->status != MessageStatus::Failed) {
        chat.retry_at_ms = 0;
        return;
    }
    int seconds = session.last_retry_after_seconds();
    if (chat.retry_at_ms == 0 && seconds >= 0)
        chat.retry_at_ms = platform::now_ms() + seconds * 1000.0;
    if (chat.retry_at_ms == 0)
        return;
    double now = platform::now_ms();
    if (now >= chat.retry_at_ms) {
        chat.retry_at_ms = 0;
        prepare_request(chat);  // this chat's settings, also when another chat is shown
        session.retry(leaf->id);
    } else {
        platform::request_frame_after(std::min(1000.0, chat.retry_at_ms - now));
    }
}

void ChatApp::draw_help()
{
    if (!help_open_)
        return;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x * 0.5f, vp->WorkPos.y + vp->WorkSize.y * 0.5f),
                            ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
    if (!ImGui::Begin(tr(S_Shortcuts), &help_open_, ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoCollapse |
                                                           ImGuiWindowFlags_NoSavedSettings)) {
        ImGui::End();
        return;
    }
    twin_group_begin(tr(S_Shortcuts), TwinRole::Dialog);
    if (twin_close_button(tr(S_Close)))
        help_open_ = false;
    const bool mac = ImGui::GetIO().ConfigMacOSXBehaviors;
    const char* mod = mac ? "Cmd" : "Ctrl";
    static const struct { const char* keys; const char* en; const char* zh; } kRows[] = {
        {"Enter", "Send", "发送"},
        {"Shift+Enter", "New line", "换行"},
        {"Esc", "Stop the reply", "停止回复"},
        {"%s+Shift+O", "New chat", "新对话"},
        {"Shift+Esc", "Focus the input", "聚焦输入框"},
        {"%s+Shift+C", "Copy the last reply", "复制最后一条回复"},
        {"%s+Shift+;", "Copy the last code block", "复制最后一个代码块"},
        {"%s+F", "Find in the conversation", "在对话中查找"},
        {"%s+C", "Copy selected text", "复制选中的文字"},
        {"%s + / %s -", "Text size", "文字大小"},
        {"%s+/", "This list", "显示此列表"},
    };
    // Two columns with banded rows, laid out by hand (an ImGui table would bring its table code
    // into the bundle for this list alone).
    char keys[std::size(kRows)][48];
    float keys_width = 0;
    for (size_t i = 0; i < std::size(kRows); ++i) {
        snprintf(keys[i], sizeof(keys[i]), kRows[i].keys, mod, mod);
        keys_width = std::max(keys_width, ImGui::CalcTextSize(keys[i]).x);
    }
    const ImGuiStyle& style = ImGui::GetStyle();
    for (size_t i = 0; i < std::size(kRows); ++i) {
        const ImVec2 at = ImGui::GetCursorScreenPos();
        if (i % 2)
            ImGui::GetWindowDrawList()->AddRectFilled(at, ImVec2(at.x + ImGui::GetContentRegionAvail().x, at.y + ImGui::GetTextLineHeightWithSpacing()),
                                                      ImGui::GetColorU32(ImGuiCol_TableRowBgAlt));
        ImGui::TextUnformatted(keys[i]);
        probe_text_item("shortcuts", keys[i]);
        ImGui::SameLine(keys_width + style.WindowPadding.x + style.ItemSpacing.x * 2);
        const char* what = language() == Language::Chinese ? kRows[i].zh : kRows[i].en;
        ImGui::TextUnformatted(what);
        probe_text_item("shortcuts", what);
    }
    twin_group_end();
    ImGui::End();
}

// A finger that lands at the left edge and moves right opens the drawer, as phone apps do.
void ChatApp::open_drawer_on_edge_swipe()
{
    const ImGuiIO& io = ImGui::GetIO();
    const float left = ImGui::GetMainViewport()->Pos.x;
    if (ImGui::IsMouseClicked(0) && io.MouseSource == ImGuiMouseSource_TouchScreen && io.MousePos.x - left < kEdgeSwipeZone)
        edge_swipe_from_ = io.MousePos.x;
    if (edge_swipe_from_ < 0)
        return;
    if (!ImGui::IsMouseDown(0))
        edge_swipe_from_ = -1;
    else if (io.MousePos.x - edge_swipe_from_ > kEdgeSwipeDistance) {
        drawer_open_ = true;
        edge_swipe_from_ = -1;
    }
}

// The sidebar as a drawer: over a dimmed transcript, closed by a tap beside it, a chat picked
// in it, or Esc.
void ChatApp::draw_drawer()
{
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->WorkPos);
    ImGui::SetNextWindowSize(vp->WorkSize);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
    ImGui::PushStyleColor(ImGuiCol_WindowBg, IM_COL32(0, 0, 0, 110));
    ImGui::Begin("drawer", nullptr, ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                                        ImGuiWindowFlags_NoScrollWithMouse);
    ImGui::PopStyleColor();
    ImGui::PopStyleVar();
    float drawer_w = std::min(300.0f, vp->WorkSize.x * 0.85f);
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(12, 8));
    SidebarActions a = sidebar_.draw(fonts_, drawer_w, vp->WorkSize.y, sidebar_entries(), current_->conversation.id, deleted_title_,
                                     sidebar_notice(), true);
    ImGui::PopStyleVar();
    remember_item("drawer");
    ImGui::SameLine(0, 0);
    // Everything beside the drawer is one button that closes it.
    bool outside = ImGui::InvisibleButton("##outside", ImVec2(std::max(vp->WorkSize.x - drawer_w, 1.0f), vp->WorkSize.y));
    ImGui::End();
    do_sidebar_actions(a);
    if (a.open_settings)
        settings_window_.open();
    if (a.open_help)
        help_open_ = true;
    if (outside || a.new_chat || !a.open.empty() || a.open_settings || a.open_help)
        drawer_open_ = false;
}

const std::string& ChatApp::sidebar_notice() const
{
    const std::string& problem = HistoryStore::instance().problem();
    return problem.empty() ? notice_ : problem;
}

void ChatApp::frame()
{
    probe_new_frame();
    fonts_.refresh(settings_.text_size);
    handle_shortcuts();

    const ImGuiViewport* vp = ImGui::GetMainViewport();
    ImGui::SetNextWindowPos(vp->WorkPos);
    ImGui::SetNextWindowSize(vp->WorkSize);
    ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoSavedSettings |
                             ImGuiWindowFlags_NoBringToFrontOnFocus | ImGuiWindowFlags_NoScrollWithMouse;
    ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(12, 8));
    ImGui::Begin("imchat", nullptr, flags);
    ImGui::PopStyleVar();
    ImGui::PushFont(platform::ui_font(), settings_.text_size);

    // Wide: the sidebar sits beside the transcript, folded by the top bar's button. Narrow
    // (phones): it is a drawer over the transcript, drawn after this window (draw_drawer).
    float full_width = ImGui::GetContentRegionAvail().x;
    const bool narrow = full_width < kDrawerBelowWidth;
    if (!narrow)
        drawer_open_ = false;
    if (!narrow && sidebar_open_) {
        float sidebar_w = std::min(260.0f, full_width * 0.3f);
        SidebarActions a = sidebar_.draw(fonts_, sidebar_w, ImGui::GetContentRegionAvail().y, sidebar_entries(), current_->conversation.id,
                                         deleted_title_, sidebar_notice(), false);
        do_sidebar_actions(a);
        ImGui::SameLine();
    }
    if (narrow)
        open_drawer_on_edge_swipe();
    ImGui::BeginGroup();
    float width = ImGui::GetContentRegionAvail().x;
    draw_top_bar(width, narrow);
    if (find_open_)
        draw_find_bar(width);

    float status_h = ImGui::GetTextLineHeightWithSpacing();
    bool warn = context_exceeded(*current_);
    float composer_h = composer_.height(fonts_, width) + (editing_ ? ImGui::GetTextLineHeightWithSpacing() : 0) +
                       (warn ? ImGui::GetFrameHeightWithSpacing() : 0);
    float transcript_h = ImGui::GetContentRegionAvail().y - composer_h - status_h - ImGui::GetStyle().ItemSpacing.y * 2;
    ImVec2 transcript_size(width, std::max(transcript_h, 40.0f));

    Chat& chat = *current_;
    ChatSession& session = *chat.session;
    for (auto& c : chats_)
        update_retry_timer(*c);
    mirror_.update(chat.conversation);

    if (chat.conversation.empty()) {
        // An empty chat greets instead of showing a blank page.
        ImVec2 start = ImGui::GetCursorScreenPos();
        const Face& h = fonts_.face(Face_H1);
        const char* title = tr(S_EmptyTitle);
        ImVec2 ts = h.font->CalcTextSizeA(h.size, FLT_MAX, 0, title);
        ImGui::GetWindowDrawList()->AddText(h.font, h.size, ImVec2(start.x + (width - ts.x) * 0.5f, start.y + transcript_size.y * 0.38f),
                                            theme().text, title);
        const char* hint = tr(S_EmptyHint);
        ImVec2 hs = ImGui::CalcTextSize(hint);
        ImGui::GetWindowDrawList()->AddText(ImVec2(start.x + (width - hs.x) * 0.5f, start.y + transcript_size.y * 0.38f + ts.y + 10),
                                            theme().text_dim, hint);
        ImGui::Dummy(transcript_size);
    } else {
        TranscriptActions actions = transcript_.draw(session, fonts_, transcript_size, find_open_ ? find_field_.text() : std::string());
        if (transcript_.more_layout_pending())
            platform::request_frame();
        if (actions.edit) {
            if (const Message* m = chat.conversation.find(actions.edit)) {
                editing_ = actions.edit;
                composer_.set_text(m->text);
                composer_.focus();
            }
        }
        prepare_request(*current_);
        if (actions.regenerate)
            session.regenerate(actions.regenerate);
        if (actions.retry) {
            chat.retry_at_ms = 0;
            session.retry(actions.retry);
        }
    }

    if (warn)
        draw_context_warning(chat);
    ComposerResult c = composer_.draw(fonts_, width, session.streaming(), editing_ != 0);
    if (c.cancel_edit) {
        editing_ = 0;
        composer_.clear();
    }
    if (c.send)
        send_from_composer();
    if (c.stop)
        session.stop();
    draw_status_line();
    ImGui::EndGroup();

    ImGui::PopFont();
    ImGui::End();

    ImGui::PushFont(platform::ui_font(), settings_.text_size);
    if (drawer_open_)
        draw_drawer();
    if (settings_window_.draw(settings_, fonts_)) {
        if (settings_window_.take_endpoint_changed())
            for (auto& c : chats_)
                c->session->forget_failure();
        apply_prefs();
        std::string problem;
        if (!save_settings(settings_, problem))
            notice_ = problem;
    }
    if (chat_settings_.draw(current_->conversation, settings_, settings_window_, fonts_))
        chat_changed(*current_);
    draw_help();
    draw_import_question();
    ImGui::PopFont();
    platform::draw_ime_composition();
    publish_twins();
}

void ChatApp::act(const char* name, double arg)
{
    std::string_view n(name);
    Conversation& conversation = current_->conversation;
    ChatSession& session = *current_->session;
    uint32_t leaf = conversation.leaf();
    prepare_request(*current_);
    if (n == "regenerate")
        session.regenerate(leaf);
    else if (n == "retry")
        session.retry(leaf);
    else if (n == "stop")
        session.stop();
    else if (n == "new")
        new_chat();
    else if (n == "layout_probe")
        set_probing(arg != 0);
    else if (n == "theme" || n == "language") {
        static const char* const kThemes[] = {"system", "dark", "light"};
        static const char* const kLanguages[] = {"auto", "en", "zh"};
        int i = std::clamp(static_cast<int>(arg), 0, 2);
        (n == "theme" ? settings_.theme : settings_.language) = n == "theme" ? kThemes[i] : kLanguages[i];
        apply_prefs();
    }
    else if (n == "sibling" && leaf && !session.streaming()) {
        if (uint32_t s = conversation.sibling(leaf, static_cast<int>(arg)))
            conversation.select(s);
    } else {
        bench_act(*this, n, arg);
    }
}

const std::string& ChatApp::state_json()
{
    rapidjson::StringBuffer buffer;
    json::Writer w(buffer);
    w.StartObject();
    write_session_state(w, *current_->session);
    json::write_key(w, "title");
    json::write_string(w, current_->conversation.title);
    json::write_key(w, "chatModel");  // the model this chat's requests name
    json::write_string(w, settings_for(*current_).session.model);
    json::write_key(w, "overrides");
    write_overrides_json(w, current_->conversation.overrides());
    json::write_key(w, "chatSettingsOpen");
    w.Bool(chat_settings_.is_open());
    json::write_key(w, "theme");
    json::write_string(w, theme().dark ? "dark" : "light");
    json::write_key(w, "language");
    json::write_string(w, language() == Language::Chinese ? "zh" : "en");
    json::write_key(w, "find");
    json::write_string(w, find_open_ ? find_field_.text() : std::string());
    json::write_key(w, "findMatches");  // [k, n]: "k of n"
    w.StartArray();
    w.Int(find_hits_.empty() ? 0 : std::min(find_index_ + 1, static_cast<int>(find_hits_.size())));
    w.Uint64(find_open_ ? find_hits_.size() : 0);
    w.EndArray();
    json::write_key(w, "shortcutsOpen");
    w.Bool(help_open_);
    json::write_key(w, "popupOpen");
    w.Bool(ImGui::IsPopupOpen("", ImGuiPopupFlags_AnyPopupId | ImGuiPopupFlags_AnyPopupLevel));
    json::write_key(w, "selection");
    json::write_string(w, transcript_.selected_text(*current_->session));
    json::write_key(w, "history");
    w.Uint64(history_.size());
    json::write_key(w, "historyProblem");
    json::write_string(w, HistoryStore::instance().problem());
    json::write_key(w, "notice");
    json::write_string(w, notice_);
    write_rects(w);
    write_probe(w);
    json::write_key(w, "drawerOpen");
    w.Bool(drawer_open_);
    json::write_key(w, "faces");  // each text face: the size it is drawn at and the size of its bake
    w.StartArray();
    for (int i = 0; i < Face_Count; i++) {
        const Face& f = fonts_.face(static_cast<FaceId>(i));
        w.StartObject();
        json::write_key(w, "size");
        w.Double(f.size);
        json::write_key(w, "baked");
        w.Double(f.baked ? f.baked->Size : 0);
        json::write_key(w, "density");  // device pixels per CSS pixel the glyphs were rasterised at
        w.Double(f.baked ? f.baked->RasterizerDensity : 0);
        w.EndObject();
    }
    w.EndArray();
    json::write_key(w, "modelNotListed");
    w.Bool(settings_window_.model_not_listed(settings_.session.model));
    json::write_key(w, "chats");
    w.Uint64(chats_.size());
    json::write_key(w, "retryInMs");
    w.Double(current_->retry_at_ms > 0 ? current_->retry_at_ms - platform::now_ms() : -1);
    json::write_key(w, "composer");
    json::write_string(w, composer_.text());
    json::write_key(w, "laidOutLastFrame");
    w.Uint64(transcript_.laid_out_last_frame());
    json::write_key(w, "drawnLastFrame");
    w.Uint64(transcript_.drawn_last_frame());
    json::write_key(w, "transcriptScrollY");
    w.Double(transcript_.scroll_y());
    json::write_key(w, "a11yMs");
    w.Double(a11y_ms_spent());
    w.EndObject();
    state_.assign(buffer.GetString(), buffer.GetSize());
    return state_;
}

} // namespace imchat::ui
