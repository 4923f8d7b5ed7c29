// think_tags: models served without a reasoning parser (llama.cpp, Ollama, vLLM by default) put
// their thinking inline as "<think>…</think>" at the start of the content. ThinkTagSplitter
// moves it to reasoning as it streams, even when a tag is cut across pieces ("<thi" + "nk>").
#pragma once
#include <string>
#include <string_view>

namespace imchat {

class ThinkTagSplitter {
public:
    // Splits one streamed content piece: appends to content and/or reasoning. Text that might be
    // the start of a tag is held back until the next piece (or finish()) decides.
    void feed(std::string_view piece, std::string& content, std::string& reasoning);
    // End of the stream: releases whatever was held back.
    void finish(std::string& content, std::string& reasoning);
    void reset() { *this = ThinkTagSplitter(); }

    bool in_think() const { return state_ == State::Thinking; }

private:
    enum class State : unsigned char { Start, Thinking, Content };
    State state_ = State::Start;
    std::string held_;  // undecided bytes: leading whitespace + partial "<think>", or partial "</think>"
    bool trim_next_ = false;  // drop the newlines right after <think> and </think>
};

}  // namespace imchat
