#include "platform/page_info.h"

#include "platform/platform.h"

#include <emscripten.h>

#include <cstdlib>

namespace imchat::platform {

namespace {

ActionHandler g_action = nullptr;
void* g_action_user = nullptr;
StateProvider g_provider = nullptr;
void* g_provider_user = nullptr;

} // namespace

// clang-format off
EM_JS(char*, imchat_js_language, (), {
    var lang = (navigator.languages && navigator.languages[0]) || navigator.language || 'en';
    return stringToNewUTF8(String(lang));
});

EM_JS(int, imchat_js_prefers_dark, (), {
    return window.matchMedia && window.matchMedia('(prefers-color-scheme: dark)').matches ? 1 : 0;
});

EM_JS(double, imchat_js_date_now, (), { return Date.now(); });

EM_JS(void, imchat_js_install_state_hook, (), {
    var hooks = window.imchat = window.imchat || {};
    hooks.state = function () {
        return JSON.parse(UTF8ToString(Module['_imchat_state_json']()));
    };
    hooks.act = function (name, arg) {
        var p = stringToNewUTF8(String(name));
        try { Module['_imchat_act'](p, Number(arg) || 0); } finally { _free(p); }
    };
});
EM_JS(void, imchat_js_mirror_set, (int index, const char* role, const char* text), {
    var root = document.getElementById('transcript-mirror');
    if (!root) return;
    while (root.children.length <= index) root.appendChild(document.createElement('p'));
    root.children[index].textContent = UTF8ToString(role) + ': ' + UTF8ToString(text);
});

EM_JS(void, imchat_js_mirror_truncate, (int count), {
    var root = document.getElementById('transcript-mirror');
    while (root && root.children.length > count) root.removeChild(root.lastChild);
});
// clang-format on

std::string browser_language()
{
    char* s = imchat_js_language();
    std::string out = s ? s : "en";
    free(s);
    return out;
}

bool prefers_dark_scheme()
{
    return imchat_js_prefers_dark() != 0;
}

double wall_clock_ms()
{
    return imchat_js_date_now();
}

void set_state_provider(StateProvider provider, void* user)
{
    g_provider = provider;
    g_provider_user = user;
    imchat_js_install_state_hook();
}

void mirror_set(int index, const char* role, const std::string& text)
{
    imchat_js_mirror_set(index, role, text.c_str());
}

void mirror_truncate(int count)
{
    imchat_js_mirror_truncate(count);
}

void set_action_handler(ActionHandler handler, void* user)
{
    g_action = handler;
    g_action_user = user;
}

} // namespace imchat::platform

extern "C" EMSCRIPTEN_KEEPALIVE void imchat_act(const char* name, double arg)
{
    using namespace imchat::platform;
    if (g_action)
        g_action(g_action_user, name, arg);
    request_frame();
}

extern "C" EMSCRIPTEN_KEEPALIVE const char* imchat_state_json()
{
    using namespace imchat::platform;
    static const std::string empty = "{}";
    return g_provider ? g_provider(g_provider_user).c_str() : empty.c_str();
}
