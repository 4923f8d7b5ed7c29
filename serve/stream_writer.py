"""Writing an event stream to one connection, with the fault injection tests ask for.

Chaos options act per connection: cut it abruptly after N events (or at random), stall it
(stop writing, keep it open), or dribble every write out in tiny pieces.
"""
import random
import socket
import struct
import threading
import time


class Dropped(Exception):
    """The chaos rules cut this connection (abruptly, without ending the body)."""


class Stalled(Exception):
    """The chaos rules stalled this connection: keep it open, write nothing more."""


class Chaos:
    def __init__(self, drop_after=0, stall_after=0, drop_rate=0.0, seed=0, slow_writes=False):
        self.drop_after = drop_after
        self.stall_after = stall_after
        self.drop_rate = drop_rate
        self.slow_writes = slow_writes
        self._rng = random.Random(seed)
        self._lock = threading.Lock()

    def random(self):
        with self._lock:
            return self._rng.random()

    def piece_sizes(self, n):
        with self._lock:
            sizes = []
            while n > 0:
                k = min(n, self._rng.randint(1, 24))
                sizes.append(k)
                n -= k
            return sizes


class StreamWriter:
    """Writes body bytes (chunked for HTTP/1.1 keep-alive) and applies the chaos rules."""

    def __init__(self, sock, wfile, chunked, chaos):
        self.sock = sock
        self.wfile = wfile
        self.chunked = chunked
        self.chaos = chaos
        self.events = 0

    def write(self, data):
        if not data:
            return
        frame = (b"%x\r\n" % len(data) + data + b"\r\n") if self.chunked else data
        if self.chaos and self.chaos.slow_writes:
            pos = 0
            for k in self.chaos.piece_sizes(len(frame)):
                self.wfile.write(frame[pos:pos + k])
                pos += k
                time.sleep(0.001)
        else:
            self.wfile.write(frame)

    def write_event(self, data):
        """One numbered event; afterwards the chaos rules may drop or stall the connection."""
        self.write(data)
        self.events += 1
        c = self.chaos
        if not c:
            return
        if c.drop_after and self.events >= c.drop_after:
            raise Dropped()
        if c.stall_after and self.events >= c.stall_after:
            raise Stalled()
        if c.drop_rate and c.random() < c.drop_rate:
            raise Dropped()

    def finish(self):
        if self.chunked:
            self.wfile.write(b"0\r\n\r\n")

    def abort(self):
        """Cuts the connection at once (RST), leaving the body unfinished."""
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass

    def hold(self, limit_seconds):
        """Keeps a stalled connection open, silent, until the client closes it (or the limit)."""
        deadline = time.monotonic() + limit_seconds
        self.sock.settimeout(0.5)
        while time.monotonic() < deadline:
            try:
                if self.sock.recv(4096) == b"":
                    return
            except socket.timeout:
                continue
            except OSError:
                return
