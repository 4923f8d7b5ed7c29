#include "core/byte_lru.h"

namespace imchat {

std::vector<uint32_t> ByteLru::put(const std::string& key, uint32_t handle, size_t bytes) {
    std::vector<uint32_t> gone;
    uint32_t old = erase(key);
    if (old != UINT32_MAX) gone.push_back(old);
    order_.push_front(Entry{key, handle, bytes});
    index_[key] = order_.begin();
    bytes_ += bytes;
    while (bytes_ > max_bytes_ && order_.size() > 1) {
        Entry& last = order_.back();
        gone.push_back(last.handle);
        bytes_ -= last.bytes;
        index_.erase(last.key);
        order_.pop_back();
        ++evictions_;
    }
    return gone;
}

const uint32_t* ByteLru::use(std::string_view key) {
    auto it = index_.find(std::string(key));
    if (it == index_.end()) return nullptr;
    order_.splice(order_.begin(), order_, it->second);
    return &it->second->handle;
}

uint32_t ByteLru::erase(std::string_view key) {
    auto it = index_.find(std::string(key));
    if (it == index_.end()) return UINT32_MAX;
    uint32_t handle = it->second->handle;
    bytes_ -= it->second->bytes;
    order_.erase(it->second);
    index_.erase(it);
    return handle;
}

std::vector<uint32_t> ByteLru::handles() const {
    std::vector<uint32_t> out;
    out.reserve(order_.size());
    for (const Entry& e : order_) out.push_back(e.handle);
    return out;
}

void ByteLru::clear() {
    order_.clear();
    index_.clear();
    bytes_ = 0;
}

}  // namespace imchat
