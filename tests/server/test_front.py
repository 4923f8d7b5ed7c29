"""The HTTP/2 fronts of deploy/, both run for real: nginx and Caddy (TLS, HTTP/2, the static
bundle, /api/ proxied to a real serve.py), after `nginx -t` / `caddy validate`. Static headers
and CSP are compared with serve.py's for every static path, so serve.py and the fronts cannot
drift apart."""
import gzip
import http.client
import json
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import unittest

from front_fixture import DEPLOY, Caddy, Nginx
from serve_fixture import Server, parse_sse

COMPARED = ("content-type", "content-encoding", "cache-control", "vary", "content-security-policy",
            "x-content-type-options", "referrer-policy", "cross-origin-opener-policy")
FILES = {"index.html": b"<!doctype html><title>imchat</title>", "app.js": b"console.log(1);\n" * 50,
         "app.wasm": b"\0asm" + bytes(300), "style.css": b"body{}\n", "fonts/ui.ttf": b"ttf" * 100,
         "data.json": b'{"a":1}', "notes.txt": b"plain\n", "sub/index.html": b"<p>sub</p>",
         "plain.bin": b"\1\2\3"}
COMPRESSED = ("index.html", "app.js", "app.wasm", "fonts/ui.ttf")
PATHS = ["/", "/index.html", "/app.js", "/app.wasm", "/style.css", "/fonts/ui.ttf", "/data.json",
         "/notes.txt", "/sub/", "/plain.bin", "/app.js.gz", "/app.js.br", "/missing.js", "/.secret"]
ENCODINGS = ("br, gzip", "gzip", "identity")


def make_bundle():
    root = tempfile.mkdtemp(prefix="imchat-bundle-")
    os.chmod(root, 0o755)
    for name, data in FILES.items():
        path = os.path.join(root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "wb") as f:
            f.write(data)
        if name in COMPRESSED:  # what the build writes beside the file (the bytes matter not)
            with open(path + ".gz", "wb") as f:
                f.write(gzip.compress(data))
            with open(path + ".br", "wb") as f:
                f.write(b"br:" + data[::-1])
    with open(os.path.join(root, ".secret"), "wb") as f:
        f.write(b"never served")
    for dirpath, dirs, files in os.walk(root):
        for d in dirs:
            os.chmod(os.path.join(dirpath, d), 0o755)
    return root


class Front:
    """The checks every front passes; subclasses name the front."""
    front_class = None

    @classmethod
    def setUpClass(cls):
        cls.bundle = make_bundle()
        cls.serve = Server(["--quiet", "--tokens-per-second", "20", "--trusted-proxy", "127.0.0.1"],
                           root=cls.bundle)
        cls.front = cls.front_class(cls.bundle, [cls.serve.port])
        cls.syntax_ok, cls.syntax_out = cls.front.check()
        if cls.syntax_ok:
            cls.front.start()
        cls.tls = ssl.create_default_context(cafile=cls.front.cert)

    @classmethod
    def tearDownClass(cls):
        cls.front.stop()
        cls.serve.stop()
        shutil.rmtree(cls.bundle, ignore_errors=True)

    def setUp(self):
        self.assertTrue(self.syntax_ok, "the configuration check failed:\n" + self.syntax_out)

    def front_conn(self, timeout=10):
        return http.client.HTTPSConnection("localhost", self.front.port, timeout=timeout,
                                           context=self.tls)

    def get(self, conn, path, headers):
        conn.request("GET", path, headers=headers)
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()

    def test_http2_is_offered(self):
        ctx = ssl.create_default_context(cafile=self.front.cert)
        ctx.set_alpn_protocols(["h2", "http/1.1"])
        with socket.create_connection(("127.0.0.1", self.front.port), 5) as raw:
            with ctx.wrap_socket(raw, server_hostname="localhost") as s:
                self.assertEqual(s.selected_alpn_protocol(), "h2")

    def test_static_headers_and_bodies_match_serve_py_for_every_path(self):
        front, direct = self.front_conn(), self.serve.conn()
        self.addCleanup(front.close)
        self.addCleanup(direct.close)
        for path in PATHS:
            for enc in ENCODINGS:
                with self.subTest(path=path, accept_encoding=enc):
                    fs, fh, fb = self.get(front, path, {"Accept-Encoding": enc})
                    ds, dh, db = self.get(direct, path, {"Accept-Encoding": enc})
                    self.assertEqual(fs, ds)
                    if ds != 200:
                        continue
                    self.assertEqual(fb, db)
                    for name in COMPARED:
                        self.assertEqual(fh.get(name), dh.get(name), name)
                    self.assertIn("etag", fh)

    def test_generated_header_files_are_current(self):
        r = subprocess.run([sys.executable, os.path.join(DEPLOY, "front_headers.py"), "--check"],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_a_stream_through_the_front_arrives_event_by_event(self):
        c = self.front_conn()
        self.addCleanup(c.close)
        origin = "https://localhost:%d" % self.front.port
        c.request("POST", "/api/chat", body=json.dumps({"messages": [{"role": "user", "content": "/long 30"}]}),
                  headers={"Content-Type": "application/json", "Origin": origin})
        r = c.getresponse()
        self.assertEqual(r.status, 200, "the forwarded scheme and host must satisfy the Origin check")
        rid = json.loads(r.read())["id"]
        t0 = time.monotonic()
        c.request("GET", "/api/chat/%s/stream" % rid)
        r = c.getresponse()
        self.assertEqual(r.status, 200)
        arrivals, buf = [], b""
        while True:
            chunk = r.read1(65536)
            if not chunk:
                break
            buf += chunk
            for e in parse_sse(buf[: buf.rfind(b"\n\n") + 2]):
                if "id" in e:
                    arrivals.append((int(e["id"]), time.monotonic() - t0))
            buf = buf[buf.rfind(b"\n\n") + 2:]
            if arrivals and arrivals[-1][0] == 31:
                break
        self.assertEqual([a[0] for a in arrivals], list(range(1, 32)))
        self.assertLess(arrivals[0][1], 0.5, "the first event waited (buffered by the front?)")
        self.assertGreater(arrivals[-1][1] - arrivals[0][1], 1.0)

    def test_the_front_keeps_connections_to_serve_py_alive(self):
        c = self.front_conn()
        self.addCleanup(c.close)
        for _ in range(5):
            self.assertEqual(self.get(c, "/v1/models", {})[0], 200)
        time.sleep(0.2)
        out = subprocess.run(["ss", "-Htn", "state", "established", "dst", "127.0.0.1:%d" % self.serve.port],
                             capture_output=True, text=True).stdout
        self.assertGreaterEqual(len(out.strip().splitlines()), 1,
                                "no idle connection left open from the front to serve.py")


class NginxFront(Front, unittest.TestCase):
    front_class = Nginx

    def test_nginx_t_passes(self):
        self.assertIn("test is successful", self.syntax_out)


class CaddyFront(Front, unittest.TestCase):
    front_class = Caddy

    def test_caddy_validate_passes(self):
        self.assertIn("Valid configuration", self.syntax_out)


if __name__ == "__main__":
    unittest.main()
