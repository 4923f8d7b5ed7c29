#include "ui/fit_text.h"

#include <algorithm>

#include "imgui.h"
#include "ui/layout_probe.h"

namespace imchat::ui {

namespace {

constexpr const char* kEllipsis = "\xE2\x80\xA6";
constexpr float kLongPressSeconds = 0.5f;

} // namespace

std::string fit_text(const std::string& text, float max_width)
{
    size_t id = text.find("##");
    std::string shown = text.substr(0, id), suffix = id == std::string::npos ? std::string() : text.substr(id);
    if (ImGui::CalcTextSize(shown.c_str()).x <= max_width)
        return text;
    float budget = max_width - ImGui::CalcTextSize(kEllipsis).x;
    if (budget < 0)
        return suffix;
    // Longest prefix that fits, by bisection over byte lengths, then back to a character start.
    size_t lo = 0, hi = shown.size();
    while (lo < hi) {
        size_t mid = (lo + hi + 1) / 2;
        if (ImGui::CalcTextSize(shown.c_str(), shown.c_str() + mid).x <= budget)
            lo = mid;
        else
            hi = mid - 1;
    }
    while (lo > 0 && (static_cast<unsigned char>(shown[lo]) & 0xC0) == 0x80)
        lo--;
    return shown.substr(0, lo) + kEllipsis + suffix;
}

void tooltip_when_cut(const std::string& shown, const std::string& full)
{
    if (shown == full)
        return;
    const ImGuiIO& io = ImGui::GetIO();
    bool long_press = ImGui::IsItemActive() && io.MouseDownDuration[0] >= kLongPressSeconds;
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_DelayShort) || long_press) {
        size_t id = full.find("##");
        std::string whole = full.substr(0, id);
        // Wrapped to the screen: on a phone the whole text is often wider than it.
        const ImGuiViewport* vp = ImGui::GetMainViewport();
        const float margin = 8.0f;
        const float max_w = std::max(vp->WorkSize.x - ImGui::GetStyle().WindowPadding.x * 2 - margin * 2, 40.0f);
        ImGui::BeginTooltip();
        ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + max_w);
        ImGui::TextUnformatted(whole.c_str());
        ImGui::PopTextWrapPos();
        probe_text_item("tooltip", whole.c_str());  // the phone test checks it shows, whole
        ImGui::EndTooltip();
    }
}

} // namespace imchat::ui
