// fit_text: one line of text in the width there is. What does not fit ends in "…", and the
// whole text shows in a tooltip while the pointer rests on it or a finger holds it.
#pragma once
#include <string>

namespace imchat::ui {

// `text` cut at a character boundary and ended with "…" so it measures at most max_width in
// the current font ("" when not even "…" fits). Text after "##" (an ImGui id) is kept as is.
std::string fit_text(const std::string& text, float max_width);
// After the item that shows `shown`: when it is not all of `full`, hovering it or a long press
// on it shows `full`.
void tooltip_when_cut(const std::string& shown, const std::string& full);

}  // namespace imchat::ui
