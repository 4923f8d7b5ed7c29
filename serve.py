#!/usr/bin/env python3
"""serve.py: hosts the imchat web bundle, a built-in demo model and a proxy to an
OpenAI-compatible server. Python standard library only; the parts live in serve/.

    python3 serve.py                        # http://127.0.0.1:8000, demo model only
    python3 serve.py --upstream http://127.0.0.1:8080/v1 --api-key-env OPENAI_API_KEY
"""
import argparse
import http.server
import os
import signal
import socket
import sys
import threading

from serve.demo_model import SPECIAL_HELP
from serve.handler import State, is_loopback, make_handler
from serve.replies import ReplyStore
from serve.stream_writer import Chaos
from serve.upstream import Upstream

HERE = os.path.dirname(os.path.abspath(__file__))

API_HELP = """\
built-in API (POST bodies are JSON with Content-Type: application/json; a POST whose Origin
is not this server gets 403):
  POST /api/chat                {"model","messages":[{"role","content"}],"temperature"?,
                                "top_p"?,"max_tokens"?} -> {"id"}
  GET  /api/chat/ID/stream      text/event-stream: `retry:` first, then events with ids 1,2,3...
                                data {"content"} or {"reasoning"}; `event: done` {"finish_reason",
                                "usage","stopped"?}; `event: fail` {"status","message",
                                "retry_after"?}; `event: ping` {} when idle. Resumes after
                                Last-Event-ID (header) or ?last_event_id=N. 204 once finished
                                and fully read (EventSource then stops reconnecting).
  GET  /api/chat/ID             {"id","status","content","reasoning","finish_reason","usage"}
  POST /api/chat/ID/stop        stops generation (the stream ends with done, "stopped":true)
  GET  /chat/stream?prompt=TEXT the demo reply as plain SSE: `id: N` + bare `data:` lines of
                                text per token, then `event: done`; Last-Event-ID resumes
  GET  /v1/models               OpenAI model list: the demo model plus the upstream's
  POST /v1/chat/completions     OpenAI Chat Completions (stream true/false, include_usage)
"""


def positive_float(text):
    v = float(text)
    if not v > 0:
        raise argparse.ArgumentTypeError("must be > 0")
    return v


