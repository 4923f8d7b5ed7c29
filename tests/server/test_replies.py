"""ReplyStore's keep and eviction rules on a fake clock: deterministic, no server, no load."""
import sys
import unittest

from serve_fixture import SOURCE_DIR

sys.path.insert(0, SOURCE_DIR)
from serve.replies import Reply, ReplyStore  # noqa: E402


class FakeClock:
    def __init__(self):
        self.t = 1000.0

    def __call__(self):
        return self.t

    def advance(self, seconds):
        self.t += seconds


KEEP = 20.0


class KeepAndEvict(unittest.TestCase):
    def setUp(self):
        self.clock = FakeClock()
        self.store = ReplyStore(KEEP, abandon_seconds=5.0, max_replies=3, clock=self.clock, janitor=False)

    def finished_reply(self):
        r = Reply("m", {}, clock=self.clock)
        self.assertTrue(self.store.add(r))
        r.add_content("hello")
        r.finish("stop", None)
        return r

    def test_reader_slower_than_the_keep_time_keeps_the_reply(self):
        r = self.finished_reply()
        r.attach()                       # a stream is reading, through stalls and slow writes
        self.clock.advance(KEEP * 10)
        self.store.sweep()
        self.assertIs(self.store.get(r.id), r, "dropped while a stream was attached")
        r.detach()
        self.clock.advance(KEEP - 1)
        self.store.sweep()
        self.assertIs(self.store.get(r.id), r, "the keep time must count from the last read")

    def test_reconnect_after_keep_from_end_but_within_keep_from_last_read(self):
        r = self.finished_reply()
        self.clock.advance(KEEP * 0.75)
        r.attach()
        r.wait_events(0, 0)              # reads part of the log, then the connection drops
        r.detach()
        self.clock.advance(KEEP * 0.75)  # 1.5 keep times after the end, 0.75 after the read
        self.store.sweep()
        self.assertIs(self.store.get(r.id), r)

    def test_unread_finished_reply_is_forgotten_after_the_keep_time(self):
        r = self.finished_reply()
        self.clock.advance(KEEP + 1)
        self.store.sweep()
        self.assertIsNone(self.store.get(r.id))

    def test_summary_read_restarts_the_keep_time(self):
        r = self.finished_reply()
        self.clock.advance(KEEP - 1)
        self.assertIs(self.store.get(r.id), r)   # GET /api/chat/<id>, stop, stream all look it up
        self.clock.advance(KEEP - 1)
        self.store.sweep()
        self.assertIs(self.store.get(r.id), r)

    def test_full_store_evicts_only_unread_replies_oldest_read_first(self):
        a, b, c = self.finished_reply(), self.finished_reply(), self.finished_reply()
        a.attach()                       # a is being read: it finished first but must stay
        self.clock.advance(1)
        c.touch()                        # c was read after b
        d = Reply("m", {}, clock=self.clock)
        self.assertTrue(self.store.add(d))
        self.assertIs(self.store.get(a.id), a)
        self.assertIsNone(self.store.get(b.id), "b was read longest ago")
        self.assertIs(self.store.get(c.id), c)

    def test_full_store_of_read_or_live_replies_refuses(self):
        live = Reply("m", {}, clock=self.clock)
        self.assertTrue(self.store.add(live))
        read1, read2 = self.finished_reply(), self.finished_reply()
        read1.attach()
        read2.attach()
        self.assertFalse(self.store.add(Reply("m", {}, clock=self.clock)))
        for r in (live, read1, read2):
            self.assertIs(self.store.get(r.id), r)
        read2.detach()
        self.assertTrue(self.store.add(Reply("m", {}, clock=self.clock)))
        self.assertIsNone(self.store.get(read2.id))

    def test_abandoned_live_reply_is_still_cancelled(self):
        r = Reply("m", {}, clock=self.clock)
        self.assertTrue(self.store.add(r))
        self.clock.advance(6)
        self.store.sweep()
        self.assertTrue(r.cancelled.is_set())


if __name__ == "__main__":
    unittest.main()
