#include "ui/strings.h"

#include <cstdio>

#include "core/conversation.h"

namespace imchat::ui {

namespace {

Language g_language = Language::English;

const char* const kEnglish[S_Count] = {
    "Send", "Stop", "Copy", "Edit", "Retry", "Regenerate", "Thinking...", "Jump to latest",
    "Message imchat (Enter to send, Shift+Enter for a new line)", "Editing a message: Send makes a new branch.",
    "Cancel", "New chat", "Settings", "Search chats", "Rename", "Delete", "Undo", "Conversation deleted.",
    "Export", "Export as Markdown", "Export as JSON", "Import JSON", "Find", "Find in conversation",
    "%d of %d", "Keyboard shortcuts", "Close", "Endpoint", "serve.py (built-in model or its proxy)",
    "Direct OpenAI-compatible server", "Base URL", "API key", "Model", "System prompt", "Temperature",
    "Top p", "Max tokens", "Context length", "Theme", "Dark", "Light", "System", "Language",
    "Refresh models", "History cannot be saved in this browser (storage unavailable); chatting still works.",
    "Status", "What can I help with?", "Ask anything. Replies stream in as they are written.", "Shortcuts",
    "This prompt may exceed the model's context (%d of %d tokens).", "Drop oldest turns", "Text size",
    "Conversations", "No matches", "Continue", "(retrying in %.0f s)",
    "Cannot import this file: ", "Auto", "unknown", "(server: %lld)",
    "This chat", "Settings for this conversation only. A field on Default follows the main Settings.",
    "Default", "(not set)", "Use defaults for all", "This chat's model and settings",
    "Set", "Nothing to export: this chat is empty.", "Export all chats (JSON)",
    "%d of these chats are already here.", "Keep both", "Skip them", " (imported)",
    "This endpoint does not list \"%s\".", "Plain SSE stream (text data: lines)", "Stream URL",
    "Tool call", "Not run: no tool server is connected.",
};

const char* const kChinese[S_Count] = {
    "发送", "停止", "复制", "编辑", "重试", "重新生成", "思考中…", "跳到最新",
    "给 imchat 发消息（Enter 发送，Shift+Enter 换行）", "正在编辑消息：发送将创建新的分支。",
    "取消", "新对话", "设置", "搜索对话", "重命名", "删除", "撤销", "对话已删除。",
    "导出", "导出为 Markdown", "导出为 JSON", "导入 JSON", "查找", "在对话中查找",
    "第 %d 个，共 %d 个", "键盘快捷键", "关闭", "接口", "serve.py（内置模型或其代理）",
    "直连 OpenAI 兼容服务器", "基础 URL", "API 密钥", "模型", "系统提示词", "温度",
    "Top p", "最大 token 数", "上下文长度", "主题", "深色", "浅色", "跟随系统", "语言",
    "刷新模型列表", "此浏览器无法保存历史（存储不可用）；仍可继续聊天。",
    "状态", "有什么可以帮你？", "尽管问。回复会边写边显示。", "快捷键",
    "此提示可能超出模型上下文（%d / %d token）。", "删除最早的对话轮次", "文字大小",
    "对话", "没有匹配项", "继续", "（%.0f 秒后重试）",
    "无法导入此文件：", "自动", "未知", "（服务器：%lld）",
    "本对话", "仅对当前对话生效的设置。勾选“默认”的项沿用主设置。",
    "默认", "（未设置）", "全部恢复默认", "本对话的模型和设置",
    "设定", "没有可导出的内容：此对话为空。", "导出全部对话（JSON）",
    "其中 %d 个对话已存在。", "两者都保留", "跳过", "（导入）",
    "此接口没有列出“%s”。", "纯 SSE 流（文本 data: 行）", "流地址",
    "工具调用", "未运行：没有连接工具服务器。",
};

} // namespace

void set_language(Language language)
{
    g_language = language;
}

Language language()
{
    return g_language;
}

const char* tr(StringId id)
{
    return (g_language == Language::Chinese ? kChinese : kEnglish)[id];
}

std::string status_text(const std::string& status)
{
    if (g_language == Language::English)
        return status;
    // The session's words (app/chat_session.cpp), then what may follow them.
    static const char* const kWords[][2] = {
        {"ready", "就绪"}, {"connecting", "连接中"}, {"streaming", "接收中"}, {"done", "完成"},
        {"stopped", "已停止"}, {"resuming", "恢复中"}, {"reconnecting", "重新连接中"}, {"failed", "失败"},
    };
    size_t word_end = status.find_first_not_of("abcdefghijklmnopqrstuvwxyz");
    std::string word = status.substr(0, word_end);
    std::string rest = word_end == std::string::npos ? std::string() : status.substr(word_end);
    std::string out;
    for (const auto& w : kWords)
        if (word == w[0])
            out = w[1];
    if (out.empty())
        return status;
    int n = 0;
    char buf[96];
    if (sscanf(rest.c_str(), " (attempt %d)", &n) == 1) {
        snprintf(buf, sizeof(buf), "（第 %d 次尝试）", n);
        out += buf;
    } else if (sscanf(rest.c_str(), " (skipped %d unreadable event", &n) == 1) {
        snprintf(buf, sizeof(buf), "（跳过了服务器发来的 %d 个无法读取的事件）", n);
        out += buf;
    } else if (rest.rfind(": ", 0) == 0) {
        out += "：" + rest.substr(2);
    } else {
        out += rest;
    }
    return out;
}

std::string format_thought_for(double seconds)
{
    char buf[64];
    int s = static_cast<int>(seconds + 0.5);
    if (g_language == Language::Chinese)
        snprintf(buf, sizeof(buf), "已思考 %d 秒", s);
    else
        snprintf(buf, sizeof(buf), "Thought for %d s", s);
    return buf;
}

std::string format_figures(const Message& m)
{
    const ReplyFigures& f = m.figures;
    std::string out;
    char buf[64];
    auto add = [&](const char* text) {
        if (!out.empty())
            out += "  ·  ";
        out += text;
    };
    if (f.first_token_ms > 0 && f.sent_ms > 0) {
        snprintf(buf, sizeof(buf), g_language == Language::Chinese ? "首字 %.2f 秒" : "%.2f s to first token",
                 (f.first_token_ms - f.sent_ms) / 1000.0);
        add(buf);
    }
    int64_t completion = f.usage.completion_tokens >= 0 ? f.usage.completion_tokens : f.counted_tokens;
    double end_ms = f.finished_ms > 0 ? f.finished_ms : 0;
    if (f.has_timings && f.timings.predicted_per_second > 0) {
        snprintf(buf, sizeof(buf), "%.1f tok/s", f.timings.predicted_per_second);
        add(buf);
    } else if (end_ms > f.first_token_ms && f.first_token_ms > 0 && completion > 1) {
        snprintf(buf, sizeof(buf), "%.1f tok/s", (completion - 1) * 1000.0 / (end_ms - f.first_token_ms));
        add(buf);
    }
    if (f.usage.prompt_tokens >= 0 && completion >= 0) {
        snprintf(buf, sizeof(buf), g_language == Language::Chinese ? "%lld + %lld token" : "%lld + %lld tokens",
                 static_cast<long long>(f.usage.prompt_tokens), static_cast<long long>(completion));
        add(buf);
    } else if (completion > 0) {
        snprintf(buf, sizeof(buf), g_language == Language::Chinese ? "%lld token（计数）" : "%lld tokens (counted)",
                 static_cast<long long>(completion));
        add(buf);
    }
    return out;
}

} // namespace imchat::ui
