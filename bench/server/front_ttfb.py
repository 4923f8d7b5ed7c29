#!/usr/bin/env python3
"""Time to first byte through the nginx front of deploy/ against serve.py directly.

Starts serve.py and nginx (tests/server/front_fixture.py: its own prefix, port and certificate),
then, on one keep-alive connection each (TLS set up once, as a browser does), times N requests
of a small API answer (GET /v1/models) and of a stream's first event (GET .../stream of a
finished reply, which answers at once). Prints median and p99 per path and the difference.

    python3 bench/server/front_ttfb.py [--requests 300]
"""
import argparse
import http.client
import json
import os
import ssl
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "tests", "server"))
from front_fixture import Nginx  # noqa: E402
from serve_fixture import Server  # noqa: E402


def first_byte_times(conn, path, n):
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        conn.request("GET", path)
        r = conn.getresponse()
        r.read(1)
        out.append(time.perf_counter() - t0)
        r.read()
    return sorted(out)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--requests", type=int, default=300)
    a = p.parse_args()
    serve = Server(["--quiet", "--tokens-per-second", "20000", "--trusted-proxy", "127.0.0.1"], root=HERE)
    front = Nginx(HERE, [serve.port])
    try:
        front.start()
        rid = serve.create("/long 5")
        serve.wait_finished(rid)
        direct = serve.conn()
        via = http.client.HTTPSConnection("localhost", front.port,
                                          context=ssl.create_default_context(cafile=front.cert))
        print("path | direct p50 ms | direct p99 ms | front p50 ms | front p99 ms | front - direct (p50)")
        for path in ("/v1/models", "/api/chat/%s/stream" % rid):
            first_byte_times(direct, path, 20)  # warm both connections
            first_byte_times(via, path, 20)
            d = first_byte_times(direct, path, a.requests)
            f = first_byte_times(via, path, a.requests)
            q = lambda v, pc: v[min(len(v) - 1, int(pc / 100 * len(v)))] * 1000
            name = path if path.startswith("/v1") else "/api/chat/ID/stream"
            print("%s | %.2f | %.2f | %.2f | %.2f | %+.2f" % (name, q(d, 50), q(d, 99), q(f, 50), q(f, 99),
                                                            q(f, 50) - q(d, 50)))
        direct.close()
        via.close()
    finally:
        front.stop()
        serve.stop()


if __name__ == "__main__":
    main()
