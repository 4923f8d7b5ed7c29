#include "ui/tool_call_view.h"

#include "core/conversation.h"
#include "imgui.h"
#include "platform/cluster_raster.h"
#include "ui/layout_fonts.h"
#include "ui/message_view.h"
#include "ui/strings.h"
#include "ui/test_rects.h"
#include "ui/theme.h"

namespace imchat::ui {

namespace {

constexpr float kPadding = 8, kGap = 6;

const TextContext kCode{BlockKind::CodeBlock, 0, false};

// What the card says below the arguments: why it did not run, or (while the reply streams) nothing.
const char* status_of(const Message& m, const ToolCall& call)
{
    if (!call.error.empty())
        return call.error.c_str();
    if (m.status == MessageStatus::Streaming || m.status == MessageStatus::Waiting)
        return nullptr;
    return tr(S_ToolNotRun);
}

float header_height(const LayoutFontsImGui& fonts) { return fonts.face(Face_Small).metrics.line_height; }

}  // namespace

float layout_tool_call_cards(const Message& m, const LayoutFontsImGui& fonts, float width, ToolCallCards& out)
{
    out.arguments.resize(m.tool_calls.size());
    out.height = 0;
    const float status_h = fonts.face(Face_Small).metrics.line_height;
    for (size_t i = 0; i < m.tool_calls.size(); i++) {
        const ToolCall& call = m.tool_calls[i];
        out.arguments[i] = layout_text(call.arguments, {}, fonts, kCode, width - 2 * kPadding, WrapMode::Characters);
        out.height += 2 * kPadding + header_height(fonts) + out.arguments[i].height + (status_of(m, call) ? status_h : 0) + kGap;
    }
    return out.height;
}

void draw_tool_call_cards(const Message& m, const ToolCallCards& cards, const DrawContext& ctx, float top)
{
    const Theme& t = theme();
    const Face& small = ctx.fonts->face(Face_Small);
    const Face& mono = ctx.fonts->face(Face_Mono);
    float y = top;
    for (size_t i = 0; i < m.tool_calls.size() && i < cards.arguments.size(); i++) {
        const ToolCall& call = m.tool_calls[i];
        const TextLayout& args = cards.arguments[i];
        const char* status = status_of(m, call);
        const float h = 2 * kPadding + header_height(*ctx.fonts) + args.height + (status ? small.metrics.line_height : 0);
        const ImVec2 a(ctx.origin.x, y), b(ctx.origin.x + ctx.width, y + h);
        if (b.y >= ctx.clip.y && a.y <= ctx.clip.w) {
            ctx.draw->AddRectFilled(a, b, t.code_bg, 6.0f);
            ctx.draw->AddRect(a, b, t.code_border, 6.0f);
            // The name is the model's text too: drawn as text, never interpreted.
            std::string header = std::string(tr(S_ToolCall)) + " \xC2\xB7 " + call.name;
            ImVec2 p(a.x + kPadding, a.y + kPadding);
            ctx.draw->AddText(small.font, small.size, p, t.text_dim, header.c_str(), nullptr, ctx.width - 2 * kPadding);
            p.y += header_height(*ctx.fonts);
            for (const LayoutLine& line : args.lines) {
                for (uint32_t r = line.run_begin; r < line.run_end; r++) {
                    const LayoutRun& run = args.runs[r];
                    const char* s = call.arguments.data() + run.begin;
                    platform::draw_text_clusters(ctx.draw, mono.font, mono.size,
                                                 ImVec2(p.x + run.x, p.y + line.y + (line.height - mono.size) * 0.5f), t.text, s,
                                                 call.arguments.data() + run.end);
                }
            }
            if (status)
                ctx.draw->AddText(small.font, small.size, ImVec2(p.x, p.y + args.height), call.error.empty() ? t.text_dim : t.error,
                                  status, nullptr, ctx.width - 2 * kPadding);
            remember_rect(("tool-call-" + call.id).c_str(), a.x, a.y, b.x - a.x, b.y - a.y);
        }
        y += h + kGap;
    }
}

}  // namespace imchat::ui
