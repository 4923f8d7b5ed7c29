// number_text: the numbers the settings forms edit as text. What a typed text means (a number
// in range, or nothing), how a value is shown, and where a slider's grab puts a value. No ImGui:
// the fields (ui/settings_fields) draw; this decides.
#pragma once
#include <string>
#include <string_view>

namespace imchat {

// The whole of `text` as a number within [lo, hi]: an optional '-', digits, and with
// `decimals` > 0 one '.' (".5" and "5." count). Nothing else: no spaces, exponents or signs
// elsewhere. False for anything else, out-of-range numbers included; `out` is then untouched.
bool parse_number_text(std::string_view text, double lo, double hi, int decimals, double& out);

// `value` with `decimals` digits after the point (none: an integer), as the field shows it.
std::string format_number_text(double value, int decimals);

// A slider's value at fraction `t` of its track (clamped to 0..1): lo..hi, rounded to the
// nearest multiple of `step` from lo, and never past hi.
double slider_value_at(double t, double lo, double hi, double step);

// `value` moved by `steps` steps (the arrow keys), rounded to the step and clamped to lo..hi.
double slider_step(double value, int steps, double lo, double hi, double step);

}  // namespace imchat
