"""One asyncio thread writes every plain stream of the in-memory store to its connection.

With a thread per connection each event woke that connection's thread under the one interpreter
lock: at 1 000 paced streams, 5 000 thread wake-ups a second convoyed on the lock and events came
late (docs/PERFORMANCE.md). Here the connection's thread sends the headers, hands the socket to
the hub and sleeps until the stream is over (no wake-up per event); the reply wakes the hub, and
the hub's one thread writes what is new to every stream of that reply without blocking (a client
that reads nothing holds only its own coroutine, up to the write timeout). When the stream ends
the socket goes back to its thread in blocking mode, and HTTP/1.1 keep-alive goes on as before.

Streams with fault injection (chaos options, test-mode prompts), HTTP/1.0 (no chunked framing)
and the Redis store (its readers wait on Redis) keep the thread's own loop (Handler.pump).
"""
import asyncio
import threading

BATCH_BYTES = 64 << 10


class Job:
    """One stream in the hub: what to send and how the connection's thread learns the end."""
    __slots__ = ("reply", "last", "sock", "format_event", "ping", "wake", "done", "broken")

    def __init__(self, reply, after, sock, format_event, ping):
        self.reply, self.last, self.sock = reply, after, sock
        self.format_event, self.ping = format_event, ping
        self.wake = None            # asyncio.Event, made in the loop's thread
        self.done = threading.Event()
        self.broken = False         # the client went away or stopped reading: close the connection


def chunk(data):
    return b"%x\r\n" % len(data) + data + b"\r\n"


class StreamHub:
    def __init__(self, ping_seconds, write_timeout):
        self.ping_seconds = ping_seconds
        self.write_timeout = write_timeout
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, name="stream-hub", daemon=True).start()

    def run(self, reply, after, sock, format_event, ping):
        """Streams reply's events after `after` to sock (chunked); returns False when the
        connection must be closed (the client went away or stopped reading)."""
        job = Job(reply, after, sock, format_event, ping)
        timeout = sock.gettimeout()
        sock.setblocking(False)
        try:
            asyncio.run_coroutine_threadsafe(self._pump(job), self.loop)
            job.done.wait()
        finally:
            sock.settimeout(timeout)
        return not job.broken

    async def _send(self, sock, data):
        await asyncio.wait_for(self.loop.sock_sendall(sock, data), self.write_timeout)

    async def _pump(self, job):
        job.wake = asyncio.Event()
        loop, wake, reply = self.loop, job.wake, job.reply

        def kick():  # called by the generating thread, under the reply's lock
            loop.call_soon_threadsafe(wake.set)

        reply.add_waker(kick)
        reply.attach()
        try:
            while True:
                wake.clear()
                events, finished = reply.events_after(job.last)
                if events:
                    # Small events go out together, a large one alone: a client reads a batch
                    # as one piece, and batching megabytes would grow its buffers.
                    out, size, end = [], 0, False
                    for ev in events:
                        data, last_one = job.format_event(ev)
                        if out and size + len(data) > BATCH_BYTES:
                            break  # sent next time round
                        out.append(data)
                        size += len(data)
                        job.last, end = ev.seq, last_one
                        if end:
                            break
                    await self._send(job.sock, chunk(b"".join(out)))
                    if end:
                        break
                    continue
                if finished:
                    break
                try:
                    await asyncio.wait_for(wake.wait(), self.ping_seconds)
                except asyncio.TimeoutError:
                    await self._send(job.sock, chunk(job.ping))
            await self._send(job.sock, b"0\r\n\r\n")
        except (OSError, asyncio.TimeoutError):
            job.broken = True
        except Exception:  # a bug costs this stream, never the hub
            import traceback
            traceback.print_exc()
            job.broken = True
        finally:
            reply.remove_waker(kick)
            reply.detach()
            job.done.set()
