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
EM_JS(void, imchat_js_download, (const char* name, const char* mime, const char* text, int size), {
    var bytes = HEAPU8.slice(text, text + size);
    var url = URL.createObjectURL(new Blob([bytes], { type: UTF8ToString(mime) }));
    var a = document.createElement('a');
    a.href = url;
    a.download = UTF8ToString(name);
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
});

EM_JS(void, imchat_js_pick_file, (const char* accept, int token), {
    var input = document.createElement('input');
    input.type = 'file';
    input.accept = UTF8ToString(accept);
    input.style.display = 'none';
    document.body.appendChild(input);
    function answer(text, error) {
        var t = stringToNewUTF8(text), e = stringToNewUTF8(error);
        try { Module['_imchat_file_picked'](token, t, e); } finally { _free(t); _free(e); input.remove(); }
    }
    input.addEventListener('change', function () {
        var file = input.files && input.files[0];
        if (!file) { answer('', 'no file chosen'); return; }
        if (file.size > 64 * 1024 * 1024) { answer('', 'the file is larger than 64 MB'); return; }
        file.text().then(function (text) { answer(text, ''); }, function (err) { answer('', String(err)); });
    });
    input.click();
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

void download_text(const std::string& file_name, const char* mime_type, const std::string& text)
{
    imchat_js_download(file_name.c_str(), mime_type, text.data(), static_cast<int>(text.size()));
}

namespace {
FileTextFn g_file_fn = nullptr;
void* g_file_user = nullptr;
int g_file_token = 0;
} // namespace

void pick_text_file(const char* accept, FileTextFn done, void* user)
{
    g_file_fn = done;
    g_file_user = user;
    imchat_js_pick_file(accept, ++g_file_token);
}

void set_action_handler(ActionHandler handler, void* user)
{
    g_action = handler;
    g_action_user = user;
}

} // namespace imchat::platform

extern "C" EMSCRIPTEN_KEEPALIVE void imchat_file_picked(int token, const char* text, const char* error)
{
    using namespace imchat::platform;
    if (token != g_file_token || !g_file_fn)
        return;  // an older pick, superseded
    g_file_fn(g_file_user, text, error);
    request_frame();
}

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
