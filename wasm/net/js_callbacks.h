// js_callbacks: how a JS promise or event finds its way back to a C++ object safely.
// A callback never carries a pointer (the object may be gone after an abort): it carries a
// numeric handle, bound as the first argument of an embind-exported function with
// Function.prototype.bind. The handle is looked up in a HandleTable; a stale handle finds nothing
// and the late callback does nothing. Lookups hand out shared_ptr, so an object stays alive to
// the end of a callback even if the callback's handler aborts it.
#pragma once
#include <emscripten/val.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <unordered_map>

namespace imchat {

template <class T>
class HandleTable {
public:
    uint32_t add(std::shared_ptr<T> item) {
        uint32_t handle = next_++;
        if (next_ == 0) next_ = 1;
        items_.emplace(handle, std::move(item));
        return handle;
    }
    std::shared_ptr<T> find(uint32_t handle) const {
        auto it = items_.find(handle);
        return it == items_.end() ? nullptr : it->second;
    }
    void remove(uint32_t handle) { items_.erase(handle); }
    size_t size() const { return items_.size(); }

private:
    std::unordered_map<uint32_t, std::shared_ptr<T>> items_;
    uint32_t next_ = 1;
};

// Module[exported_name] with `handle` bound as its first argument: a JS function to hand to
// then(), addEventListener() or setTimeout(). exported_name must be an EMSCRIPTEN_BINDINGS
// function taking (uint32_t handle, emscripten::val arg).
emscripten::val bound_callback(const char* exported_name, uint32_t handle);

// setTimeout through the same mechanism. The function runs once, from the event loop.
// Returns an id for cancel_timer; cancelling an id that already ran (or 0) does nothing.
uint32_t start_timer(double ms, std::function<void()> fn);
void cancel_timer(uint32_t id);

double monotonic_ms();   // performance.now()-like, for timeouts
double wall_clock_ms();  // Date.now(), for HTTP dates

// Reads a JS value as a string when it is one, else returns fallback (null, undefined, ...).
std::string js_string_or(const emscripten::val& value, std::string fallback = {});
// err.message of a rejection reason, or its String() when it has none.
std::string js_error_message(const emscripten::val& reason);

}  // namespace imchat
