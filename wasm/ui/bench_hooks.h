// bench_hooks: intents only benchmarks use (load a synthetic history, stream tokens from
// memory), reached through window.imchat.act(name, arg).
#pragma once
#include <string_view>

namespace imchat::ui {

class ChatApp;

// Handles the benchmark intents; false for names it does not know.
bool bench_act(ChatApp& app, std::string_view name, double arg);

}  // namespace imchat::ui
