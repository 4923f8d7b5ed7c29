// history_records: what the browser history stores, as JSON text, and the way back.
// The history keeps one record per message (so a growing reply rewrites one small record, not the
// whole conversation) and one metadata record per conversation:
//   message record  the message object of our export format (conversation_io.h) without
//                   "selected": {"id","parent","role","status","text","reasoning"?,...}
//   meta record     {"id","title","created_ms","updated_ms","message_count","preview",
//                    "selected":[[parent,child],...],"overrides"?:{…}}
// The selection and the chat's own settings (overrides, conversation_io.h) live in the meta
// record because choosing a sibling or a model changes no message.
// Records written by different tabs at different moments may disagree (a meta naming a child
// whose record never arrived, a record whose parent is missing): rebuilding tolerates that.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/conversation.h"

namespace imchat {

// One conversation as the sidebar lists it (the meta record, decoded).
struct ConversationSummary {
    std::string id;
    std::string title;
    std::string preview;  // the start of the last shown message, on one line
    int64_t created_ms = 0, updated_ms = 0;  // wall clock (ms since 1970)
    uint32_t message_count = 0;
    std::vector<std::pair<uint32_t, uint32_t>> selected;  // (parent, selected child), 0 = root
    ChatOverrides overrides;  // none in records written before chats had their own settings
};

std::string message_record_json(const Message& message);

// The meta record of a conversation. created/updated are the caller's wall-clock times (the
// Conversation's own times may come from another clock).
ConversationSummary summary_of(const Conversation& conversation, int64_t created_ms, int64_t updated_ms);
std::string meta_record_json(const ConversationSummary& meta);
bool parse_meta_record(std::string_view json, ConversationSummary& out, std::string& error);

// A JSON array of meta records → summaries, newest (updated_ms) first. Entries that do not
// decode are skipped and counted in `skipped` when given.
std::vector<ConversationSummary> parse_meta_list(std::string_view json_array, int* skipped = nullptr);

// Rebuilds a conversation from {"meta": <meta record or null>, "messages": [<records>...]}.
// Records are taken in id order; one whose parent is missing is dropped with its descendants, and
// a node whose stored selection is unusable shows its newest child. `renumbered` tells whether
// the ids changed (some record was dropped or ids had gaps): the stored records then no longer
// match the conversation's ids and should be rewritten.
bool assemble_conversation(std::string_view stored, std::string_view conversation_id, Conversation& out,
                           bool& renumbered, std::string& error);

// Brings `local` up to date with `stored` (the same conversation as another tab saved it):
// messages that differ are copied, messages only `stored` has are appended, the title, the
// overrides and (when keep_id is 0) the selection are adopted. Message keep_id (the reply this tab is streaming) is
// never touched. A stored message whose parent or role disagrees with the local one with the
// same id (two tabs added a message at once) is left alone. True when local changed.
bool merge_stored(Conversation& local, const Conversation& stored, uint32_t keep_id);

}  // namespace imchat
