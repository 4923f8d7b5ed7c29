#include "app/conversation_saver.h"

#include <algorithm>

#include "core/history_records.h"

namespace imchat {

namespace {

bool live(MessageStatus status) { return status == MessageStatus::Waiting || status == MessageStatus::Streaming; }

}  // namespace

ConversationSaver::StructureKey ConversationSaver::structure_key(const Conversation& c) {
    return StructureKey{c.title, c.size(), c.structure_revision(), c.overrides_revision()};
}

void ConversationSaver::adopt(const Conversation& c) {
    conversation_ = &c;
    if (c.id == id_) return;
    id_ = c.id;
    saved_revision_.clear();
    next_write_ms_.clear();
    saved_structure_ = StructureKey();
    created_ms_ = c.created_ms;
    seen_revision_ = std::numeric_limits<uint64_t>::max();
    ++*alive_;  // a trailing write of the previous conversation has nothing left to write
    timer_armed_ = false;
}

void ConversationSaver::note_changed(const Conversation& c, double now_ms) {
    adopt(c);
    // A rename changes no revision: the title is compared too.
    if (c.revision() == seen_revision_ && c.title == seen_title_ && !timer_armed_) return;
    now_ms_ = now_ms;
    scan(false);
}

void ConversationSaver::flush() {
    if (!conversation_) return;
    now_ms_ = sink_.now_ms();
    scan(true);
}

void ConversationSaver::mark_saved(const Conversation& c, uint32_t except) {
    adopt(c);
    saved_revision_.resize(c.size(), 0);
    next_write_ms_.resize(c.size(), -1e300);
    for (const Message& m : c.messages())
        if (m.id != except) saved_revision_[m.id - 1] = m.revision;
    saved_structure_ = structure_key(c);
    if (c.created_ms != 0) created_ms_ = c.created_ms;
    seen_revision_ = c.revision();
    seen_title_ = c.title;
}

void ConversationSaver::forget() {
    conversation_ = nullptr;
    id_.clear();
    saved_revision_.clear();
    next_write_ms_.clear();
    saved_structure_ = StructureKey();
    seen_revision_ = std::numeric_limits<uint64_t>::max();
    ++*alive_;  // a pending timer finds nothing to do
    timer_armed_ = false;
}

void ConversationSaver::scan(bool force) {
    const Conversation* c = conversation_;
    if (!c || c->id.empty() || c->empty()) return;
    const double now = now_ms_;
    saved_revision_.resize(c->size(), 0);
    next_write_ms_.resize(c->size(), -1e300);

    HistorySink::Write batch;
    double next_due = 0;
    for (const Message& m : c->messages()) {
        size_t i = m.id - 1;
        if (m.revision == saved_revision_[i]) continue;
        double due = next_write_ms_[i];
        if (!force && live(m.status) && now < due) {
            next_due = next_due == 0 ? due : std::min(next_due, due);
            continue;
        }
        batch.messages.emplace_back(m.id, message_record_json(m));
        saved_revision_[i] = m.revision;
        // The bytes budget: a long record waits as long as writing it costs of the budget.
        double record_ms = 1000.0 * double(batch.messages.back().second.size()) / kStreamingBytesPerSecond;
        next_write_ms_[i] = now + std::max(kStreamingIntervalMs, record_ms);
    }
    StructureKey structure = structure_key(*c);
    if (!batch.messages.empty() || !(structure == saved_structure_)) {
        double wall = sink_.wall_ms();
        if (created_ms_ == 0) created_ms_ = c->created_ms != 0 ? c->created_ms : static_cast<int64_t>(wall);
        batch.conversation_id = c->id;
        batch.meta = meta_record_json(summary_of(*c, created_ms_, static_cast<int64_t>(wall)));
        saved_structure_ = std::move(structure);
        ++writes_;
        sink_.write(std::move(batch));
    }
    seen_revision_ = c->revision();
    seen_title_ = c->title;
    if (next_due != 0) arm_timer(next_due);
}

void ConversationSaver::arm_timer(double due_ms) {
    if (timer_armed_ && timer_due_ms_ <= due_ms) return;
    // An earlier deadline replaces a later one: the later timer finds its generation stale.
    int generation = ++*alive_;
    timer_armed_ = true;
    timer_due_ms_ = due_ms;
    std::weak_ptr<int> alive = alive_;
    sink_.set_timeout(std::max(0.0, due_ms - now_ms_), [this, alive, generation] {
        std::shared_ptr<int> still = alive.lock();
        if (!still || *still != generation) return;
        timer_armed_ = false;
        now_ms_ = sink_.now_ms();
        scan(false);
    });
}

}  // namespace imchat
