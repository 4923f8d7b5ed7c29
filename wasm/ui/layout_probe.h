// layout_probe: for the phone-layout test, every probed text of the last frame with the
// rectangle its words need and the rectangle it is drawn in (its button, or its window's clip
// rectangle within the screen), in window.imchat.state().texts. Off unless a test asks
// (act("layout_probe", 1)): each call site then costs one test of a flag.
#pragma once
#include "core/json_util.h"
#include "imgui.h"

namespace imchat::ui {

extern bool g_probing;
inline bool probing() { return g_probing; }
void set_probing(bool on);

// The last item was `text` (Text*, TextUnformatted): its rectangle is the text's own.
void probe_text_item(const char* where, const char* text);
// Where a widget puts its label: buttons centre it, check boxes and radio buttons end it at the
// item's right, menu items start it at the item's left.
enum class LabelAt { Centre, Right, Left };
// The last item was a widget showing `label` (what follows "##" is not shown).
void probe_label_item(const char* where, const char* label, LabelAt at = LabelAt::Centre);
// Text drawn by hand at `min`, `size` big, inside [clip_min, clip_max].
void probe_text(const char* where, const char* text, ImVec2 min, ImVec2 size, ImVec2 clip_min, ImVec2 clip_max);

// Called at the start of a frame: forgets the last frame's texts while probing.
void probe_new_frame();
// "texts":[{where,text,x,y,w,h,cx,cy,cw,ch}...] of the last frame (empty when off).
void write_probe(json::Writer& w);

}  // namespace imchat::ui
