#include "core/think_tags.h"

#include <algorithm>

namespace imchat {

namespace {
constexpr std::string_view kOpen = "<think>";
constexpr std::string_view kClose = "</think>";

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Length of the longest tail of s that is a proper prefix of tag (a tag cut by the piece's end).
size_t partial_tag_tail(std::string_view s, std::string_view tag) {
    size_t longest = std::min(s.size(), tag.size() - 1);
    for (size_t n = longest; n > 0; --n)
        if (s.substr(s.size() - n) == tag.substr(0, n)) return n;
    return 0;
}
}  // namespace

void ThinkTagSplitter::feed(std::string_view piece, std::string& content, std::string& reasoning) {
    // Whitespace right after a tag is layout, not text ("<think>\n", "</think>\n\n").
    auto emit = [this](std::string_view text, std::string& to) {
        if (trim_next_) {
            size_t skip = 0;
            while (skip < text.size() && is_space(text[skip])) ++skip;
            text.remove_prefix(skip);
            if (text.empty()) return;
            trim_next_ = false;
        }
        to.append(text);
    };

    if (state_ == State::Content) {
        emit(piece, content);
        return;
    }
    if (state_ == State::Start) {
        held_.append(piece);
        std::string_view t = held_;
        size_t lead = 0;
        while (lead < t.size() && is_space(t[lead])) ++lead;
        t.remove_prefix(lead);
        if (t.empty()) return;                                              // only whitespace yet
        if (t.size() < kOpen.size() && kOpen.substr(0, t.size()) == t) return;  // "<thi": wait
        if (t.substr(0, kOpen.size()) != kOpen) {                           // an ordinary reply
            state_ = State::Content;
            content.append(held_);
            held_.clear();
            return;
        }
        state_ = State::Thinking;
        trim_next_ = true;
        std::string rest(t.substr(kOpen.size()));
        held_.clear();
        feed(rest, content, reasoning);
        return;
    }
    // Thinking: look for </think>, possibly begun in the held bytes of the previous piece.
    held_.append(piece);
    std::string_view t = held_;
    if (size_t close = t.find(kClose); close != std::string_view::npos) {
        emit(t.substr(0, close), reasoning);
        state_ = State::Content;
        trim_next_ = true;
        std::string rest(t.substr(close + kClose.size()));
        held_.clear();
        feed(rest, content, reasoning);
        return;
    }
    size_t keep = partial_tag_tail(t, kClose);
    emit(t.substr(0, t.size() - keep), reasoning);
    held_.erase(0, held_.size() - keep);
}

void ThinkTagSplitter::finish(std::string& content, std::string& reasoning) {
    if (state_ == State::Thinking) reasoning.append(held_);
    else content.append(held_);
    held_.clear();
}

}  // namespace imchat
