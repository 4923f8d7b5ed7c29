#include "app/chat_session.h"

#include "core/server_info.h"

#include <algorithm>
#include <cmath>

#include "core/builtin_protocol.h"
#include "core/json_util.h"
#include "core/plain_sse.h"
#include "core/request_builder.h"

namespace imchat {
namespace {

bool is_blank(std::string_view text) {
    for (char c : text)
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return false;
    return true;
}

std::string without_trailing_slash(std::string url) {
    while (!url.empty() && url.back() == '/') url.pop_back();
    return url;
}

// U+0000 in a delta (valid JSON: "\u0000") would cut the text short wherever it meets a C
// string (the ARIA mirror, ImGui labels); it is shown as U+FFFD instead.
void replace_nul(std::string& text) {
    for (size_t at = text.find('\0'); at != std::string::npos; at = text.find('\0', at + 3))
        text.replace(at, 1, "\xEF\xBF\xBD");
}

bool is_terminal(MessageStatus status) {
    return status != MessageStatus::Waiting && status != MessageStatus::Streaming;
}

}  // namespace

ChatSession::ChatSession(Conversation& conversation, Network& network, Clock now_ms,
                         std::function<void()> request_frame)
    : conversation_(conversation),
      network_(network),
      now_ms_(std::move(now_ms)),
      request_frame_(std::move(request_frame)) {}

ChatSession::~ChatSession() {
    // Transports guarantee no call into us once dropped.
    stream_.reset();
    calls_.clear();
}

// ---- intents --------------------------------------------------------------------------------

bool ChatSession::send(std::string_view text) {
    if (streaming() || is_blank(text)) return false;
    if (conversation_.empty() && conversation_.title.empty()) conversation_.title = title_from_prompt(text);
    uint32_t user = conversation_.add(conversation_.leaf(), Role::User, std::string(text));
    start_reply(conversation_.add_reply(user, settings.model, now_ms_()));
    return true;
}

bool ChatSession::regenerate(uint32_t assistant_id) {
    const Message* m = conversation_.find(assistant_id);
    if (streaming() || !m || m->role != Role::Assistant || m->parent == 0) return false;
    start_reply(conversation_.add_reply(m->parent, settings.model, now_ms_()));
    return true;
}

bool ChatSession::edit_and_resend(uint32_t user_id, std::string new_text) {
    const Message* m = conversation_.find(user_id);
    if (streaming() || !m || m->role != Role::User || is_blank(new_text)) return false;
    uint32_t user = conversation_.add(m->parent, Role::User, std::move(new_text));
    start_reply(conversation_.add_reply(user, settings.model, now_ms_()));
    return true;
}

bool ChatSession::retry(uint32_t assistant_id) {
    if (assistant_id == 0) assistant_id = conversation_.leaf();
    const Message* m = conversation_.find(assistant_id);
    if (streaming() || !m || m->role != Role::Assistant) return false;
    if (m->status != MessageStatus::Failed && m->status != MessageStatus::Interrupted) return false;
    // Only an interrupted reply has something to continue; a failed one (nothing arrived) is
    // asked again.
    if (m->status == MessageStatus::Interrupted && can_resume(assistant_id)) return resume(assistant_id);
    conversation_.reset_reply(assistant_id, now_ms_());
    start_reply(assistant_id);
    return true;
}

bool ChatSession::can_resume(uint32_t assistant_id) const {
    const Message* m = conversation_.find(assistant_id);
    return m && m->role == Role::Assistant && !m->reply_id.empty() && m->status != MessageStatus::Done &&
           m->status != MessageStatus::Stopped;
}

bool ChatSession::resume(uint32_t assistant_id) {
    if (streaming() || !can_resume(assistant_id)) return false;
    Message* m = conversation_.find(assistant_id);
    reply_ = assistant_id;
    path_ = EndpointKind::BuiltIn;
    resuming_ = true;
    skipped_this_reply_ = 0;
    // A resumed tail starts mid-reply: only a reply with nothing yet may open with <think>.
    split_think_ = m->text.empty() && m->reasoning.empty();
    think_splitter_.reset();
    last_error_.clear();
    conversation_.set_status(assistant_id, m->text.empty() ? MessageStatus::Waiting : MessageStatus::Streaming,
                             now_ms_());
    std::string last_event_id = m->last_event_id;
    set_status_line("resuming");
    open_builtin_stream(assistant_id, last_event_id);
    request_frame_();
    return true;
}

bool ChatSession::resume_after_load() {
    if (streaming()) return false;
    uint32_t leaf = conversation_.leaf();
    bool resumed = false;
    std::vector<uint32_t> unfinished;
    for (const Message& m : conversation_.messages())
        if (m.role == Role::Assistant && !is_terminal(m.status)) unfinished.push_back(m.id);
    for (uint32_t id : unfinished) {
        if (id == leaf && can_resume(id)) continue;
        conversation_.set_status(id, MessageStatus::Interrupted, now_ms_(),
                                 "the page was closed while this reply was streaming");
    }
    if (std::find(unfinished.begin(), unfinished.end(), leaf) != unfinished.end() && can_resume(leaf))
        resumed = resume(leaf);
    request_frame_();
    return resumed;
}

void ChatSession::stop() {
    if (!streaming()) return;
    uint32_t reply = reply_;
    if (path_ == EndpointKind::BuiltIn) {
        // Tell the server to stop generating. If POST /api/chat has not answered yet, its
        // callback sees the reply is no longer ours and sends the stop itself.
        if (const Message* m = conversation_.find(reply); m && !m->reply_id.empty()) post_stop(m->reply_id);
    }
    stream_.reset();
    StreamDelta rest;
    flush_think_splitter(rest);
    if (Message* m = conversation_.find(reply); m && (!rest.content.empty() || !rest.reasoning.empty())) {
        m->text += rest.content;
        m->reasoning += rest.reasoning;
        conversation_.touch(reply);
    }
    conversation_.set_status(reply, MessageStatus::Stopped, now_ms_());
    last_error_.clear();
    end_request("stopped");
}

// ---- requests -------------------------------------------------------------------------------

void ChatSession::start_reply(uint32_t reply) {
    reply_ = reply;
    path_ = settings.endpoint;
    resuming_ = false;
    skipped_this_reply_ = 0;
    split_think_ = true;
    think_splitter_.reset();
    last_error_.clear();
    set_status_line("connecting");
    if (path_ == EndpointKind::BuiltIn) start_builtin(reply);
    else if (path_ == EndpointKind::PlainSse) start_plain(reply, false);
    else start_direct(reply);
    request_frame_();
}

namespace {

ChatRequest request_for(const Conversation& conversation, uint32_t reply, const SessionSettings& settings) {
    ChatRequest request;
    request.model = settings.model;
    const Message* m = conversation.find(reply);
    request.messages = chat_messages_from(conversation, m ? m->parent : 0);
    if (settings.fit_to_tokens > 0)
        drop_oldest_turns(request.messages, settings.fit_to_tokens - estimate_tokens(settings.system_prompt));
    request.system_prompt = settings.system_prompt;
    request.temperature = settings.temperature;
    request.top_p = settings.top_p;
    request.max_tokens = settings.max_tokens;
    return request;
}

}  // namespace

void ChatSession::start_builtin(uint32_t reply) {
    std::string body = build_builtin_request(request_for(conversation_, reply, settings));
    uint32_t key = next_call_++;
    calls_[key] = network_.fetch_json(builtin_url("/api/chat"), "POST", std::move(body), {},
                                      [this, key, reply](const HttpResponse& response) {
        std::string id = response.ok() ? builtin_reply_id_from_json(response.body) : std::string();
        if (reply_ != reply) {
            // Stopped while the POST was in flight: the server has begun anyway, so stop it,
            // and remember the id (the reply stays Stopped; its server copy can be looked up).
            if (!id.empty()) {
                post_stop(id);
                if (Message* m = conversation_.find(reply); m && m->reply_id.empty()) {
                    m->reply_id = id;
                    conversation_.touch(reply);
                }
            }
            calls_.erase(key);
            return;
        }
        calls_.erase(key);
        if (!response.ok()) {
            std::string error = response.error.message;
            if (response.error.retry_after_seconds >= 0)
                error += " (retry after " + std::to_string(response.error.retry_after_seconds) + " s)";
            fail_reply(error, false, response.error.http_status);
            last_retry_after_ = response.error.retry_after_seconds;
            return;
        }
        if (id.empty()) {
            fail_reply("the server's answer to POST /api/chat has no reply id");
            return;
        }
        if (Message* m = conversation_.find(reply)) {
            m->reply_id = id;
            m->last_event_id.clear();
            conversation_.touch(reply);
        }
        open_builtin_stream(reply, {});
    });
}

void ChatSession::open_builtin_stream(uint32_t reply, const std::string& last_event_id) {
    const Message* m = conversation_.find(reply);
    EventSourceOptions options;
    options.stall_ms = settings.stall_timeout_ms;
    options.max_retries = settings.max_retries;
    options.backoff_ms = settings.retry_backoff_ms;
    stream_ = network_.open_event_source(builtin_url("/api/chat/" + m->reply_id + "/stream"), last_event_id,
                                         options, this);
}

void ChatSession::start_direct(uint32_t reply) {
    std::string base = without_trailing_slash(settings.base_url);
    if (base.empty()) {
        fail_reply("no API base URL is set (Settings → endpoint)");
        return;
    }
    for (unsigned char c : settings.api_key) {
        if (c < 0x21 || c > 0x7e) {
            fail_reply("the API key has a space or a character that cannot be sent in an HTTP header");
            return;
        }
    }
    std::vector<Header> headers;
    if (!settings.api_key.empty()) headers.push_back({"Authorization", "Bearer " + settings.api_key});
    openai_decoder_ = std::make_unique<OpenAiStreamDecoder>();
    stream_ = network_.open_fetch_stream(base + "/chat/completions",
                                         build_openai_request(request_for(conversation_, reply, settings)),
                                         std::move(headers), this, settings.stall_timeout_ms);
}

void ChatSession::start_plain(uint32_t reply, bool resume) {
    Message* m = conversation_.find(reply);
    const Message* user = m ? conversation_.find(m->parent) : nullptr;
    std::string url = plain_sse_url(settings.plain_url, user ? std::string_view(user->text) : std::string_view());
    if (!url.empty() && url[0] == '/') url = settings.server_url + url;
    std::vector<Header> headers;
    if (!resume) {
        plain_reconnects_ = 0;
        if (m) m->last_event_id.clear();
    } else if (m && !m->last_event_id.empty()) {
        headers.push_back({"Last-Event-ID", m->last_event_id});
    }
    stream_ = network_.open_fetch_stream(std::move(url), "", std::move(headers), this, settings.stall_timeout_ms);
}

void ChatSession::list_models(ModelsCallback done) {
    std::string url = settings.endpoint == EndpointKind::Direct ? without_trailing_slash(settings.base_url) + "/models"
                                                                : builtin_url("/v1/models");
    std::vector<Header> headers;
    if (settings.endpoint == EndpointKind::Direct && !settings.api_key.empty())
        headers.push_back({"Authorization", "Bearer " + settings.api_key});
    uint32_t key = next_call_++;
    calls_[key] = network_.fetch_json(url, "GET", "", std::move(headers),
                                      [this, key, done = std::move(done)](const HttpResponse& response) {
        std::vector<std::string> ids;
        std::string error = response.error.message;
        if (response.ok()) {
            json::JsonReader reader;
            const json::Value* data = nullptr;
            if (!reader.parse(response.body)) error = "the model list is not JSON: " + reader.error();
            else if (!(data = json::member(reader.root(), "data")) || !data->IsArray())
                error = "the model list has no \"data\" array";
            else
                for (const json::Value& model : data->GetArray()) {
                    std::string_view id;
                    if (json::get_string(json::member(model, "id"), id)) ids.emplace_back(id);
                }
        }
        ModelsCallback callback = done;  // the call (and this lambda) is destroyed next
        calls_.erase(key);
        callback(std::move(ids), std::move(error));
    });
}

void ChatSession::post_stop(const std::string& reply_id) {
    uint32_t key = next_call_++;
    calls_[key] = network_.fetch_json(builtin_url("/api/chat/" + reply_id + "/stop"), "POST", "", {},
                                      [this, key](const HttpResponse&) { calls_.erase(key); });
}

std::string ChatSession::builtin_url(std::string_view path) const {
    return without_trailing_slash(settings.server_url) + std::string(path);
}

// ---- replies --------------------------------------------------------------------------------

void ChatSession::flush_think_splitter(StreamDelta& delta) {
    if (!split_think_) return;
    std::string content, reasoning;
    think_splitter_.finish(content, reasoning);
    delta.content += content;
    delta.reasoning += reasoning;
}

void ChatSession::apply(StreamDelta& delta) {
    replace_nul(delta.content);
    replace_nul(delta.reasoning);
    if (split_think_ && !delta.content.empty()) {
        std::string content, reasoning;
        think_splitter_.feed(delta.content, content, reasoning);
        delta.content = std::move(content);
        delta.reasoning += reasoning;
    }
    if (delta.done || delta.failed()) flush_think_splitter(delta);
    uint32_t reply = reply_;
    conversation_.apply(reply, delta, now_ms_());
    if (delta.failed()) {
        last_error_ = delta.error;
        end_request("failed: " + delta.error);
    } else if (delta.done) {
        const Message* m = conversation_.find(reply);
        if (m && !is_terminal(m->status)) conversation_.set_status(reply, MessageStatus::Done, now_ms_());
        std::string line = m && m->status == MessageStatus::Stopped ? "stopped" : "done";
        if (skipped_this_reply_ > 0)
            line += " (skipped " + std::to_string(skipped_this_reply_) + " unreadable event" +
                    (skipped_this_reply_ == 1 ? "" : "s") + " from the server)";
        end_request(std::move(line));
    } else {
        request_frame_();
    }
}

void ChatSession::fail_reply(std::string error, bool force_interrupted, int http_status) {
    last_retry_after_ = -1;
    uint32_t reply = reply_;
    if (const Message* m = conversation_.find(reply)) {
        bool has_text = !m->text.empty() || !m->reasoning.empty();
        conversation_.set_status(reply, has_text || force_interrupted ? MessageStatus::Interrupted : MessageStatus::Failed,
                                 now_ms_(), error, http_status);
    }
    last_error_ = error;
    end_request("failed: " + error);
}

void ChatSession::end_request(std::string status_line) {
    stream_.reset();  // safe inside a handler call: transports keep their state alive themselves
    reply_ = 0;
    resuming_ = false;
    set_status_line(std::move(status_line));
    request_frame_();
}

void ChatSession::set_status_line(std::string text) { status_line_ = std::move(text); }

void ChatSession::forget_failure() {
    if (!streaming() && status_line_.rfind("failed", 0) == 0) set_status_line("ready");
}

void ChatSession::on_open(int) {
    if (!streaming()) return;
    set_status_line("streaming");
    request_frame_();
}

void ChatSession::on_event(std::string_view type, std::string_view data, std::string_view id) {
    if (!streaming()) return;
    bool decoded;
    if (path_ == EndpointKind::BuiltIn) {
        if (!id.empty()) {
            if (Message* m = conversation_.find(reply_)) m->last_event_id.assign(id);
        }
        decoded = decode_builtin_event(type, data, delta_);
    } else if (path_ == EndpointKind::PlainSse) {
        if (!id.empty()) {
            if (Message* m = conversation_.find(reply_)) m->last_event_id.assign(id);
        }
        if (type == "message") plain_reconnects_ = 0;
        decoded = decode_plain_sse_event(type, data, delta_);
    } else {
        if (type != "message") return;
        decoded = openai_decoder_->decode(data, delta_);
    }
    if (!decoded) {
        // One garbled event should not end a reply the server goes on writing: skip it and
        // count it. A garbled failure report still ends the reply.
        if (type == "fail") {
            fail_reply("the server reported a failure it could not describe (" + delta_.error + ")");
            return;
        }
        ++skipped_events_;
        ++skipped_this_reply_;
        return;
    }
    if (status_line_ != "streaming" && !delta_.ping) set_status_line("streaming");
    apply(delta_);
}

void ChatSession::on_reconnecting(int attempt) {
    if (!streaming()) return;
    ++reconnects_;
    set_status_line("reconnecting (attempt " + std::to_string(attempt) + ")");
    request_frame_();
}

void ChatSession::on_error(const TransportError& error) {
    if (!streaming()) return;
    if (path_ == EndpointKind::PlainSse && error.retryable && error.http_status < 300) {
        // A break: a server that numbers its events is asked again from the last one it sent.
        const Message* m = conversation_.find(reply_);
        if (m && !m->last_event_id.empty() && ++plain_reconnects_ <= settings.max_retries) {
            ++reconnects_;
            set_status_line("reconnecting (attempt " + std::to_string(plain_reconnects_) + ")");
            start_plain(reply_, true);
            request_frame_();
            return;
        }
    }
    if (path_ == EndpointKind::BuiltIn && error.http_status == 404) {
        // The server forgot the reply (restarted, or kept it too long): keep what we have.
        if (Message* m = conversation_.find(reply_)) {
            m->reply_id.clear();
            m->last_event_id.clear();
        }
        fail_reply("the server no longer has this reply", true);
        return;
    }
    std::string message = error.message;
    if (error.retry_after_seconds >= 0)
        message += " (retry after " + std::to_string(error.retry_after_seconds) + " s)";
    fail_reply(message, false, error.http_status);
    last_retry_after_ = error.retry_after_seconds;
}

void ChatSession::on_done() {
    if (!streaming()) return;
    if (path_ == EndpointKind::BuiltIn || path_ == EndpointKind::PlainSse) {
        // BuiltIn: the server says the stream has nothing more (204): everything was delivered.
        // PlainSse: the end of the body is the end of the reply.
        StreamDelta end;
        end.done = true;
        apply(end);
        return;
    }
    // The body ended. A complete OpenAI stream ends with [DONE] (handled in apply); a body that
    // ends after finish_reason is complete too; anything else broke off.
    const Message* m = conversation_.find(reply_);
    if (m && !m->finish_reason.empty()) {
        StreamDelta end;
        end.done = true;
        apply(end);
        return;
    }
    fail_reply("the stream ended before the reply was complete");
}

}  // namespace imchat
