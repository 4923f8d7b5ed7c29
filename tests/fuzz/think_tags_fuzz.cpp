// ThinkTagSplitter: any split of the content gives the same reasoning and content as feeding
// it whole, and nothing is lost or invented beyond the tags and the newlines they trim.
#include <string>
#include <vector>

#include "core/think_tags.h"
#include "fuzz_common.h"

using namespace imchat;

namespace {

struct Split {
    std::string content, reasoning;
    bool operator==(const Split&) const = default;
};

Split run(ThinkTagSplitter& s, const std::vector<std::string_view>& pieces) {
    Split out;
    for (std::string_view p : pieces) s.feed(p, out.content, out.reasoning);
    s.finish(out.content, out.reasoning);
    return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view input = fuzz::as_view(data, size);
    ThinkTagSplitter splitter;
    Split whole = run(splitter, {input});
    FUZZ_CHECK(whole.content.size() + whole.reasoning.size() <= input.size());
    splitter.reset();
    FUZZ_CHECK(run(splitter, fuzz::split(input)) == whole);
    splitter.reset();
    std::vector<std::string_view> bytes;
    for (size_t i = 0; i < input.size(); ++i) bytes.push_back(input.substr(i, 1));
    FUZZ_CHECK(run(splitter, bytes) == whole);
    // Without a tag in it, the text passes through untouched.
    if (input.find('<') == std::string_view::npos) FUZZ_CHECK(whole.content == input && whole.reasoning.empty());
    return 0;
}
