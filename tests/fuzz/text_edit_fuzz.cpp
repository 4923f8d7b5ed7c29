// TextEdit: any sequence of edits and moves (chosen by the input's bytes, with the input's own
// bytes as typed text) keeps the text valid UTF-8 and the caret and anchor on code point
// boundaries; undoing everything gives back the start, and redoing as many steps the end.
#include <string>

#include "core/text_edit.h"
#include "core/utf8.h"
#include "fuzz_common.h"

using namespace imchat;

namespace {

bool on_boundary(const std::string& s, uint32_t o) {
    return o <= s.size() && (o == s.size() || (static_cast<unsigned char>(s[o]) & 0xC0) != 0x80);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    std::string_view input = fuzz::as_view(data, size);
    TextEdit edit;
    edit.set_text("seed text \xE4\xBD\xA0\xE5\xA5\xBD e\xCC\x81");
    const std::string start = edit.text();
    size_t i = 0;
    while (i < input.size()) {
        unsigned char op = static_cast<unsigned char>(input[i++]);
        unsigned char arg = i < input.size() ? static_cast<unsigned char>(input[i]) : 0;
        switch (op % 12) {
        case 0: {  // type the next few input bytes, whatever they are
            size_t n = std::min<size_t>(1 + arg % 8, input.size() - i);
            edit.insert(input.substr(i, n), arg & 1 ? TextEdit::Kind::Paste : TextEdit::Kind::Typing);
            i += n;
            break;
        }
        case 1: edit.erase_backward(arg & 1); break;
        case 2: edit.erase_forward(arg & 1); break;
        case 3: edit.move_char(arg & 1 ? 1 : -1, arg & 2); break;
        case 4: edit.move_word(arg & 1 ? 1 : -1, arg & 2); break;
        case 5: edit.set_caret(uint32_t(arg) * 7 % (edit.text().size() + 1), arg & 1); break;
        case 6: edit.select_word(uint32_t(arg) * 5 % (edit.text().size() + 1)); break;
        case 7: edit.select_all(); break;
        case 8: edit.undo(); break;
        case 9: edit.redo(); break;
        case 10: edit.erase_selection(); break;
        case 11: edit.select_range(arg, uint32_t(arg) * 3); break;
        }
        FUZZ_CHECK(utf8_is_valid(edit.text()));
        FUZZ_CHECK(on_boundary(edit.text(), edit.caret()));
        FUZZ_CHECK(on_boundary(edit.text(), edit.anchor()));
        FUZZ_CHECK(edit.text().find('\r') == std::string::npos);
    }
    const std::string end = edit.text();
    int steps = 0;
    while (edit.undo()) steps++;
    // History is bounded (500 steps), so only a short session must undo all the way.
    if (steps < 400) FUZZ_CHECK(edit.text() == start);
    for (int k = 0; k < steps; k++) FUZZ_CHECK(edit.redo());
    FUZZ_CHECK(edit.text() == end);
    return 0;
}
