"""Wire formats: the built-in API's numbered SSE events and OpenAI's chat.completion chunks."""
import json


def dumps(obj):
    """Compact JSON with raw UTF-8 text; a lone surrogate (valid in JSON, not in UTF-8) becomes ?."""
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    if text.isascii():
        return text
    return text.encode("utf-8", "replace").decode("utf-8")


def error_body(message, status=400, kind=None):
    """The JSON error shape both APIs use (OpenAI's: {"error":{"message","type","code"}})."""
    if kind is None:
        kind = "invalid_request_error" if 400 <= status < 500 else "server_error"
    return dumps({"error": {"message": message, "type": kind, "param": None, "code": status}})


# -- built-in API ---------------------------------------------------------------------------------

def retry_line(ms):
    return b"retry: %d\n\n" % ms


PING = b"event: ping\ndata: {}\n\n"


def builtin_event(ev):
    """`id: N` + optional `event:` + one data line (every payload here is single-line JSON)."""
    if ev.kind == "content":
        data = dumps({"content": ev.payload}).encode()
        name = b""
    elif ev.kind == "reasoning":
        data = dumps({"reasoning": ev.payload}).encode()
        name = b""
    elif ev.kind == "raw":
        data = ev.payload
        name = b""
    else:
        data = dumps(ev.payload).encode()
        name = b"event: " + ev.kind.encode() + b"\n"
    return b"id: %d\n" % ev.seq + name + b"data: " + data + b"\n\n"


# -- OpenAI Chat Completions ----------------------------------------------------------------------

class ChunkFormatter:
    """Turns a reply's events into `data: {chat.completion.chunk}` lines for one response."""

    def __init__(self, reply, include_usage):
        self.id = "chatcmpl-" + reply.id
        self.model = reply.model
        self.created = reply.created
        self.include_usage = include_usage

    def _chunk(self, delta, finish_reason=None, usage_field=False):
        obj = {"id": self.id, "object": "chat.completion.chunk", "created": self.created,
               "model": self.model, "system_fingerprint": None,
               "choices": [{"index": 0, "delta": delta, "logprobs": None,
                            "finish_reason": finish_reason}]}
        if self.include_usage:
            obj["usage"] = None
        return b"data: " + dumps(obj).encode() + b"\n\n"

    def first(self):
        return self._chunk({"role": "assistant", "content": ""})

    def event(self, ev):
        """Bytes for one log event; the second value is True when the response is complete."""
        if ev.kind == "content":
            return self._chunk({"content": ev.payload}), False
        if ev.kind == "reasoning":
            return self._chunk({"reasoning_content": ev.payload}), False
        if ev.kind == "tool_call":
            return self._chunk(ev.payload), False
        if ev.kind == "raw":
            return b"data: " + ev.payload + b"\n\n", False
        if ev.kind == "fail":
            p = ev.payload
            err = {"error": {"message": p["message"], "type": "server_error", "code": p["status"]}}
            if "retry_after" in p:
                err["error"]["retry_after"] = p["retry_after"]
            return b"data: " + dumps(err).encode() + b"\n\n", True
        out = self._chunk({}, ev.payload["finish_reason"])
        usage = ev.payload.get("usage")
        if self.include_usage and usage:
            obj = {"id": self.id, "object": "chat.completion.chunk", "created": self.created,
                   "model": self.model, "system_fingerprint": None, "choices": [],
                   "usage": with_total(usage)}
            out += b"data: " + dumps(obj).encode() + b"\n\n"
        return out + b"data: [DONE]\n\n", True


def with_total(usage):
    u = dict(usage)
    u["total_tokens"] = u.get("prompt_tokens", 0) + u.get("completion_tokens", 0)
    return u


def completion_object(reply):
    """A whole (non-streamed) chat.completion for a finished reply."""
    s = reply.summary()
    message = {"role": "assistant", "content": s["content"], "refusal": None}
    if s["reasoning"]:
        message["reasoning_content"] = s["reasoning"]
    if s.get("tool_calls"):
        message["tool_calls"] = s["tool_calls"]
        message["content"] = s["content"] or None
    obj = {"id": "chatcmpl-" + reply.id, "object": "chat.completion", "created": reply.created,
           "model": reply.model, "system_fingerprint": None,
           "choices": [{"index": 0, "message": message, "logprobs": None,
                        "finish_reason": s["finish_reason"]}]}
    if s["usage"]:
        obj["usage"] = with_total(s["usage"])
    return obj


def model_entry(model_id, owned_by="imchat", created=1735689600):
    return {"id": model_id, "object": "model", "created": created, "owned_by": owned_by}

