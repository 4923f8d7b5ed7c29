// The page's entry point: hands a frame callback to the platform layer and returns; the browser
// drives everything after that. For now the frame shows a small test window.
#include "imgui.h"
#include "platform/platform.h"

namespace {

char g_message[1024] = "";

void frame(void*)
{
    ImGui::SetNextWindowPos(ImVec2(24, 24), ImGuiCond_Once);
    ImGui::SetNextWindowSize(ImVec2(520, 300), ImGuiCond_Once);
    ImGui::Begin("imchat");
    ImGui::InputText("Message", g_message, sizeof(g_message));
    ImGui::TextUnformatted("Hello from Dear ImGui " IMGUI_VERSION " on WebGL2.");
    ImGui::TextUnformatted("你好，世界  こんにちは  안녕하세요  ★ ☺ ✓ →");
    ImGui::PushFont(imchat::platform::mono_font(), 0.0f);
    ImGui::TextUnformatted("int main() { return 0; } // 0O 1lI");
    ImGui::PopFont();
    ImGui::Button("Send");
    ImGui::End();
    imchat::platform::draw_ime_composition();
}

} // namespace

int main()
{
    imchat::platform::run({frame, nullptr});
    return 0;
}
