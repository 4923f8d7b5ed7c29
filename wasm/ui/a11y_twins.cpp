#include "ui/a11y_twins.h"

#include <algorithm>
#include <vector>

#include "imgui.h"
#include "imgui_internal.h"  // GetItemFlags, the current window's id and title bar
#include "platform/platform.h"
#include "ui/strings.h"

namespace imchat::ui {

namespace {

std::vector<platform::Twin> g_twins;  // this frame's, in the order reported
size_t g_count = 0;                   // how many of g_twins are this frame's (the rest: spare capacity)
std::vector<int16_t> g_groups;        // open groups, innermost last

int16_t clamp16(float v)
{
    return static_cast<int16_t>(std::clamp(v, -32000.0f, 32000.0f));
}

bool add(uint32_t id, const char* name, TwinRole role, uint8_t flags, ImVec2 min, ImVec2 max)
{
    // Entries are reused frame after frame, so their names keep their allocations.
    if (g_count == g_twins.size())
        g_twins.emplace_back();
    platform::Twin& t = g_twins[g_count++];
    t.id = id;
    t.role = role;
    t.flags = flags;
    t.parent = g_groups.empty() ? -1 : g_groups.back();
    // A listbox holds options only: a button drawn among them (a row's "...") goes beside it.
    if (t.parent >= 0 && role != TwinRole::Option && g_twins[t.parent].role == TwinRole::Listbox)
        t.parent = g_twins[t.parent].parent;
    t.x = clamp16(min.x);
    t.y = clamp16(min.y);
    t.w = clamp16(max.x - min.x);
    t.h = clamp16(max.y - min.y);
    t.name.assign(name);
    return !(flags & platform::TwinFlags_Disabled) && platform::twin_activated() == id;
}

} // namespace

bool twin(const char* name, TwinRole role, bool selected)
{
    if (!ImGui::IsItemVisible())
        return false;
    uint8_t flags = (ImGui::GetItemFlags() & ImGuiItemFlags_Disabled) ? platform::TwinFlags_Disabled : 0;
    if (selected)
        flags |= platform::TwinFlags_Selected;
    return add(ImGui::GetItemID(), name, role, flags, ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
}

bool twin_close_button(const char* name)
{
    // Where ImGui puts it: the title bar's right end, a square of the font's size inside the
    // frame padding.
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    const ImGuiStyle& style = ImGui::GetStyle();
    float size = ImGui::GetFontSize();
    ImVec2 max(window->Pos.x + window->Size.x - style.FramePadding.x, window->Pos.y + style.FramePadding.y + size);
    return add(window->GetID("#CLOSE"), name, TwinRole::Button, 0, ImVec2(max.x - size, max.y - size), max);
}

void twin_group_begin(const char* name, TwinRole role)
{
    ImGuiWindow* window = ImGui::GetCurrentWindow();
    add(window->ID, name, role, 0, window->Pos, ImVec2(window->Pos.x + window->Size.x, window->Pos.y + window->Size.y));
    g_groups.push_back(static_cast<int16_t>(g_count - 1));
}

void twin_group_end()
{
    if (!g_groups.empty())
        g_groups.pop_back();
}

double& a11y_ms_spent()
{
    static double ms = 0;
    return ms;
}

void publish_twins()
{
    double start = platform::now_ms();
    platform::publish_twins(g_twins.data(), g_count);
    a11y_ms_spent() += platform::now_ms() - start;
    g_count = 0;
    g_groups.clear();
}

const char* twin_name(TwinName name)
{
    static const char* const kEnglish[] = {"Previous version", "Next version", "Chat menu", "Chats", "Show or hide the chat list", "You", "Assistant"};
    static const char* const kChinese[] = {"上一个版本", "下一个版本", "对话菜单", "对话列表", "显示或隐藏对话列表", "你", "助手"};
    return (language() == Language::Chinese ? kChinese : kEnglish)[name];
}

} // namespace imchat::ui