def build_parser():
    p = argparse.ArgumentParser(
        prog="serve.py", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Serves the imchat web bundle, a built-in demo model and an optional proxy "
                    "to an OpenAI-compatible server. Prints `listening on http://HOST:PORT` "
                    "as its first line of output.",
        epilog=API_HELP + "\n" + SPECIAL_HELP)
    g = p.add_argument_group("hosting")
    g.add_argument("--host", default="127.0.0.1",
                   help="address to bind (default 127.0.0.1; a non-loopback address prints a "
                        "warning). Bound to loopback, requests must name a loopback Host "
                        "(localhost, 127.0.0.1, [::1]): a guard against DNS rebinding")
    g.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks a free one)")
    g.add_argument("--root", default=os.path.join(HERE, "build", "web", "bundle"),
                   help="folder of static files to serve (default build/web/bundle beside serve.py)")
    g.add_argument("--static-max-age", type=int, default=60, metavar="S",
                   help="Cache-Control max-age of static files other than .html (default 60)")
    g.add_argument("--trusted-proxy", action="append", default=[], metavar="ADDR",
                   help="peer address of a front (nginx, Caddy) whose X-Forwarded-For, "
                        "-Proto and -Host are believed: per-client limits key on the forwarded "
                        "client, the Origin check on the forwarded scheme and host, and the "
                        "loopback Host rule is left to the front (repeatable; default none)")
    g.add_argument("--quiet", action="store_true", help="do not log requests to stderr")
    g.add_argument("--exit-on-stdin-eof", action="store_true",
                   help="exit when standard input closes (test harnesses: the server dies with "
                        "the process that started it, however that one ends)")
    g = p.add_argument_group("streams and replies")
    g.add_argument("--model-name", default="imchat-demo",
                   help="id of the built-in demo model (default imchat-demo)")
    g.add_argument("--tokens-per-second", type=positive_float, default=30.0, metavar="N",
                   help="demo model speed (default 30)")
    g.add_argument("--retry-ms", type=int, default=1000, metavar="MS",
                   help="the `retry:` value sent first on every stream (default 1000)")
    g.add_argument("--ping-seconds", type=positive_float, default=15.0, metavar="S",
                   help="send `event: ping` after this long without data (default 15)")
    g.add_argument("--keep-seconds", type=positive_float, default=300.0, metavar="S",
                   help="keep a finished reply for resuming/reading this long (default 300)")
    g.add_argument("--abandon-seconds", type=positive_float, default=60.0, metavar="S",
                   help="cancel a reply no client has watched for this long (default 60)")
    g.add_argument("--max-replies", type=int, default=4096, metavar="N",
                   help="replies kept at once; finished ones are evicted first (default 4096)")
    g = p.add_argument_group("shared reply logs (several instances)")
    g.add_argument("--redis", metavar="URL",
                   help="keep every reply's event log in Redis (e.g. redis://127.0.0.1:6379/0) so "
                        "any instance with the same URL resumes and stops any reply; needs the "
                        "Python redis client (Debian python3-redis). Default: in this process's memory")
    g.add_argument("--redis-lease-seconds", type=positive_float, default=3.0, metavar="S",
                   help="a generating instance renews its lease on its replies every S/3; when it "
                        "lapses (the instance died) another marks them interrupted (default 3)")
    g.add_argument("--redis-max-events", type=int, default=250_000, metavar="N",
                   help="length cap of one reply's log in Redis (default 250000)")
    g = p.add_argument_group("upstream proxy")
    g.add_argument("--upstream", metavar="BASE_URL",
                   help="an OpenAI-compatible API, e.g. http://127.0.0.1:8080/v1; models other "
                        "than the demo go there")
    g.add_argument("--api-key-env", metavar="NAME",
                   help="environment variable holding the upstream API key (never sent to the "
                        "browser, never logged)")
    g.add_argument("--upstream-timeout", type=positive_float, default=300.0, metavar="S",
                   help="socket timeout of upstream requests (default 300)")
    g.add_argument("--models-cache-seconds", type=float, default=30.0, metavar="S",
                   help="cache the upstream model list this long (default 30)")
    g = p.add_argument_group("limits")
    g.add_argument("--max-streams-per-client", type=int, default=256, metavar="N",
                   help="open streams per client address; more get 429 (default 256)")
    g.add_argument("--request-timeout", type=positive_float, default=10.0, metavar="S",
                   help="time allowed to send a request's line and headers, and socket timeout "
                        "of reads and writes (default 10)")
    g.add_argument("--max-header-bytes", type=int, default=16384, metavar="N",
                   help="request line and headers each (default 16384; over: 414/431)")
    g.add_argument("--max-body-bytes", type=int, default=4 << 20, metavar="N",
                   help="request body (default 4 MiB; over: 413)")
    g.add_argument("--max-connections", type=int, default=1024, metavar="N",
                   help="open connections in all; more are closed at once (default 1024)")
    g.add_argument("--stream-send-buffer", type=int, default=128 << 10, metavar="BYTES",
                   help="kernel send buffer of each stream connection (default 131072): the most "
                        "a client that stops reading costs before its write times out")
    g = p.add_argument_group("fault injection (for tests)")
    g.add_argument("--chaos-drop-after", type=int, default=0, metavar="N",
                   help="cut every stream connection abruptly after N events")
    g.add_argument("--chaos-stall-after", type=int, default=0, metavar="N",
                   help="after N events on a connection, write nothing more but keep it open")
    g.add_argument("--chaos-drop-rate", type=float, default=0.0, metavar="P",
                   help="cut a stream connection after each event with probability P")
    g.add_argument("--chaos-fail-rate", type=float, default=0.0, metavar="P",
                   help="refuse a new reply (POST /api/chat, /v1/chat/completions) with HTTP 503 "
                        "and Retry-After: 1 with probability P (a failing server or upstream)")
    g.add_argument("--chaos-seed", type=int, default=0, metavar="S",
                   help="seed of the random drops and write splits (default 0)")
    g.add_argument("--chaos-slow-writes", action="store_true",
                   help="send stream bytes in small pieces with ~1 ms pauses")
    g.add_argument("--require-key-env", metavar="NAME",
                   help="(for a serve.py acting as a test upstream) answer /v1/* with 401 unless "
                        "`Authorization: Bearer $NAME` is sent")
    return p


