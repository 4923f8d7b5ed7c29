"""The upstream proxy: a second serve.py as the OpenAI-compatible upstream, plus a scripted fake
upstream (in this process) for what a real server does wrong: malformed streams, in-stream
errors, early EOF, 429, and for observing what the proxy sends and when it hangs up."""
import http.server
import json
import socket
import threading
import time
import unittest

from serve_fixture import Server, content_of, parse_sse, read_stream

KEY = "sk-test-0123456789-SECRET"


class FakeUpstream(http.server.ThreadingHTTPServer):
    """Answers /v1/chat/completions by the model name (fake-ok, fake-slow, ...)."""
    daemon_threads = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), FakeHandler)
        self.requests = []            # (headers dict, body dict)
        self.disconnected = threading.Event()
        threading.Thread(target=self.serve_forever, daemon=True).start()


def chunk(delta=None, finish=None, usage=None):
    obj = {"id": "x", "object": "chat.completion.chunk", "created": 1, "model": "fake",
           "choices": [] if usage else [{"index": 0, "delta": delta or {}, "finish_reason": finish}]}
    if usage:
        obj["usage"] = usage
    return "data: " + json.dumps(obj, ensure_ascii=False)


class FakeHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, *args):
        pass

    def do_GET(self):
        body = json.dumps({"object": "list", "data": [
            {"id": "fake-ok", "object": "model", "created": 1, "owned_by": "fake"},
            {"id": "fake-slow", "object": "model", "created": 1, "owned_by": "fake"}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
        mode = body["model"][len("fake-"):]
        if mode == "429":
            return self.plain(429, b'{"error":{"message":"rate limited, slow down"}}', "application/json",
                              {"Retry-After": "7"})
        if mode == "json":
            obj = {"id": "x", "object": "chat.completion", "created": 1, "model": "fake-json",
                   "choices": [{"index": 0, "message": {"role": "assistant", "content": "whole answer"},
                                "finish_reason": "stop"}],
                   "usage": {"prompt_tokens": 3, "completion_tokens": 2, "total_tokens": 5}}
            return self.plain(200, json.dumps(obj).encode(), "application/json")
        if mode == "html":
            return self.plain(200, b"<html>login page</html>", "text/html")
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        good = [chunk({"role": "assistant", "content": ""}), chunk({"reasoning_content": "hmm "}),
                chunk({"content": "Hello"}), chunk({"content": ", 世界"})]
        lines = {
            "ok": [": comment"] + good + [chunk(finish="stop"),
                                          chunk(usage={"prompt_tokens": 11, "completion_tokens": 3}),
                                          "data: [DONE]"],
            "malformed": good[:3] + ['data: {"choices": [broken'],
            "error": good[:3] + ['data: {"error":{"message":"model overloaded","code":503}}'],
            "eof": good,
        }.get(mode)
        if mode == "slow":
            try:
                while True:
                    self.wfile.write((chunk({"content": "tick "}) + "\n\n").encode())
                    self.wfile.flush()
                    time.sleep(0.05)
            except OSError:
                self.server.disconnected.set()
            return
        # CRLF line ends, written in awkward pieces that split lines and multibyte characters
        data = "".join(line + "\r\n\r\n" for line in lines).encode()
        for i in range(0, len(data), 7):
            self.wfile.write(data[i:i + 7])
            self.wfile.flush()
            time.sleep(0.0005)

    def plain(self, status, body, ctype, headers=None):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Proxy(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        env = {"IMCHAT_TEST_KEY": KEY, "IMCHAT_WRONG_KEY": "sk-wrong-key-ABCDEFGH"}
        cls.up = Server(["--tokens-per-second", "20000", "--quiet", "--model-name", "upstream-demo",
                         "--require-key-env", "IMCHAT_TEST_KEY"], env=env)
        base = ["--tokens-per-second", "20000", "--upstream", cls.up.url + "/v1"]
        cls.proxy = Server(base + ["--api-key-env", "IMCHAT_TEST_KEY"], env=env)
        cls.wrong = Server(base + ["--api-key-env", "IMCHAT_WRONG_KEY"], env=env)
        cls.fake = FakeUpstream()
        cls.fproxy = Server(["--quiet", "--abandon-seconds", "0.5", "--api-key-env", "IMCHAT_TEST_KEY",
                             "--upstream", "http://127.0.0.1:%d/v1" % cls.fake.server_address[1]], env=env)

    @classmethod
    def tearDownClass(cls):
        for s in (cls.up, cls.proxy, cls.wrong, cls.fproxy):
            s.stop()
        cls.fake.shutdown()
        cls.fake.server_close()

    def events(self, server, rid, headers=None):
        status, _, body, complete = read_stream(server, "/api/chat/%s/stream" % rid, headers)
        self.assertEqual(status, 200)
        self.assertTrue(complete)
        return body, parse_sse(body)

    def final(self, events):
        last = [e for e in events if "id" in e][-1]
        return last.get("event"), json.loads(last["data"])

    def upstream_content(self, prompt):
        status, obj = self.up.json("POST", "/v1/chat/completions",
                                   {"model": "upstream-demo", "messages": [{"role": "user", "content": prompt}]},
                                   {"Authorization": "Bearer " + KEY})
        self.assertEqual(status, 200, obj)
        return obj["choices"][0]["message"]

    def test_models_list_demo_plus_upstream(self):
        status, obj = self.proxy.json("GET", "/v1/models")
        self.assertEqual([m["id"] for m in obj["data"]], ["imchat-demo", "upstream-demo"])
        self.assertNotIn("warning", obj)
        status, obj = self.fproxy.json("GET", "/v1/models")
        self.assertEqual([m["id"] for m in obj["data"]], ["imchat-demo", "fake-ok", "fake-slow"])

    def test_relays_upstream_reply_exactly_and_resumes(self):
        prompt = "Please think: what is a proxy?"
        rid = self.proxy.create(prompt, model="upstream-demo")
        body, events = self.events(self.proxy, rid)
        content, reasoning, ids = content_of(events)
        expected = self.upstream_content(prompt)
        self.assertEqual(content, expected["content"])
        self.assertEqual(reasoning, expected["reasoning_content"])
        self.assertEqual(ids, list(range(1, len(ids) + 1)))
        kind, done = self.final(events)
        self.assertEqual((kind, done["finish_reason"]), ("done", "stop"))
        self.assertEqual(done["usage"]["completion_tokens"], len(ids) - 1)
        _, rest = self.events(self.proxy, rid, {"Last-Event-ID": "40"})
        tail, tail_reasoning, _ = content_of(rest)
        head, head_reasoning, _ = content_of([e for e in events if "id" in e and int(e["id"]) <= 40])
        self.assertEqual(head + tail, content)
        self.assertEqual(head_reasoning + tail_reasoning, reasoning)
        self.assertEqual(self.proxy.summary(rid)["content"], content)

    def test_openai_endpoint_with_upstream_model(self):
        status, obj = self.proxy.json("POST", "/v1/chat/completions",
                                      {"model": "upstream-demo", "messages": [{"role": "user", "content": "/echo via proxy"}]})
        self.assertEqual(status, 200)
        self.assertEqual(obj["choices"][0]["message"]["content"], "via proxy")
        self.assertEqual(obj["model"], "upstream-demo")

    def test_upstream_failures_reach_the_user(self):
        cases = {"/http 500": (500, None), "/http 500 html": (500, None), "/http 429": (429, 2),
                 "/fail 503": (503, None), "/http 401": (401, None)}
        for prompt, (status, retry_after) in cases.items():
            _, events = self.events(self.proxy, self.proxy.create(prompt, model="upstream-demo"))
            kind, fail = self.final(events)
            self.assertEqual((kind, fail["status"]), ("fail", status), prompt)
            self.assertIn("upstream returned HTTP %d" % status, fail["message"])
            self.assertEqual(fail.get("retry_after"), retry_after, prompt)
        _, events = self.events(self.proxy, self.proxy.create("/fail 502 3", model="upstream-demo"))
        kind, fail = self.final(events)
        self.assertEqual((kind, fail["status"]), ("fail", 502))
        self.assertIn("simulated failure", fail["message"])
        self.assertEqual(content_of(events)[0], "token0 token1 token2 ")

    def test_key_is_used_but_never_shown(self):
        _, events = self.events(self.wrong, self.wrong.create("hi", model="upstream-demo"))
        kind, fail = self.final(events)
        self.assertEqual((kind, fail["status"]), ("fail", 401))
        self.assertIn("Incorrect API key provided: [redacted]", fail["message"])
        everything = json.dumps(events)
        for path in ("/v1/models", "/api/chat/nope"):
            everything += repr(self.wrong.request("GET", path))
        status, h, body = self.wrong.request("POST", "/v1/chat/completions",
                                             {"model": "upstream-demo", "messages": [{"role": "user", "content": "x"}]})
        self.assertEqual(status, 401)
        everything += repr((h, body))
        self.assertNotIn("sk-wrong-key", everything)
        self.assertNotIn("sk-wrong-key", self.wrong.stderr())
        self.assertNotIn(KEY, self.proxy.stderr())
        self.assertIn("POST /api/chat", self.wrong.stderr_when("POST /api/chat"))  # logging was on
        self.assertNotIn("sk-wrong-key", self.wrong.stderr())

    def test_browser_credentials_not_forwarded(self):
        status, obj = self.fproxy.json("POST", "/api/chat",
                                       {"model": "fake-ok", "messages": [{"role": "user", "content": "x"}]},
                                       {"Cookie": "session=browser-cookie", "Authorization": "Bearer browser-token"})
        self.assertEqual(status, 200)
        _, events = self.events(self.fproxy, obj["id"])
        headers, body = self.fake.requests[-1]
        self.assertEqual(headers["authorization"], "Bearer " + KEY)
        self.assertNotIn("cookie", headers)
        self.assertNotIn("browser", json.dumps(headers))
        self.assertEqual((body["stream"], body["stream_options"]), (True, {"include_usage": True}))
        content, reasoning, _ = content_of(events)
        self.assertEqual((content, reasoning), ("Hello, 世界", "hmm "))
        kind, done = self.final(events)
        self.assertEqual(done["usage"], {"prompt_tokens": 11, "completion_tokens": 3})

    def test_fake_upstream_faults(self):
        expect = {"fake-malformed": (502, "malformed"), "fake-error": (503, "model overloaded"),
                  "fake-eof": (502, "ended before"), "fake-html": (502, "text/html"),
                  "fake-429": (429, "rate limited")}
        for model, (status, words) in expect.items():
            _, events = self.events(self.fproxy, self.fproxy.create("x", model=model))
            kind, fail = self.final(events)
            self.assertEqual((kind, fail["status"]), ("fail", status), model)
            self.assertIn(words, fail["message"], model)
            if model == "fake-429":
                self.assertEqual(fail["retry_after"], 7)
            elif model != "fake-html":
                expected = "Hello, 世界" if model == "fake-eof" else "Hello"
                self.assertEqual(content_of(events)[0], expected, model)
        _, events = self.events(self.fproxy, self.fproxy.create("x", model="fake-json"))
        self.assertEqual(content_of(events)[0], "whole answer")
        self.assertEqual(self.final(events)[0], "done")

    def test_stop_and_abandon_cancel_the_upstream_request(self):
        for how in ("stop", "abandon"):
            self.fake.disconnected.clear()
            rid = self.fproxy.create("x", model="fake-slow")
            c = self.fproxy.conn()
            c.request("GET", "/api/chat/%s/stream" % rid)
            r = c.getresponse()
            got = b""
            while got.count(b"tick") < 3:
                got += r.read1(4096)
            if how == "stop":
                self.assertEqual(self.fproxy.json("POST", "/api/chat/%s/stop" % rid)[0], 200)
                rest = b""
                while b"event: done" not in rest:
                    rest += r.read1(4096)
                self.assertIn(b'"stopped":true', rest)
            c.close()
            self.assertTrue(self.fake.disconnected.wait(5), how)
            self.assertEqual(self.fproxy.wait_finished(rid, 5)["status"], "stopped")

    def test_unreachable_upstream(self):
        s = Server(["--quiet", "--upstream", "http://127.0.0.1:%d/v1" % free_port()])
        try:
            status, obj = s.json("GET", "/v1/models")
            self.assertEqual([m["id"] for m in obj["data"]], ["imchat-demo"])
            self.assertIn("unreachable", obj["warning"])
            _, events = self.events(s, s.create("x", model="other"))
            kind, fail = self.final(events)
            self.assertEqual((kind, fail["status"]), ("fail", 502))
            self.assertIn("cannot reach upstream 127.0.0.1", fail["message"])
        finally:
            s.stop()


if __name__ == "__main__":
    unittest.main()
