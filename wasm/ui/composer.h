// composer: the prompt box under the transcript: the prompt field (which wraps and grows
// with its text up to a limit, then scrolls) and Send, which becomes Stop while a reply
// streams. Enter sends, Shift+Enter breaks the line.
#pragma once
#include <string>

#include "ui/text_field.h"

namespace imchat::ui {

class LayoutFontsImGui;

struct ComposerResult {
    bool send = false;    // text() holds the prompt
    bool stop = false;
    bool cancel_edit = false;
};

class Composer {
public:
    Composer() { editor_.focus(); }  // the page opens ready for typing
    // Draws the composer at the cursor, width wide. `streaming` turns Send into Stop.
    ComposerResult draw(const LayoutFontsImGui& fonts, float width, bool streaming, bool editing);
    // Height the composer will take at this width with its current text.
    float height(const LayoutFontsImGui& fonts, float width);

    const std::string& text() const { return editor_.text(); }
    void set_text(const std::string& text) { editor_.edit().set_text(text); }
    void clear() { editor_.edit().set_text({}); }
    void focus() { editor_.focus(); }
    bool active() const { return editor_.active(); }  // had the keyboard last frame

private:
    float button_width() const;

    TextField editor_;
};

}  // namespace imchat::ui
