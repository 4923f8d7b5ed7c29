"""Fault injection: dropped, stalled, randomly cut and dribbled stream connections, and a
client that resumes by event id getting every event exactly once anyway."""
import http.client
import json
import socket
import time
import unittest

from serve_fixture import FAST, Server, content_of, parse_sse, read_stream


def resume_until_done(server, rid, max_connections=1000, stall_timeout=30):
    """Reconnects with Last-Event-ID like EventSource does (and after stall_timeout seconds of
    silence, like imchat's stall rule); returns (events, connections)."""
    got, last, connections = [], 0, 0
    while connections < max_connections:
        connections += 1
        status, _, body, complete = read_stream(server, "/api/chat/%s/stream" % rid,
                                                {"Last-Event-ID": str(last)}, stall_timeout)
        if status == 204:
            return got, connections
        assert status == 200, status
        # A cut can leave half an event: keep only events that ended with a blank line.
        whole = body[: body.rfind(b"\n\n") + 2] if b"\n\n" in body else b""
        for e in parse_sse(whole):
            if "id" in e:
                assert int(e["id"]) == last + 1, (e["id"], last)
                last = int(e["id"])
                got.append(e)
                if e.get("event") in ("done", "fail"):
                    return got, connections
    raise AssertionError("no end after %d connections" % connections)


class DropAfter(unittest.TestCase):
    def test_every_connection_cut_after_n_events_and_resume_is_exact(self):
        s = Server(FAST + ["--chaos-drop-after", "7"])
        try:
            rid = s.create("/long 100")
            status, h, body, complete = read_stream(s, "/api/chat/%s/stream" % rid)
            self.assertFalse(complete)  # the chunked body never got its terminator
            self.assertEqual(len([e for e in parse_sse(body) if "id" in e]), 7)
            events, connections = resume_until_done(s, rid)
            self.assertEqual(connections, 15)  # 101 events, 7 per connection
            content, _, ids = content_of(events)
            self.assertEqual(ids, list(range(1, 102)))
            self.assertEqual(content, s.wait_finished(rid)["content"])
            self.assertEqual(events[-1]["event"], "done")
        finally:
            s.stop()

    def test_openai_stream_is_cut_too(self):
        s = Server(FAST + ["--chaos-drop-after", "3"])
        try:
            c = s.conn()
            c.request("POST", "/v1/chat/completions", json.dumps(
                {"model": "imchat-demo", "stream": True, "messages": [{"role": "user", "content": "/long 50"}]}),
                {"Content-Type": "application/json"})
            r = c.getresponse()
            with self.assertRaises((http.client.IncompleteRead, ConnectionError)):
                while r.read1(65536):
                    pass
            c.close()
        finally:
            s.stop()


class RandomDropsAndSlowWrites(unittest.TestCase):
    def test_random_drops_with_seed(self):
        s = Server(FAST + ["--chaos-drop-rate", "0.2", "--chaos-seed", "42"])
        try:
            rid = s.create("Tell me about resumable streams")
            events, connections = resume_until_done(s, rid)
            self.assertGreater(connections, 5)
            content, _, ids = content_of(events)
            self.assertEqual(ids, list(range(1, len(ids) + 1)))
            self.assertEqual(content, s.wait_finished(rid)["content"])
        finally:
            s.stop()

    def test_slow_writes_split_the_bytes_but_not_the_meaning(self):
        s = Server(FAST + ["--chaos-slow-writes"])
        plain = Server(FAST)
        try:
            prompt = "/echo 你好, world — ünïcödé ✓ 🎉 bytes"
            a = read_stream(s, "/api/chat/%s/stream" % s.create(prompt))[2]
            b = read_stream(plain, "/api/chat/%s/stream" % plain.create(prompt))[2]
            self.assertEqual(a, b)
            with socket.create_connection((s.host, s.port)) as sock:
                rid = s.create("/long 20").encode()
                sock.sendall(b"GET /api/chat/%s/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" % rid)
                sizes, data = [], b""
                while b"0\r\n\r\n" not in data[-7:]:
                    chunk = sock.recv(65536)
                    if not chunk:
                        break
                    sizes.append(len(chunk))
                    data += chunk
                self.assertGreater(len(sizes), 20)  # arrived in many small pieces
        finally:
            s.stop()
            plain.stop()


class Stall(unittest.TestCase):
    def test_stall_keeps_the_connection_open_and_silent(self):
        s = Server(FAST + ["--chaos-stall-after", "4", "--ping-seconds", "0.1"])
        try:
            rid = s.create("/long 30")
            s.wait_finished(rid)
            sock = socket.create_connection((s.host, s.port))
            try:
                sock.sendall(b"GET /api/chat/%s/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" % rid.encode())
                sock.settimeout(0.3)
                data = b""
                deadline = time.monotonic() + 1.5
                while time.monotonic() < deadline:
                    try:
                        chunk = sock.recv(65536)
                    except socket.timeout:
                        continue
                    self.assertNotEqual(chunk, b"", "the server closed a stalled stream")
                    data += chunk
                self.assertEqual(data.count(b"\nid: "), 4)
                self.assertNotIn(b"ping", data)
            finally:
                sock.close()
            events, connections = resume_until_done(s, rid, stall_timeout=0.3)
            self.assertEqual(len(events), 31)
            self.assertEqual(connections, 8)
        finally:
            s.stop()


if __name__ == "__main__":
    unittest.main()
