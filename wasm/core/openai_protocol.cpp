#include "core/openai_protocol.h"

#include <cstring>

#include "core/json_util.h"
#include "core/openai_chunk_scanner.h"
#include "core/tool_call_pieces.h"
#include "core/utf8.h"

namespace imchat {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

std::string_view trim(std::string_view s) {
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

// Text of a message/delta "content": a string, null, or (some providers) an array of parts
// [{"type":"text","text":"…"}]. Appends to out; false when it is none of those.
bool append_content(const json::Value* v, std::string& out) {
    if (!v || v->IsNull()) return true;
    std::string_view s;
    if (json::get_string(v, s)) {
        out.append(s);
        return true;
    }
    if (!v->IsArray()) return false;
    for (const json::Value& part : v->GetArray()) {
        if (json::get_string(&part, s)) {
            out.append(s);
            continue;
        }
        std::string_view type = json::string_or_empty(json::member(part, "type"));
        if (type.empty() || type == "text") out.append(json::string_or_empty(json::member(part, "text")));
    }
    return true;
}

// DeepSeek names it reasoning_content; OpenRouter and newer vLLM name it reasoning. Some servers
// send both with the same text, so take one, not both.
void append_reasoning(const json::Value& holder, std::string& out) {
    std::string_view s;
    if (json::get_string(json::member(holder, "reasoning_content"), s) && !s.empty()) {
        out.append(s);
        return;
    }
    if (json::get_string(json::member(holder, "reasoning"), s)) out.append(s);
}

void read_usage(const json::Value& root, StreamDelta& out) {
    const json::Value* usage = json::member(root, "usage");
    if (!json::is_object(usage)) return;  // null on ordinary chunks when include_usage is on
    out.has_usage = true;
    json::get_int64(json::member(usage, "prompt_tokens"), out.usage.prompt_tokens);
    json::get_int64(json::member(usage, "completion_tokens"), out.usage.completion_tokens);
}

void read_timings(const json::Value& root, StreamDelta& out) {
    const json::Value* t = json::member(root, "timings");
    if (!json::is_object(t)) return;
    out.has_timings = true;
    json::get_number(json::member(t, "prompt_ms"), out.timings.prompt_ms);
    json::get_number(json::member(t, "predicted_ms"), out.timings.predicted_ms);
    json::get_number(json::member(t, "predicted_per_second"), out.timings.predicted_per_second);
}

// {"error":{"message","code","type"}} or {"error":"…"}: fills out.error; false if no error.
bool read_error(const json::Value& root, StreamDelta& out) {
    const json::Value* e = json::member(root, "error");
    // Older vLLM sends its ErrorResponse bare: {"object":"error","message","type","code"}.
    if ((!e || e->IsNull()) && json::string_or_empty(json::member(root, "object")) == "error") e = &root;
    if (!e || e->IsNull()) return false;
    std::string_view s;
    if (json::get_string(e, s)) {
        out.error.assign(s.empty() ? std::string_view("unknown error") : s);
        return true;
    }
    if (!e->IsObject()) {
        out.error = "unknown error";
        return true;
    }
    int64_t code = 0;
    if (json::get_int64(json::member(e, "code"), code) && code >= 100 && code <= 599)
        out.error_status = static_cast<int>(code);
    out.error.assign(json::string_or_empty(json::member(e, "message")));
    if (out.error.empty()) out.error.assign(json::string_or_empty(json::member(e, "type")));
    if (out.error.empty()) out.error.assign(json::string_or_empty(json::member(e, "code")));
    if (out.error.empty()) out.error = "unknown error";
    return true;
}

bool not_an_object(const json::JsonReader& r, std::string_view what, StreamDelta& out) {
    out.error = "bad " + std::string(what) + ": expected a JSON object, got " + json::type_name(&r.root());
    return false;
}

}  // namespace

struct OpenAiStreamDecoder::Impl {
    json::JsonReader reader;  // the general path
    std::string scratch;      // the fast path's spare buffer
};

OpenAiStreamDecoder::OpenAiStreamDecoder() : impl_(new Impl) {}
OpenAiStreamDecoder::~OpenAiStreamDecoder() = default;

bool OpenAiStreamDecoder::decode(std::string_view data, StreamDelta& out) {
    out.clear();
    // Ordinary chunks take the fast path (see openai_chunk_scanner.h); the rest, and anything
    // it is unsure of, the general one below. Both give the same result.
    if (scan_ordinary_chunk(trim(data), out, impl_->scratch)) return true;
    return decode_general(data, out);
}

bool OpenAiStreamDecoder::decode_general(std::string_view data, StreamDelta& out) {
    out.clear();
    std::string_view body = trim(data);
    if (body == "[DONE]") {
        out.done = true;
        return true;
    }
    json::JsonReader& r = impl_->reader;
    if (!r.parse(body)) {
        out.error = "bad stream chunk: " + r.error();
        return false;
    }
    const json::Value& root = r.root();
    if (!root.IsObject()) return not_an_object(r, "stream chunk", out);
    // OpenRouter sends an error *and* a choice with finish_reason "error": the error wins.
    if (read_error(root, out)) return true;

    const json::Value* choices = json::member(root, "choices");
    if (choices && choices->IsArray() && !choices->Empty()) {
        const json::Value& choice = (*choices)[0];
        if (const json::Value* delta = json::member(choice, "delta"); json::is_object(delta)) {
            append_content(json::member(delta, "content"), out.content);
            append_reasoning(*delta, out.reasoning);
            read_tool_call_pieces(*delta, out.tool_calls);
        }
        out.finish_reason.assign(json::string_or_empty(json::member(choice, "finish_reason")));
    }
    read_usage(root, out);
    read_timings(root, out);
    return true;
}

bool OpenAiStreamDecoder::decode_completion(std::string_view body, StreamDelta& out) {
    out.clear();
    json::JsonReader& r = impl_->reader;
    if (!r.parse(body)) {
        out.error = "bad chat completion: " + r.error();
        return false;
    }
    const json::Value& root = r.root();
    if (!root.IsObject()) return not_an_object(r, "chat completion", out);
    if (read_error(root, out)) return true;
    const json::Value* choices = json::member(root, "choices");
    if (!choices || !choices->IsArray() || choices->Empty()) {
        out.error = "bad chat completion: no choices";
        return false;
    }
    const json::Value& choice = (*choices)[0];
    const json::Value* message = json::member(choice, "message");
    if (!json::is_object(message)) {
        out.error = "bad chat completion: choices[0].message is " + std::string(json::type_name(message));
        return false;
    }
    if (!append_content(json::member(message, "content"), out.content)) {
        out.error = "bad chat completion: message.content is not text";
        return false;
    }
    append_reasoning(*message, out.reasoning);
    read_tool_call_pieces(*message, out.tool_calls);
    out.finish_reason.assign(json::string_or_empty(json::member(choice, "finish_reason")));
    read_usage(root, out);
    read_timings(root, out);
    out.done = true;
    return true;
}

// ---- error bodies ------------------------------------------------------------------------------

namespace {

constexpr size_t kMaxErrorChars = 200;

const char* reason_phrase(int status) {
    switch (status) {
        case 400: return "Bad Request";
        case 401: return "Unauthorized";
        case 402: return "Payment Required";
        case 403: return "Forbidden";
        case 404: return "Not Found";
        case 405: return "Method Not Allowed";
        case 408: return "Request Timeout";
        case 409: return "Conflict";
        case 413: return "Payload Too Large";
        case 415: return "Unsupported Media Type";
        case 422: return "Unprocessable Entity";
        case 429: return "Too Many Requests";
        case 500: return "Internal Server Error";
        case 501: return "Not Implemented";
        case 502: return "Bad Gateway";
        case 503: return "Service Unavailable";
        case 504: return "Gateway Timeout";
        case 0: return "no response (network error)";
        default: return status >= 500 ? "Server Error" : status >= 400 ? "Client Error" : "Unexpected Status";
    }
}

// Collapses runs of whitespace to one space and trims.
std::string collapse_whitespace(std::string_view s) {
    std::string out;
    out.reserve(s.size());
    bool pending_space = false;
    for (char c : s) {
        if (is_space(c)) {
            pending_space = !out.empty();
            continue;
        }
        if (pending_space) out += ' ';
        pending_space = false;
        out += c;
    }
    return out;
}

// At most kMaxErrorChars bytes, cut before a UTF-8 continuation byte, with "…" when cut.
std::string shorten(std::string s) {
    if (s.size() <= kMaxErrorChars) return s;
    size_t cut = kMaxErrorChars;
    while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
    s.resize(cut);
    while (!s.empty() && s.back() == ' ') s.pop_back();
    s += "\xE2\x80\xA6";
    return s;
}

void append_utf8(std::string& out, uint32_t cp) {
    if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
    utf8_encode_append(out, cp);
}

// The few entities error pages use; anything else stays as written.
std::string decode_entities(std::string_view s) {
    static constexpr struct { const char* name; const char* text; } kNamed[] = {
        {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}, {"nbsp", " "}};
    std::string out;
    out.reserve(s.size());
    for (size_t i = 0; i < s.size(); ++i) {
        size_t semi = s[i] == '&' ? s.find(';', i) : std::string_view::npos;
        if (semi == std::string_view::npos || semi - i > 10) {
            out += s[i];
            continue;
        }
        std::string_view name = s.substr(i + 1, semi - i - 1);
        bool done = false;
        if (name.size() > 1 && name[0] == '#') {
            bool hex = name[1] == 'x' || name[1] == 'X';
            uint32_t cp = 0;
            size_t digits = 0;
            for (char c : name.substr(hex ? 2 : 1)) {
                int v = c >= '0' && c <= '9' ? c - '0'
                      : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
                      : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
                if (v < 0 || cp > 0x10FFFF) { digits = 0; break; }
                cp = cp * (hex ? 16 : 10) + static_cast<uint32_t>(v);
                ++digits;
            }
            if (digits > 0) { append_utf8(out, cp); done = true; }
        } else {
            for (const auto& e : kNamed)
                if (name == e.name) { out += e.text; done = true; break; }
        }
        if (done) i = semi;
        else out += s[i];
    }
    return out;
}

bool iequals_prefix(std::string_view s, size_t at, std::string_view word) {
    if (at + word.size() > s.size()) return false;
    for (size_t i = 0; i < word.size(); ++i) {
        char c = s[at + i];
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (c != word[i]) return false;
    }
    return true;
}

size_t ifind(std::string_view s, std::string_view word, size_t from = 0) {
    for (size_t i = from; i + word.size() <= s.size(); ++i)
        if (iequals_prefix(s, i, word)) return i;
    return std::string_view::npos;
}

// Text of an HTML page: its <title> if it has one, else its text without tags, scripts, styles.
std::string text_of_html(std::string_view html) {
    if (size_t open = ifind(html, "<title"); open != std::string_view::npos) {
        size_t start = html.find('>', open);
        size_t end = start == std::string_view::npos ? start : ifind(html, "</title", start);
        if (end != std::string_view::npos) {
            std::string title = collapse_whitespace(decode_entities(html.substr(start + 1, end - start - 1)));
            if (!title.empty()) return title;
        }
    }
    std::string text;
    for (size_t i = 0; i < html.size();) {
        if (html[i] != '<') {
            text += html[i++];
            continue;
        }
        // Skip the contents of script and style elements along with the tags.
        for (std::string_view skipped : {std::string_view("script"), std::string_view("style")}) {
            if (iequals_prefix(html, i + 1, skipped)) {
                size_t close = ifind(html, std::string("</") + std::string(skipped), i);
                i = close == std::string_view::npos ? html.size() : close;
                break;
            }
        }
        size_t end = html.find('>', i);
        i = end == std::string_view::npos ? html.size() : end + 1;
        text += ' ';
    }
    return collapse_whitespace(decode_entities(text));
}

// The readable part of a JSON error body, or "" when it has none we know.
std::string text_of_json_error(std::string_view body) {
    json::JsonReader& r = json::shared_reader();
    if (!r.parse(body) || !r.root().IsObject()) return {};
    const json::Value& root = r.root();
    StreamDelta d;
    if (read_error(root, d) && d.error != "unknown error") return d.error;
    std::string_view s;
    if (json::get_string(json::member(root, "message"), s) && !s.empty()) return std::string(s);
    const json::Value* detail = json::member(root, "detail");
    if (json::get_string(detail, s) && !s.empty()) return std::string(s);
    // FastAPI validation errors: {"detail":[{"loc":[…],"msg":"…"}]}
    if (detail && detail->IsArray() && !detail->Empty()) {
        if (json::get_string(json::member((*detail)[0], "msg"), s)) return std::string(s);
    }
    if (json::get_string(json::member(detail, "message"), s) && !s.empty()) return std::string(s);
    return {};
}

}  // namespace

std::string error_message_from_body(std::string_view body, std::string_view content_type, int status) {
    std::string prefix = "HTTP " + std::to_string(status) + ": ";
    // Only the start of a huge body matters for a one-line message; bound the work.
    std::string_view trimmed = trim(body.substr(0, 1u << 20));
    std::string text;
    bool json_like = ifind(content_type, "json") != std::string_view::npos ||
                     (!trimmed.empty() && trimmed.front() == '{');
    bool html_like = ifind(content_type, "html") != std::string_view::npos ||
                     (!trimmed.empty() && trimmed.front() == '<');
    if (json_like) text = text_of_json_error(trimmed);
    if (text.empty() && html_like) text = text_of_html(trimmed);
    if (text.empty()) text = collapse_whitespace(trimmed);
    text = shorten(collapse_whitespace(text));
    // A page titled "502 Bad Gateway" should not read "HTTP 502: 502 Bad Gateway".
    std::string code = std::to_string(status);
    if (text.size() > code.size() && text.compare(0, code.size(), code) == 0 && text[code.size()] == ' ')
        text.erase(0, code.size() + 1);
    if (text.empty()) text = reason_phrase(status);
    return prefix + text;
}

}  // namespace imchat
