"""The demo model's tool loop: /tool NAME {JSON} calls an offered tool, streamed as real servers
stream calls (id and name first, arguments in pieces, finish_reason tool_calls), on both APIs;
given the result it answers with it; bad tool requests are clear 400s."""
import json
import unittest

from serve_fixture import FAST, Server, parse_sse, read_stream

TOOLS = [{"type": "function", "function": {"name": "get_weather", "description": "Weather in a city",
                                            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}]
PROMPT = '/tool get_weather {"city": "Paris"}'


def body(messages, **extra):
    return {"model": "imchat-demo", "messages": messages, **extra}


def assemble(pieces):
    calls = {}
    for p in pieces:
        c = calls.setdefault(p["index"], {"id": "", "name": "", "arguments": ""})
        c["id"] = c["id"] or p.get("id", "")
        c["name"] = c["name"] or p.get("function", {}).get("name", "")
        c["arguments"] += p.get("function", {}).get("arguments", "")
    return [calls[i] for i in sorted(calls)]


class DemoTools(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.s = Server(FAST)

    @classmethod
    def tearDownClass(cls):
        cls.s.stop()

    def openai_stream(self, b):
        c = self.s.conn()
        try:
            c.request("POST", "/v1/chat/completions", json.dumps(dict(b, stream=True)), {"Content-Type": "application/json"})
            r = c.getresponse()
            data = r.read()
            self.assertEqual(r.status, 200, data[:300])
        finally:
            c.close()
        events = parse_sse(data)
        self.assertEqual(events[-1]["data"], "[DONE]")
        return [json.loads(e["data"]) for e in events[:-1]]

    def test_openai_stream_calls_the_tool_in_pieces(self):
        chunks = self.openai_stream(body([{"role": "user", "content": PROMPT}], tools=TOOLS))
        pieces = [p for c in chunks for p in c["choices"][0]["delta"].get("tool_calls", [])]
        self.assertGreaterEqual(len(pieces), 3, "name first, then the arguments in more than one piece")
        self.assertEqual(pieces[0]["function"]["arguments"], "")
        calls = assemble(pieces)
        self.assertEqual(len(calls), 1)
        self.assertEqual(calls[0]["name"], "get_weather")
        self.assertRegex(calls[0]["id"], r"^call_")
        self.assertEqual(json.loads(calls[0]["arguments"]), {"city": "Paris"})
        self.assertEqual(chunks[-1]["choices"][0]["finish_reason"], "tool_calls")

    def test_the_result_comes_back_and_the_answer_uses_it(self):
        call = {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'}}
        messages = [{"role": "user", "content": PROMPT},
                    {"role": "assistant", "content": None, "tool_calls": [call]},
                    {"role": "tool", "tool_call_id": "call_1", "content": "18 C and clear"}]
        status, obj = self.s.json("POST", "/v1/chat/completions", body(messages, tools=TOOLS))
        self.assertEqual(status, 200, obj)
        choice = obj["choices"][0]
        self.assertEqual(choice["finish_reason"], "stop")
        self.assertIn("18 C and clear", choice["message"]["content"])
        self.assertNotIn("tool_calls", choice["message"])

    def test_whole_completion_holds_the_call(self):
        status, obj = self.s.json("POST", "/v1/chat/completions", body([{"role": "user", "content": PROMPT}], tools=TOOLS))
        self.assertEqual(status, 200, obj)
        message = obj["choices"][0]["message"]
        self.assertEqual(obj["choices"][0]["finish_reason"], "tool_calls")
        self.assertEqual(message["tool_calls"][0]["function"]["name"], "get_weather")
        self.assertEqual(json.loads(message["tool_calls"][0]["function"]["arguments"]), {"city": "Paris"})

    def test_builtin_api_sends_tool_call_events(self):
        rid = self.s.create(PROMPT, tools=TOOLS)
        status, _, data, complete = read_stream(self.s, "/api/chat/%s/stream" % rid)
        self.assertTrue(complete)
        events = parse_sse(data)
        calls = [json.loads(e["data"]) for e in events if e.get("event") == "tool_call"]
        self.assertGreaterEqual(len(calls), 3)
        assembled = assemble([p for c in calls for p in c["tool_calls"]])
        self.assertEqual(assembled[0]["name"], "get_weather")
        done = [json.loads(e["data"]) for e in events if e.get("event") == "done"]
        self.assertEqual(done[0]["finish_reason"], "tool_calls")
        self.assertEqual(self.s.summary(rid)["tool_calls"][0]["function"]["name"], "get_weather")

    def test_a_tool_that_is_not_offered_is_not_called(self):
        status, obj = self.s.json("POST", "/v1/chat/completions", body([{"role": "user", "content": "/tool rm_rf {}"}], tools=TOOLS))
        self.assertEqual(status, 200, obj)
        self.assertEqual(obj["choices"][0]["finish_reason"], "stop")
        self.assertIn("offers no such tool", obj["choices"][0]["message"]["content"])
        status, obj = self.s.json("POST", "/v1/chat/completions", body([{"role": "user", "content": PROMPT}]))
        self.assertNotIn("tool_calls", obj["choices"][0]["message"])

    def test_bad_tool_requests_are_clear_400s(self):
        for b, word in ((body([{"role": "user", "content": "x"}], tools={"a": 1}), "tools"),
                        (body([{"role": "user", "content": "x"}], tools=[{"type": "function", "function": {"name": "bad name!"}}]), "tools[0]"),
                        (body([{"role": "user", "content": "x"}, {"role": "tool", "content": "r"}]), "tool_call_id"),
                        (body([{"role": "assistant", "content": None, "tool_calls": "x"}, {"role": "user", "content": "x"}]), "tool_calls")):
            status, obj = self.s.json("POST", "/v1/chat/completions", b)
            self.assertEqual(status, 400, (b, obj))
            self.assertIn(word, obj["error"]["message"])


class ProxiedTools(unittest.TestCase):
    """Through the proxy: the tools go upstream (a second serve.py) and its calls come back."""

    @classmethod
    def setUpClass(cls):
        cls.up = Server(FAST + ["--model-name", "upstream-demo"])
        cls.proxy = Server(FAST + ["--upstream", cls.up.url + "/v1"])

    @classmethod
    def tearDownClass(cls):
        cls.proxy.stop()
        cls.up.stop()

    def test_a_proxied_model_calls_a_tool(self):
        status, obj = self.proxy.json("POST", "/api/chat", {"model": "upstream-demo", "tools": TOOLS,
                                                             "messages": [{"role": "user", "content": PROMPT}]})
        self.assertEqual(status, 200, obj)
        _, _, data, complete = read_stream(self.proxy, "/api/chat/%s/stream" % obj["id"])
        self.assertTrue(complete)
        events = parse_sse(data)
        pieces = [p for e in events if e.get("event") == "tool_call" for p in json.loads(e["data"])["tool_calls"]]
        calls = assemble(pieces)
        self.assertEqual([c["name"] for c in calls], ["get_weather"])
        self.assertEqual(json.loads(calls[0]["arguments"]), {"city": "Paris"})
        done = [json.loads(e["data"]) for e in events if e.get("event") == "done"]
        self.assertEqual(done[0]["finish_reason"], "tool_calls")


if __name__ == "__main__":
    unittest.main()
