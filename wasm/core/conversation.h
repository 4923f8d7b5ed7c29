// conversation: the message tree the UI draws and the chat session writes.
// Every edit or regeneration adds a sibling instead of overwriting, so a conversation is a tree;
// each node remembers which child is "selected", and the path of selected children from the
// first message down is what the transcript shows (active_path()).
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/stream_delta.h"
#include "core/tool_calls.h"

namespace imchat {

// Tool: a function's result sent back to the model (tool_calls.h); no stored message has it yet.
enum class Role : uint8_t { System, User, Assistant, Tool };

enum class MessageStatus : uint8_t {
    Done,
    Waiting,      // sent, no token yet
    Streaming,    // tokens arriving
    Stopped,      // the user pressed Stop; text kept
    Interrupted,  // the stream broke after some text; partial text kept, Retry offered
    Failed,       // an error before any text
};

const char* role_name(Role role);              // "system", "user", "assistant"
bool role_from_name(std::string_view name, Role& out);
const char* status_name(MessageStatus status); // "done", "waiting", ...
bool status_from_name(std::string_view name, MessageStatus& out);

// Times are whatever clock the caller passes as now_ms (the session uses one monotonic-ish clock
// for a reply); 0 means "not yet". Durations are differences the UI computes.
struct ReplyFigures {
    double sent_ms = 0, first_token_ms = 0, finished_ms = 0;
    double thinking_started_ms = 0, thinking_ended_ms = 0;
    TokenUsage usage;            // as reported by the server (-1 fields: not reported)
    ServerTimings timings;       // llama.cpp-style timings, when the server sent them
    bool has_timings = false;
    int64_t counted_tokens = 0;  // deltas that carried text, counted client-side

    bool operator==(const ReplyFigures&) const;
};

struct Message {
    uint32_t id = 0;
    uint32_t parent = 0;  // 0 = no parent (a first message of the conversation)
    Role role = Role::User;
    std::string text;
    std::string reasoning;
    MessageStatus status = MessageStatus::Done;
    std::string error;
    int error_status = 0;       // HTTP status of the failure (Failed/Interrupted), 0 if unknown
    std::string finish_reason;
    std::string model;
    std::string reply_id;       // built-in API: the reply's id from POST /api/chat
    std::string last_event_id;  // built-in API: resume point of the stream
    ReplyFigures figures;
    std::vector<ToolCall> tool_calls;  // an assistant reply's function calls (tool_calls.h)
    uint64_t revision = 0;      // bumped on every change; caches (layout, storage) key on it

    // Equal content; revision is ignored (it is a cache key, not content).
    bool operator==(const Message& other) const;
};

// The settings one conversation keeps for itself: its model, system prompt, sampling, reply and
// context length. An unset field follows the global settings; a system_prompt set to "" is a
// chat that sends none. The endpoint and the API key are never per chat: they say where to
// connect, not how this chat talks. Stored in the conversation's meta record and its export.
struct ChatOverrides {
    std::optional<std::string> model, system_prompt;
    std::optional<double> temperature, top_p;
    std::optional<int> max_tokens, context_length;

    bool any() const { return model || system_prompt || temperature || top_p || max_tokens || context_length; }
    bool operator==(const ChatOverrides&) const = default;
};

// A failed reply the server refused because of the request itself (HTTP 400 bad request or
// context length exceeded, 413 too large, 422 unprocessable) before any text came. Sending the
// same context again fails the same way, so the prompt it answers is left out of later requests.
bool is_refused_reply(const Message& reply);

class Conversation {
public:
    // Adds a message under parent (0 = a new first message) and makes it the selected child of
    // parent, and its whole chain the active path. Returns its id (ids start at 1 and grow by one
    // in creation order), or 0 if parent does not exist.
    // Pointers from find() may be invalidated by add().
    uint32_t add(uint32_t parent, Role role, std::string text);
    // Convenience for the session: an empty Assistant reply in Waiting state with sent_ms = now.
    uint32_t add_reply(uint32_t parent, std::string model, double now_ms);

