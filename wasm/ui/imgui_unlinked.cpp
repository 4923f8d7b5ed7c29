// Parts of Dear ImGui the page never reaches but would link, replaced at link time by stubs
// (-Wl,--wrap, wasm/CMakeLists.txt lists them; docs/PERFORMANCE.md has the sizes):
//  - tables: no window uses one (settings, shortcuts and the per-chat panel are laid out without
//    them), but ImGui's error recovery calls EndTable() when a table was left open, which links
//    imgui_tables.cpp's ending and layout code (~14 KB of wasm); without BeginTable()
//    g.CurrentTable stays null and it is never called. The table .ini handler goes too: with
//    no tables there is nothing for it to save.
//  - multi-selection: Selectable() and TreeNode() call MultiSelectItemHeader/Footer only for
//    items inside BeginMultiSelect(), which the page never calls.
//  - tab bars, menu bars and multi-selection scopes: like EndTable(), EndTabBar(), EndMenuBar() and
//    EndMultiSelect() are reached only from error recovery, for a bar or scope left open, and the
//    page opens none (BeginTabBar/BeginMenuBar/BeginMultiSelect are not linked): ~7 KB of wasm.
//  - text input: every field of the page is ui/text_field, so nothing calls InputTextEx (with
//    stb_textedit ~16 KB of wasm, and the drag/slider/combo code that leans on it another
//    ~10 KB). The stub keeps a new InputText()/DragInt()/SliderFloat() from bringing it all
//    back unnoticed.
// Code that starts using either stops in the stub, loudly, until its wrap is removed.
#include <cstdlib>

#include <emscripten/console.h>

namespace {

[[noreturn]] void not_linked(const char* what) {
    emscripten_console_error(what);
    std::abort();
}

}  // namespace

extern "C" {

void __wrap__ZN5ImGui8EndTableEv() {  // ImGui::EndTable()
    not_linked("ImGui::EndTable() is not linked into the page: remove its --wrap in wasm/CMakeLists.txt");
}

void __wrap__ZN5ImGui31TableSettingsAddSettingsHandlerEv() {}  // ImGui::TableSettingsAddSettingsHandler()

void __wrap__ZN5ImGui21MultiSelectItemHeaderEjPbPi(unsigned, bool*, int*) {  // ImGui::MultiSelectItemHeader()
    not_linked("ImGui's multi-selection is not linked into the page: remove its --wrap in wasm/CMakeLists.txt");
}

void __wrap__ZN5ImGui21MultiSelectItemFooterEjPbS0_(unsigned, bool*, bool*) {  // ImGui::MultiSelectItemFooter()
    not_linked("ImGui's multi-selection is not linked into the page: remove its --wrap in wasm/CMakeLists.txt");
}

void __wrap__ZN5ImGui9EndTabBarEv() {  // ImGui::EndTabBar()
    not_linked("ImGui::EndTabBar() is not linked into the page: remove its --wrap in wasm/CMakeLists.txt");
}

void __wrap__ZN5ImGui10EndMenuBarEv() {  // ImGui::EndMenuBar()
    not_linked("ImGui::EndMenuBar() is not linked into the page: remove its --wrap in wasm/CMakeLists.txt");
}

void* __wrap__ZN5ImGui14EndMultiSelectEv() {  // ImGui::EndMultiSelect()
    not_linked("ImGui::EndMultiSelect() is not linked into the page: remove its --wrap in wasm/CMakeLists.txt");
}

bool __wrap__ZN5ImGui11InputTextExEPKcS1_PciRK6ImVec2iPFiP26ImGuiInputTextCallbackDataEPv() {  // ImGui::InputTextEx()
    not_linked("ImGui's InputText is not linked into the page (use ui/text_field): remove its --wrap in wasm/CMakeLists.txt");
}

}  // extern "C"
