// The image cache's bookkeeping: byte bound, least recently used out first, replacement.
#include "core/byte_lru.h"

#include <gtest/gtest.h>

using namespace imchat;

TEST(ByteLru, EvictsLeastRecentlyUsedToStayWithinTheBound) {
    ByteLru lru(100);
    EXPECT_TRUE(lru.put("a", 1, 40).empty());
    EXPECT_TRUE(lru.put("b", 2, 40).empty());
    ASSERT_NE(lru.use("a"), nullptr);  // b is now the oldest
    std::vector<uint32_t> gone = lru.put("c", 3, 40);
    EXPECT_EQ(gone, std::vector<uint32_t>{2});
    EXPECT_TRUE(lru.contains("a"));
    EXPECT_FALSE(lru.contains("b"));
    EXPECT_EQ(lru.bytes(), 80u);
    EXPECT_EQ(lru.evictions(), 1u);
    EXPECT_EQ(lru.handles(), (std::vector<uint32_t>{3, 1}));
}

TEST(ByteLru, ReplacingAKeyReturnsItsOldHandle) {
    ByteLru lru(100);
    lru.put("a", 1, 10);
    EXPECT_EQ(lru.put("a", 7, 20), std::vector<uint32_t>{1});
    EXPECT_EQ(*lru.use("a"), 7u);
    EXPECT_EQ(lru.bytes(), 20u);
    EXPECT_EQ(lru.size(), 1u);
    EXPECT_EQ(lru.evictions(), 0u);
}

TEST(ByteLru, ANewEntryOverTheBoundStaysAlone) {
    ByteLru lru(50);
    lru.put("a", 1, 10);
    lru.put("b", 2, 10);
    EXPECT_EQ(lru.put("big", 3, 80), (std::vector<uint32_t>{1, 2}));
    EXPECT_EQ(lru.size(), 1u);
    EXPECT_EQ(lru.erase("big"), 3u);
    EXPECT_EQ(lru.erase("big"), UINT32_MAX);
    EXPECT_EQ(lru.bytes(), 0u);
    EXPECT_EQ(lru.use("a"), nullptr);
}