    Message* find(uint32_t id);
    const Message* find(uint32_t id) const;

    std::vector<uint32_t> children(uint32_t parent) const;  // creation order; 0 = first messages
    uint32_t selected_child(uint32_t parent) const;         // 0 when none
    void select(uint32_t id);              // id becomes the selected child of its parent, and so on up
    // Sets only parent's selected child (child must be a child of parent, or 0); for import.
    void set_selected_child(uint32_t parent, uint32_t child);
    std::vector<uint32_t> active_path() const;  // first message → leaf, following selected children
    uint32_t leaf() const;                      // last of active_path(), 0 if empty

    // Applies one decoded event to a reply: appends content/reasoning, moves Waiting → Streaming
    // on the first text, records figures (first token, thinking start/end, usage, timings),
    // finish (done → Done, or Stopped if the server says so) and errors (Failed if no text yet,
    // else Interrupted). Bumps the revision when anything changed. Pings change nothing.
    void apply(uint32_t id, const StreamDelta& delta, double now_ms);
    // Sets a status from outside the stream (Stop pressed, a transport failure, a retry
    // starting). Terminal statuses set finished_ms; Failed/Interrupted keep `error`.
    void set_status(uint32_t id, MessageStatus status, double now_ms, std::string error = {},
                    int error_status = 0);
    // Clears a reply for a retry in place: text, reasoning, error, finish, figures; Waiting with
    // sent_ms = now. Keeps role, model, parent and position in the tree.
    void reset_reply(uint32_t id, double now_ms);
    void touch(uint32_t id);  // bump revisions after a direct edit through find()

    // "<n/m>" navigation: n is the 1-based position of id among its parent's children, m the
    // count. {0, 0} for an unknown id.
    std::pair<int, int> sibling_position(uint32_t id) const;
    uint32_t sibling(uint32_t id, int step) const;  // the sibling `step` places away, or 0

    const std::vector<Message>& messages() const { return messages_; }  // by creation (= id order)
    size_t size() const { return messages_.size(); }
    bool empty() const { return messages_.empty(); }
    void clear();
    // Bumped on every change to any message, the tree or the selection: storage saves on it.
    uint64_t revision() const { return revision_; }
    // Bumped only when messages are added or the selection changes (what active_path() depends
    // on), not when text streams in: views cache the path on it.
    uint64_t structure_revision() const { return structure_revision_; }

    std::string title;
    int64_t created_ms = 0, updated_ms = 0;  // dates (ms since 1970), stamped by the app
    std::string id;  // conversation id (uuid-like, given by the app)
    // This chat's own settings. Change them through set_overrides(), which the saver notices.
    const ChatOverrides& overrides() const { return overrides_; }
    void set_overrides(ChatOverrides overrides);
    // Bumped by set_overrides() when they changed: the saver writes the meta record on it.
    uint64_t overrides_revision() const { return overrides_revision_; }

    // Same content: metadata, messages (revisions ignored) and the selection.
    bool operator==(const Conversation& other) const;

private:
    struct Node {
        std::vector<uint32_t> children;
        uint32_t selected = 0;
    };
    Node& node(uint32_t id) { return nodes_[id]; }  // 0 is the virtual root above first messages
    const Node& node(uint32_t id) const { return nodes_[id]; }
    void changed(Message& m);

    std::vector<Message> messages_;  // messages_[id - 1]
    std::vector<Node> nodes_ = std::vector<Node>(1);  // nodes_[id], nodes_[0] = virtual root
    uint64_t revision_ = 0;
    uint64_t structure_revision_ = 0;
    ChatOverrides overrides_;
    uint64_t overrides_revision_ = 0;
};

// A title from the first prompt: its first non-empty line, trimmed, at most ~48 characters,
// cut on a UTF-8 boundary (and preferably a word boundary) with "…" when cut.
std::string title_from_prompt(std::string_view prompt);

}  // namespace imchat
