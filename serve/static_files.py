"""Static hosting of the web bundle: safe path resolution, content types, precompressed copies
(brotli, gzip), caching."""
import email.utils
import os
import posixpath
import urllib.parse

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".wasm": "application/wasm",
    ".json": "application/json",
    ".map": "application/json",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/markdown; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".ico": "image/x-icon",
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".gz": "application/gzip",
    ".br": "application/octet-stream",
}


class BadPath(Exception):
    def __init__(self, status, message):
        super().__init__(message)
        self.status = status


def resolve(root, raw_path):
    """Maps a request path (no query) to a real file inside root, or raises BadPath.

    Refuses every spelling of escaping the root: `..` segments (plain or percent-encoded),
    encoded slashes and backslashes, NUL, dot-files, and symlinks that lead outside."""
    if not raw_path.startswith("/"):
        raise BadPath(400, "the path must start with /")
    lowered = raw_path.lower()
    if "\\" in raw_path or "%2f" in lowered or "%5c" in lowered or "%00" in lowered:
        raise BadPath(400, "encoded slashes, backslashes and NUL are not allowed in paths")
    try:
        path = urllib.parse.unquote(raw_path, errors="strict")
    except UnicodeDecodeError:
        raise BadPath(400, "the path is not valid UTF-8")
    if "\0" in path or "\\" in path:
        raise BadPath(400, "bad characters in the path")
    segments = [s for s in path.split("/") if s]
    for s in segments:
        if s in (".", "..") or s.startswith("."):
            raise BadPath(404, "not found")
    if not segments or path.endswith("/"):
        segments.append("index.html")
    real_root = os.path.realpath(root)
    candidate = os.path.realpath(os.path.join(real_root, *segments))
    if os.path.commonpath([real_root, candidate]) != real_root:
        raise BadPath(404, "not found")
    if os.path.isdir(candidate):
        candidate = os.path.join(candidate, "index.html")
        if os.path.realpath(candidate) != candidate:
            raise BadPath(404, "not found")
    if not os.path.isfile(candidate):
        raise BadPath(404, "not found")
    return candidate


def content_type(path):
    return CONTENT_TYPES.get(posixpath.splitext(path)[1].lower(), "application/octet-stream")


def accepted_q(header, coding):
    """The q-value an Accept-Encoding value gives a coding (its own entry, else `*`, else 0)."""
    star = 0.0
    for part in (header or "").split(","):
        fields = [f.strip() for f in part.split(";")]
        q = 1.0
        for f in fields[1:]:
            if f.lower().startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        name = fields[0].lower()
        if name == coding:
            return q
        if name == "*":
            star = q
    return star


# Precompressed copies beside a file, best first: (suffix, Content-Encoding, ETag suffix).
ENCODINGS = ((".br", "br", "-br"), (".gz", "gzip", "-gz"))


class StaticFile:
    """What to send for one file: the bytes' path, headers, and whether it may answer 304."""

    def __init__(self, path, accept_encoding, max_age):
        self.path = path
        self.headers = {"Content-Type": content_type(path)}
        st = os.stat(path)
        self.send_path, self.stat = path, st
        suffix = ""
        if not path.endswith((".gz", ".br")):
            # The best copy the browser accepts, ignoring any older than the file (a stale build).
            best_q = 0.0
            for ext, coding, tag in ENCODINGS:
                if not os.path.isfile(path + ext):
                    continue
                self.headers["Vary"] = "Accept-Encoding"
                q = accepted_q(accept_encoding, coding)
                cst = os.stat(path + ext)
                if q > best_q and cst.st_mtime_ns >= st.st_mtime_ns:
                    best_q = q
                    self.send_path, self.stat = path + ext, cst
                    self.headers["Content-Encoding"] = coding
                    suffix = tag
        self.etag = 'W/"%x-%x%s"' % (self.stat.st_size, self.stat.st_mtime_ns, suffix)
        self.headers["ETag"] = self.etag
        self.headers["Last-Modified"] = email.utils.formatdate(st.st_mtime, usegmt=True)
        if path.endswith(".html"):
            self.headers["Cache-Control"] = "no-cache"
        else:
            self.headers["Cache-Control"] = "max-age=%d" % max_age

    def not_modified(self, if_none_match, if_modified_since):
        if if_none_match is not None:
            tags = [t.strip() for t in if_none_match.split(",")]
            return "*" in tags or self.etag in tags or self.etag[2:] in tags
        if if_modified_since:
            try:
                since = email.utils.parsedate_to_datetime(if_modified_since).timestamp()
            except (TypeError, ValueError):
                return False
            return int(os.stat(self.path).st_mtime) <= since
        return False
