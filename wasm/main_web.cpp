// The page's entry point: creates the chat app, hands its frame to the platform layer and
// returns; the browser drives everything after that.
#include "platform/page_info.h"
#include "platform/platform.h"
#include "ui/chat_app.h"

namespace {

imchat::ui::ChatApp* g_app = nullptr;

void frame(void*)
{
    if (!g_app)
        g_app = new imchat::ui::ChatApp();  // needs the ImGui context the platform made
    g_app->frame();
}

const std::string& state(void*)
{
    static const std::string empty = "{\"messages\":[],\"streaming\":false,\"lastError\":\"\"}";
    return g_app ? g_app->state_json() : empty;
}

void act(void*, const char* name, double arg)
{
    if (g_app)
        g_app->act(name, arg);
}

} // namespace

int main()
{
    imchat::platform::set_action_handler(act, nullptr);
    imchat::platform::set_state_provider(state, nullptr);
    imchat::platform::run({frame, nullptr});
    return 0;
}
