"""GET /chat/stream?prompt=: the demo model as the plainest event stream (bare `data:` lines of
text, ids, `event: done`), resumable with Last-Event-ID by regenerating the same reply."""
import json
import unittest
import urllib.parse

from serve_fixture import Server, content_of, parse_sse, read_stream

PROMPT = "Explain streaming, with a list"


def plain_text(events):
    return "".join(e["data"] for e in events if e.get("event") is None and "data" in e)


class PlainSse(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.server = Server(["--tokens-per-second", "2000", "--quiet"])

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()

    def stream(self, prompt, headers=None):
        status, h, body, complete = read_stream(self.server, "/chat/stream?prompt=" + urllib.parse.quote(prompt),
                                                headers)
        self.assertEqual(status, 200)
        self.assertTrue(complete)
        self.assertTrue(h["content-type"].startswith("text/event-stream"))
        return body, parse_sse(body)

    def test_text_is_bare_data_lines_and_matches_the_builtin_reply(self):
        body, events = self.stream(PROMPT)
        # Bare text: no event's data is JSON, and multi-line tokens arrive as several data lines.
        self.assertNotIn(b'data: {"content"', body)
        self.assertIn(b"\ndata: \n", body, "a token's line break is sent as another data line")
        self.assertEqual(events[-1].get("event"), "done")
        numbered = [int(e["id"]) for e in events if "id" in e]
        self.assertEqual(numbered, list(range(1, len(numbered) + 1)))
        # The same words as the built-in API's reply to the same prompt.
        reply = self.server.create(PROMPT)
        _, _, builtin, _ = read_stream(self.server, "/api/chat/%s/stream" % reply)
        self.assertEqual(plain_text(events), content_of(parse_sse(builtin))[0])

    def test_last_event_id_resumes_after_that_token(self):
        _, whole = self.stream("/long 30")
        _, tail = self.stream("/long 30", {"Last-Event-ID": "12"})
        ids = [int(e["id"]) for e in tail if "id" in e]
        self.assertEqual(ids, list(range(13, 31)))
        whole_tokens = [e["data"] for e in whole if "id" in e]
        self.assertEqual([e["data"] for e in tail if "id" in e], whole_tokens[12:])
        self.assertEqual(tail[-1].get("event"), "done")

    def test_only_get(self):
        status = self.server.request("POST", "/chat/stream", {})[0]
        self.assertEqual(status, 405)


if __name__ == "__main__":
    unittest.main()
