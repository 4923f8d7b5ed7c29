// Conversation import: never crashes; a failed import says why and leaves the target alone;
// whatever imports exports to JSON that imports again to an equal conversation and the same
// JSON, byte for byte.
#include <string>

#include "core/conversation_io.h"
#include "fuzz_common.h"

using namespace imchat;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view input = fuzz::as_view(data, size);
    Conversation c;
    std::string error;
    if (!import_json(input, c, error)) {
        FUZZ_CHECK(!error.empty());
        FUZZ_CHECK(c.empty());
        return 0;
    }
    std::string first = export_json(c);
    export_markdown(c);
    Conversation again;
    std::string error2;
    FUZZ_CHECK(import_json(first, again, error2));
    FUZZ_CHECK(again == c);
    std::string second = export_json(again);
    if (first != second) {
        std::fprintf(stderr, "first export:\n%s\nsecond export:\n%s\n", first.c_str(), second.c_str());
        FUZZ_CHECK(first == second);
    }
    return 0;
}
