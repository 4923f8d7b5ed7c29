// sentences: where a growing text's complete sentences end, so that a screen reader is handed
// a streaming reply sentence by sentence rather than in whatever pieces the network cut.
#pragma once
#include <cstddef>
#include <string_view>

namespace imchat {

// The end of the last complete sentence of text[from, size), the whitespace after it included,
// or `from` when none is complete yet. A sentence ends at '.', '!', '?' (or a run of them,
// closing quotes and brackets after them) followed by whitespace, at a line break, and right
// after the CJK full stops 。！？ (which need no space). A '.' at the very end of the text
// is not an end yet ("3." may become "3.14").
//
// Only text[scan_from, size) is read (scan_from >= from): when the caller knows that
// text[from, scan_from) ends no sentence, each call costs the new bytes only. Pass the text's
// size of the previous call minus one, so that a '.' then last is looked at again.
size_t last_sentence_end(std::string_view text, size_t from, size_t scan_from);

}  // namespace imchat
