"""One thread paces every demo reply: a timer heap instead of a sleeping thread per reply.

With a thread per reply, 1 000 paced streams meant 1 000 more threads each waking five times a
second under the one interpreter lock; here one thread wakes when the next token of any reply is
due and writes every token due by then. serve/demo_model.py plans the tokens; this paces them.
"""
import heapq
import itertools
import threading
import time

from .demo_model import count_prompt_tokens


class DemoRun:
    """One reply's plan and how far it got (touched only by the pacer thread)."""

    def __init__(self, reply, steps, tokens_per_second, max_tokens):
        self.reply, self.steps, self.tps, self.max_tokens = reply, steps, tokens_per_second, max_tokens
        self.prompt_tokens = count_prompt_tokens(reply.request["messages"])
        self.emitted = self.i = 0
        self.start = time.monotonic()
        self.pause = reply.special.get("pause")
        self.paused_until = None
        self.done = False
        self.gen = 0  # the heap entry that counts (an earlier one was superseded by a wake)
        self.called = 0  # tool calls made: the reply then ends with finish_reason "tool_calls"

    def usage(self):
        return {"prompt_tokens": self.prompt_tokens, "completion_tokens": self.emitted}

    def step(self, now):
        """Writes every token due by now; returns when to come back, or None once finished."""
        r = self.reply
        while not self.done:
            if r.cancelled.is_set():
                return self.end(r.finish("stop", self.usage(), stopped=True))
            if self.paused_until is not None:
                if now < self.paused_until:
                    return self.paused_until
                self.paused_until = None
                self.start = now - self.emitted / self.tps
            if self.i >= len(self.steps):
                if "fail" in r.special:
                    status = r.special["fail"]
                    return self.end(r.fail(status, f"simulated failure with status {status}"))
                return self.end(r.finish("tool_calls" if self.called else "stop", self.usage()))
            if self.max_tokens is not None and self.emitted >= self.max_tokens:
                return self.end(r.finish("length", self.usage()))
            due = self.start + self.emitted / self.tps
            if due - now > 0.001:
                return due
            kind, token = self.steps[self.i]
            self.i += 1
            if kind == "raw":
                r.add_raw(token)
            elif kind == "reasoning":
                r.add_reasoning(token)
            elif kind == "tool_call":
                self.call(token)
            else:
                r.add_content(token)
            self.emitted += 1
            if self.pause and self.emitted == 5:
                self.paused_until = now + self.pause
            now = time.monotonic()
        return None

    def call(self, c):
        """A call streamed as a real server does: id and name first, the arguments in pieces."""
        index, args = self.called, c["arguments"]
        self.called += 1
        self.reply.add_tool_call([{"index": index, "id": c["id"], "type": "function",
                                   "function": {"name": c["name"], "arguments": ""}}])
        half = len(args) // 2
        for piece in (args[:half], args[half:]):
            self.reply.add_tool_call([{"index": index, "function": {"arguments": piece}}])

    def end(self, _):
        self.done = True
        return None


class Pacer:
    def __init__(self):
        self._heap = []
        self._order = itertools.count()
        self._cond = threading.Condition()
        threading.Thread(target=self._loop, name="demo-pacer", daemon=True).start()

    def start(self, reply, steps, tokens_per_second, max_tokens=None):
        run = DemoRun(reply, steps, tokens_per_second, max_tokens)
        self._schedule(run, 0.0)
        reply.on_cancel(lambda: self._schedule(run, 0.0))  # Stop is seen at once, not at the next token

    def _schedule(self, run, due):
        with self._cond:
            run.gen += 1
            heapq.heappush(self._heap, (due, next(self._order), run.gen, run))
            self._cond.notify()

    def _loop(self):
        while True:
            with self._cond:
                while not self._heap or self._heap[0][0] > time.monotonic():
                    self._cond.wait(self._heap[0][0] - time.monotonic() if self._heap else None)
                _, _, gen, run = heapq.heappop(self._heap)
                if gen != run.gen:
                    continue
            try:
                due = run.step(time.monotonic())
            except Exception:  # a bug costs that reply, never the others
                import traceback
                traceback.print_exc()
                run.reply.fail(500, "internal error in the demo model")
                continue
            if due is not None:
                with self._cond:
                    if gen == run.gen:  # a wake while stepping already queued it again
                        run.gen += 1
                        heapq.heappush(self._heap, (due, next(self._order), run.gen, run))
