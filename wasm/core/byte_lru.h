// byte_lru: which images a cache keeps under a byte bound, least recently used out first.
// Portable bookkeeping only (keys, sizes, order); the owner (gfx/image_cache) holds the
// textures and frees what put() reports evicted. Keys are strings (a formula's TeX, size and
// colour; an attachment's id), handles are the owner's numbers.
#pragma once
#include <cstddef>
#include <cstdint>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace imchat {

class ByteLru {
public:
    explicit ByteLru(size_t max_bytes) : max_bytes_(max_bytes) {}

    // Adds (or replaces) key; returns the handles that left to keep the bound: a replaced
    // entry's, and the least recently used ones. The new entry always stays, even alone over
    // the bound (the owner refuses what is too big before it asks).
    std::vector<uint32_t> put(const std::string& key, uint32_t handle, size_t bytes);
    // The handle of key, made the most recently used; nullptr when absent.
    const uint32_t* use(std::string_view key);
    bool contains(std::string_view key) const { return index_.count(std::string(key)) != 0; }
    // Removes key; returns its handle, or UINT32_MAX when it was absent.
    uint32_t erase(std::string_view key);
    // Every handle, most recently used first (a context loss re-creates them all).
    std::vector<uint32_t> handles() const;
    void clear();

    size_t bytes() const { return bytes_; }
    size_t size() const { return order_.size(); }
    size_t max_bytes() const { return max_bytes_; }
    size_t evictions() const { return evictions_; }

private:
    struct Entry {
        std::string key;
        uint32_t handle;
        size_t bytes;
    };
    size_t max_bytes_;
    size_t bytes_ = 0;
    size_t evictions_ = 0;
    std::list<Entry> order_;  // most recently used first
    std::unordered_map<std::string, std::list<Entry>::iterator> index_;
};

}  // namespace imchat
