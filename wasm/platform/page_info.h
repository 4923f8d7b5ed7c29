// page_info: what the UI asks of the page beyond input and drawing: the browser's language,
// its colour-scheme preference, and the automation hook tests read (window.imchat.state()).
#pragma once
#include <string>

namespace imchat::platform {

std::string browser_language();   // navigator.language, e.g. "zh-CN"
bool prefers_dark_scheme();       // matchMedia('(prefers-color-scheme: dark)')

// window.imchat.state() returns JSON.parse(provider(user)). The string must live until the
// next call.
using StateProvider = const std::string& (*)(void* user);
void set_state_provider(StateProvider provider, void* user);

}  // namespace imchat::platform
