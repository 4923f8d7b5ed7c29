#!/usr/bin/env python3
"""Failover: kill the generating instance mid-reply behind the front; is anything lost?

Starts Redis, two serve.py instances sharing it (--redis, --trusted-proxy) and deploy/'s nginx
front over both (tests/server/*_fixture.py: own ports, folders and certificate). --streams
clients each create a paced /long reply through the front (nginx spreads them over the two
instances) and stream it, resuming with Last-Event-ID whenever the connection breaks. Mid-reply
instance A is killed (SIGKILL: no wind-down). Every stream must end either complete (ids 1..N+1,
`done`) or interrupted (`fail` right after the last event Redis held), with no id missing or
seen twice. Prints one table: streams by ending, events lost and doubled, how long a broken
stream took to get its next event from the other instance, and how long after the kill the
killed instance's replies were marked interrupted.

    python3 bench/server/failover.py [--streams 200] [--tokens 50] [--tps 5] [--kill-at 0.4]
"""
import argparse
import asyncio
import json
import os
import resource
import ssl
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "server"))
from front_fixture import Nginx  # noqa: E402
from redis_fixture import RedisServer  # noqa: E402
from serve_fixture import Server  # noqa: E402


async def request(port, ctx, head, body=b""):
    """One request on a fresh TLS connection: (reader, writer, status line, headers bytes)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port, ssl=ctx, limit=1 << 20)
    writer.write(head + body)
    headers = await reader.readuntil(b"\r\n\r\n")
    return reader, writer, headers.split(b"\r\n", 1)[0], headers


def host(port):
    return b"Host: localhost:%d\r\n" % port


async def create(port, ctx, tokens):
    body = json.dumps({"messages": [{"role": "user", "content": "/long %d" % tokens}]}).encode()
    reader, writer, status, headers = await request(
        port, ctx, b"POST /api/chat HTTP/1.1\r\n" + host(port) + b"Content-Type: application/json\r\n"
        b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body), body)
    try:
        if b" 200 " not in status:
            raise RuntimeError("POST: %s" % status)
        length = int([l for l in headers.split(b"\r\n") if l.lower().startswith(b"content-length:")][0].split(b":")[1])
        return json.loads(await reader.readexactly(length))["id"]
    finally:
        writer.close()


async def stream_once(port, ctx, reply_id, last, result):
    """One connection of a stream, from event `last` on; returns when it ends or breaks."""
    reader, writer, status, _ = await request(
        port, ctx, b"GET /api/chat/%s/stream HTTP/1.1\r\n" % reply_id.encode() + host(port)
        + b"Last-Event-ID: %d\r\n\r\n" % last)
    try:
        if b" 204 " in status:
            result["end"] = result["end"] or "fully read"
            return
        if b" 200 " not in status:
            raise ConnectionError(status.decode())
        buf = b""
        while True:
            size = int((await reader.readline()).strip(), 16)
            if size == 0:
                return
            buf += (await reader.readexactly(size + 2))[:-2]
            while b"\n\n" in buf:
                event, buf = buf.split(b"\n\n", 1)
                fields = dict(l.split(b": ", 1) for l in event.split(b"\n") if b": " in l)
                if b"id" not in fields:
                    continue
                now = time.monotonic()
                if result["broken_at"] is not None:
                    result["resume_s"].append(now - result["broken_at"])
                    result["broken_at"] = None
                result["ids"].append(int(fields[b"id"]))
                kind = fields.get(b"event")
                if kind == b"done":
                    result["end"] = "complete"
                elif kind == b"fail":
                    result["end"] = "interrupted"
                    result["fail_at"] = now
                    result["fail_data"] = fields.get(b"data", b"")
    finally:
        writer.close()


async def one_stream(port, ctx, tokens, result, gate, shift):
    await gate.wait()
    try:
        reply_id = await create(port, ctx, tokens)
        if shift:
            # One request more between POST and GET moves nginx's round robin on by one, so that
            # streams are also read through the instance that does not generate them.
            _, writer, _, _ = await request(port, ctx, b"GET /v1/models HTTP/1.1\r\n" + host(port)
                                            + b"Connection: close\r\n\r\n")
            writer.close()
    except Exception as e:  # noqa: BLE001 (a bench counts what failed, it does not stop)
        result["error"] = "create: %r" % e
        return
    for _ in range(40):
        last = result["ids"][-1] if result["ids"] else 0
        try:
            await stream_once(port, ctx, reply_id, last, result)
        except (OSError, asyncio.IncompleteReadError, ValueError, ConnectionError) as e:
            result["last_error"] = repr(e)
        if result["end"]:
            return
        if result["broken_at"] is None:
            result["broken_at"] = time.monotonic()
            result["breaks"] += 1
        await asyncio.sleep(0.2)
    result["error"] = "gave up: %s" % result.get("last_error")


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(p / 100 * len(values)))] * 1000 if values else float("nan")


async def run(args):
    redis = RedisServer()
    common = ["--quiet", "--redis", redis.url, "--trusted-proxy", "127.0.0.1", "--tokens-per-second", str(args.tps),
              "--max-streams-per-client", str(args.streams + 10), "--max-connections", str(args.streams + 200),
              "--max-replies", str(args.streams + 100), "--request-timeout", "60"]
    a, b = Server(common), Server(common)
    front = Nginx(os.path.join(HERE, "no-bundle"), [a.port, b.port], worker_connections=args.streams * 3 + 100)
    try:
        front.start()
        ctx = ssl.create_default_context(cafile=front.cert)
        gate = asyncio.Event()
        results = [{"ids": [], "end": None, "breaks": 0, "broken_at": None, "resume_s": [], "fail_at": None}
                   for _ in range(args.streams)]
        tasks = [asyncio.create_task(one_stream(front.port, ctx, args.tokens, r, gate, i % 2))
                 for i, r in enumerate(results)]
        t0 = time.monotonic()
        gate.set()
        # The kill comes kill-at into the replies, counted from when 95% of the streams have their
        # first event (a thousand TLS handshakes and POSTs take seconds here; waiting for the
        # last straggler let most replies end before the kill).
        while time.monotonic() - t0 < 120 and sum(1 for r in results if r["ids"] or "error" in r) < 0.95 * len(results):
            await asyncio.sleep(0.05)
        started = time.monotonic() - t0
        await asyncio.sleep(args.tokens / args.tps * args.kill_at)
        a.proc.kill()  # the crash: no wind-down, no lease handed back
        killed_at = time.monotonic()
        a.proc.wait()
        await asyncio.wait(tasks, timeout=args.tokens / args.tps * 3 + 60)
        elapsed = time.monotonic() - t0
    finally:
        front.stop()
        b.stop()
        a.stop()
        redis.stop()
    full = list(range(1, args.tokens + 2))
    ends = {"complete": 0, "interrupted": 0, "fully read": 0, "unfinished": 0}
    lost = doubled = 0
    for r in results:
        ends[r["end"] or "unfinished"] += 1
        ids = r["ids"]
        doubled += len(ids) - len(set(ids))
        top = max(ids) if ids else 0
        lost += top - len(set(ids))                      # gaps below the last id seen
        if r["end"] == "complete":
            lost += len(full) - len(set(ids))
    return {"started": started, "ends": ends, "lost": lost, "doubled": doubled, "elapsed": elapsed,
            "broken": sum(1 for r in results if r["breaks"]),
            "resumed": sum(1 for r in results if r["breaks"] and r["end"] == "complete"),
            "resume": [s for r in results if r["end"] == "complete" for s in r["resume_s"]],
            "interrupt_after": [r["fail_at"] - killed_at for r in results if r["fail_at"]],
            "errors": [r["error"] for r in results if "error" in r]}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--streams", type=int, default=200)
    p.add_argument("--tokens", type=int, default=50, help="tokens per reply (default 50)")
    p.add_argument("--tps", type=float, default=5.0, help="pacing, tokens/s per stream (default 5)")
    p.add_argument("--kill-at", type=float, default=0.4, help="kill instance A at this fraction of a reply")
    args = p.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    print("failover: %d streams of /long %d at %g tokens/s through nginx over 2 serve.py --redis; "
          "instance A killed at %.0f%% of a reply; %d cores, load average %.1f"
          % (args.streams, args.tokens, args.tps, args.kill_at * 100, os.cpu_count(), os.getloadavg()[0]))
    r = asyncio.run(run(args))
    print("95%% of the streams had their first event %.1f s after the start" % r["started"])
    e = r["ends"]
    print(" | ".join(("streams", "complete", "interrupted", "unfinished", "lost", "doubled", "broken by the kill",
                      "of those completed on B", "next event p50 ms", "p99 ms", "interrupted after kill p50 s",
                      "max s")))
    ia = r["interrupt_after"]
    print(" | ".join(str(x) for x in (
        sum(e.values()), e["complete"] + e["fully read"], e["interrupted"], e["unfinished"], r["lost"], r["doubled"],
        r["broken"], r["resumed"], "%.0f" % pct(r["resume"], 50), "%.0f" % pct(r["resume"], 99),
        "%.1f" % (pct(ia, 50) / 1000), "%.1f" % (max(ia) if ia else float("nan")))), flush=True)
    if r["errors"]:
        print("  %d stream(s) failed, e.g. %s" % (len(r["errors"]), "; ".join(r["errors"][:3])))


if __name__ == "__main__":
    main()
