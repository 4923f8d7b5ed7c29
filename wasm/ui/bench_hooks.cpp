#include "ui/bench_hooks.h"

#include "ui/chat_app.h"

namespace imchat::ui {

bool bench_act(ChatApp& app, std::string_view name, double arg)
{
    (void)app;
    (void)name;
    (void)arg;
    return false;
}

} // namespace imchat::ui
