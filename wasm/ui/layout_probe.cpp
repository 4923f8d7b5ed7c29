#include "ui/layout_probe.h"

#include <cstring>
#include <string>
#include <vector>

#include "imgui_internal.h"  // the current window's clip rectangle

namespace imchat::ui {

bool g_probing = false;

namespace {

struct ProbedText {
    std::string where, text;
    ImRect text_rect, container;
};
std::vector<ProbedText> g_texts;  // this frame's, whole once it ended (state() runs between frames)

// Where the current window shows anything: its clip rectangle, within the screen.
ImRect visible_area()
{
    ImRect clip = ImGui::GetCurrentWindowRead()->ClipRect;
    const ImGuiViewport* vp = ImGui::GetMainViewport();
    clip.ClipWith(ImRect(vp->Pos, ImVec2(vp->Pos.x + vp->Size.x, vp->Pos.y + vp->Size.y)));
    return clip;
}

void add(const char* where, const char* text, const char* text_end, ImRect text_rect, ImRect container)
{
    g_texts.push_back({where, std::string(text, text_end ? text_end : text + strlen(text)), text_rect, container});
}

void write_rect(json::Writer& w, const char* x, const char* y, const char* wk, const char* hk, const ImRect& r)
{
    json::write_key(w, x);
    w.Double(r.Min.x);
    json::write_key(w, y);
    w.Double(r.Min.y);
    json::write_key(w, wk);
    w.Double(r.GetWidth());
    json::write_key(w, hk);
    w.Double(r.GetHeight());
}

} // namespace

void set_probing(bool on)
{
    g_probing = on;
    g_texts.clear();
}

void probe_new_frame()
{
    if (g_probing)
        g_texts.clear();
}

void probe_text_item(const char* where, const char* text)
{
    if (!g_probing || !ImGui::IsItemVisible())
        return;
    ImRect item(ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
    add(where, text, nullptr, item, visible_area());
}

void probe_label_item(const char* where, const char* label, LabelAt at)
{
    if (!g_probing || !ImGui::IsItemVisible())
        return;
    const char* shown_end = ImGui::FindRenderedTextEnd(label);
    ImVec2 size = ImGui::CalcTextSize(label, shown_end);
    ImRect item(ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
    ImVec2 centre = item.GetCenter();
    ImRect text(ImVec2(centre.x - size.x * 0.5f, centre.y - size.y * 0.5f), ImVec2(centre.x + size.x * 0.5f, centre.y + size.y * 0.5f));
    if (at == LabelAt::Right)
        text = ImRect(ImVec2(item.Max.x - size.x, item.Min.y), ImVec2(item.Max.x, item.Min.y + size.y));
    else if (at == LabelAt::Left)
        text = ImRect(item.Min, ImVec2(item.Min.x + size.x, item.Min.y + size.y));
    ImRect container = visible_area();
    container.ClipWith(item);
    add(where, label, shown_end, text, container);
}

void probe_text(const char* where, const char* text, ImVec2 min, ImVec2 size, ImVec2 clip_min, ImVec2 clip_max)
{
    if (!g_probing)
        return;
    ImRect container = visible_area();
    container.ClipWith(ImRect(clip_min, clip_max));
    add(where, text, nullptr, ImRect(min, ImVec2(min.x + size.x, min.y + size.y)), container);
}

void write_probe(json::Writer& w)
{
    json::write_key(w, "texts");
    w.StartArray();
    for (const ProbedText& t : g_texts) {
        w.StartObject();
        json::write_key(w, "where");
        json::write_string(w, t.where);
        json::write_key(w, "text");
        json::write_string(w, t.text);
        write_rect(w, "x", "y", "w", "h", t.text_rect);
        write_rect(w, "cx", "cy", "cw", "ch", t.container);
        w.EndObject();
    }
    w.EndArray();
}

} // namespace imchat::ui