def main(argv=None):
    opts = build_parser().parse_args(argv)
    if not os.path.isdir(opts.root):
        print("serve.py: warning: root %s does not exist; static files will 404" % opts.root,
              file=sys.stderr)
    api_key = ""
    if opts.api_key_env:
        api_key = os.environ.get(opts.api_key_env, "")
        if not api_key:
            print("serve.py: warning: environment variable %s is empty" % opts.api_key_env,
                  file=sys.stderr)
    opts.required_key = os.environ.get(opts.require_key_env, "") if opts.require_key_env else None
    upstream = None
    if opts.upstream:
        try:
            upstream = Upstream(opts.upstream, api_key, opts.upstream_timeout, opts.models_cache_seconds)
        except ValueError as e:
            print("serve.py: %s" % e, file=sys.stderr)
            return 2
    chaos = None
    if (opts.chaos_drop_after or opts.chaos_stall_after or opts.chaos_drop_rate
            or opts.chaos_slow_writes or opts.chaos_fail_rate):
        chaos = Chaos(opts.chaos_drop_after, opts.chaos_stall_after, opts.chaos_drop_rate,
                      opts.chaos_seed, opts.chaos_slow_writes)
    if opts.redis:
        from serve.replies_redis import RedisReplyStore  # only here: no redis client needed otherwise
        try:
            store = RedisReplyStore(opts.redis, opts.keep_seconds, opts.abandon_seconds,
                                    opts.redis_lease_seconds, opts.redis_max_events)
        except Exception as e:
            print("serve.py: cannot use Redis at %s: %s" % (opts.redis, e), file=sys.stderr)
            return 1
    else:
        store = ReplyStore(opts.keep_seconds, opts.abandon_seconds, opts.max_replies)
    state = State(opts, store, upstream, chaos)

    class Server(http.server.ThreadingHTTPServer):
        daemon_threads = True
        request_queue_size = 256
        address_family = socket.AF_INET6 if ":" in opts.host else socket.AF_INET
        open_connections = 0
        count_lock = threading.Lock()

        def process_request(self, request, client_address):
            with self.count_lock:
                if self.open_connections >= opts.max_connections:
                    self.shutdown_request(request)
                    return
                self.open_connections += 1
            super().process_request(request, client_address)

        def process_request_thread(self, request, client_address):
            try:
                super().process_request_thread(request, client_address)
            finally:
                with self.count_lock:
                    self.open_connections -= 1

    def stop(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)

    try:
        server = Server((opts.host, opts.port), make_handler(state))
    except OSError as e:
        print("serve.py: cannot listen on %s:%d: %s" % (opts.host, opts.port, e), file=sys.stderr)
        return 1
    host, port = server.server_address[:2]
    if not is_loopback(opts.host):
        print("serve.py: warning: bound to %s, reachable from other machines; the proxy spends "
              "your upstream key for anyone who can connect" % opts.host, file=sys.stderr, flush=True)
    shown = "[%s]" % host if ":" in host else host

    def watch_stdin():
        while os.read(0, 4096):  # the raw fd: a buffered read would block interpreter exit
            pass
        os.kill(os.getpid(), signal.SIGTERM)

    try:  # from here on SIGTERM (KeyboardInterrupt) is a clean exit
        if opts.exit_on_stdin_eof:
            threading.Thread(target=watch_stdin, name="stdin-watch", daemon=True).start()
        print("listening on http://%s:%d" % (shown, port), flush=True)
        server.serve_forever(poll_interval=0.25)
    except KeyboardInterrupt:
        pass
    finally:
        store.cancel_all()
        store.close()
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
