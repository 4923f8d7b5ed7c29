// KeyboardEvent -> ImGuiKey. Letters and digits follow the layout (KeyboardEvent.key), so that
// Ctrl+Z is "the key that types z" as ImGui expects; everything else follows the physical key
// (KeyboardEvent.code), which is layout independent for named keys.
#include <string.h>

#include "platform/platform_internal.h"

namespace imchat::platform {
namespace {

struct CodeKey {
    const char* code;
    ImGuiKey key;
};

const CodeKey kCodeKeys[] = {
    {"Tab", ImGuiKey_Tab}, {"ArrowLeft", ImGuiKey_LeftArrow}, {"ArrowRight", ImGuiKey_RightArrow},
    {"ArrowUp", ImGuiKey_UpArrow}, {"ArrowDown", ImGuiKey_DownArrow}, {"PageUp", ImGuiKey_PageUp},
    {"PageDown", ImGuiKey_PageDown}, {"Home", ImGuiKey_Home}, {"End", ImGuiKey_End},
    {"Insert", ImGuiKey_Insert}, {"Delete", ImGuiKey_Delete}, {"Backspace", ImGuiKey_Backspace},
    {"Space", ImGuiKey_Space}, {"Enter", ImGuiKey_Enter}, {"Escape", ImGuiKey_Escape},
    {"ControlLeft", ImGuiKey_LeftCtrl}, {"ShiftLeft", ImGuiKey_LeftShift}, {"AltLeft", ImGuiKey_LeftAlt},
    {"MetaLeft", ImGuiKey_LeftSuper}, {"ControlRight", ImGuiKey_RightCtrl}, {"ShiftRight", ImGuiKey_RightShift},
    {"AltRight", ImGuiKey_RightAlt}, {"MetaRight", ImGuiKey_RightSuper}, {"ContextMenu", ImGuiKey_Menu},
    {"Quote", ImGuiKey_Apostrophe}, {"Comma", ImGuiKey_Comma}, {"Minus", ImGuiKey_Minus},
    {"Period", ImGuiKey_Period}, {"Slash", ImGuiKey_Slash}, {"Semicolon", ImGuiKey_Semicolon},
    {"Equal", ImGuiKey_Equal}, {"BracketLeft", ImGuiKey_LeftBracket}, {"Backslash", ImGuiKey_Backslash},
    {"BracketRight", ImGuiKey_RightBracket}, {"Backquote", ImGuiKey_GraveAccent},
    {"CapsLock", ImGuiKey_CapsLock}, {"ScrollLock", ImGuiKey_ScrollLock}, {"NumLock", ImGuiKey_NumLock},
    {"PrintScreen", ImGuiKey_PrintScreen}, {"Pause", ImGuiKey_Pause},
    {"NumpadDecimal", ImGuiKey_KeypadDecimal}, {"NumpadDivide", ImGuiKey_KeypadDivide},
    {"NumpadMultiply", ImGuiKey_KeypadMultiply}, {"NumpadSubtract", ImGuiKey_KeypadSubtract},
    {"NumpadAdd", ImGuiKey_KeypadAdd}, {"NumpadEnter", ImGuiKey_KeypadEnter},
    {"NumpadEqual", ImGuiKey_KeypadEqual}, {"BrowserBack", ImGuiKey_AppBack},
    {"BrowserForward", ImGuiKey_AppForward}, {"IntlBackslash", ImGuiKey_Oem102},
};

// "KeyA".."KeyZ", "Digit0".."Digit9", "Numpad0".."Numpad9", "F1".."F24".
ImGuiKey key_from_code_pattern(const char* code)
{
    if (strncmp(code, "Key", 3) == 0 && code[3] >= 'A' && code[3] <= 'Z' && code[4] == 0)
        return (ImGuiKey)(ImGuiKey_A + (code[3] - 'A'));
    if (strncmp(code, "Digit", 5) == 0 && code[5] >= '0' && code[5] <= '9' && code[6] == 0)
        return (ImGuiKey)(ImGuiKey_0 + (code[5] - '0'));
    if (strncmp(code, "Numpad", 6) == 0 && code[6] >= '0' && code[6] <= '9' && code[7] == 0)
        return (ImGuiKey)(ImGuiKey_Keypad0 + (code[6] - '0'));
    if (code[0] == 'F' && code[1] >= '1' && code[1] <= '9') {
        int n = code[1] - '0';
        if (code[2] >= '0' && code[2] <= '9' && code[3] == 0)
            n = n * 10 + (code[2] - '0');
        else if (code[2] != 0)
            return ImGuiKey_None;
        if (n >= 1 && n <= 24)
            return (ImGuiKey)(ImGuiKey_F1 + (n - 1));
    }
    return ImGuiKey_None;
}

} // namespace

ImGuiKey key_from_dom(const char* code, const char* key)
{
    // A single ASCII letter or digit typed by this key on the user's layout.
    if (key[0] != 0 && key[1] == 0) {
        const char c = key[0];
        if (c >= 'a' && c <= 'z')
            return (ImGuiKey)(ImGuiKey_A + (c - 'a'));
        if (c >= 'A' && c <= 'Z')
            return (ImGuiKey)(ImGuiKey_A + (c - 'A'));
    }
    for (const CodeKey& entry : kCodeKeys)
        if (strcmp(entry.code, code) == 0)
            return entry.key;
    return key_from_code_pattern(code);
}

} // namespace imchat::platform
