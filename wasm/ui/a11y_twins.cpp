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
const char* g_next_name = nullptr;    // set_next_twin_name()

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
    t.value.clear();
    t.now = t.lo = t.hi = 0;
    return !(flags & platform::TwinFlags_Disabled) && platform::twin_activated() == id;
}

uint8_t item_flags()
{
    return (ImGui::GetItemFlags() & ImGuiItemFlags_Disabled) ? platform::TwinFlags_Disabled : 0;
}

// The longest text a textbox twin carries: it is read, not edited (the field does that), and
// the list is compared every frame.
constexpr size_t kMaxTwinValue = 200;

} // namespace

bool twin(const char* name, TwinRole role, bool selected)
{
    if (!ImGui::IsItemVisible())
        return false;
    uint8_t flags = item_flags();
    if (selected)
        flags |= platform::TwinFlags_Selected;
    return add(ImGui::GetItemID(), name, role, flags, ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
}

int twin_slider(const char* name, double now, double lo, double hi, const char* text)
{
    if (!ImGui::IsItemVisible())
        return 0;
    bool activated = add(ImGui::GetItemID(), name, TwinRole::Slider, item_flags(), ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
    platform::Twin& t = g_twins[g_count - 1];
    t.value.assign(text);
    t.now = static_cast<float>(now);
    t.lo = static_cast<float>(lo);
    t.hi = static_cast<float>(hi);
    return activated ? platform::twin_activation_step() : 0;
}

bool twin_textbox(const char* name, std::string_view value, bool active)
{
    if (!ImGui::IsItemVisible())
        return false;
    uint8_t flags = item_flags() | (active ? platform::TwinFlags_Active : 0);
    bool activated = add(ImGui::GetItemID(), name, TwinRole::Textbox, flags, ImGui::GetItemRectMin(), ImGui::GetItemRectMax());
    size_t n = value.size();
    if (n > kMaxTwinValue) {
        n = kMaxTwinValue;
        while (n > 0 && (static_cast<unsigned char>(value[n]) & 0xC0) == 0x80)
            n--;  // not inside a UTF-8 sequence
    }
    g_twins[g_count - 1].value.assign(value.data(), n);
    return activated;
}

void set_next_twin_name(const char* name)
{
    g_next_name = name;
}

const char* take_next_twin_name()
{
    const char* name = g_next_name;
    g_next_name = nullptr;
    return name;
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
    g_next_name = nullptr;  // a name no field took does not carry over to the next frame
}

const char* twin_name(TwinName name)
{
    static const char* const kEnglish[] = {"Previous version", "Next version", "Chat menu", "Chats", "Show or hide the chat list", "You", "Assistant",
                                           "Message input", "Choose a model"};
    static const char* const kChinese[] = {"上一个版本", "下一个版本", "对话菜单", "对话列表", "显示或隐藏对话列表", "你", "助手", "消息输入框", "选择模型"};
    return (language() == Language::Chinese ? kChinese : kEnglish)[name];
}

} // namespace imchat::ui
