// server_info: what a server says about itself, for the settings: the models of
// GET /v1/models (OpenAI format, also Ollama's /v1 and llama.cpp's), and the context length
// llama.cpp reports at GET /props.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace imchat {

// Model ids from a /v1/models body ({"data":[{"id":…}]}, or {"models":[{"name"|"model"|"id"}]}),
// in the server's order. false with error set when the body is not such a list.
bool parse_model_list(std::string_view body, std::vector<std::string>& out, std::string& error);

// llama.cpp's /props: default_generation_settings.n_ctx (or a top-level n_ctx); 0 if absent.
int64_t parse_context_length(std::string_view props_body);

// A rough token estimate for the context warning: about 4 bytes per token for Latin text and
// one token per CJK character.
int64_t estimate_tokens(std::string_view text);

}  // namespace imchat
