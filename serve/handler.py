"""The HTTP request handler: limits, routing, static files, the built-in API and /v1."""
import http.server
import io
import ipaddress
import json
import re
import socket
import threading
import time
import traceback
import urllib.parse
from contextlib import contextmanager

from . import plain_sse, wire
from .demo_model import plan_reply
from .demo_pacer import Pacer
from .replies import Reply, StoreUnavailable
from .static_files import BadPath, StaticFile, resolve
from .stream_hub import StreamHub
from .stream_writer import Dropped, Stalled, StreamWriter
from .upstream import run_upstream

SECURITY_HEADERS = [
    ("Content-Security-Policy",
     "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self' http: https:; "
     "style-src 'self'; img-src 'self' data: blob:; font-src 'self'"),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
]
LONE_SURROGATE = re.compile("[\ud800-\udfff]")
ROLES = ("system", "developer", "user", "assistant", "tool")
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")


class ApiError(Exception):
    def __init__(self, status, message, headers=None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


class Simulated(Exception):
    """A test prompt asked for an HTTP error (/http STATUS [html])."""

    def __init__(self, status, html):
        super().__init__(status)
        self.status = status
        self.html = html


class State:
    """Everything the handlers share: options, replies, upstream, chaos, stream counts."""

    def __init__(self, opts, store, upstream, chaos):
        self.opts = opts
        self.store = store
        self.upstream = upstream
        self.chaos = chaos
        self.loopback_only = is_loopback(opts.host)
        self.trusted_proxies = set(getattr(opts, "trusted_proxy", None) or ())
        self._streams = {}
        self._lock = threading.Lock()
        self.pacer = Pacer()
        self.hub = StreamHub(opts.ping_seconds, opts.request_timeout)

    @contextmanager
    def stream_slot(self, client):
        with self._lock:
            n = self._streams.get(client, 0)
            if n >= self.opts.max_streams_per_client:
                raise ApiError(429, "too many open streams from %s (limit %d)"
                               % (client, self.opts.max_streams_per_client), {"Retry-After": "1"})
            self._streams[client] = n + 1
        try:
            yield
        finally:
            with self._lock:
                self._streams[client] -= 1
                if not self._streams[client]:
                    del self._streams[client]


def is_loopback(host):
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def valid_text(text):
    """JSON may carry lone surrogates (\\ud800) that UTF-8 cannot: they become U+FFFD."""
    return LONE_SURROGATE.sub("\ufffd", text)


def tool_names(tools):
    """The function names a request offers (`tools`: [{"type":"function","function":{"name"}}])."""
    if tools is None:
        return []
    if not isinstance(tools, list):
        raise ApiError(400, "`tools` must be an array")
    names = []
    for i, t in enumerate(tools):
        fn = t.get("function") if isinstance(t, dict) else None
        name = fn.get("name") if isinstance(fn, dict) else None
        if not isinstance(name, str) or not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", name):
            raise ApiError(400, "tools[%d].function.name must match ^[a-zA-Z0-9_-]{1,64}$" % i)
        names.append(name)
    return names


def validate_chat(body, default_model, openai):
    """The checked request: model, messages, sampling options (and stream flags for /v1)."""
    if not isinstance(body, dict):
        raise ApiError(400, "the request body must be a JSON object")
    model = body.get("model", default_model)
    if not isinstance(model, str) or not model:
        raise ApiError(400, "`model` must be a non-empty string")
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise ApiError(400, "`messages` must be a non-empty array")
    checked = []
    for i, m in enumerate(messages):
        if not isinstance(m, dict):
            raise ApiError(400, "messages[%d] must be an object" % i)
        role, content = m.get("role"), m.get("content")
        if role not in ROLES:
            raise ApiError(400, "messages[%d].role must be one of %s" % (i, ", ".join(ROLES)))
        if isinstance(content, list):  # OpenAI content parts: keep the text ones
            if not all(isinstance(p, dict) for p in content):
                raise ApiError(400, "messages[%d].content parts must be objects" % i)
            content = "".join(p.get("text", "") for p in content if p.get("type") == "text")
        if content is None and role == "assistant":
            content = ""
        calls = m.get("tool_calls") if role == "assistant" else None
        if content is None and calls:
            content = ""
        if not isinstance(content, str):
            raise ApiError(400, "messages[%d].content must be a string" % i)
        entry = {"role": role, "content": valid_text(content)}
        if calls is not None:
            if not isinstance(calls, list) or not all(isinstance(c, dict) and isinstance(c.get("function"), dict) for c in calls):
                raise ApiError(400, "messages[%d].tool_calls must be an array of function calls" % i)
            entry["tool_calls"] = calls
        if role == "tool":
            call_id = m.get("tool_call_id")
            if not isinstance(call_id, str) or not call_id:
                raise ApiError(400, "messages[%d].tool_call_id must be a non-empty string" % i)
            entry["tool_call_id"] = call_id
        checked.append(entry)
    req = {"model": valid_text(model), "messages": checked, "tools": tool_names(body.get("tools"))}
    if req["tools"]:  # passed on to an upstream model as they came
        req["tool_defs"] = body["tools"]
        choice = body.get("tool_choice")
        if choice is not None:
            if not isinstance(choice, (str, dict)):
                raise ApiError(400, "`tool_choice` must be a string or an object")
            req["tool_choice"] = choice
    for key, lo, hi in (("temperature", 0, 2), ("top_p", 0, 1)):
        v = body.get(key)
        if v is not None:
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not lo <= v <= hi:
                raise ApiError(400, "`%s` must be a number from %g to %g" % (key, lo, hi))
            req[key] = v
    max_tokens = body.get("max_tokens", body.get("max_completion_tokens") if openai else None)
    if max_tokens is not None:
        if isinstance(max_tokens, bool) or not isinstance(max_tokens, int) or max_tokens < 1:
            raise ApiError(400, "`max_tokens` must be a positive integer")
        req["max_tokens"] = max_tokens
    if openai:
        stream = body.get("stream", False)
        if stream is not None and not isinstance(stream, bool):
            raise ApiError(400, "`stream` must be a boolean")
        req["stream"] = bool(stream)
        so = body.get("stream_options") or {}
        if not isinstance(so, dict):
            raise ApiError(400, "`stream_options` must be an object")
        req["include_usage"] = bool(so.get("include_usage"))
    return req


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "imchat-serve"
    sys_version = ""
    state = None  # State, set by make_handler

    def address_string(self):  # request logs name the real client behind a trusted front
        return self.client_ip() if getattr(self, "headers", None) is not None else self.client_address[0]

    def version_string(self):
        return self.server_version

    # -- request reading with limits -----------------------------------------------------------
    def setup(self):
        super().setup()
        try:
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except OSError:
            pass

    def handle_one_request(self):
        o = self.state.opts
        self.command, self.request_version, self.requestline = "", "HTTP/1.1", ""
        self.headers_sent = False
        self.close_connection = True
        try:
            self.connection.settimeout(o.request_timeout)
            line = self.rfile.readline(o.max_header_bytes + 1)
            if not line:
                return
            if len(line) > o.max_header_bytes:
                self.send_error(414, "request line too long")
                return
            deadline = time.monotonic() + o.request_timeout
            head, total = [], len(line)
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError("headers took too long")
                self.connection.settimeout(remaining)
                h = self.rfile.readline(o.max_header_bytes - total + 1)
                total += len(h)
                if total > o.max_header_bytes or len(head) > 200:
                    self.send_error(431, "request headers too large")
                    return
                if not h:
                    return
                head.append(h)
                if h in (b"\r\n", b"\n"):
                    break
            self.connection.settimeout(o.request_timeout)
            self.raw_requestline = line
            real_rfile, self.rfile = self.rfile, io.BytesIO(b"".join(head))
            try:
                ok = self.parse_request()
            finally:
                self.rfile = real_rfile
            if not ok:
                self.close_connection = True
                return
            self.route()
            self.wfile.flush()
        except OSError:  # timeouts, resets, broken pipes: the connection is done
            self.close_connection = True
        except Exception:
            # A bug must cost one request, never the server: log it, answer 500 if still possible.
            self.close_connection = True
            self.log_error("internal error on %r", self.requestline)
            traceback.print_exc()
            if not self.headers_sent:
                try:
                    self.send_error(500, "internal server error")
                except OSError:
                    pass

    def read_body(self):
        if self.headers.get("Transfer-Encoding"):
            raise ApiError(411, "send the body with Content-Length (chunked bodies are not accepted)")
        try:
            n = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            raise ApiError(400, "bad Content-Length")
        if n < 0:
            raise ApiError(400, "bad Content-Length")
        if n > self.state.opts.max_body_bytes:
            self.close_connection = True
            raise ApiError(413, "request body too large (limit %d bytes)" % self.state.opts.max_body_bytes)
        data = self.rfile.read(n)
        if len(data) != n:
            self.close_connection = True
            raise ApiError(400, "the request body ended early")
        return data

    def read_json(self):
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        body = self.read_body()
        if ctype != "application/json":
            raise ApiError(415, "send the request body as Content-Type: application/json")
        try:
            return json.loads(body.decode("utf-8"))
        except RecursionError:
            raise ApiError(400, "the request body is nested too deeply")
        except (UnicodeDecodeError, ValueError) as e:
            raise ApiError(400, "the request body is not valid JSON: %s" % e)

    # -- responses ------------------------------------------------------------------------------
    headers_sent = False

    def start(self, status, headers, message=None):
        self.headers_sent = True
        self.send_response(status, message)
        for name, value in SECURITY_HEADERS:
            self.send_header(name, value)
        for name, value in headers.items():
            self.send_header(name, value)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()

    def respond(self, status, body, content_type, headers=None):
        h = {"Content-Type": content_type, "Content-Length": str(len(body)), "Cache-Control": "no-store"}
        h.update(headers or {})
        self.start(status, h)
        if self.command != "HEAD" and status >= 200 and status not in (204, 304):
            self.wfile.write(body)

    def respond_json(self, status, obj, headers=None):
        self.respond(status, (obj if isinstance(obj, str) else wire.dumps(obj)).encode(),
                     "application/json", headers)

    def send_error(self, code, message=None, explain=None):
        """Every error, including the base class's parse errors: JSON on the APIs, text elsewhere."""
        if self.command not in ("GET", "HEAD") or code in (400, 408, 411, 413, 414, 431):
            self.close_connection = True
        text = message or self.responses.get(code, ("error",))[0]
        path = getattr(self, "path", "") or ""
        if path.startswith(("/api/", "/v1/")):
            self.respond(code, wire.error_body(text, code).encode(), "application/json")
        else:
            self.respond(code, (text + "\n").encode(), "text/plain; charset=utf-8")

    def log_error(self, fmt, *args):  # always shown, even with --quiet
        super().log_message(fmt, *args)

    def log_message(self, fmt, *args):
        if not self.state.opts.quiet:
            super().log_message(fmt, *args)

    # -- routing -------------------------------------------------------------------------------
    def route(self):
        raw_path, _, query = self.path.partition("?")
        raw_path = raw_path.partition("#")[0]
        self.query = urllib.parse.parse_qs(query)
        if not self.host_allowed():
            self.send_error(403, "this server answers only to loopback host names")
            return
        try:
            if raw_path.startswith(("/api/", "/v1/")) or raw_path in ("/api", "/v1"):
                self.route_api(raw_path)
            elif raw_path == "/chat/stream":
                self.need(self.command, "GET") or self.stream_plain()
            elif self.command in ("GET", "HEAD"):
                self.serve_static(raw_path)
            else:
                self.respond(405, b"method not allowed\n", "text/plain; charset=utf-8", {"Allow": "GET, HEAD"})
        except ApiError as e:
            if self.command == "POST":
                self.close_connection = True  # the body may be unread: never parse it as a request
            self.respond_json(e.status, wire.error_body(e.message, e.status), e.headers)
        except Simulated as e:
            self.respond_simulated(e)
        except StoreUnavailable as e:
            self.log_error("reply store unavailable: %s", e)
            if not self.headers_sent:
                self.respond_json(503, wire.error_body("the reply store is unavailable (%s); try again"
                                                       % e, 503), {"Retry-After": "1"})

    # -- who is asking: the peer, or the client a trusted front forwards ----------------------
    def from_trusted_proxy(self):
        return self.client_address[0] in self.state.trusted_proxies

    def client_ip(self):
        """The real client: the last X-Forwarded-For entry (the one the trusted front added)."""
        if self.from_trusted_proxy():
            forwarded = (self.headers.get("X-Forwarded-For") or "").split(",")[-1].strip()
            if forwarded:
                return forwarded
        return self.client_address[0]

    def public_host(self):
        """The Host the browser used: the front's X-Forwarded-Host when trusted, else Host."""
        if self.from_trusted_proxy():
            forwarded = (self.headers.get("X-Forwarded-Host") or "").split(",")[-1].strip()
            if forwarded:
                return forwarded
        return self.headers.get("Host", "")

    def public_scheme(self):
        if self.from_trusted_proxy():
            proto = (self.headers.get("X-Forwarded-Proto") or "").split(",")[-1].strip().lower()
            if proto in ("http", "https"):
                return proto
        return "http"

    def host_allowed(self):
        if not self.state.loopback_only:
            return True
        if self.from_trusted_proxy():
            # The front answers only to its own server name; the loopback rule (a guard against
            # DNS rebinding of a server a browser reaches directly) is its job then.
            return True
        host = self.headers.get("Host")
        if host is None:
            return True
        name = urllib.parse.urlsplit("//" + host).hostname or ""
        return name in LOOPBACK_NAMES

    def route_api(self, path):
        parts = path.strip("/").split("/")
        m = self.command
        required = getattr(self.state.opts, "required_key", None)
        if required is not None and parts[0] == "v1":
            given = self.headers.get("Authorization", "")
            if given != "Bearer " + required:
                # Echoes what it got, like real servers do: the proxy must scrub its own key.
                raise ApiError(401, "Incorrect API key provided: %s" % given[7:][:200])
        if parts == ["v1", "models"]:
            return self.need(m, "GET", "HEAD") or self.list_models()
        if parts == ["v1", "chat", "completions"]:
            return self.need(m, "POST") or self.openai_chat()
        if parts == ["api", "chat"]:
            return self.need(m, "POST") or self.create_chat()
        if len(parts) >= 3 and parts[:2] == ["api", "chat"] and len(parts) <= 4:
            reply_id = parts[2]
            action = parts[3] if len(parts) == 4 else ""
            if action == "stream":
                return self.need(m, "GET") or self.stream_builtin(self.find(reply_id))
            if action == "stop":
                if self.need(m, "POST"):
                    return
                if "Content-Length" in self.headers:
                    self.read_body()
                self.find(reply_id).cancel("stop")
                return self.respond_json(200, {})
            if action == "":
                return self.need(m, "GET", "HEAD") or self.respond_json(200, self.find(reply_id).summary())
        raise ApiError(404, "no such API endpoint: %s" % path)

    def need(self, method, *allowed):
        if method not in allowed:
            raise ApiError(405, "use %s here" % " or ".join(allowed), {"Allow": ", ".join(allowed)})
        return False

    def find(self, reply_id):
        reply = self.state.store.get(reply_id)
        if reply is None:
            raise ApiError(404, "no reply with id %r (it may have expired)" % reply_id[:64])
        return reply

    def check_origin(self):
        """Cross-site pages must not drive the API (and spend the upstream key)."""
        origin = self.headers.get("Origin")
        if origin is None:
            return
        parts = urllib.parse.urlsplit(origin)
        if origin == "null" or parts.netloc != self.public_host():
            raise ApiError(403, "cross-origin requests are not allowed")
        if self.from_trusted_proxy() and parts.scheme != self.public_scheme():
            raise ApiError(403, "cross-origin requests are not allowed (scheme differs)")

    # -- static files --------------------------------------------------------------------------
    def serve_static(self, raw_path):
        try:
            path = resolve(self.state.opts.root, raw_path)
        except BadPath as e:
            self.send_error(e.status, str(e))
            return
        f = StaticFile(path, self.headers.get("Accept-Encoding"), self.state.opts.static_max_age)
        if f.not_modified(self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")):
            h = {k: v for k, v in f.headers.items() if k in ("ETag", "Cache-Control", "Vary", "Last-Modified")}
            self.start(304, h)
            return
        with open(f.send_path, "rb") as fh:
            data = fh.read()
        h = dict(f.headers)
        h["Content-Length"] = str(len(data))
        self.start(200, h)
        if self.command != "HEAD":
            self.wfile.write(data)

    # -- replies -------------------------------------------------------------------------------
    def new_reply(self, openai):
        """Validates the body and starts generating; raises ApiError / Simulated."""
        st = self.state
        body = self.read_json()
        self.check_origin()
        req = validate_chat(body, st.opts.model_name, openai)
        rate = getattr(st.opts, "chaos_fail_rate", 0.0)
        if rate and st.chaos is not None and st.chaos.random() < rate:
            # A random refusal, as an overloaded server gives (test option --chaos-fail-rate).
            raise ApiError(503, "simulated overload (--chaos-fail-rate)", {"Retry-After": "1"})
        if req["model"] == st.opts.model_name:
            special, steps = plan_reply(req["messages"], req["tools"])
            if "http" in special:
                raise Simulated(special["http"], special["html"])
            reply = Reply(req["model"], req, special)
            target, args = None, (reply, steps, st.opts.tokens_per_second, req.get("max_tokens"))
        elif st.upstream is not None:
            reply = Reply(req["model"], req)
            target, args = run_upstream, (reply, st.upstream)
        else:
            raise ApiError(404, "unknown model %r: this server offers only %r (start it with "
                                "--upstream to reach other models)" % (req["model"][:100], st.opts.model_name))
        if not st.store.add(reply):
            raise ApiError(503, "too many replies in progress", {"Retry-After": "5"})
        if target is None:
            st.pacer.start(*args)  # the demo model: the shared pacer thread generates it
        else:
            threading.Thread(target=target, args=args, name="gen-" + reply.id, daemon=True).start()
        return reply

    def respond_simulated(self, e):
        headers = {"Retry-After": "2"} if e.status in (429, 503) else {}
        reason = self.responses.get(e.status, ("Error",))[0]
        if e.html:
            body = "<!doctype html><html><head><title>%d %s</title></head><body><h1>%d %s</h1>" \
                   "<p>simulated by serve.py</p></body></html>\n" % (e.status, reason, e.status, reason)
            self.respond(e.status, body.encode(), "text/html; charset=utf-8", headers)
        else:
            self.respond_json(e.status, wire.error_body("simulated HTTP %d (%s)" % (e.status, reason),
                                                        e.status), headers)

    def create_chat(self):
        reply = self.new_reply(openai=False)
        self.respond_json(200, {"id": reply.id})

    def last_event_id(self):
        raw = self.headers.get("Last-Event-ID")
        if raw is None or not raw.strip():
            raw = (self.query.get("last_event_id") or [""])[0]
        if not raw.strip():
            return 0
        try:
            n = int(raw.strip())
        except ValueError:
            n = -1
        if n < 0:
            raise ApiError(400, "Last-Event-ID / last_event_id must be a non-negative integer")
        return n

    def stream_headers(self, content_type):
        chunked = self.request_version == "HTTP/1.1"
        if not chunked:
            self.close_connection = True
        try:
            # Bounds what the kernel holds for a client that reads slowly or not at all (Linux
            # would otherwise grow it to several MB per connection); the write then times out.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF,
                                       self.state.opts.stream_send_buffer)
            # Each event goes out when written: Nagle's algorithm would hold a small write back
            # until the client's delayed ACK of the last one (the p99 gap at 100 streams fell from
            # 340-650 ms to 211 ms with it off).
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        except (OSError, AttributeError):
            pass
        h = {"Content-Type": content_type, "Cache-Control": "no-cache", "X-Accel-Buffering": "no"}
        if chunked:
            h["Transfer-Encoding"] = "chunked"
        self.start(200, h)
        return StreamWriter(self.connection, self.wfile, chunked, self.state.chaos)

    def special_stream(self, reply, event_stream_type):
        """Test modes that break the stream's framing; True when one answered the request."""
        if reply.special.get("wrongtype"):
            self.respond(200, b"this is not an event stream\n",
                         "text/plain; charset=utf-8" if event_stream_type else "text/html; charset=utf-8")
            return True
        n = reply.special.get("nonewline")
        if n:
            w = self.stream_headers("text/event-stream; charset=utf-8")
            w.write(b"data: ")
            sent = 6
            while sent < n:
                piece = b"x" * min(65536, n - sent)
                w.write(piece)
                sent += len(piece)
            w.finish()
            return True
        return False

    def stream_builtin(self, reply):
        after = self.last_event_id()
        if self.special_stream(reply, True):
            return
        if reply.fully_read(after):
            self.start(204, {"Content-Length": "0"})  # EventSource stops reconnecting on 204
            return
        with self.state.stream_slot(self.client_ip()):
            w = self.stream_headers("text/event-stream; charset=utf-8")
            w.write(wire.retry_line(self.state.opts.retry_ms))
            self.pump(reply, after, w, lambda ev: (wire.builtin_event(ev), ev.kind in ("done", "fail")),
                      wire.PING)

    def stream_plain(self):
        """GET /chat/stream?prompt=: the demo reply as bare text events (serve/plain_sse.py)."""
        after = self.last_event_id()
        prompt = (self.query.get("prompt") or [""])[0]
        reply, steps = plain_sse.plan_plain(prompt, self.state.opts.model_name, after)
        with self.state.stream_slot(self.client_ip()):
            w = self.stream_headers("text/event-stream; charset=utf-8")
            w.write(wire.retry_line(self.state.opts.retry_ms))
            self.state.pacer.start(reply, steps, self.state.opts.tokens_per_second)
            try:
                self.pump(reply, 0, w, plain_sse.formatter(after), plain_sse.PING)
            finally:
                reply.cancel("client gone")  # this connection's own reply: nobody else reads it

    def pump(self, reply, after, w, format_event, ping):
        """Copies the reply's log to the connection until the reply ends or the client goes."""
        if (isinstance(reply, Reply) and w.chunked and self.state.chaos is None
                and not reply.special.get("reset")):
            # The common case, handed to the one event-loop thread (serve/stream_hub.py).
            if not self.state.hub.run(reply, after, self.connection, format_event, ping):
                self.close_connection = True
            return
        reply.attach()
        attached = True
        try:
            last = after
            while True:
                events, finished = reply.wait_events(last, self.state.opts.ping_seconds)
                if not events and finished:
                    break
                if not events:
                    w.write(ping)
                    continue
                end = False
                for ev in events:
                    data, end = format_event(ev)
                    if ev.seq == reply.special.get("reset") and reply.take_reset():
                        w.write(data[: len(data) // 2])  # half an event, then a TCP reset
                        raise Dropped()
                    last = ev.seq
                    w.write_event(data)
                    if end:
                        break
                if end or finished:
                    break
            w.finish()
        except Dropped:
            self.close_connection = True
            w.abort()
        except Stalled:
            self.close_connection = True
            reply.detach()
            attached = False
            w.hold(min(self.state.opts.keep_seconds, 600))
        except OSError:
            self.close_connection = True
        except StoreUnavailable as e:
            # The shared store went away mid-stream: cut the stream (never end it cleanly) so
            # the client resumes by event id once it is back.
            self.log_error("reply store unavailable mid-stream: %s", e)
            self.close_connection = True
            w.abort()
        finally:
            if attached:
                reply.detach()

    # -- OpenAI wire format --------------------------------------------------------------------
    def list_models(self):
        st = self.state
        data = [wire.model_entry(st.opts.model_name)]
        out = {"object": "list", "data": data}
        if st.upstream is not None:
            models, warning = st.upstream.list_models()
            data += [m for m in models if m["id"] != st.opts.model_name]
            if warning:
                out["warning"] = warning
                self.log_message("%s", warning)
        self.respond_json(200, out)

    def openai_chat(self):
        reply = self.new_reply(openai=True)
        req = reply.request
        if not req["stream"]:
            return self.openai_whole(reply)
        if self.special_stream(reply, False):
            return
        with self.state.stream_slot(self.client_ip()):
            # Wait for the first event so an early failure becomes an HTTP error status.
            reply.attach()
            try:
                while True:
                    events, finished = reply.wait_events(0, 3600)
                    if events or finished:
                        break
            finally:
                reply.detach()
            if events[0].kind == "fail":
                return self.respond_fail(events[0].payload)
            fmt = wire.ChunkFormatter(reply, req["include_usage"])
            w = self.stream_headers("text/event-stream; charset=utf-8")
            w.write(fmt.first())
            self.pump(reply, 0, w, fmt.event, b": ping\n\n")

    def respond_fail(self, p):
        headers = {"Retry-After": str(p["retry_after"])} if p.get("retry_after") is not None else {}
        self.respond_json(p["status"], wire.error_body(p["message"], p["status"]), headers)

    def openai_whole(self, reply):
        reply.attach()
        try:
            while not reply.finished:
                reply.wait_events(len(reply.events), 3600)
        finally:
            reply.detach()
        last = reply.events[-1]
        if last.kind == "fail":
            return self.respond_fail(last.payload)
        self.respond_json(200, wire.completion_object(reply))


def make_handler(state):
    return type("ImchatHandler", (Handler,), {"state": state})
