"""--trusted-proxy: X-Forwarded-For/-Proto/-Host believed only from the front's address; the
per-client stream limit and the Origin check key on the real client; keep-alive after a stream."""
import http.client
import json
import unittest

from serve_fixture import Server, parse_sse

CHAT = {"messages": [{"role": "user", "content": "/long 3"}]}


def open_stream(server, rid, forwarded_for):
    c = server.conn(10)
    c.request("GET", "/api/chat/%s/stream" % rid, headers={"X-Forwarded-For": forwarded_for})
    r = c.getresponse()
    return c, r


class ForwardedClient(unittest.TestCase):
    def limit_test(self, args):
        s = Server(["--quiet", "--tokens-per-second", "1", "--max-streams-per-client", "1", *args])
        self.addCleanup(s.stop)
        rid = s.create("/long 50")
        c1, r1 = open_stream(s, rid, "203.0.113.7")
        self.addCleanup(c1.close)
        self.assertEqual(r1.status, 200)
        c2, r2 = open_stream(s, rid, "203.0.113.8")  # another person behind the same front
        self.addCleanup(c2.close)
        return r2.status

    def test_streams_limit_keys_on_the_forwarded_client_from_the_trusted_front(self):
        self.assertEqual(self.limit_test(["--trusted-proxy", "127.0.0.1"]), 200)

    def test_forwarded_for_from_anyone_else_is_ignored(self):
        self.assertEqual(self.limit_test(["--trusted-proxy", "192.0.2.1"]), 429)

    def test_same_forwarded_client_is_still_limited(self):
        s = Server(["--quiet", "--tokens-per-second", "1", "--max-streams-per-client", "1",
                    "--trusted-proxy", "127.0.0.1"])
        self.addCleanup(s.stop)
        rid = s.create("/long 50")
        c1, r1 = open_stream(s, rid, "198.51.100.1, 203.0.113.7")
        self.addCleanup(c1.close)
        c2, r2 = open_stream(s, rid, "203.0.113.7")  # the front's own entry is the last one
        self.addCleanup(c2.close)
        self.assertEqual((r1.status, r2.status), (200, 429))


class ForwardedOrigin(unittest.TestCase):
    FRONT = {"Origin": "https://chat.example", "X-Forwarded-Host": "chat.example",
             "X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}

    def post(self, args, headers):
        s = Server(["--quiet", *args])
        self.addCleanup(s.stop)
        return s.request("POST", "/api/chat", json.dumps(CHAT).encode(),
                         {"Content-Type": "application/json", **headers})[0]

    def test_origin_matches_the_forwarded_scheme_and_host(self):
        self.assertEqual(self.post(["--trusted-proxy", "127.0.0.1"], self.FRONT), 200)

    def test_other_scheme_is_cross_origin(self):
        h = dict(self.FRONT, **{"X-Forwarded-Proto": "http"})
        self.assertEqual(self.post(["--trusted-proxy", "127.0.0.1"], h), 403)

    def test_without_trust_the_forwarded_host_counts_for_nothing(self):
        self.assertEqual(self.post([], self.FRONT), 403)

    def test_without_trust_a_foreign_host_is_refused(self):
        self.assertEqual(self.post([], {"Host": "chat.example"}), 403)
        self.assertEqual(self.post(["--trusted-proxy", "127.0.0.1"], {"Host": "chat.example"}), 200)


class KeepAlive(unittest.TestCase):
    def test_one_connection_carries_a_whole_stream_then_more_requests(self):
        s = Server(["--quiet", "--tokens-per-second", "2000"])
        self.addCleanup(s.stop)
        rid = s.create("/long 20")
        c = s.conn(10)
        self.addCleanup(c.close)
        for _ in range(2):  # a stream to its end, then a resume that gets 204, on one socket
            c.request("GET", "/api/chat/%s/stream" % rid)
            r = c.getresponse()
            body = r.read()
            self.assertNotEqual(r.getheader("Connection"), "close")
            if r.status == 200:
                events = [e for e in parse_sse(body) if "id" in e]
                self.assertEqual(events[-1].get("event"), "done")
                c.request("GET", "/api/chat/%s/stream?last_event_id=21" % rid)
                r = c.getresponse()
                r.read()
                self.assertEqual(r.status, 204)
        sock = c.sock
        c.request("GET", "/api/chat/%s" % rid)
        r = c.getresponse()
        self.assertEqual(json.loads(r.read())["status"], "done")
        self.assertIs(c.sock, sock, "the connection was reopened")


if __name__ == "__main__":
    unittest.main()
