"""Replies kept in Redis, shared by every serve.py started with the same --redis URL.

The same seam as serve/replies.py's ReplyStore (add, get, cancel_all, close); the handler does
not know which one it has. Per reply:

  imchat:reply:ID        hash: info (model, special modes), n (last seq written), ended (ms),
                         last_read (ms), stop, reset_taken
  imchat:reply:ID:log    stream: one entry per event, explicit id 0-<seq> (the SSE id clients
                         hold stays the integer it always was); fields k (kind), p (payload)
  imchat:live            sorted set: live reply id -> its lease deadline (ms, Redis's clock)
  imchat:stop            pub/sub channel: a reply id someone pressed Stop on

The generating instance keeps the whole log in memory (a Reply, exactly as without Redis) and one
flusher thread copies new events to Redis in batches; readers on every instance, this one
included, read only from Redis, so a client is never sent an event Redis does not hold and a
failover cannot take back what it saw. Writes go through Lua scripts so that "append", "end" and
"mark interrupted" are atomic: whoever ends a log first wins, nothing is written after the end.
"""
import json
import secrets
import sys
import threading
import time

from .replies import Event, StoreUnavailable

PREFIX = "imchat:"
LIVE = PREFIX + "live"
STOP_CHANNEL = PREFIX + "stop"
LIVE_TTL_MS = 24 * 3600 * 1000   # a live reply whose every instance died still goes, eventually
TERMINAL = ("done", "fail")
JSON_KINDS = TERMINAL + ("tool_call",)  # payloads stored as JSON (the rest are text or bytes)


def meta_key(reply_id):
    return PREFIX + "reply:" + reply_id


def log_key(reply_id):
    return PREFIX + "reply:" + reply_id + ":log"


def import_redis():
    """The redis client, imported only for --redis. Debian's python3-redis lives in
    /usr/lib/python3/dist-packages, which a Python not installed by Debian does not search."""
    try:
        import redis
    except ImportError:
        sys.path.append("/usr/lib/python3/dist-packages")
        try:
            import redis
        except ImportError:
            raise SystemExit("serve.py: --redis needs the Python redis client "
                             "(Debian package python3-redis)")
    return redis


NOW_MS = "local t = redis.call('TIME') local now = t[1] * 1000 + math.floor(t[2] / 1000) "

# KEYS: meta, log, live. ARGV: id, lease_ms, maxlen, keep_ms, info, first_seq, owner, kind,
# payload, ...
# Returns {status, n}: 0 written (n = last seq now), -1 the log was already ended (by the
# sweeper: this instance lost its lease), -2 Redis lacks events before first_seq (it restarted
# empty): send again from n + 1.
APPEND = NOW_MS + """
if redis.call('HGET', KEYS[1], 'ended') then return {-1, 0} end
local n = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')
local first = tonumber(ARGV[6])
if first > n + 1 then return {-2, n} end
redis.call('HSETNX', KEYS[1], 'info', ARGV[5])
redis.call('HSETNX', KEYS[1], 'last_read', now)
redis.call('HSET', KEYS[1], 'owner', ARGV[7])
local seq = first
local ended = false
for i = 8, #ARGV, 2 do
  if seq > n and not ended then
    redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[3], '0-' .. seq, 'k', ARGV[i], 'p', ARGV[i + 1])
    n = seq
    if ARGV[i] == 'done' or ARGV[i] == 'fail' then ended = true end
  end
  seq = seq + 1
end
redis.call('HSET', KEYS[1], 'n', n)
if ended then
  redis.call('HSET', KEYS[1], 'ended', now)
  redis.call('ZREM', KEYS[3], ARGV[1])
  redis.call('PEXPIRE', KEYS[1], ARGV[4])
  if n > 0 then redis.call('PEXPIRE', KEYS[2], ARGV[4]) end
else
  redis.call('ZADD', KEYS[3], now + tonumber(ARGV[2]), ARGV[1])
  redis.call('PEXPIRE', KEYS[1], %d)
  if n > 0 then redis.call('PEXPIRE', KEYS[2], %d) end
end
return {0, n}
""" % (LIVE_TTL_MS, LIVE_TTL_MS)

# KEYS: live. ARGV: lease_ms, id, id, ... Renews the leases of this instance's live replies;
# returns per id {stop flag, ms since a client last read, ended flag}.
LEASE = NOW_MS + """
local out = {}
for i = 2, #ARGV do
  local m = 'imchat:reply:' .. ARGV[i]
  local f = redis.call('HMGET', m, 'stop', 'last_read', 'ended')
  if not f[3] and redis.call('EXISTS', m) == 1 then
    redis.call('ZADD', KEYS[1], now + tonumber(ARGV[1]), ARGV[i])
  end
  out[#out + 1] = {f[1] and 1 or 0, now - tonumber(f[2] or now), f[3] and 1 or 0}
end
return out
"""

