"""The deploy/ fronts run for tests: their own prefix, config, pid, logs, port and certificate
(never the system services the Debian packages install). The deploy files are used as shipped,
with only the lines marked CHANGE replaced; a replacement that finds nothing fails loudly."""
import os
import shutil
import subprocess
import tempfile
import time

from redis_fixture import free_port
from serve_fixture import SOURCE_DIR

DEPLOY = os.path.join(SOURCE_DIR, "deploy")
BROTLI_MODULE = "/usr/lib/nginx/modules/ngx_http_brotli_static_module.so"


def make_certificate(folder):
    """A self-signed certificate for localhost and 127.0.0.1 (trusted by the test's client only)."""
    cert, key = os.path.join(folder, "cert.pem"), os.path.join(folder, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key,
                    "-out", cert, "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
                   check=True, capture_output=True)
    return cert, key


def replace(text, old, new):
    if old not in text:
        raise AssertionError("deploy file changed: %r not found" % old)
    return text.replace(old, new)


class Nginx:
    def __init__(self, bundle, upstream_ports, worker_connections=512):
        self.dir = tempfile.mkdtemp(prefix="imchat-nginx-")
        os.chmod(self.dir, 0o755)  # nginx's workers run as another user
        self.port = free_port()
        cert, key = make_certificate(self.dir)
        site = read_text(os.path.join(DEPLOY, "nginx", "imchat.conf"))
        site = replace(site, "    server 127.0.0.1:8001;",
                       "".join("    server 127.0.0.1:%d;\n" % p for p in upstream_ports))
        site = replace(site, "listen 443 ssl http2;", "listen 127.0.0.1:%d ssl http2;" % self.port)
        site = replace(site, "/etc/imchat/tls/cert.pem", cert)
        site = replace(site, "/etc/imchat/tls/key.pem", key)
        site = replace(site, "root /srv/imchat/bundle;", "root %s;" % bundle)
        site = replace(site, "include imchat-static.conf;",
                       "include %s;" % os.path.join(DEPLOY, "nginx", "imchat-static.conf"))
        with open(os.path.join(self.dir, "imchat.conf"), "w") as f:
            f.write(site)
        d = self.dir
        main = ("load_module %s;\npid %s/nginx.pid;\nerror_log %s/error.log warn;\ndaemon off;\n"
                "worker_processes 1;\nworker_rlimit_nofile %d;\nevents { worker_connections %d; }\n"
                "http {\n  access_log off;\n"
                % (BROTLI_MODULE, d, d, worker_connections * 2 + 64, worker_connections))
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            main += "  %s_temp_path %s/%s;\n" % (kind, d, kind)
        main += "  include %s/imchat.conf;\n}\n" % d
        self.conf = os.path.join(d, "nginx.conf")
        with open(self.conf, "w") as f:
            f.write(main)
        self.cmd = ["nginx", "-p", d, "-c", self.conf, "-e", os.path.join(d, "error.log")]
        self.cert = cert
        self.proc = None

    def check(self):
        """`nginx -t` on this configuration: (ok, output)."""
        r = subprocess.run(self.cmd + ["-t"], capture_output=True, text=True)
        return r.returncode == 0, r.stderr

    def start(self):
        self.proc = subprocess.Popen(self.cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        import socket
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("nginx exited: %s" % self.proc.stderr.read().decode())
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("nginx did not listen on %d" % self.port)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()  # SIGTERM: fast shutdown of master and workers
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc:
            self.proc.stderr.close()
        shutil.rmtree(self.dir, ignore_errors=True)


class Caddy:
    """deploy/caddy/Caddyfile with the test's certificate, port, bundle and instances; its
    storage in the test's folder (HOME, XDG_*), so nothing is installed into the system."""

    def __init__(self, bundle, upstream_ports):
        self.dir = tempfile.mkdtemp(prefix="imchat-caddy-")
        self.port = free_port()
        self.cert, key = make_certificate(self.dir)
        text = read_text(os.path.join(DEPLOY, "caddy", "Caddyfile"))
        text = replace(text, "/etc/imchat/tls/cert.pem", self.cert)
        text = replace(text, "/etc/imchat/tls/key.pem", key)
        text = replace(text, "chat.example.org:443", "localhost:%d" % self.port)
        text = replace(text, "root * /srv/imchat/bundle", "root * %s" % bundle)
        text = replace(text, "reverse_proxy 127.0.0.1:8001 {",
                       "reverse_proxy %s {" % " ".join("127.0.0.1:%d" % p for p in upstream_ports))
        text = replace(text, "import imchat-static.caddy",
                       "import %s" % os.path.join(DEPLOY, "caddy", "imchat-static.caddy"))
        self.path = os.path.join(self.dir, "Caddyfile")
        with open(self.path, "w") as f:
            f.write(text)
        self.env = dict(os.environ, HOME=self.dir, XDG_DATA_HOME=self.dir, XDG_CONFIG_HOME=self.dir)
        self.proc = None

    def check(self):
        """`caddy validate` on this configuration: (ok, output)."""
        r = subprocess.run(["caddy", "validate", "--config", self.path, "--adapter", "caddyfile"],
                           capture_output=True, text=True, env=self.env)
        return r.returncode == 0, r.stdout + r.stderr

    def start(self):
        import socket
        self.proc = subprocess.Popen(["caddy", "run", "--config", self.path, "--adapter", "caddyfile"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=self.env)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("caddy exited with %s" % self.proc.returncode)
            try:
                socket.create_connection(("127.0.0.1", self.port), 0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("caddy did not listen on %d" % self.port)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def caddy_validate():
    """`caddy validate` of deploy/caddy/Caddyfile with the test's certificate: (ok, output)."""
    c = Caddy("/nonexistent-bundle", [8001])
    try:
        return c.check()
    finally:
        c.stop()


def read_text(path):
    with open(path) as f:
        return f.read()
