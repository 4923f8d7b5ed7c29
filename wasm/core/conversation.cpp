#include "core/conversation.h"

#include <algorithm>

namespace imchat {

namespace {
constexpr const char* kRoleNames[] = {"system", "user", "assistant", "tool"};
constexpr const char* kStatusNames[] = {"done", "waiting", "streaming", "stopped", "interrupted", "failed"};

bool is_terminal(MessageStatus s) {
    return s != MessageStatus::Waiting && s != MessageStatus::Streaming;
}
}  // namespace

const char* role_name(Role role) { return kRoleNames[static_cast<int>(role)]; }

bool role_from_name(std::string_view name, Role& out) {
    // Not Tool: a stored or imported message is never a tool result (yet); requests only.
    for (int i = 0; i < 3; ++i)
        if (name == kRoleNames[i]) { out = static_cast<Role>(i); return true; }
    return false;
}

const char* status_name(MessageStatus status) { return kStatusNames[static_cast<int>(status)]; }

bool status_from_name(std::string_view name, MessageStatus& out) {
    for (int i = 0; i < 6; ++i)
        if (name == kStatusNames[i]) { out = static_cast<MessageStatus>(i); return true; }
    return false;
}

bool ReplyFigures::operator==(const ReplyFigures& o) const {
    return sent_ms == o.sent_ms && first_token_ms == o.first_token_ms && finished_ms == o.finished_ms &&
           thinking_started_ms == o.thinking_started_ms && thinking_ended_ms == o.thinking_ended_ms &&
           usage.prompt_tokens == o.usage.prompt_tokens &&
           usage.completion_tokens == o.usage.completion_tokens && has_timings == o.has_timings &&
           timings.prompt_ms == o.timings.prompt_ms && timings.predicted_ms == o.timings.predicted_ms &&
           timings.predicted_per_second == o.timings.predicted_per_second &&
           counted_tokens == o.counted_tokens;
}

bool Message::operator==(const Message& o) const {
    return id == o.id && parent == o.parent && role == o.role && text == o.text &&
           reasoning == o.reasoning && status == o.status && error == o.error &&
           error_status == o.error_status && finish_reason == o.finish_reason && model == o.model && reply_id == o.reply_id &&
           last_event_id == o.last_event_id && figures == o.figures && tool_calls == o.tool_calls;
}

bool Conversation::operator==(const Conversation& o) const {
    if (title != o.title || created_ms != o.created_ms || updated_ms != o.updated_ms || id != o.id ||
        overrides_ != o.overrides_ || messages_ != o.messages_)
        return false;
    for (size_t i = 0; i < nodes_.size(); ++i)
        if (nodes_[i].selected != o.nodes_[i].selected) return false;
    return true;
}

bool is_refused_reply(const Message& m) {
    bool refusal = m.error_status == 400 || m.error_status == 413 || m.error_status == 422;
    return m.role == Role::Assistant && m.status == MessageStatus::Failed && refusal && m.text.empty();
}

void Conversation::set_overrides(ChatOverrides overrides) {
    if (overrides == overrides_) return;
    overrides_ = std::move(overrides);
    ++overrides_revision_;
    ++revision_;
}

void Conversation::changed(Message& m) {
    ++m.revision;
    ++revision_;
}

uint32_t Conversation::add(uint32_t parent, Role role, std::string text) {
    if (parent > messages_.size()) return 0;
    Message m;
    m.id = static_cast<uint32_t>(messages_.size() + 1);
    m.parent = parent;
    m.role = role;
    m.text = std::move(text);
    m.revision = 1;
    messages_.push_back(std::move(m));
    nodes_.emplace_back();
    uint32_t id = messages_.back().id;
    node(parent).children.push_back(id);
    select(id);
    ++revision_;
    ++structure_revision_;
    return id;
}

uint32_t Conversation::add_reply(uint32_t parent, std::string model, double now_ms) {
    uint32_t id = add(parent, Role::Assistant, {});
    if (id == 0) return 0;
    Message& m = messages_[id - 1];
    m.model = std::move(model);
    m.status = MessageStatus::Waiting;
    m.figures.sent_ms = now_ms;
    return id;
}

Message* Conversation::find(uint32_t id) {
    return id >= 1 && id <= messages_.size() ? &messages_[id - 1] : nullptr;
}

const Message* Conversation::find(uint32_t id) const {
    return id >= 1 && id <= messages_.size() ? &messages_[id - 1] : nullptr;
}

std::vector<uint32_t> Conversation::children(uint32_t parent) const {
    if (parent >= nodes_.size()) return {};
    return node(parent).children;
}

uint32_t Conversation::selected_child(uint32_t parent) const {
    return parent < nodes_.size() ? node(parent).selected : 0;
}

void Conversation::select(uint32_t id) {
    bool changed_any = false;
    while (const Message* m = find(id)) {
        Node& p = node(m->parent);
        if (p.selected != id) { p.selected = id; changed_any = true; }
        id = m->parent;
    }
    if (changed_any) {
        ++revision_;
        ++structure_revision_;
    }
}

void Conversation::set_selected_child(uint32_t parent, uint32_t child) {
    if (parent >= nodes_.size()) return;
    if (child != 0) {
        const Message* m = find(child);
        if (!m || m->parent != parent) return;
    }
    if (node(parent).selected != child) {
        node(parent).selected = child;
        ++revision_;
        ++structure_revision_;
    }
}

std::vector<uint32_t> Conversation::active_path() const {
    std::vector<uint32_t> path;
    // Each step goes from a node to one of its children, whose id is larger: the walk ends.
    for (uint32_t id = node(0).selected; id != 0; id = node(id).selected) path.push_back(id);
    return path;
}

uint32_t Conversation::leaf() const {
    uint32_t last = 0;
    for (uint32_t id = node(0).selected; id != 0; id = node(id).selected) last = id;
    return last;
}

void Conversation::apply(uint32_t id, const StreamDelta& d, double now_ms) {
    Message* m = find(id);
    if (!m || d.ping) return;
    bool changed_any = false;
    ReplyFigures& f = m->figures;

    auto first_text = [&] {
        if (m->status == MessageStatus::Waiting) m->status = MessageStatus::Streaming;
        if (f.first_token_ms == 0) f.first_token_ms = now_ms;
        ++f.counted_tokens;
        changed_any = true;
    };
    if (!d.reasoning.empty()) {
        if (f.thinking_started_ms == 0) f.thinking_started_ms = now_ms;
        m->reasoning.append(d.reasoning);
        first_text();
    }
    if (!d.content.empty()) {
        // The first answer text after thinking ends the thinking phase.
        if (f.thinking_started_ms != 0 && f.thinking_ended_ms == 0) f.thinking_ended_ms = now_ms;
        m->text.append(d.content);
        if (d.reasoning.empty()) first_text();
    }
    for (const ToolCallDelta& piece : d.tool_calls) {
        add_tool_call_piece(m->tool_calls, piece);
        if (m->status == MessageStatus::Waiting) m->status = MessageStatus::Streaming;
        if (f.first_token_ms == 0) f.first_token_ms = now_ms;
        changed_any = true;
    }
    if (d.has_usage) {
        if (d.usage.prompt_tokens >= 0) f.usage.prompt_tokens = d.usage.prompt_tokens;
        if (d.usage.completion_tokens >= 0) f.usage.completion_tokens = d.usage.completion_tokens;
        changed_any = true;
    }
    if (d.has_timings) {
        f.timings = d.timings;
        f.has_timings = true;
        changed_any = true;
    }
    if (!d.finish_reason.empty() && d.finish_reason != m->finish_reason) {
        m->finish_reason = d.finish_reason;
        changed_any = true;
    }
    if (d.failed()) {
        m->error = d.error;
        m->error_status = d.error_status;
        m->status = m->text.empty() && m->reasoning.empty() ? MessageStatus::Failed
                                                            : MessageStatus::Interrupted;
        f.finished_ms = now_ms;
        changed_any = true;
    } else if (d.done) {
        m->status = d.stopped ? MessageStatus::Stopped : MessageStatus::Done;
        finish_tool_calls(m->tool_calls);
        f.finished_ms = now_ms;
        changed_any = true;
    }
    if (is_terminal(m->status) && f.thinking_started_ms != 0 && f.thinking_ended_ms == 0 &&
        (d.done || d.failed()))
        f.thinking_ended_ms = now_ms;
    if (changed_any) changed(*m);  // updated_ms is a date: the app stamps it (now_ms is not one)
}

void Conversation::set_status(uint32_t id, MessageStatus status, double now_ms, std::string error,
                              int error_status) {
    Message* m = find(id);
    if (!m) return;
    m->status = status;
    if (status == MessageStatus::Failed || status == MessageStatus::Interrupted) {
        m->error = std::move(error);
        m->error_status = error_status;
    }
    if (is_terminal(status)) {
        m->figures.finished_ms = now_ms;
        if (m->figures.thinking_started_ms != 0 && m->figures.thinking_ended_ms == 0)
            m->figures.thinking_ended_ms = now_ms;
    }
    changed(*m);
}

void Conversation::reset_reply(uint32_t id, double now_ms) {
    Message* m = find(id);
    if (!m) return;
    m->text.clear();
    m->reasoning.clear();
    m->error.clear();
    m->error_status = 0;
    m->finish_reason.clear();
    m->reply_id.clear();
    m->last_event_id.clear();
    m->figures = ReplyFigures();
    m->figures.sent_ms = now_ms;
    m->status = MessageStatus::Waiting;
    changed(*m);
}

void Conversation::touch(uint32_t id) {
    if (Message* m = find(id)) changed(*m);
}

std::pair<int, int> Conversation::sibling_position(uint32_t id) const {
    const Message* m = find(id);
    if (!m) return {0, 0};
    const std::vector<uint32_t>& s = node(m->parent).children;
    auto it = std::find(s.begin(), s.end(), id);
    return {static_cast<int>(it - s.begin()) + 1, static_cast<int>(s.size())};
}

uint32_t Conversation::sibling(uint32_t id, int step) const {
    const Message* m = find(id);
    if (!m) return 0;
    const std::vector<uint32_t>& s = node(m->parent).children;
    auto it = std::find(s.begin(), s.end(), id);
    long index = static_cast<long>(it - s.begin()) + step;
    return index >= 0 && index < static_cast<long>(s.size()) ? s[static_cast<size_t>(index)] : 0;
}

void Conversation::clear() {
    messages_.clear();
    nodes_.assign(1, Node());
    ++revision_;
    ++structure_revision_;
}

namespace {
// Length of the UTF-8 sequence starting with lead byte c (1 for stray continuation bytes).
size_t utf8_length(unsigned char c) {
    if (c >= 0xF0) return 4;
    if (c >= 0xE0) return 3;
    if (c >= 0xC0) return 2;
    return 1;
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}
}  // namespace

std::string title_from_prompt(std::string_view prompt) {
    constexpr size_t kMaxChars = 48;
    // First non-empty line.
    std::string_view line;
    while (!prompt.empty()) {
        size_t nl = prompt.find('\n');
        line = trim(prompt.substr(0, nl));
        if (!line.empty() || nl == std::string_view::npos) break;
        prompt.remove_prefix(nl + 1);
    }
    // Walk code points; remember the last space before the limit for a word cut.
    size_t pos = 0, chars = 0, last_space = 0;
    while (pos < line.size() && chars < kMaxChars) {
        if (line[pos] == ' ' || line[pos] == '\t') last_space = pos;
        pos += utf8_length(static_cast<unsigned char>(line[pos]));
        ++chars;
    }
    if (pos >= line.size()) return std::string(line);
    // Prefer a word boundary unless it would throw away most of the line (CJK has no spaces).
    size_t cut = last_space > pos / 2 ? last_space : pos;
    std::string title(trim(line.substr(0, cut)));
    title += "\xE2\x80\xA6";  // …
    return title;
}

}  // namespace imchat
