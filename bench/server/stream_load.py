#!/usr/bin/env python3
"""Many concurrent paced `/long` streams on one serve.py: do they all hold?

Starts serve.py (the embedded default, or --redis URL), opens --streams connections from one
asyncio client, each creating its own reply (POST /api/chat) and streaming it (GET .../stream)
on the same keep-alive connection, and prints one table row per size:
  streams completed, events lost or doubled (ids must be exactly 1..N+1, each once),
  p50/p99/max gap between a stream's events, server CPU per 1 000 events/s, memory per stream,
  peak thread count.
The client shares the machine with the server: its CPU is printed too.

    python3 bench/server/stream_load.py --streams 100 1000 --tokens 50 --tps 5
"""
import argparse
import asyncio
import json
import os
import resource
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SERVE_PY = os.path.join(HERE, "..", "..", "serve.py")
TICK = os.sysconf("SC_CLK_TCK")


def proc_stat(pid):
    """(cpu seconds, rss bytes, threads) of a process, from /proc."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / TICK
    rss = threads = 0
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1]) * 1024
            elif line.startswith("Threads:"):
                threads = int(line.split()[1])
    return cpu, rss, threads


class Sampler(threading.Thread):
    """Peak RSS and thread count of the server while the streams run."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak_rss, self.peak_threads = pid, 0, 0
        self.stop = threading.Event()

    def run(self):
        while not self.stop.wait(0.2):
            try:
                _, rss, threads = proc_stat(self.pid)
            except OSError:
                return
            self.peak_rss, self.peak_threads = max(self.peak_rss, rss), max(self.peak_threads, threads)


def start_server(args, n):
    cmd = [sys.executable, SERVE_PY, "--port", "0", "--quiet", "--exit-on-stdin-eof", "--root", HERE,
           "--tokens-per-second", str(args.tps), "--max-streams-per-client", str(n + 10),
           "--max-connections", str(n + 100), "--max-replies", str(n + 100),
           "--request-timeout", "60"]
    if args.redis:
        cmd += ["--redis", args.redis]
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    line = proc.stdout.readline().decode()
    if not line.startswith("listening on http://"):
        raise SystemExit("serve.py did not start: %r" % line)
    return proc, int(line.rsplit(":", 1)[1])


async def one_stream(port, tokens, result, start_gate):
    """POST then GET on one connection; records every event's id and arrival time."""
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=1 << 20)
    except OSError as e:
        result["error"] = "connect: %s" % e
        return
    try:
        await start_gate.wait()
        body = json.dumps({"messages": [{"role": "user", "content": "/long %d" % tokens}]}).encode()
        writer.write(b"POST /api/chat HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                     b"Content-Length: %d\r\n\r\n" % len(body) + body)
        head = await reader.readuntil(b"\r\n\r\n")
        length = int([l for l in head.split(b"\r\n") if l.lower().startswith(b"content-length:")][0].split(b":")[1])
        reply = json.loads(await reader.readexactly(length))
        if b" 200 " not in head.split(b"\r\n")[0]:
            result["error"] = "POST: %s" % head.split(b"\r\n")[0]
            return
        writer.write(b"GET /api/chat/%s/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" % reply["id"].encode())
        head = await reader.readuntil(b"\r\n\r\n")
        if b" 200 " not in head.split(b"\r\n")[0]:
            result["error"] = "GET: %s" % head.split(b"\r\n")[0]
            return
        ids, times, content = result["ids"], result["times"], result
        buf = b""
        while True:
            size = int((await reader.readline()).strip(), 16)  # chunked framing
            if size == 0:
                break
            buf += await reader.readexactly(size + 2)
            buf = buf[:-2] if buf.endswith(b"\r\n") else buf
            while b"\n\n" in buf:
                event, buf = buf.split(b"\n\n", 1)
                fields = dict(l.split(b": ", 1) for l in event.split(b"\n") if b": " in l)
                if b"id" in fields:
                    ids.append(int(fields[b"id"]))
                    times.append(time.monotonic())
                    if b"event" not in fields:
                        content["tokens"] += 1
                    elif fields[b"event"] == b"done":
                        result["done"] = True
    except (OSError, asyncio.IncompleteReadError, ValueError) as e:
        result["error"] = repr(e)
    finally:
        writer.close()


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, int(p / 100 * len(sorted_values)))]


