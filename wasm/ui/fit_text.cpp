#include "ui/fit_text.h"

#include "imgui.h"

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
        ImGui::SetTooltip("%.*s", static_cast<int>(id == std::string::npos ? full.size() : id), full.c_str());
    }
}

} // namespace imchat::ui
