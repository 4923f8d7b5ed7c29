"""Replies: one event log per generated answer, written by a generation thread, read by streams.

Generation never waits for a client: it appends to the log under a condition variable, and each
stream connection (any number, attached and detached at will) reads from the log in its own
thread, from whatever event id it resumes after. A janitor cancels replies nobody watches and
forgets finished ones after a while: never while a stream is attached, and only keep_seconds after
the later of the reply's end and the last moment a client read from it, so a slow reader or one
coming back after a drop (or a laptop's sleep) always finds the whole reply.
"""
import secrets
import threading
import time


class StoreUnavailable(Exception):
    """The shared reply store (Redis) cannot be reached: answer 503, or cut a live stream so the
    client resumes by event id once it is back."""


class Event:
    """One numbered entry of a reply's log (seq is 1-based and also the SSE id)."""
    __slots__ = ("seq", "kind", "payload")

    def __init__(self, seq, kind, payload):
        self.seq = seq
        self.kind = kind        # "content" | "reasoning" | "raw" | "done" | "fail"
        self.payload = payload  # str for text, bytes for raw, dict for done/fail


class Reply:
    def __init__(self, model, request, special=None, clock=time.monotonic):
        self.clock = clock               # monotonic seconds; tests pass a fake one
        self.id = secrets.token_hex(12)
        self.model = model
        self.request = request
        self.special = special or {}     # test modes decided from the prompt (see demo_model)
        self.created = int(time.time())
        self.events = []
        self.cond = threading.Condition()
        self.status = "running"          # running | done | stopped | failed
        self.content = []
        self.reasoning = []
        self.tool_calls = []             # assembled calls: [{"id","type","function":{"name","arguments"}}]
        self.finish_reason = None
        self.usage = None
        self.cancelled = threading.Event()
        self.cancel_reason = None
        self._cancel_hooks = []
        self.readers = 0
        self.idle_since = clock()        # when the last reader detached (abandonment of a live reply)
        self.last_read = self.idle_since # when a client last attached, read, or detached
        self.finished_at = None
        self.on_event = None             # called (under cond) after each append: a shared store's flusher
        self._wakers = []                # called (under cond) after each append: serve/stream_hub's streams

    # -- written by the generation thread ------------------------------------------------------
    def _append(self, kind, payload):
        with self.cond:
            if self.finished_at is not None:
                return
            self.events.append(Event(len(self.events) + 1, kind, payload))
            if kind == "content":
                self.content.append(payload)
            elif kind == "reasoning":
                self.reasoning.append(payload)
            elif kind == "tool_call":
                self._assemble_calls(payload["tool_calls"])
            self.cond.notify_all()
            for wake in self._wakers:
                wake()
            if self.on_event:
                self.on_event(self)

    def add_content(self, text):
        self._append("content", text)

    def add_tool_call(self, pieces):
        """Pieces of function calls, shaped as an OpenAI delta's tool_calls entries."""
        self._append("tool_call", {"tool_calls": pieces})

    def _assemble_calls(self, pieces):
        # For the whole-completion answer and the summary; streams send the pieces themselves.
        for piece in pieces:
            index = piece.get("index", len(self.tool_calls))
            fn = piece.get("function") or {}
            while len(self.tool_calls) <= index:
                self.tool_calls.append({"id": "", "type": "function", "function": {"name": "", "arguments": ""}})
            call = self.tool_calls[index]
            call["id"] = call["id"] or piece.get("id", "")
            call["function"]["name"] = call["function"]["name"] or fn.get("name", "")
            call["function"]["arguments"] += fn.get("arguments", "")

    def add_reasoning(self, text):
        self._append("reasoning", text)

    def take_reset(self):
        """True once per reply: the first connection to reach the /reset point gets cut."""
        with self.cond:
            if self.special.get("reset_taken"):
                return False
            self.special["reset_taken"] = True
            return True

    def add_raw(self, data_bytes):
        """A deliberately broken event (test mode /malformed): bytes sent as the data field."""
        self._append("raw", data_bytes)

    def finish(self, finish_reason, usage, stopped=False, extra=None):
        payload = {"finish_reason": finish_reason, "usage": usage}
        if stopped:
            payload["stopped"] = True
        if extra:
            payload.update(extra)
        with self.cond:
            if self.finished_at is not None:
                return
            self.finish_reason = finish_reason
            self.usage = usage
            self.status = "stopped" if stopped else "done"
            self._end("done", payload)

    def fail(self, status, message, retry_after=None):
        payload = {"status": int(status), "message": message}
        if retry_after is not None:
            payload["retry_after"] = retry_after
        with self.cond:
            if self.finished_at is not None:
                return
            self.status = "failed"
            self.finish_reason = "error"
            self._end("fail", payload)

    def _end(self, kind, payload):
        self.events.append(Event(len(self.events) + 1, kind, payload))
        self.finished_at = self.clock()
        self.cond.notify_all()
        for wake in self._wakers:
            wake()
        if self.on_event:
            self.on_event(self)

    # -- cancellation (stop button, abandoned reply, server shutdown) ---------------------------
    def on_cancel(self, hook):
        """Registers a callable run once on cancel (e.g. closing the upstream socket)."""
        with self.cond:
            if not self.cancelled.is_set():
                self._cancel_hooks.append(hook)
                return
        hook()

    def cancel(self, reason):
        with self.cond:
            if self.cancelled.is_set() or self.finished_at is not None:
                return
            self.cancel_reason = reason
            self.cancelled.set()
            hooks, self._cancel_hooks = self._cancel_hooks, []
            self.cond.notify_all()
        for hook in hooks:
            try:
                hook()
            except Exception:
                pass

    # -- read by stream connections ------------------------------------------------------------
    @property
    def finished(self):
        return self.finished_at is not None

    def fully_read(self, after):
        """True when the reply has ended and a client holding event id `after` has all of it."""
        with self.cond:
            return self.finished_at is not None and after >= len(self.events)

    def attach(self):
        with self.cond:
            self.readers += 1
            self.last_read = self.clock()

    def detach(self):
        with self.cond:
            self.readers -= 1
            self.idle_since = self.last_read = self.clock()

    def touch(self):
        """A client asked for the reply (to stream it, stop it or read its summary)."""
        with self.cond:
            self.last_read = self.clock()

    def forgettable_since(self):
        """When the keep time started counting, or None while the reply must stay (live or read)."""
        with self.cond:
            if self.finished_at is None or self.readers > 0:
                return None
            return max(self.finished_at, self.last_read)

    def add_waker(self, wake):
        with self.cond:
            self._wakers.append(wake)

    def remove_waker(self, wake):
        with self.cond:
            self._wakers.remove(wake)

    def events_after(self, after):
        """Events with seq > after, at once: (events, finished)."""
        with self.cond:
            self.last_read = self.clock()
            return self.events[after:], self.finished_at is not None

    def wait_events(self, after, timeout):
        """Events with seq > after, waiting up to timeout for one; ([], finished) on timeout."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while len(self.events) <= after and self.finished_at is None:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                self.cond.wait(remaining)
            self.last_read = self.clock()
            return self.events[after:], self.finished_at is not None

    def summary(self):
        with self.cond:
            return {
                "id": self.id,
                "model": self.model,
                "status": self.status,
                "content": "".join(self.content),
                "reasoning": "".join(self.reasoning),
                "finish_reason": self.finish_reason,
                "tool_calls": [dict(c, function=dict(c["function"])) for c in self.tool_calls],
                "usage": self.usage,
                "events": len(self.events),
            }


class ReplyStore:
    """All live replies by id, plus the janitor that cancels abandoned and drops old ones."""

    def __init__(self, keep_seconds, abandon_seconds, max_replies, clock=time.monotonic, janitor=True):
        self.keep_seconds = keep_seconds
        self.abandon_seconds = abandon_seconds
        self.max_replies = max_replies
        self.clock = clock
        self._replies = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        if janitor:
            threading.Thread(target=self._janitor, name="reply-janitor", daemon=True).start()

    def add(self, reply):
        """Stores a reply; False when the store is full of replies that are live or being read.

        A full store makes room by forgetting the finished reply nobody reads that was read (or
        finished) longest ago; a reply a client is streaming is never the one to go.
        """
        with self._lock:
            if len(self._replies) >= self.max_replies:
                idle = [(t, r) for r in self._replies.values() if (t := r.forgettable_since()) is not None]
                if not idle:
                    return False
                _, oldest = min(idle, key=lambda tr: tr[0])
                del self._replies[oldest.id]
            self._replies[reply.id] = reply
            return True

    def get(self, reply_id):
        """The reply, its keep time restarted: whoever asked is about to read it."""
        with self._lock:
            reply = self._replies.get(reply_id)
            if reply is not None:
                reply.touch()
            return reply

    def sweep(self):
        now = self.clock()
        with self._lock:
            replies = list(self._replies.values())
        for reply in replies:
            if reply.finished:
                with self._lock:
                    # Checked under the store's lock: a stream that attached since the list was
                    # taken found the reply through get(), which takes the same lock.
                    since = reply.forgettable_since()
                    if since is not None and now - since > self.keep_seconds:
                        self._replies.pop(reply.id, None)
            elif reply.readers == 0 and now - reply.idle_since > self.abandon_seconds:
                reply.cancel("abandoned")

    def cancel_all(self):
        with self._lock:
            replies = list(self._replies.values())
        for reply in replies:
            reply.cancel("shutdown")

    def close(self, timeout=1.0):
        """Nothing to flush: the memory store dies with the process (the Redis one does not)."""

    def _janitor(self):
        period = max(0.05, min(1.0, self.abandon_seconds / 4, self.keep_seconds / 4))
        while not self._stop.wait(period):
            self.sweep()
