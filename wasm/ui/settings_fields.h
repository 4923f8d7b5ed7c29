// settings_fields: the editors of the settings forms (the settings window, a chat's own
// settings), on the page's own text field (ui/text_field) and ImGui's button behaviour and
// draw list, instead of ImGui's InputText, Drag/Slider and Combo. Each sizes itself like an
// ImGui item: SetNextItemWidth() first, ImGui's frame height, and IsItemEdited() and friends
// work after it.
#pragma once
#include <string>
#include <vector>

#include "ui/text_field.h"

namespace imchat::ui {

// A string edited in place: the field shows `value` while it does not hold the keyboard, and
// every edit is written back. `lines` > 1 makes a wrapping field that many lines high.
// Returns the frame's result (edited means `value` changed).
TextFieldResult text_field(TextField& field, const char* id, const LayoutFontsImGui& fonts, std::string& value,
                           TextFieldOptions options = {}, int lines = 1);

// A number typed as text (core/number_text): digits, '-' and, with `decimals` > 0, '.'; a
// valid text within [lo, hi] sets `value` as it is typed, anything else shows in the error
// colour and changes nothing. With `empty_hint`, an empty field means 0 and shows the hint.
// True when `value` changed.
bool number_field(TextField& field, const char* id, const LayoutFontsImGui& fonts, double& value, double lo, double hi,
                  int decimals, const char* empty_hint = nullptr);
bool number_field(TextField& field, const char* id, const LayoutFontsImGui& fonts, int& value, int lo, int hi,
                  const char* empty_hint = nullptr);

// A horizontal slider: a click or drag on the track sets the value (rounded to `step`), the
// arrow keys move it by a step while it has the focus. `format` shows the value (printf).
bool slider(const char* id, double& value, double lo, double hi, double step, const char* format);

// ImGui's radio button and checkbox with their accessible twins (named `name`, the label when
// null): a press on either sets `value` to `mine`, or flips `value`. True when it changed.
bool radio(const char* label, int& value, int mine);
bool checkbox(const char* label, bool& value, const char* name = nullptr);

// A small arrow button opening a list of `choices`; true when one was picked into `value`.
bool choice_button(const char* id, const std::vector<std::string>& choices, std::string& value);

}  // namespace imchat::ui
