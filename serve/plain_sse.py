"""GET /chat/stream?prompt=TEXT: the demo model in the plainest event-stream form, the one SSE
articles show (and imchat's "plain SSE" endpoint reads): each token is an event of bare `data:`
lines of text (a token's line breaks become several data lines, as the format joins them), with
`id: N`; `event: done` ends it. No reply store is involved: the demo model is deterministic, so a
reconnect with Last-Event-ID N regenerates the same reply and sends from token N+1.
"""
import re

from .demo_model import plan_reply
from .replies import Reply

LINE_BREAK = re.compile(r"\r\n|\r|\n")
DONE = b"event: done\ndata: \n\n"
PING = b": ping\n\n"


def plain_event(seq, text):
    lines = LINE_BREAK.split(text)
    return b"id: %d\n" % seq + b"".join(b"data: " + line.encode() + b"\n" for line in lines) + b"\n"


def plan_plain(prompt, model, after):
    """(reply, steps) for the tokens after `after`: text only (reasoning and test-mode bytes have
    no place in a plain text stream)."""
    messages = [{"role": "user", "content": prompt}]
    special, steps = plan_reply(messages)
    special = {k: v for k, v in special.items() if k == "pause"}
    steps = [s for s in steps if s[0] == "content"][after:]
    return Reply(model, {"model": model, "messages": messages}, special), steps


def formatter(after):
    """pump()'s event formatter: ids continue from the resumed one."""
    def format_event(ev):
        if ev.kind == "content":
            return plain_event(after + ev.seq, ev.payload), False
        if ev.kind in ("done", "fail"):
            return DONE, True
        return b"", False
    return format_event
