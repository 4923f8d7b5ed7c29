// page_info: what the UI asks of the page beyond input and drawing: the browser's language,
// its colour-scheme preference, and the automation hook tests read (window.imchat.state()).
#pragma once
#include <string>

namespace imchat::platform {

std::string browser_language();   // navigator.language, e.g. "zh-CN"
bool prefers_dark_scheme();       // matchMedia('(prefers-color-scheme: dark)')
double wall_clock_ms();           // Date.now(): for timestamps that outlive the page

// window.imchat.state() returns JSON.parse(provider(user)). The string must live until the
// next call.
using StateProvider = const std::string& (*)(void* user);
void set_state_provider(StateProvider provider, void* user);

// window.imchat.act(name, number) calls handler(user, name, number): the intents tests drive
// without hunting for pixels ("regenerate", "sibling", "stop", ...).
using ActionHandler = void (*)(void* user, const char* name, double arg);
void set_action_handler(ActionHandler handler, void* user);

// Saves text as a file through the browser's download (Export).
void download_text(const std::string& file_name, const char* mime_type, const std::string& text);
// Lets the user pick a file (Import); done(user, text, error) gets its text, or an error.
using FileTextFn = void (*)(void* user, const std::string& text, const std::string& error);
void pick_text_file(const char* accept, FileTextFn done, void* user);

}  // namespace imchat::platform