# KEYS: live. ARGV: keep_ms, fail payload, owner, lease_ms. Ends, with a `fail` event, every live reply
# whose lease ran out (its instance died or lost Redis for longer than the lease), except the
# sweeping instance's own (it is alive: it is sweeping); returns how many.
SWEEP = NOW_MS + """
local ids = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, 100)
local marked = 0
for _, id in ipairs(ids) do
  local m = 'imchat:reply:' .. id
  if redis.call('HGET', m, 'owner') == ARGV[3] then
    redis.call('ZADD', KEYS[1], now + tonumber(ARGV[4]), id)  -- its own: renew, never end
  elseif redis.call('EXISTS', m) == 0 or redis.call('HGET', m, 'ended') then
    redis.call('ZREM', KEYS[1], id)
  else
    redis.call('ZREM', KEYS[1], id)
    local n = tonumber(redis.call('HGET', m, 'n') or '0') + 1
    redis.call('XADD', m .. ':log', '0-' .. n, 'k', 'fail', 'p', ARGV[2])
    redis.call('HSET', m, 'n', n, 'ended', now, 'interrupted', 1)
    redis.call('PEXPIRE', m, ARGV[1])
    redis.call('PEXPIRE', m .. ':log', ARGV[1])
    marked = marked + 1
  end
end
return marked
"""

# KEYS: meta, log. ARGV: keep_ms. A client read: restart the keep time of an ended reply (it
# counts from the later of the end and the last read) and record the read (abandonment).
TOUCH = NOW_MS + """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('HSET', KEYS[1], 'last_read', now)
if redis.call('HGET', KEYS[1], 'ended') then
  redis.call('PEXPIRE', KEYS[1], ARGV[1])
  redis.call('PEXPIRE', KEYS[2], ARGV[1])
end
return 1
"""

INTERRUPTED = {"status": 503, "message": "the server generating this reply stopped before it "
                                         "ended (interrupted); what arrived is kept"}


def encode_payload(ev):
    if ev.kind in JSON_KINDS:
        return json.dumps(ev.payload, separators=(",", ":")).encode()
    if isinstance(ev.payload, bytes):
        return ev.payload
    return ev.payload.encode("utf-8", "surrogatepass")


def decode_entry(entry_id, fields):
    seq = int(entry_id.split(b"-")[1])
    kind = fields[b"k"].decode()
    raw = fields[b"p"]
    if kind in JSON_KINDS:
        payload = json.loads(raw)
    elif kind == "raw":
        payload = raw
    else:
        payload = raw.decode("utf-8", "surrogatepass")
    return Event(seq, kind, payload)


class Owned:
    """A reply this instance generates, and how much of its log Redis already holds."""
    __slots__ = ("reply", "written", "info")

    def __init__(self, reply, info):
        self.reply = reply
        self.written = 0
        self.info = info


