#include "storage/settings_store.h"

#include <cstdlib>

extern "C" {
// wasm/storage/storage_glue.js
char* imchat_settings_read();                   // malloc'd; "" = nothing stored; null = unreadable
char* imchat_settings_write(const char* text);  // null on success, else a malloc'd error
}

namespace imchat {

bool load_settings(AppSettings& settings, std::string& problem) {
    problem.clear();
    char* text = imchat_settings_read();
    if (!text) {
        problem = "settings cannot be read in this browser (private mode?)";
        return false;
    }
    std::string stored(text);
    std::free(text);
    if (stored.empty()) return false;
    return parse_settings_json(stored, settings, problem);
}

bool save_settings(const AppSettings& settings, std::string& problem) {
    problem.clear();
    char* error = imchat_settings_write(settings_json(settings, SecretPolicy::Include).c_str());
    if (!error) return true;
    problem = std::string("settings cannot be saved: ") + error;
    std::free(error);
    return false;
}

}  // namespace imchat
