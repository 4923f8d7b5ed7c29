#include "ui/test_rects.h"

#include <string>
#include <vector>

#include "imgui.h"

namespace imchat::ui {

namespace {

struct NamedRect {
    std::string name;
    float x, y, w, h;
};
std::vector<NamedRect> g_rects;

} // namespace

void remember_rect(const char* name, float x, float y, float w, float h)
{
    for (NamedRect& r : g_rects)
        if (r.name == name) {
            r = {name, x, y, w, h};
            return;
        }
    g_rects.push_back({name, x, y, w, h});
}

void remember_item(const char* name)
{
    ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    remember_rect(name, a.x, a.y, b.x - a.x, b.y - a.y);
}

void write_rects(json::Writer& w)
{
    json::write_key(w, "rects");
    w.StartObject();
    for (const NamedRect& r : g_rects) {
        json::write_key(w, r.name);
        w.StartObject();
        json::write_key(w, "x");
        w.Double(r.x);
        json::write_key(w, "y");
        w.Double(r.y);
        json::write_key(w, "w");
        w.Double(r.w);
        json::write_key(w, "h");
        w.Double(r.h);
        w.EndObject();
    }
    w.EndObject();
}

} // namespace imchat::ui