class RedisReplyStore:
    def __init__(self, url, keep_seconds, abandon_seconds, lease_seconds=3.0, max_events=250_000,
                 log=None):
        redis = import_redis()
        self.errors = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError)
        self.keep_ms = int(keep_seconds * 1000)
        self.abandon_ms = int(abandon_seconds * 1000)
        self.lease_ms = int(lease_seconds * 1000)
        self.max_events = max_events
        self.log = log or (lambda msg: print("serve.py: " + msg, file=sys.stderr, flush=True))
        # Writes and short reads fail fast; blocked readers (XREAD BLOCK) get a longer timeout.
        self.r = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=1)
        self.r_block = redis.Redis.from_url(url, socket_timeout=10, socket_connect_timeout=1)
        self.url = url
        self.instance = secrets.token_hex(8)  # owner mark of the replies this process generates
        self._append = self.r.register_script(APPEND)
        self._lease = self.r.register_script(LEASE)
        self._sweep = self.r.register_script(SWEEP)
        self._touch = self.r.register_script(TOUCH)
        self._owned = {}
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self.healthy = True
        # Refresh reads and leases well within the times they guard.
        self.refresh_seconds = max(0.05, min(1.0, keep_seconds / 4, abandon_seconds / 4,
                                             lease_seconds / 3))
        self.r.ping()  # fail at start-up, clearly, when the URL is wrong
        for target, name in ((self._flusher, "redis-flusher"), (self._listen_stops, "redis-stops"),
                             (self._sweeper, "redis-leases")):
            threading.Thread(target=target, name=name, daemon=True).start()

    def call(self, fn, *args, **kw):
        """A Redis command; an unreachable Redis becomes StoreUnavailable (503, or a cut stream)."""
        try:
            return fn(*args, **kw)
        except self.errors as e:
            raise StoreUnavailable("Redis at %s is unreachable: %s" % (self.url, e)) from None

    # -- the store seam ---------------------------------------------------------------------------
    def add(self, reply):
        """Registers a reply this instance generates; its log exists in Redis before this returns
        (so any instance can stream it at once). Raises StoreUnavailable without Redis."""
        info = json.dumps({"model": reply.model, "created": reply.created,
                           "special": reply.special}, separators=(",", ":"))
        owned = Owned(reply, info)
        self.call(self._write, owned, [])
        with self._lock:
            self._owned[reply.id] = owned
        reply.on_event = self._on_event
        return True

    def get(self, reply_id):
        info = self.call(self.r.hget, meta_key(reply_id), "info")
        if info is None:
            return None
        view = SharedReply(self, reply_id, json.loads(info))
        view.touch()
        return view

    def cancel_all(self):
        with self._lock:
            owned = list(self._owned.values())
        for o in owned:
            o.reply.cancel("shutdown")

    def close(self, timeout=1.0):
        """Gives the flusher a moment to write the ends of the replies cancelled at shutdown."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if not self._owned:
                    return
            self._wake.set()
            time.sleep(0.02)

    def request_stop(self, reply_id):
        with self._lock:
            owned = self._owned.get(reply_id)
        if owned is not None:
            owned.reply.cancel("stop")
            return
        pipe = self.r.pipeline(transaction=False)
        pipe.hset(meta_key(reply_id), "stop", 1)
        pipe.publish(STOP_CHANNEL, reply_id)
        self.call(pipe.execute)

    # -- writing (the generating instance) ------------------------------------------------------
    def _on_event(self, reply):
        self._wake.set()

    def _write(self, owned, events):
        """One APPEND call for a reply; returns its status (0, -1 or -2) and Redis's last seq."""
        args = [owned.reply.id, self.lease_ms, self.max_events, self.keep_ms, owned.info,
                owned.written + 1, self.instance]
        for ev in events:
            args += [ev.kind, encode_payload(ev)]
        return self._append(keys=[meta_key(owned.reply.id), log_key(owned.reply.id), LIVE], args=args)

    def _flush_once(self):
        with self._lock:
            owned = list(self._owned.values())
        batch = []
        for o in owned:
            with o.reply.cond:
                pending = o.reply.events[o.written:]
            if pending:
                batch.append((o, pending))
        if not batch:
            return
        pipe = self.r.pipeline(transaction=False)
        for o, pending in batch:
            args = [o.reply.id, self.lease_ms, self.max_events, self.keep_ms, o.info, o.written + 1,
                    self.instance]
            for ev in pending:
                args += [ev.kind, encode_payload(ev)]
            self._append(keys=[meta_key(o.reply.id), log_key(o.reply.id), LIVE], args=args, client=pipe)
        results = pipe.execute()
        for (o, pending), (status, n) in zip(batch, results):
            if status == -2:
                self.log("Redis lost the log of reply %s after event %d (a restart?): writing it "
                         "again from there" % (o.reply.id, n))
                o.written = n
                self._wake.set()
                continue
            if status == -1:
                # Another instance marked it interrupted (this one lost its lease): stop generating.
                o.reply.cancel("interrupted")
                self._forget(o)
                continue
            o.written = n
            if pending[-1].kind in TERMINAL and n >= pending[-1].seq:
                self._forget(o)

    def _forget(self, owned):
        with self._lock:
            self._owned.pop(owned.reply.id, None)

    def _renew_leases(self):
        with self._lock:
            owned = list(self._owned.values())
        if not owned:
            return
        states = self._lease(keys=[LIVE], args=[self.lease_ms] + [o.reply.id for o in owned])
        for o, (stop, idle_ms, _ended) in zip(owned, states):
            if stop:
                o.reply.cancel("stop")  # a Stop whose pub/sub message was missed
            elif idle_ms > self.abandon_ms:
                o.reply.cancel("abandoned")

    def _flusher(self):
        while not self._stop.is_set():
            self._wake.wait(self.refresh_seconds)
            self._wake.clear()
            try:
                self._flush_once()
                if not self.healthy:
                    self.healthy = True
                    self.log("Redis at %s is reachable again" % self.url)
            except self.errors as e:
                if self.healthy:
                    self.healthy = False
                    self.log("Redis at %s is unreachable (%s); replies keep generating here and "
                             "are written once it is back" % (self.url, e))
                self._stop.wait(0.2)
            except Exception as e:  # a bug must not end the flusher: say it, retry
                self.log("reply flusher error: %r" % e)
                self._stop.wait(0.2)

    # -- other instances' Stop, and replies whose instance died ----------------------------------
    def _listen_stops(self):
        while not self._stop.is_set():
            try:
                pubsub = self.r_block.pubsub(ignore_subscribe_messages=True)
                pubsub.subscribe(STOP_CHANNEL)
                while not self._stop.is_set():
                    msg = pubsub.get_message(timeout=1.0)
                    if msg and msg.get("type") == "message":
                        with self._lock:
                            owned = self._owned.get(msg["data"].decode())
                        if owned is not None:
                            owned.reply.cancel("stop")
            except self.errors:
                self._stop.wait(0.5)  # the lease loop's stop flag covers the gap
            except Exception as e:
                self.log("stop listener error: %r" % e)
                self._stop.wait(0.5)

    def _sweeper(self):
        """Renews this instance's leases, then ends the replies of instances whose lapsed.

        Both in one thread, in that order: however busy the flusher is (thousands of streams on
        starved cores), this instance's own sweep can never find its own leases lapsed."""
        payload = json.dumps(INTERRUPTED, separators=(",", ":"))
        while not self._stop.wait(self.refresh_seconds):
            try:
                self._renew_leases()
                marked = self._sweep(keys=[LIVE], args=[self.keep_ms, payload, self.instance, self.lease_ms])
                if marked:
                    self.log("marked %d reply(s) interrupted: their instance's lease ran out" % marked)
            except self.errors:
                pass  # the flusher reports Redis's state
            except Exception as e:
                self.log("sweeper error: %r" % e)


