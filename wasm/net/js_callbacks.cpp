#include "net/js_callbacks.h"

#include <emscripten.h>
#include <emscripten/bind.h>

namespace imchat {
using emscripten::val;

namespace {

struct Timer {
    std::function<void()> fn;
    val js_id = val::undefined();  // Node returns an object from setTimeout, browsers a number
};

HandleTable<Timer>& timers() {
    static HandleTable<Timer> table;
    return table;
}

void on_timer(uint32_t handle) {
    std::shared_ptr<Timer> timer = timers().find(handle);
    if (!timer) return;
    timers().remove(handle);
    timer->fn();
}

}  // namespace

val bound_callback(const char* exported_name, uint32_t handle) {
    return val::module_property(exported_name).call<val>("bind", val::null(), handle);
}

uint32_t start_timer(double ms, std::function<void()> fn) {
    auto timer = std::make_shared<Timer>();
    timer->fn = std::move(fn);
    uint32_t handle = timers().add(timer);
    timer->js_id = val::global("setTimeout")(bound_callback("imchat_on_timer", handle), ms);
    return handle;
}

void cancel_timer(uint32_t id) {
    if (std::shared_ptr<Timer> timer = timers().find(id)) {
        val::global("clearTimeout")(timer->js_id);
        timers().remove(id);
    }
}

double monotonic_ms() { return emscripten_get_now(); }
double wall_clock_ms() { return val::global("Date").call<double>("now"); }

std::string js_string_or(const val& value, std::string fallback) {
    return value.isString() ? value.as<std::string>() : fallback;
}

std::string js_error_message(const val& reason) {
    if (reason.isUndefined() || reason.isNull()) return "unknown error";
    val message = reason["message"];
    if (message.isString()) {
        std::string text = message.as<std::string>();
        // Node's fetch hides the real reason (ECONNREFUSED, ...) in err.cause.
        val cause = reason["cause"];
        if (!cause.isUndefined() && !cause.isNull()) {
            val code = cause["code"];
            val cause_message = cause["message"];
            if (code.isString()) text += " (" + code.as<std::string>() + ")";
            else if (cause_message.isString()) text += " (" + cause_message.as<std::string>() + ")";
        }
        return text;
    }
    return val::global("String")(reason).as<std::string>();
}

EMSCRIPTEN_BINDINGS(imchat_js_callbacks) {
    emscripten::function("imchat_on_timer", &on_timer);
}

}  // namespace imchat
