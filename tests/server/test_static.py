"""Static hosting: types, gzip, caching, security headers, path traversal, request limits."""
import gzip
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest

from serve_fixture import FAST, SERVE_PY, Server, read_stream

SECURITY = {
    "content-security-policy": "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; "
                               "connect-src 'self' http: https:; style-src 'self'; img-src 'self' data: blob:; "
                               "font-src 'self'",
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "cross-origin-opener-policy": "same-origin",
}
SECRET = b"TOP-SECRET-OUTSIDE-THE-BUNDLE"
BROTLI_STANDIN = b"\xce\xb2 brotli stand-in for "


def raw_request(server, data, timeout=5):
    """Sends raw bytes, returns everything the server answers until it closes."""
    with socket.create_connection((server.host, server.port), timeout=timeout) as sock:
        sock.sendall(data)
        out = b""
        try:
            while True:
                chunk = sock.recv(65536)
                if not chunk:
                    break
                out += chunk
                if b"\r\n\r\n" in out and b"Connection: close" not in out and b"Content-Length: 0" in out:
                    break
        except socket.timeout:
            pass
        return out


class StaticFiles(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="imchat-static-")
        root = cls.root = os.path.join(cls.tmp, "bundle")
        os.makedirs(os.path.join(root, "fonts"))
        files = {
            "index.html": b"<!doctype html><title>imchat</title>" + b" " * 2000,
            "app.js": b"console.log('app');\n" * 200,
            "app.wasm": b"\0asm\1\0\0\0" + b"\0" * 100,
            "style.css": b"body { margin: 0 }\n",
            "fonts/ui.ttf": b"\0\1\0\0fontdata",
            "stale.js": b"// new\n" * 50,
            "both.js": b"// both\n" * 50,
            "stalebr.js": b"// stale br\n" * 50,
            ".hidden": b"hidden",
        }
        for name, data in files.items():
            with open(os.path.join(root, name), "wb") as f:
                f.write(data)
        for name in ("app.js", "app.wasm", "stale.js"):
            with open(os.path.join(root, name + ".gz"), "wb") as f:
                f.write(gzip.compress(b"// stale gzip\n" if name == "stale.js" else files[name]))
        for name in ("both.js", "stalebr.js"):
            with open(os.path.join(root, name + ".gz"), "wb") as f:
                f.write(gzip.compress(files[name]))
            with open(os.path.join(root, name + ".br"), "wb") as f:
                f.write(BROTLI_STANDIN + name.encode())  # serve.py never decodes: any bytes do
        past = time.time() - 3600
        os.utime(os.path.join(root, "stale.js.gz"), (past, past))
        os.utime(os.path.join(root, "stalebr.js.br"), (past, past))
        with open(os.path.join(cls.tmp, "secret.txt"), "wb") as f:
            f.write(SECRET)
        os.symlink(os.path.join(cls.tmp, "secret.txt"), os.path.join(root, "link-out.txt"))
        os.symlink(cls.tmp, os.path.join(root, "dir-out"))
        os.symlink(os.path.join(root, "style.css"), os.path.join(root, "link-in.css"))
        cls.files = files
        cls.s = Server(FAST + ["--max-header-bytes", "4096", "--max-body-bytes", "1000",
                               "--request-timeout", "1"], root=root)

    @classmethod
    def tearDownClass(cls):
        cls.s.stop()
        shutil.rmtree(cls.tmp)

    def get(self, path, headers=None, method="GET"):
        return self.s.request(method, path, headers=headers)

    def assertSecure(self, h):
        for name, value in SECURITY.items():
            self.assertEqual(h.get(name), value, name)

    def test_first_line_and_help(self):
        self.assertRegex(self.s.first_line, r"^listening on http://127\.0\.0\.1:\d+\n$")
        out = subprocess.run([sys.executable, SERVE_PY, "--help"], capture_output=True, text=True).stdout
        for word in ("--host", "--port", "--root", "--retry-ms", "--ping-seconds", "--keep-seconds",
                     "--abandon-seconds", "--tokens-per-second", "--upstream", "--api-key-env",
                     "--max-streams-per-client", "--chaos-drop-after", "--chaos-stall-after",
                     "--chaos-seed", "--chaos-drop-rate", "--chaos-slow-writes", "/echo", "/long",
                     "/fail", "/http", "/wrongtype", "/malformed", "/nonewline", "think"):
            self.assertIn(word, out)

    def test_types_and_cache_headers(self):
        expected = {"/": "text/html; charset=utf-8", "/index.html": "text/html; charset=utf-8",
                    "/app.js": "text/javascript; charset=utf-8", "/app.wasm": "application/wasm",
                    "/style.css": "text/css; charset=utf-8", "/fonts/ui.ttf": "font/ttf",
                    "/link-in.css": "text/css; charset=utf-8"}
        for path, ctype in expected.items():
            status, h, body = self.get(path)
            self.assertEqual(status, 200, path)
            self.assertEqual(h["content-type"], ctype, path)
            self.assertSecure(h)
            self.assertIn("etag", h)
            self.assertIn("last-modified", h)
            self.assertNotIn("content-encoding", h)
            if path in ("/", "/index.html"):
                self.assertEqual(h["cache-control"], "no-cache")
                self.assertEqual(body, self.files["index.html"])
            else:
                self.assertRegex(h["cache-control"], r"^max-age=\d+$")

    def test_gzip(self):
        status, h, body = self.get("/app.wasm", {"Accept-Encoding": "gzip, deflate, br"})
        self.assertEqual((status, h["content-encoding"], h["vary"]), (200, "gzip", "Accept-Encoding"))
        self.assertEqual(h["content-type"], "application/wasm")
        self.assertEqual(gzip.decompress(body), self.files["app.wasm"])
        self.assertEqual(int(h["content-length"]), len(body))
        status, h2, body = self.get("/app.js", {"Accept-Encoding": "br, gzip;q=0"})
        self.assertNotIn("content-encoding", h2)
        self.assertEqual(h2["vary"], "Accept-Encoding")
        self.assertEqual(body, self.files["app.js"])
        _, h3, _ = self.get("/app.wasm")
        self.assertNotEqual(h["etag"], h3["etag"])
        status, h, body = self.get("/stale.js", {"Accept-Encoding": "gzip"})
        self.assertNotIn("content-encoding", h)  # the .gz is older than its source: ignored
        self.assertEqual(body, self.files["stale.js"])

    def test_brotli(self):
        status, h, body = self.get("/both.js", {"Accept-Encoding": "gzip, deflate, br"})
        self.assertEqual((status, h["content-encoding"], h["vary"]), (200, "br", "Accept-Encoding"))
        self.assertEqual(h["content-type"], "text/javascript; charset=utf-8")
        self.assertEqual(body, BROTLI_STANDIN + b"both.js")
        self.assertEqual(int(h["content-length"]), len(body))
        etag_br = h["etag"]
        _, h, body = self.get("/both.js", {"Accept-Encoding": "gzip"})
        self.assertEqual(h["content-encoding"], "gzip")
        self.assertEqual(gzip.decompress(body), self.files["both.js"])
        self.assertNotEqual(h["etag"], etag_br)
        _, h, body = self.get("/both.js", {"Accept-Encoding": "br;q=0.5, gzip"})  # gzip preferred
        self.assertEqual(h["content-encoding"], "gzip")
        _, h, body = self.get("/both.js", {"Accept-Encoding": "br;q=0, *"})  # br refused, * is gzip
        self.assertEqual(h["content-encoding"], "gzip")
        _, h, body = self.get("/both.js", {"Accept-Encoding": "identity"})
        self.assertNotIn("content-encoding", h)
        self.assertEqual(body, self.files["both.js"])
        _, h, body = self.get("/stalebr.js", {"Accept-Encoding": "br, gzip"})
        self.assertEqual(h["content-encoding"], "gzip")  # the .br is older than its source: ignored
        self.assertEqual(gzip.decompress(body), self.files["stalebr.js"])
        status, h2, body = self.get("/both.js", {"Accept-Encoding": "br", "If-None-Match": etag_br})
        self.assertEqual((status, body), (304, b""))

    def test_conditional_requests(self):
        _, h, _ = self.get("/app.js", {"Accept-Encoding": "gzip"})
        status, h2, body = self.get("/app.js", {"Accept-Encoding": "gzip", "If-None-Match": h["etag"]})
        self.assertEqual((status, body), (304, b""))
        self.assertEqual(h2["etag"], h["etag"])
        self.assertSecure(h2)
        status, _, _ = self.get("/app.js", {"If-None-Match": h["etag"]})  # identity has another tag
        self.assertEqual(status, 200)
        status, _, _ = self.get("/app.js", {"If-Modified-Since": h["last-modified"]})
        self.assertEqual(status, 304)
        status, _, _ = self.get("/app.js", {"If-Modified-Since": "Thu, 01 Jan 1970 00:00:00 GMT"})
        self.assertEqual(status, 200)

    def test_head_and_methods(self):
        status, h, body = self.get("/app.js", method="HEAD")
        self.assertEqual((status, body), (200, b""))
        self.assertEqual(int(h["content-length"]), len(self.files["app.js"]))
        status, h, _ = self.s.request("POST", "/app.js", b"x", {"Content-Type": "text/plain"})
        self.assertEqual(status, 405)
        self.assertSecure(h)
        status, h, _ = self.s.request("DELETE", "/app.js")
        self.assertIn(status, (405, 501))

    def test_traversal_in_every_spelling(self):
        paths = ["/../secret.txt", "/..%2fsecret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt",
                 "/fonts/../../secret.txt", "/fonts/%2e%2e/%2e%2e/secret.txt", "/..\\secret.txt",
                 "/%5c..%5csecret.txt", "/fonts%2f..%2f..%2fsecret.txt", "//etc/passwd",
                 "/%2fetc/passwd", "/etc/passwd", "/link-out.txt", "/dir-out/secret.txt",
                 "/.hidden", "/%2ehidden", "/app.js%00.html",
                 "/%ff%fe", "/./index.html/..", "/" + "%2e" * 2 + "/" + "%2e" * 2 + "/secret.txt"]
        for path in paths:
            status, h, body = self.get(path)
            self.assertIn(status, (400, 404), path)
            self.assertNotIn(SECRET, body, path)
            self.assertNotIn(b"root:", body, path)
            self.assertSecure(h)
        # raw request targets that a client library would normalise
        for target in (b"/../secret.txt", b"/fonts/../../secret.txt", b"http://x/../secret.txt",
                       b"secret.txt", b"/dir-out/../secret.txt"):
            out = raw_request(self.s, b"GET " + target + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            self.assertRegex(out, rb"^HTTP/1\.1 40[04] ", target)
            self.assertNotIn(SECRET, out)

    def test_not_found_is_plain_and_secure(self):
        status, h, body = self.get("/missing.js")
        self.assertEqual(status, 404)
        self.assertTrue(h["content-type"].startswith("text/plain"))
        self.assertSecure(h)

    def test_api_and_stream_responses_carry_security_headers(self):
        status, h, _ = self.get("/v1/models")
        self.assertSecure(h)
        rid = self.s.create("/long 3")
        status, h, body, _ = read_stream(self.s, "/api/chat/%s/stream" % rid,
                                         {"Accept-Encoding": "gzip"})
        self.assertSecure(h)
        self.assertNotIn("content-encoding", h)
        self.assertIn(b"event: done", body)

    def test_keep_alive(self):
        c = self.s.conn()
        try:
            for path in ("/app.js", "/style.css", "/v1/models", "/missing"):
                c.request("GET", path)
                r = c.getresponse()
                r.read()
                self.assertIn(r.status, (200, 404))
            self.assertIsNotNone(c.sock)
        finally:
            c.close()

    def test_limits(self):
        status, _, _ = self.get("/app.js", {"X-Big": "a" * 5000})
        self.assertEqual(status, 431)
        many = {"X-H%d" % i: "v" * 40 for i in range(150)}
        self.assertEqual(self.get("/app.js", many)[0], 431)
        out = raw_request(self.s, b"GET /" + b"a" * 5000 + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        self.assertRegex(out, rb"^HTTP/1\.1 414 ")
        status, _, data = self.s.request("POST", "/api/chat", b"{" + b" " * 2000 + b"}",
                                         {"Content-Type": "application/json"})
        self.assertEqual(status, 413)
        out = raw_request(self.s, b"GET / HTTP/1.1\r\n\r\n")
        self.assertRegex(out, rb"^HTTP/1\.1 200 ")

    def test_slow_client_is_cut(self):
        with socket.create_connection((self.s.host, self.s.port), timeout=10) as sock:
            start = time.monotonic()
            sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            for _ in range(8):
                try:
                    sock.sendall(b"X-Slow: 1\r\n")
                except OSError:
                    break
                time.sleep(0.3)
            sock.settimeout(5)
            try:
                data = sock.recv(100)
            except ConnectionError:
                data = b""
            self.assertEqual(data, b"")  # closed without an answer
            self.assertLess(time.monotonic() - start, 5)

    def test_connection_cap(self):
        s = Server(["--quiet", "--max-connections", "2", "--request-timeout", "5"], root=self.root)
        try:
            idle = [socket.create_connection((s.host, s.port)) for _ in range(2)]
            time.sleep(0.2)
            with socket.create_connection((s.host, s.port), timeout=5) as extra:
                extra.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                self.assertEqual(extra.recv(100), b"")  # refused: closed without an answer
            for sock in idle:
                sock.close()
            time.sleep(0.2)
            self.assertEqual(s.request("GET", "/")[0], 200)
        finally:
            s.stop()

    def test_missing_root_and_public_bind_warnings(self):
        s = Server(["--quiet", "--host", "0.0.0.0"], root=os.path.join(self.tmp, "nope"))
        try:
            s.stop()
            err = s.stderr()
            self.assertIn("does not exist", err)
            self.assertIn("warning: bound to 0.0.0.0", err)
            self.assertEqual(s.proc.returncode, 0)  # SIGTERM is a clean exit
        finally:
            s.stop()

    def test_exit_on_stdin_eof(self):
        s = Server(["--quiet"], root=self.root)
        try:
            s.proc.stdin.close()
            self.assertEqual(s.proc.wait(5), 0)
        finally:
            s.stop()


if __name__ == "__main__":
    unittest.main()
