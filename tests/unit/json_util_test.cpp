// The JSON reader's guards around RapidJSON 1.1 faults found by fuzzing.
#include "core/json_util.h"

#include <gtest/gtest.h>

using namespace imchat;

TEST(JsonReader, NumbersBeyondTheDoubleRangeAreRefusedWithAClearError)
{
    json::JsonReader reader;
    // 71 significant digits and e302: RapidJSON's full-precision path read outside its tables.
    EXPECT_FALSE(reader.parse("[5050000000000000000000000000555555555555555555555555555551111111111000717835e0302]"));
    EXPECT_NE(reader.error().find("beyond 1e-300..1e309"), std::string::npos) << reader.error();
    EXPECT_TRUE(reader.parse("[1e300, -1.7976931348623157e308, 2.2250738585072014e-300]"));
    EXPECT_DOUBLE_EQ(reader.root()[0].GetDouble(), 1e300);
}

TEST(JsonReader, SignificandsLongerThanAUint64AreReadWithoutFault)
{
    json::JsonReader reader;
    // This one ended in clz(0) inside RapidJSON; digits past the 19th significant are zeroed.
    ASSERT_TRUE(reader.parse("[0.00000000184467440737095516155161]"));
    EXPECT_DOUBLE_EQ(reader.root()[0].GetDouble(), 1.8446744073709551616e-9);
    ASSERT_TRUE(reader.parse("[123456789012345678901234567890]"));
    EXPECT_DOUBLE_EQ(reader.root()[0].GetDouble(), 1.2345678901234568e29);
}
