// mcp_messages: the JSON-RPC 2.0 messages a Model Context Protocol client sends and reads
// (protocol revision 2025-06-18, negotiating down to 2025-03-26 and 2024-11-05). Portable: the
// net layer carries them over Streamable HTTP (a POST answered with JSON or an event stream that
// our SSE parser reads); this file only writes and reads their JSON.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace imchat::mcp {

constexpr std::string_view kLatestVersion = "2025-06-18";
// Whether the client speaks a version the server answered with (newest first in the code).
bool is_supported_version(std::string_view version);

// ---- what the client sends ---------------------------------------------------------------------
std::string initialize_request(int64_t id, std::string_view client_name, std::string_view client_version);
std::string initialized_notification();
std::string tools_list_request(int64_t id, std::string_view cursor);  // cursor "": the first page
// arguments_json: a JSON object (the model's arguments, checked by tool_calls.h). A progress
// token (the request id) asks the server for notifications/progress.
std::string tools_call_request(int64_t id, std::string_view name, std::string_view arguments_json);
std::string cancelled_notification(int64_t request_id, std::string_view reason);

// ---- what the client reads ---------------------------------------------------------------------
struct Incoming {
    enum Kind { Response, Request, Notification } kind = Response;
    std::string id_json;        // the id as JSON text (a server's request id can be a string)
    int64_t id = -1;            // a response's id when it is an integer (ours always are)
    std::string method;         // Request / Notification
    std::string params_json;    // Request / Notification: "{}" when absent
    std::string result_json;    // Response: the result as JSON text ("" when it is an error)
    int64_t error_code = 0;     // Response with an error
    std::string error_message;
    bool failed() const { return kind == Response && result_json.empty(); }
};

// One message or a batch (a JSON array): appends each to out. False with error set when the
// text is not JSON-RPC; a batch with one bad member keeps the good ones and says why.
bool parse_incoming(std::string_view text, std::vector<Incoming>& out, std::string& error);

// What the client answers a request from the server: `ping` gets an empty result; sampling,
// elicitation, roots and anything else get error -32601 (method not found).
std::string answer_server_request(const Incoming& request);

// notifications/progress params: {progressToken, progress, total?, message?}.
struct Progress {
    int64_t token = -1;
    double progress = 0, total = 0;  // total 0: unknown
    std::string message;
};
bool parse_progress(std::string_view params_json, Progress& out);

// initialize's result.
struct ServerHello {
    std::string protocol_version, name, version, instructions;
    bool has_tools = false, tools_list_changed = false;
};
bool parse_initialize_result(std::string_view result_json, ServerHello& out, std::string& error);

}  // namespace imchat::mcp
