// The page uses no ImGui table (the settings, shortcut and per-chat panels are laid out without
// them), but ImGui's error recovery calls EndTable() when a table was left open, which links all
// of imgui_tables.cpp's ending and layout code: ~14 KB of wasm, ~7 KB gzipped. The page links this
// stub in its place (-Wl,--wrap, wasm/CMakeLists.txt). Without BeginTable() g.CurrentTable stays
// null and the recovery never calls it; code that starts using tables stops here, loudly, until
// the wrap is removed.
#include <cstdlib>

#include <emscripten/console.h>

extern "C" void __wrap__ZN5ImGui8EndTableEv() {  // ImGui::EndTable()
    emscripten_console_error("ImGui::EndTable() is not linked into the page: remove its --wrap in wasm/CMakeLists.txt");
    std::abort();
}
