// transcript_mirror: the transcript as semantic DOM for screen readers (platform/a11y_dom.h):
// one article per message of the active path (its last 1 MB), its markdown blocks as headings, paragraphs,
// lists, tables and <pre>, and a streaming reply's whole sentences handed to the live region.
//
// A finished message is written once. The streaming reply keeps its own incremental markdown
// document; each update (at most every live_interval_ms) appends its new text to the open block
// in the page, rewriting a block only when markdown changed it (a closing "**", a table row),
// so the page's work per token is the token's, not the message's.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/conversation.h"
#include "core/markdown.h"

namespace imchat::ui {

class TranscriptMirror {
public:
    // The streaming reply is written at most this often (the benchmark sets 0: every frame).
    static inline double live_interval_ms = 250;
    // The mirror holds the last messages of the active path up to this much text.
    static constexpr size_t kMaxBytes = 1 << 20;

    // Empties the page's mirror (another chat is shown).
    void reset();
    // Brings the mirror up to the conversation's active path. Cheap when nothing changed.
    void update(const Conversation& c);

private:
    void write_message(size_t index, const Message& m);
    bool follow_live(size_t index, const Message& m, bool ended);  // false: not yet (throttled)
    void sync_live_blocks(bool ended);
    void announce_sentences(bool ended);

    struct Shown {
        uint32_t id;
        uint64_t revision;  // written at this revision; kLive while it streams
    };
    static constexpr uint64_t kLive = ~0ull;
    std::vector<Shown> shown_;  // the mirror's articles: the active path's first messages
    std::vector<uint32_t> path_;
    uint64_t revision_ = ~0ull, structure_ = ~0ull;
    bool pending_ = false;      // the live reply has text not written yet
    size_t selected_ = ~size_t(0);  // the article the page writes blocks into

    // The streaming reply.
    uint32_t live_id_ = 0;
    MarkdownDocument doc_{MarkdownOptions{false, false}};
    size_t settled_ = 0;           // leading blocks written final: never looked at again
    std::vector<Block> open_;      // the page's blocks after those, as written (usually one)
    double live_ms_ = -1e9;        // last update of the page
    size_t said_block_ = 0, said_bytes_ = 0, scanned_ = 0;  // the live region has text up to here
};

}  // namespace imchat::ui