async def run_size(args, n):
    proc, port = start_server(args, n)
    try:
        time.sleep(0.2)
        cpu0, rss0, _ = proc_stat(proc.pid)
        sampler = Sampler(proc.pid)
        sampler.start()
        gate = asyncio.Event()
        results = [{"ids": [], "times": [], "tokens": 0, "done": False} for _ in range(n)]
        tasks = [asyncio.create_task(one_stream(port, args.tokens, r, gate)) for r in results]
        await asyncio.sleep(0.05)
        client_cpu0 = resource.getrusage(resource.RUSAGE_SELF)
        t0 = time.monotonic()
        gate.set()
        await asyncio.wait(tasks, timeout=args.tokens / args.tps * 4 + 60)
        elapsed = time.monotonic() - t0
        cpu1, _, _ = proc_stat(proc.pid)
        client_cpu1 = resource.getrusage(resource.RUSAGE_SELF)
        sampler.stop.set()
        sampler.join()
    finally:
        proc.stdin.close()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:  # thousands of threads can take long to wind down
            proc.kill()
            proc.wait()
    expected = list(range(1, args.tokens + 2))
    completed = sum(1 for r in results if r["done"] and r["ids"] == expected)
    lost = sum(max(0, args.tokens + 1 - len(set(r["ids"]))) for r in results)
    doubled = sum(len(r["ids"]) - len(set(r["ids"])) for r in results)
    gaps = sorted(b - a for r in results for a, b in zip(r["times"][1:-1], r["times"][2:-1]))
    events = sum(len(r["ids"]) for r in results)
    rate = events / elapsed
    errors = [r["error"] for r in results if "error" in r]
    return {
        "streams": n, "completed": completed, "lost": lost, "doubled": doubled,
        "p50": percentile(gaps, 50), "p99": percentile(gaps, 99), "max": gaps[-1] if gaps else float("nan"),
        "events_per_s": rate, "cpu_per_1k": (cpu1 - cpu0) / elapsed / (rate / 1000) if rate else float("nan"),
        "client_cpu": (client_cpu1.ru_utime + client_cpu1.ru_stime - client_cpu0.ru_utime - client_cpu0.ru_stime) / elapsed,
        "kb_per_stream": (sampler.peak_rss - rss0) / n / 1024, "threads": sampler.peak_threads,
        "seconds": elapsed, "errors": errors[:3], "n_errors": len(errors),
    }


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--streams", type=int, nargs="+", default=[100, 1000])
    p.add_argument("--tokens", type=int, default=50, help="tokens per reply (default 50)")
    p.add_argument("--tps", type=float, default=5.0, help="pacing, tokens/s per stream (default 5)")
    p.add_argument("--redis", metavar="URL", help="run serve.py with --redis URL")
    args = p.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    print("serve.py %s, /long %d at %g tokens/s per stream (gap target: p99 <= %.0f ms), %d cores, load average %.1f"
          % ("--redis" if args.redis else "(memory store)", args.tokens, args.tps,
             2000 / args.tps, os.cpu_count(), os.getloadavg()[0]))
    cols = ("streams", "completed", "lost", "doubled", "p50 ms", "p99 ms", "max ms", "events/s",
            "srv CPU s/s per 1k ev/s", "client CPU", "KB/stream", "threads")
    print(" | ".join(cols))
    for n in args.streams:
        r = asyncio.run(run_size(args, n))
        print(" | ".join([str(r["streams"]), str(r["completed"]), str(r["lost"]), str(r["doubled"]),
                          "%.0f" % (r["p50"] * 1000), "%.0f" % (r["p99"] * 1000), "%.0f" % (r["max"] * 1000),
                          "%.0f" % r["events_per_s"], "%.2f" % r["cpu_per_1k"], "%.2f" % r["client_cpu"],
                          "%.0f" % r["kb_per_stream"], str(r["threads"])]), flush=True)
        if r["n_errors"]:
            print("  %d stream(s) failed, e.g. %s" % (r["n_errors"], "; ".join(r["errors"])), flush=True)


if __name__ == "__main__":
    main()
