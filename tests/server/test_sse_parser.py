"""serve.py's own SSE decoder (used on upstream streams), fed in every possible split."""
import sys
import unittest

from serve_fixture import SOURCE_DIR

sys.path.insert(0, SOURCE_DIR)
from serve.upstream import MAX_SSE_LINE, SseError, SseParser  # noqa: E402

STREAM = ("\ufeffdata: one\r\n\r\n"
          ": a comment\n"
          "event: done\rid: 7\rdata:no-space\rdata: two lines\r\r"
          "data\n\n"
          "id: 8\nretry: 100\nunknown: x\ndata: {\"content\":\"你好 🎉\"}\n\n"
          "data: unfinished").encode()
EXPECTED = [("message", "one", ""), ("done", "no-space\ntwo lines", "7"), ("message", "", "7"),
            ("message", '{"content":"你好 🎉"}', "8")]


def feed_all(pieces):
    p = SseParser()
    out = []
    for piece in pieces:
        out += p.feed(piece)
    return out


class SseParserTest(unittest.TestCase):
    def test_whole_stream(self):
        self.assertEqual(feed_all([STREAM]), EXPECTED)

    def test_byte_by_byte(self):
        self.assertEqual(feed_all([STREAM[i:i + 1] for i in range(len(STREAM))]), EXPECTED)

    def test_every_split_point(self):
        for i in range(len(STREAM) + 1):
            self.assertEqual(feed_all([STREAM[:i], STREAM[i:]]), EXPECTED, i)

    def test_bom_only_stripped_at_start(self):
        # a BOM later on is part of the field name, so that line is an unknown field: ignored
        self.assertEqual(feed_all([b"data: a\n\n\xef\xbb\xbfdata: b\n\n"]), [("message", "a", "")])
        self.assertEqual(feed_all([b"\xef", b"\xbb", b"\xbfdata: x\n\n"]), [("message", "x", "")])

    def test_invalid_utf8_is_replaced(self):
        self.assertEqual(feed_all([b"data: \xff\xfe\n\n"]), [("message", "\ufffd\ufffd", "")])

    def test_endless_line_is_an_error(self):
        p = SseParser()
        with self.assertRaises(SseError):
            for _ in range(MAX_SSE_LINE // 65536 + 2):
                p.feed(b"x" * 65536)


if __name__ == "__main__":
    unittest.main()
