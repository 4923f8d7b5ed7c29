"""A client that asks for a stream and never reads it: generation and other clients go on, and
what the server holds for it is bounded (the socket buffers; the write times out, the server
lets go). With the memory store and with Redis."""
import socket
import time
import unittest

from redis_fixture import RedisServer
from serve_fixture import Server, content_of, parse_sse

TOKENS = 40000
PACE = 20000


def read_whole(server, rid):
    """The whole stream into one bytearray (appending to bytes would copy it per event)."""
    c = server.conn(30)
    try:
        c.request("GET", "/api/chat/%s/stream" % rid)
        r = c.getresponse()
        body = bytearray()
        while chunk := r.read1(1 << 20):
            body += chunk
        return r.status, bytes(body)
    finally:
        c.close()


def never_reading_client(server, rid):
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    s.connect((server.host, server.port))
    s.sendall(b"GET /api/chat/%s/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" % rid.encode())
    return s


class NeverReads(unittest.TestCase):
    def server_args(self):
        return []

    def test_a_client_that_never_reads_stalls_nothing_and_is_let_go(self):
        s = Server(["--tokens-per-second", str(PACE), "--quiet", "--request-timeout", "2",
                    *self.server_args()])
        self.addCleanup(s.stop)
        rid = s.create("/long %d" % TOKENS)
        stuck = never_reading_client(s, rid)
        self.addCleanup(stuck.close)
        t0 = time.monotonic()
        status, body = read_whole(s, rid)
        took = time.monotonic() - t0
        self.assertEqual(status, 200)
        content, _, ids = content_of(parse_sse(body))
        self.assertEqual(ids, list(range(1, TOKENS + 2)))
        self.assertEqual(len(content.split()), TOKENS)
        self.assertLess(took, TOKENS / PACE + 8, "the other client was held up")
        time.sleep(3)  # past --request-timeout: the stalled write gave up
        stuck.settimeout(5)
        held = b""
        while True:
            try:
                chunk = stuck.recv(65536)
            except (ConnectionError, socket.timeout):
                break
            if not chunk:
                break
            held += chunk
        full = len(body)
        self.assertLess(len(held), full // 2, "the server buffered the whole reply for a client "
                                              "that never read (%d of %d bytes)" % (len(held), full))
        self.assertNotIn(b"event: done", held)
        self.assertEqual(s.summary(rid)["status"], "done")


class NeverReadsWithRedis(NeverReads):
    def server_args(self):
        self.redis = RedisServer()
        self.addCleanup(self.redis.stop)
        return ["--redis", self.redis.url]


if __name__ == "__main__":
    unittest.main()
