// Dear ImGui compile-time configuration for imchat (IMGUI_USER_CONFIG).
#pragma once
// Emoji and CJK extension planes live above U+FFFF.
#define IMGUI_USE_WCHAR32
#define IMGUI_DISABLE_OBSOLETE_FUNCTIONS
// Size: the bundle ships neither the demo nor the debug tools, and the browser has no Win32.
#define IMGUI_DISABLE_DEMO_WINDOWS
#define IMGUI_DISABLE_DEBUG_TOOLS
#define IMGUI_DISABLE_WIN32_FUNCTIONS
#define IMGUI_DISABLE_DEFAULT_SHELL_FUNCTIONS
// Size: no files in a browser (io.IniFilename is null), and no ProggyClean (9.5 KB): the page
// fetches its own fonts and shows an error if the UI font cannot be had (platform/fonts.cpp).
#define IMGUI_DISABLE_FILE_FUNCTIONS
#define IMGUI_DISABLE_DEFAULT_FONT
// Size: ImGui's checks of API misuse (Begin/End pairs, ID conflicts...) only log and show a
// tooltip, and the recovery after them runs either way; without the checks their messages and
// logging code leave the release build. Programming errors, never user input.
#define IM_ASSERT_USER_ERROR(_EXPR, _MSG) ((void)0)
