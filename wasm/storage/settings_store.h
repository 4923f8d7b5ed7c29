// settings_store: the settings in this browser's localStorage under "imchat.settings"
// (JSON of app/app_settings.h, API key included: it stays in this browser and nowhere else).
#pragma once
#include <string>

#include "app/app_settings.h"

namespace imchat {

// Reads the stored settings over `settings` (fields not stored keep their values). False when
// nothing is stored or storage cannot be read; `problem` then says why ("" for nothing stored),
// and holds the skipped fields' warnings after a partly bad record.
bool load_settings(AppSettings& settings, std::string& problem);
// Stores the settings; false (with `problem`) when localStorage refuses (private mode, full).
bool save_settings(const AppSettings& settings, std::string& problem);

}  // namespace imchat
