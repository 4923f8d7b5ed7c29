"""POST /v1/chat/completions in OpenAI's exact Chat Completions format, streamed and not."""
import json
import unittest

from serve_fixture import FAST, Server, parse_sse, read_stream


def chat(prompt, **extra):
    return {"model": "imchat-demo", "messages": [{"role": "user", "content": prompt}], **extra}


class OpenAiWire(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Server(FAST)

    @classmethod
    def tearDownClass(cls):
        cls.s.stop()

    def post_stream(self, body):
        c = self.s.conn()
        try:
            c.request("POST", "/v1/chat/completions", json.dumps(body), {"Content-Type": "application/json"})
            r = c.getresponse()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
        finally:
            c.close()

    def chunks(self, body):
        """The parsed JSON chunks of a stream, checking the [DONE] terminator."""
        status, h, data = self.post_stream(body)
        self.assertEqual(status, 200, data[:300])
        self.assertEqual(h["content-type"], "text/event-stream; charset=utf-8")
        events = parse_sse(data)
        self.assertTrue(all(set(e) == {"data"} for e in events), events[:3])
        self.assertEqual(events[-1]["data"], "[DONE]")
        return [json.loads(e["data"]) for e in events[:-1]]

    def test_stream_format(self):
        chunks = self.chunks(chat("Explain sockets", stream=True))
        ids = {c["id"] for c in chunks}
        self.assertEqual(len(ids), 1)
        self.assertRegex(ids.pop(), r"^chatcmpl-")
        for c in chunks:
            self.assertEqual(c["object"], "chat.completion.chunk")
            self.assertEqual(c["model"], "imchat-demo")
            self.assertIsInstance(c["created"], int)
            self.assertIn("system_fingerprint", c)
            self.assertNotIn("usage", c)
            self.assertEqual(len(c["choices"]), 1)
            ch = c["choices"][0]
            self.assertEqual((ch["index"], ch["logprobs"]), (0, None))
        self.assertEqual(chunks[0]["choices"][0]["delta"], {"role": "assistant", "content": ""})
        self.assertTrue(all(c["choices"][0]["finish_reason"] is None for c in chunks[:-1]))
        self.assertEqual(chunks[-1]["choices"][0], {"index": 0, "delta": {}, "logprobs": None,
                                                     "finish_reason": "stop"})
        middle = [c["choices"][0]["delta"] for c in chunks[1:-1]]
        self.assertTrue(all(list(d) == ["content"] for d in middle))
        text = "".join(d["content"] for d in middle)
        self.assertEqual(text, self.whole(chat("Explain sockets"))["choices"][0]["message"]["content"])

    def whole(self, body):
        status, obj = self.s.json("POST", "/v1/chat/completions", body)
        self.assertEqual(status, 200, obj)
        return obj

    def test_include_usage_and_reasoning(self):
        chunks = self.chunks(chat("think about it", stream=True, stream_options={"include_usage": True}))
        self.assertTrue(all("usage" in c for c in chunks))
        last = chunks[-1]
        self.assertEqual(last["choices"], [])
        u = last["usage"]
        self.assertEqual(u["total_tokens"], u["prompt_tokens"] + u["completion_tokens"])
        self.assertTrue(all(c["usage"] is None for c in chunks[:-1]))
        self.assertEqual(chunks[-2]["choices"][0]["finish_reason"], "stop")
        deltas = [c["choices"][0]["delta"] for c in chunks[1:-2]]
        reasoning = "".join(d.get("reasoning_content", "") for d in deltas)
        content = "".join(d.get("content", "") for d in deltas)
        self.assertIn("think", reasoning)
        self.assertEqual(u["completion_tokens"], len(deltas))
        obj = self.whole(chat("think about it"))
        self.assertEqual(obj["choices"][0]["message"]["reasoning_content"], reasoning)
        self.assertEqual(obj["choices"][0]["message"]["content"], content)

    def test_non_streaming_object(self):
        obj = self.whole(chat("/echo hi there", max_tokens=50))
        self.assertEqual(obj["object"], "chat.completion")
        self.assertRegex(obj["id"], r"^chatcmpl-")
        self.assertEqual(obj["choices"], [{"index": 0, "logprobs": None, "finish_reason": "stop",
                                           "message": {"role": "assistant", "content": "hi there",
                                                       "refusal": None}}])
        self.assertEqual(obj["usage"]["completion_tokens"], 2)
        obj = self.whole(chat("/long 20", max_tokens=5))
        self.assertEqual(obj["choices"][0]["finish_reason"], "length")

    def test_errors(self):
        status, h, data = self.post_stream(chat("/fail 503", stream=True))
        self.assertEqual(status, 503)
        self.assertEqual(json.loads(data)["error"]["code"], 503)
        status, obj = self.s.json("POST", "/v1/chat/completions", chat("/fail 500"))
        self.assertEqual(status, 500)
        chunks_body = self.post_stream(chat("/fail 502 3", stream=True))
        events = parse_sse(chunks_body[2])
        self.assertEqual(json.loads(events[-1]["data"])["error"]["code"], 502)
        self.assertNotIn("[DONE]", [e["data"] for e in events])
        status, h, data = self.s.request("POST", "/v1/chat/completions", chat("/http 429", stream=True))
        self.assertEqual((status, h["retry-after"]), (429, "2"))
        err = json.loads(data)["error"]
        self.assertEqual((err["type"], err["code"]), ("invalid_request_error", 429))
        status, obj = self.s.json("POST", "/v1/chat/completions", {"model": "nope", "messages": [{"role": "user", "content": "x"}]})
        self.assertEqual(status, 404)
        status, obj = self.s.json("POST", "/v1/chat/completions", chat("x", stream="yes"))
        self.assertEqual(status, 400)
        self.assertEqual(self.s.request("GET", "/v1/chat/completions")[0], 405)
        status, h, data = self.post_stream(chat("/wrongtype", stream=True))
        self.assertEqual((status, h["content-type"]), (200, "text/html; charset=utf-8"))

    def test_content_parts_accepted(self):
        body = {"model": "imchat-demo", "messages": [
            {"role": "system", "content": "be brief"},
            {"role": "user", "content": [{"type": "text", "text": "/echo "}, {"type": "text", "text": "parts"}]}]}
        self.assertEqual(self.whole(body)["choices"][0]["message"]["content"], "parts")


if __name__ == "__main__":
    unittest.main()
