"""Shared helpers of the serve.py tests: a real serve.py subprocess and small HTTP/SSE clients.

The SSE reader here is written independently of serve/upstream.py's parser on purpose, so the
tests do not check the server against itself.
"""
import http.client
import json
import os
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.environ.get("IMCHAT_SOURCE_DIR") or os.path.abspath(os.path.join(HERE, "..", ".."))
SERVE_PY = os.path.join(SOURCE_DIR, "serve.py")
FAST = ["--tokens-per-second", "20000", "--quiet"]


class Server:
    """serve.py on a free loopback port; stderr is collected for assertions."""

    def __init__(self, args=(), root=None, env=None):
        root = root or os.path.join(HERE, "no-such-bundle")
        cmd = [sys.executable, SERVE_PY, "--port", "0", "--root", root, "--exit-on-stdin-eof", *args]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE, env={**os.environ, **(env or {})})
        self.stderr_chunks = []
        self._drainer = threading.Thread(target=self._drain, daemon=True)
        self._drainer.start()
        line = self.proc.stdout.readline().decode()
        if not line.startswith("listening on http://"):
            self.stop()
            raise RuntimeError("serve.py did not start: %r %s" % (line, self.stderr()))
        self.first_line = line
        self.url = line.split()[-1]
        self.host, port = self.url[len("http://"):].rsplit(":", 1)
        self.port = int(port)

    def _drain(self):
        for chunk in iter(lambda: self.proc.stderr.read1(65536), b""):
            self.stderr_chunks.append(chunk)

    def stderr(self):
        return b"".join(self.stderr_chunks).decode("utf-8", "replace")

    def stderr_when(self, text, timeout=10):
        """stderr once it holds text (the server logs after answering, and the drainer thread
        reads it later still: on loaded cores the line can trail the response by a while)."""
        deadline = time.monotonic() + timeout
        while text not in self.stderr() and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.stderr()

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self._drainer.join(5)
        if not self.proc.stdin.closed:
            self.proc.stdin.close()
        self.proc.stdout.close()
        self.proc.stderr.close()

    def conn(self, timeout=30):
        return http.client.HTTPConnection(self.host, self.port, timeout=timeout)

    def request(self, method, path, body=None, headers=None, timeout=30):
        """(status, headers dict with lower-case names, body bytes) on a fresh connection."""
        c = self.conn(timeout)
        h = dict(headers or {})
        if isinstance(body, (dict, list)):
            body = json.dumps(body).encode()
            h.setdefault("Content-Type", "application/json")
        try:
            c.request(method, path, body=body, headers=h)
            r = c.getresponse()
            data = r.read()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, data
        finally:
            c.close()

    def json(self, method, path, body=None, headers=None):
        status, h, data = self.request(method, path, body, headers)
        return status, json.loads(data) if data else None

    def create(self, prompt, model="imchat-demo", **extra):
        status, obj = self.json("POST", "/api/chat",
                                {"model": model, "messages": [{"role": "user", "content": prompt}], **extra})
        assert status == 200, (status, obj)
        return obj["id"]

    def summary(self, reply_id):
        return self.json("GET", "/api/chat/%s" % reply_id)[1]

    def wait_finished(self, reply_id, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            s = self.summary(reply_id)
            if s["status"] != "running":
                return s
            time.sleep(0.02)
        raise AssertionError("reply %s did not finish" % reply_id)


def parse_sse(data):
    """All events of a complete SSE body: list of dicts {event, data, id, retry}."""
    events, cur = [], {}
    text = data.decode("utf-8", "replace").replace("\r\n", "\n").replace("\r", "\n")
    for line in text.split("\n"):
        if line == "":
            if cur:
                events.append(cur)
            cur = {}
            continue
        if line.startswith(":"):
            continue
        name, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if name == "data" and "data" in cur:
            cur["data"] += "\n" + value
        else:
            cur[name] = value
    return events


def read_stream(server, path, headers=None, timeout=30):
    """Reads a stream until it ends or breaks: (status, headers, body bytes, complete?)."""
    c = server.conn(timeout)
    try:
        c.request("GET", path, headers=headers or {})
        r = c.getresponse()
        h = {k.lower(): v for k, v in r.getheaders()}
        body = b""
        try:
            while True:
                chunk = r.read1(65536)
                if not chunk:
                    break
                body += chunk
            return r.status, h, body, True
        except (http.client.IncompleteRead, ConnectionError, TimeoutError) as e:
            # TimeoutError: nothing arrived for `timeout` seconds (a stalled stream)
            if isinstance(e, http.client.IncompleteRead):
                body += e.partial
            return r.status, h, body, False
    finally:
        c.close()


def content_of(events):
    """Concatenated content and reasoning of built-in API events, plus the numbered ids."""
    content, reasoning, ids = [], [], []
    for e in events:
        if "id" in e:
            ids.append(int(e["id"]))
        if e.get("event") in (None, "message") and "data" in e:
            d = json.loads(e["data"])
            content.append(d.get("content", ""))
            reasoning.append(d.get("reasoning", ""))
    return "".join(content), "".join(reasoning), ids
