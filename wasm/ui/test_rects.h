// test_rects: where named widgets were drawn last frame, for window.imchat.state().rects, so
// browser tests can click the real buttons (a file picker needs a real click) without
// hard-coding pixel positions.
#pragma once
#include "core/json_util.h"

namespace imchat::ui {

// Records the last ImGui item's rectangle under `name` (call right after the item).
void remember_item(const char* name);
// Records an explicit rectangle (screen coordinates, CSS pixels).
void remember_rect(const char* name, float x, float y, float w, float h);
// "rects":{name:{x,y,w,h},...} of the last frame; forgets them.
void write_rects(json::Writer& w);

}  // namespace imchat::ui