class SharedReply:
    """A reply as every instance reads it: from Redis only (the handler's view of a Reply)."""

    def __init__(self, store, reply_id, info):
        self.store = store
        self.id = reply_id
        self.model = info.get("model")
        self.created = info.get("created")
        self.special = info.get("special") or {}
        self._touched = 0.0

    def _meta(self, *fields):
        return self.store.call(self.store.r.hmget, meta_key(self.id), *fields)

    @property
    def finished(self):
        return self._meta("ended")[0] is not None

    def fully_read(self, after):
        ended, n = self._meta("ended", "n")
        return ended is not None and after >= int(n or 0)

    def touch(self):
        self._touched = time.monotonic()
        self.store.call(self.store._touch, keys=[meta_key(self.id), log_key(self.id)],
                        args=[self.store.keep_ms])

    def attach(self):
        self.touch()

    def detach(self):
        self.touch()

    def take_reset(self):
        return bool(self.store.call(self.store.r.hsetnx, meta_key(self.id), "reset_taken", 1))

    def cancel(self, reason):
        self.store.request_stop(self.id)

    def wait_events(self, after, timeout):
        """Events with seq > after (only ones Redis holds), waiting up to timeout; like Reply's."""
        deadline = time.monotonic() + timeout
        while True:
            if time.monotonic() - self._touched >= self.store.refresh_seconds:
                self.touch()  # keeps an ended reply (and a live one's reader mark) while attached
            block = max(1, int(min(deadline - time.monotonic(), self.store.refresh_seconds) * 1000))
            got = self.store.call(self.store.r_block.xread, {log_key(self.id): "0-%d" % after},
                                  count=1000, block=block)
            events = [decode_entry(eid, f) for _, entries in got for eid, f in entries]
            if events:
                if events[0].seq != after + 1:
                    raise StoreUnavailable("events %d to %d of reply %s are no longer in Redis "
                                           "(its length cap)" % (after + 1, events[0].seq - 1, self.id))
                return events, events[-1].kind in TERMINAL
            ended, n = self._meta("ended", "n")
            if ended is not None and after >= int(n or 0):
                return [], True
            if self.store.r.exists(meta_key(self.id)) == 0:
                return [], True  # expired or lost: the stream ends, a reconnect gets 404
            if time.monotonic() >= deadline:
                return [], False

    def summary(self):
        entries = self.store.call(self.store.r.xrange, log_key(self.id))
        meta = self._meta("ended", "interrupted", "n")
        events = [decode_entry(eid, f) for eid, f in entries]
        content = "".join(e.payload for e in events if e.kind == "content")
        reasoning = "".join(e.payload for e in events if e.kind == "reasoning")
        status, finish_reason, usage = "running", None, None
        last = events[-1] if events else None
        if last is not None and last.kind == "done":
            status = "stopped" if last.payload.get("stopped") else "done"
            finish_reason, usage = last.payload.get("finish_reason"), last.payload.get("usage")
        elif last is not None and last.kind == "fail":
            status, finish_reason = "failed", "error"
        out = {"id": self.id, "model": self.model, "status": status, "content": content,
               "reasoning": reasoning, "finish_reason": finish_reason, "usage": usage,
               "events": len(events)}
        if meta[1]:
            out["interrupted"] = True
        return out
