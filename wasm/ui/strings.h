// strings: every word the UI shows, in English and Simplified Chinese. The language follows
// the browser (navigator.language) and can be switched in the settings.
#pragma once
#include <string>

namespace imchat {
struct Message;
}

namespace imchat::ui {

enum StringId {
    S_Send, S_Stop, S_Copy, S_Edit, S_Retry, S_Regenerate, S_Thinking, S_JumpToLatest,
    S_InputHint, S_EditingBanner, S_Cancel, S_NewChat, S_Settings, S_Search, S_Rename, S_Delete,
    S_Undo, S_Deleted, S_Export, S_ExportMarkdown, S_ExportJson, S_Import, S_Find, S_FindHint,
    S_FindCount, S_Help, S_Close, S_Endpoint, S_EndpointBuiltIn, S_EndpointDirect, S_BaseUrl,
    S_ApiKey, S_Model, S_SystemPrompt, S_Temperature, S_TopP, S_MaxTokens, S_ContextLength,
    S_Theme, S_ThemeDark, S_ThemeLight, S_ThemeSystem, S_Language, S_RefreshModels,
    S_HistoryUnavailable, S_Status, S_EmptyTitle, S_EmptyHint, S_Shortcuts, S_ContextWarning,
    S_DropOldest, S_TextSize, S_Conversations, S_NoMatches, S_Continue, S_RetryingIn,
    S_CannotImport, S_LanguageAuto, S_Unknown, S_ServerContext,
    S_ChatSettings, S_ChatSettingsIntro, S_UseDefault, S_NotSet, S_AllDefaults, S_ChatSettingsTip,
    S_SetValue, S_NothingToExport, S_ExportAll, S_ImportExists, S_KeepBoth, S_Skip, S_ImportedCopy,
    S_ModelNotListed, S_EndpointPlain, S_StreamUrl,
    S_ToolCall, S_ToolNotRun,
    S_Count
};

enum class Language { English, Chinese };

void set_language(Language language);
Language language();
const char* tr(StringId id);

// The chat session's status line ("streaming", "reconnecting (attempt 2)", "failed: HTTP 429…")
// in the UI's language; what comes from the server (the error itself) stays as it is.
std::string status_text(const std::string& status);

// "Thought for 3 s"
std::string format_thought_for(double seconds);
// "0.31 s to first token · 42.1 tok/s · 120 + 350 tokens" (what is known so far)
std::string format_figures(const Message& m);

}  // namespace imchat::ui
