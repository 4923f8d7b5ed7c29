"""The built-in API against a real serve.py: create, stream, resume, stop, expiry, test prompts."""
import json
import re
import socket
import time
import unittest

from serve_fixture import FAST, Server, content_of, parse_sse, read_stream


def data_events(events):
    return [e for e in events if "id" in e]


class BuiltinApi(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Server(FAST + ["--ping-seconds", "0.2"])

    @classmethod
    def tearDownClass(cls):
        cls.s.stop()

    def stream(self, reply_id, query="", headers=None):
        status, h, body, complete = read_stream(self.s, "/api/chat/%s/stream%s" % (reply_id, query), headers)
        self.assertEqual(status, 200, body[:200])
        self.assertTrue(complete)
        return h, body, parse_sse(body)

    def test_create_and_stream_whole_reply(self):
        rid = self.s.create("Explain streaming in a few words")
        self.assertRegex(rid, r"^[0-9a-f]{24}$")
        h, body, events = self.stream(rid)
        self.assertEqual(h["content-type"], "text/event-stream; charset=utf-8")
        self.assertEqual(h["cache-control"], "no-cache")
        self.assertNotIn("content-encoding", h)
        self.assertTrue(body.startswith(b"retry: 1000\n"))
        numbered = data_events(events)
        self.assertEqual([int(e["id"]) for e in numbered], list(range(1, len(numbered) + 1)))
        done = numbered[-1]
        self.assertEqual(done["event"], "done")
        d = json.loads(done["data"])
        self.assertEqual(d["finish_reason"], "stop")
        self.assertNotIn("stopped", d)
        content, reasoning, _ = content_of(events)
        self.assertEqual(reasoning, "")
        self.assertEqual(d["usage"]["completion_tokens"], len(numbered) - 1)
        self.assertGreater(d["usage"]["prompt_tokens"], 0)
        s = self.s.summary(rid)
        self.assertEqual(s["status"], "done")
        self.assertEqual(s["content"], content)
        self.assertEqual(s["usage"], d["usage"])

    def test_demo_reply_shape_language_and_determinism(self):
        a = self.s.wait_finished(self.s.create("How do sockets work?"))
        b = self.s.wait_finished(self.s.create("How do sockets work?"))
        c = self.s.wait_finished(self.s.create("How do pipes work?"))
        self.assertEqual(a["content"], b["content"])
        self.assertNotEqual(a["content"], c["content"])
        text = a["content"]
        self.assertRegex(text, r"(?m)^## \S")
        self.assertIn("**", text)
        self.assertRegex(text, r"(?m)^- ")
        self.assertEqual(len(re.findall(r"(?m)^```", text)), 2)
        self.assertGreaterEqual(text.count("\n\n"), 3)
        self.assertTrue(150 <= a["usage"]["completion_tokens"] <= 420, a["usage"])
        zh = self.s.wait_finished(self.s.create("请解释一下套接字"))
        self.assertRegex(zh["content"], r"[\u4e00-\u9fff]{10}")
        self.assertEqual(zh["reasoning"], "")
        think = self.s.wait_finished(self.s.create("Think first: why is the sky blue?"))
        self.assertIn("think", think["reasoning"])
        think_zh = self.s.wait_finished(self.s.create("请先思考：天空为什么是蓝色的？"))
        self.assertRegex(think_zh["reasoning"], r"[\u4e00-\u9fff]")

    def test_reasoning_events_come_first(self):
        _, _, events = self.stream(self.s.create("please think about it"))
        kinds = [next(iter(json.loads(e["data"]))) for e in events if "id" in e and "event" not in e]
        first_content = kinds.index("content")
        self.assertGreater(first_content, 0)
        self.assertNotIn("reasoning", kinds[first_content:])

    def test_tokens_are_words_or_short_cjk_runs(self):
        _, _, events = self.stream(self.s.create("/echo hello  big world\n\nnext"))
        tokens = [json.loads(e["data"])["content"] for e in events if "id" in e and "event" not in e]
        self.assertEqual(tokens, ["hello  ", "big ", "world\n\n", "next"])
        _, _, events = self.stream(self.s.create("/echo 你好世界，再见"))
        tokens = [json.loads(e["data"])["content"] for e in events if "id" in e and "event" not in e]
        self.assertEqual("".join(tokens), "你好世界，再见")
        self.assertTrue(all(1 <= len(t) <= 2 for t in tokens), tokens)

    def test_resume_by_last_event_id_header_and_query_exactly_once(self):
        rid = self.s.create("/long 300")
        full = self.s.wait_finished(rid)
        _, _, all_events = self.stream(rid)
        for headers, query in (({"Last-Event-ID": "120"}, ""), ({}, "?last_event_id=120"),
                               ({"Last-Event-ID": "120"}, "?last_event_id=7")):
            _, body, events = self.stream(rid, query, headers)
            self.assertTrue(body.startswith(b"retry: "))
            ids = [int(e["id"]) for e in events if "id" in e]
            self.assertEqual(ids[0], 121, (headers, query))
            head, _, _ = content_of([e for e in all_events if "id" in e and int(e["id"]) <= 120])
            tail, _, _ = content_of(events)
            self.assertEqual(head + tail, full["content"])
            self.assertEqual(head.count(" ") + tail.count(" "), 300)

    def test_resume_while_generating_continues_live(self):
        s2 = Server(["--tokens-per-second", "200", "--quiet"])
        try:
            rid = s2.create("/long 200")
            c = s2.conn()
            c.request("GET", "/api/chat/%s/stream" % rid)
            r = c.getresponse()
            got = b""
            while got.count(b"\nid: ") + got.startswith(b"id: ") < 20:
                got += r.read1(4096)
            c.close()
            events = parse_sse(got)
            last = max(int(e["id"]) for e in events if "id" in e)
            self.assertEqual(s2.summary(rid)["status"], "running")
            _, _, body, complete = read_stream(s2, "/api/chat/%s/stream" % rid, {"Last-Event-ID": str(last)})
            rest = parse_sse(body)
            ids = [int(e["id"]) for e in events + rest if "id" in e]
            self.assertEqual(ids, list(range(1, len(ids) + 1)))
            content = "".join(json.loads(e["data"]).get("content", "")
                              for e in events + rest if "id" in e and "event" not in e)
            self.assertEqual(content, s2.summary(rid)["content"])
            self.assertEqual(content.count(" "), 200)
        finally:
            s2.stop()

    def test_finished_and_fully_read_gives_204(self):
        rid = self.s.create("/long 5")
        self.s.wait_finished(rid)
        status, _, body = self.s.request("GET", "/api/chat/%s/stream" % rid, headers={"Last-Event-ID": "6"})
        self.assertEqual(status, 204)
        status, _, _ = self.s.request("GET", "/api/chat/%s/stream?last_event_id=5" % rid)
        self.assertEqual(status, 200)

    def test_several_readers_get_identical_streams(self):
        rid = self.s.create("/long 150")
        bodies = [self.stream(rid)[1] for _ in range(3)]
        self.assertEqual(bodies[0], bodies[1])
        self.assertEqual(bodies[1], bodies[2])

    def test_ping_when_idle(self):
        rid = self.s.create("/pause 1")
        _, body, events = self.stream(rid)
        pings = [e for e in events if e.get("event") == "ping"]
        self.assertGreaterEqual(len(pings), 2)
        self.assertTrue(all(e["data"] == "{}" and "id" not in e for e in pings))
        self.assertEqual(data_events(events)[-1]["event"], "done")

    def test_stop(self):
        s2 = Server(["--tokens-per-second", "200", "--quiet"])
        try:
            rid = s2.create("/long 100000")
            time.sleep(0.2)
            status, obj = s2.json("POST", "/api/chat/%s/stop" % rid)
            self.assertEqual((status, obj), (200, {}))
            s = s2.wait_finished(rid, 5)
            self.assertEqual(s["status"], "stopped")
            _, _, body, complete = read_stream(s2, "/api/chat/%s/stream" % rid)
            done = data_events(parse_sse(body))[-1]
            self.assertEqual(done["event"], "done")
            d = json.loads(done["data"])
            self.assertEqual((d["finish_reason"], d["stopped"]), ("stop", True))
            self.assertLess(d["usage"]["completion_tokens"], 1000)
            self.assertEqual(s2.json("POST", "/api/chat/%s/stop" % rid)[0], 200)  # idempotent
        finally:
            s2.stop()

    def test_max_tokens_gives_length(self):
        s = self.s.wait_finished(self.s.create("/long 50", max_tokens=10))
        self.assertEqual(s["finish_reason"], "length")
        self.assertEqual(s["content"].count(" "), 10)

    def test_shape_sends_a_long_prefix_then_tokens_of_one_open_block(self):
        for shape, starts, never in (("table", "| n | name | value |\n|---|---|---|\n| 0 |", None),
                                     ("chinese", "流式传输", "\n"), ("code", "```python\n", "\n```"),
                                     ("list", "- alpha", "\n\n"), ("paragraph", "alpha beta", "\n")):
            s = self.s.wait_finished(self.s.create("/shape %s 3000 20" % shape))
            text = s["content"]
            self.assertTrue(text.startswith(starts), (shape, text[:40]))
            self.assertGreaterEqual(len(text.encode()), 3000, shape)
            if never:
                self.assertNotIn(never, text, shape)
            # The prefix comes in one delta of at most 64 KiB, then the 20 tokens one by one.
            self.assertLessEqual(s["usage"]["completion_tokens"], 21, shape)

    def test_not_found_and_bad_requests(self):
        for method, path in (("GET", "/api/chat/0123456789abcdef01234567/stream"),
                             ("GET", "/api/chat/nope"), ("POST", "/api/chat/nope/stop"),
                             ("GET", "/api/nothing"), ("GET", "/v1/nothing")):
            status, h, body = self.s.request(method, path)
            self.assertEqual(status, 404, path)
            self.assertEqual(h["content-type"], "application/json")
            self.assertIn("message", json.loads(body)["error"])
        bad = [b"{not json", b"[]", b'{"messages":[]}', b'{"messages":"hi"}',
               b'{"messages":[{"role":"user"}]}', b'{"messages":[{"role":"robot","content":"x"}]}',
               b'{"messages":[{"role":"user","content":"x"}],"temperature":5}',
               b'{"messages":[{"role":"user","content":"x"}],"top_p":"1"}',
               b'{"messages":[{"role":"user","content":"x"}],"max_tokens":0}',
               b'{"model":7,"messages":[{"role":"user","content":"x"}]}', b"\xff\xfe"]
        for body in bad:
            status, h, data = self.s.request("POST", "/api/chat", body, {"Content-Type": "application/json"})
            self.assertEqual(status, 400, body)
            self.assertTrue(json.loads(data)["error"]["message"])
        status, _, data = self.s.request("POST", "/api/chat", b'{"messages":[{"role":"user","content":"x"}]}',
                                         {"Content-Type": "text/plain"})
        self.assertEqual(status, 415)
        status, obj = self.s.json("POST", "/api/chat", {"model": "gpt-x", "messages": [{"role": "user", "content": "x"}]})
        self.assertEqual(status, 404)
        self.assertIn("gpt-x", obj["error"]["message"])
        self.assertEqual(self.s.request("GET", "/api/chat")[0], 405)
        self.assertEqual(self.s.request("GET", "/api/chat/x/stream?last_event_id=abc")[0], 404)
        rid = self.s.create("/long 3")
        self.assertEqual(self.s.request("GET", "/api/chat/%s/stream?last_event_id=abc" % rid)[0], 400)

    def test_awkward_json_is_handled(self):
        body = b'{"messages":[{"role":"user","content":"/echo a\\ud800b"}]}'
        status, obj = self.s.json("POST", "/api/chat", body, {"Content-Type": "application/json"})
        self.assertEqual(status, 200)
        self.assertEqual(self.s.wait_finished(obj["id"])["content"], "a\ufffdb")
        status, _, _ = self.s.request("POST", "/api/chat", b"[" * 100000, {"Content-Type": "application/json"})
        self.assertEqual(status, 400)

    def test_cross_origin_post_refused(self):
        body = {"model": "imchat-demo", "messages": [{"role": "user", "content": "x"}]}
        status, _ = self.s.json("POST", "/api/chat", body, {"Origin": "http://evil.example"})
        self.assertEqual(status, 403)
        status, _ = self.s.json("POST", "/api/chat", body, {"Origin": self.s.url})
        self.assertEqual(status, 200)
        status, _, _ = self.s.request("GET", "/v1/models", headers={"Host": "evil.example:80"})
        self.assertEqual(status, 403)

    def test_models(self):
        status, obj = self.s.json("GET", "/v1/models")
        self.assertEqual(status, 200)
        self.assertEqual(obj["object"], "list")
        self.assertEqual(obj["data"], [{"id": "imchat-demo", "object": "model",
                                        "created": obj["data"][0]["created"], "owned_by": "imchat"}])
        self.assertIsInstance(obj["data"][0]["created"], int)

    def test_http_error_prompts(self):
        body = {"model": "imchat-demo", "messages": [{"role": "user", "content": "/http 429"}]}
        status, h, data = self.s.request("POST", "/api/chat", body)
        self.assertEqual((status, h["retry-after"]), (429, "2"))
        self.assertIn("429", json.loads(data)["error"]["message"])
        body["messages"][0]["content"] = "/http 500 html"
        status, h, data = self.s.request("POST", "/api/chat", body)
        self.assertEqual(status, 500)
        self.assertTrue(h["content-type"].startswith("text/html"))
        self.assertIn(b"<h1>500", data)

    def test_fail_prompt(self):
        _, _, events = self.stream(self.s.create("/fail 503 4"))
        numbered = data_events(events)
        self.assertEqual(len(numbered), 5)
        self.assertEqual(numbered[-1]["event"], "fail")
        self.assertEqual(json.loads(numbered[-1]["data"])["status"], 503)
        _, _, events = self.stream(self.s.create("/fail 500"))
        self.assertEqual([(e["id"], e["event"]) for e in data_events(events)], [("1", "fail")])
        self.assertEqual(self.s.wait_finished(self.s.create("/fail 500"))["status"], "failed")

    def test_wrongtype_malformed_nonewline(self):
        status, h, body, _ = read_stream(self.s, "/api/chat/%s/stream" % self.s.create("/wrongtype"))
        self.assertEqual((status, h["content-type"]), (200, "text/plain; charset=utf-8"))
        _, _, body, complete = read_stream(self.s, "/api/chat/%s/stream" % self.s.create("/malformed"))
        self.assertIn(b'data: {"content": "broken\n', body)
        self.assertIn(b"\xff\xfe", body)
        self.assertIn(b"event: done", body)
        _, h, body, complete = read_stream(self.s, "/api/chat/%s/stream" % self.s.create("/nonewline 100000"))
        self.assertEqual(h["content-type"], "text/event-stream; charset=utf-8")
        self.assertEqual(len(body), 100000)
        self.assertNotIn(b"\n", body)
        self.assertNotIn(b"\r", body)

    def test_stream_limit_per_client(self):
        s = Server(FAST + ["--ping-seconds", "0.1", "--max-streams-per-client", "4"])
        conns = []
        try:
            rid = s.create("/pause 30")
            for _ in range(4):
                c = s.conn()
                c.request("GET", "/api/chat/%s/stream" % rid)
                self.assertEqual(c.getresponse().status, 200)
                conns.append(c)
            status, h, _ = s.request("GET", "/api/chat/%s/stream" % rid)
            self.assertEqual((status, h.get("retry-after")), (429, "1"))
            for c in conns:
                c.close()
            # the server notices closed connections when its next pings fail
            deadline = time.monotonic() + 10
            while True:
                c = s.conn()
                c.request("GET", "/api/chat/%s/stream" % rid)
                status = c.getresponse().status
                c.close()
                if status == 200 or time.monotonic() > deadline:
                    break
                time.sleep(0.1)
            self.assertEqual(status, 200)
        finally:
            for c in conns:
                c.close()
            s.stop()

    def test_unread_stream_does_not_block_generation(self):
        rid = self.s.create("/long 60000")
        sock = socket.create_connection((self.s.host, self.s.port))
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
            sock.sendall(b"GET /api/chat/%s/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" % rid.encode())
            s = self.s.wait_finished(rid, 30)  # never reading: the server's writes block, generation not
            self.assertEqual(s["status"], "done")
            self.assertEqual(s["usage"]["completion_tokens"], 60000)
        finally:
            sock.close()


class Expiry(unittest.TestCase):
    def test_abandoned_reply_is_cancelled_and_finished_one_forgotten(self):
        s = Server(["--tokens-per-second", "100", "--quiet", "--abandon-seconds", "0.5",
                    "--keep-seconds", "1"])
        try:
            rid = s.create("/long 100000")
            summary = s.wait_finished(rid, 10)
            self.assertEqual(summary["status"], "stopped")
            self.assertLess(summary["usage"]["completion_tokens"], 500)
            # Forgotten a keep time after its last read (each GET is a read that restarts it).
            time.sleep(1.0 + 1.0)
            self.assertEqual(s.request("GET", "/api/chat/%s" % rid)[0], 404)
            # a watched reply is not abandoned
            rid = s.create("/long 150")
            _, _, body, complete = read_stream(s, "/api/chat/%s/stream" % rid)
            self.assertTrue(complete)
            self.assertIn(b"event: done", body)
            self.assertEqual(s.summary(rid)["status"], "done")
        finally:
            s.stop()

    def test_retry_ms_option(self):
        s = Server(FAST + ["--retry-ms", "2500"])
        try:
            _, _, body, _ = read_stream(s, "/api/chat/%s/stream" % s.create("/long 2"))
            self.assertTrue(body.startswith(b"retry: 2500\n"))
        finally:
            s.stop()


if __name__ == "__main__":
    unittest.main()
