// composer: the prompt box under the transcript. Enter sends, Shift+Enter breaks the line; the
// box grows with its content up to a limit. Send becomes Stop while a reply streams.
#pragma once
#include <string>

#include "imgui.h"

namespace imchat::ui {

struct ComposerResult {
    bool send = false;    // text() holds the prompt
    bool stop = false;
    bool cancel_edit = false;
};

class Composer {
public:
    // Draws the composer at the cursor, width wide. `streaming` turns Send into Stop.
    ComposerResult draw(float width, bool streaming, bool editing);
    // Height the composer will take with its current text.
    float height() const;

    const std::string& text() const { return text_; }
    void set_text(std::string text) { text_ = std::move(text); clear_pending_ = false; reload_ = true; }
    void clear() { text_.clear(); clear_pending_ = true; }
    void focus() { focus_ = true; }

private:
    static int callback(ImGuiInputTextCallbackData* data);

    std::string text_;
    bool focus_ = true;
    bool enter_send_ = false;
    bool clear_pending_ = false;  // empty the focused field's own buffer on its next callback
    bool reload_ = false;         // set_text() while focused: make the field take the new text  // the character filter saw Enter without Shift this frame
};

}  // namespace imchat::ui
