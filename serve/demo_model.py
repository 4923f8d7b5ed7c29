"""The built-in demo model: a deterministic markdown answer streamed token by token.

The same prompt always gives the same reply (seeded by a hash of the last user message), so
tests can compare what a client shows with what the server generated. Special prompts (below,
and in serve.py --help) turn the model into a fault generator for client tests.
"""
import hashlib
import random
import re

from .demo_math import MATH_REPLY

SPECIAL_HELP = """\
special prompts (the last user message, demo model only):
  /echo TEXT          reply TEXT verbatim
  /math               a reply with formulas in every delimiter, money, code, a chemical
                      formula and a Mermaid fence (serve/demo_math.py)
  /long N             reply exactly N tokens of plain words (N <= 200000)
  /shape NAME BYTES N a reply of one shape (paragraph, list, table, chinese, code, reasoning):
                      about BYTES of it at once (in 64 KiB deltas), then N tokens more at the
                      set pace, so a benchmark can time tokens arriving at a long reply
  /fail STATUS [N]    stream N content tokens (default 0), then `event: fail` with STATUS
                      (on /v1/chat/completions: an HTTP error if nothing was sent yet,
                      else an in-stream {"error":...} chunk)
  /http STATUS [html] POST /api/chat and /v1/chat/completions answer HTTP STATUS with a JSON
                      error (or an HTML page with `html`); 429 and 503 add `Retry-After: 2`
  /wrongtype          the stream answers 200 with Content-Type text/plain (not an event stream)
  /malformed          the stream carries an event with invalid JSON and one with invalid UTF-8
                      bytes between normal deltas, then finishes normally
  /nonewline [BYTES]  the stream sends BYTES (default 1048576) without any newline, then ends
  /pause SECONDS      stream 5 tokens, send nothing (but pings) for SECONDS, then 5 more
  /badutf8            between normal deltas: a delta (shaped for both APIs) whose text holds
                      invalid UTF-8 bytes (0xFF 0xFE and a cut 3-byte sequence)
  /nul                between normal deltas: an event whose JSON holds a raw NUL byte (invalid)
                      and a delta whose text holds U+0000 (escaped, valid JSON)
  /hugeline [BYTES]   a delta whose single data line carries BYTES of text (default 16 MiB + 1,
                      just over the client's 16 MiB event cap), then "after" and done
  /reset N            stream N tokens, then the first connection to reach the next event gets
                      half of it and a TCP reset (a resumed connection finishes normally)
  /tool NAME {JSON}    when the request offers a tool NAME: call it with those arguments
                      (finish_reason tool_calls); given its result (a "tool" message), answer
                      with what the result said
  a prompt containing "think" or "思考" gets reasoning deltas before the answer
"""


def is_cjk(ch):
    o = ord(ch)
    return (0x2E80 <= o <= 0x9FFF or 0xAC00 <= o <= 0xD7AF or 0xF900 <= o <= 0xFAFF
            or 0xFF00 <= o <= 0xFFEF or 0x20000 <= o <= 0x2FA1F)


def has_cjk_text(text):
    return any(is_cjk(ch) and not (0xFF00 <= ord(ch) <= 0xFFEF or 0x3000 <= ord(ch) <= 0x303F)
               for ch in text)


def tokenize(text):
    """Splits text into stream tokens: a word plus the whitespace after it, or 1-2 CJK chars.

    Concatenating the tokens gives back the text exactly."""
    tokens = []
    i, n = 0, len(text)
    while i < n:
        j = i
        if text[j].isspace():
            while j < n and text[j].isspace():
                j += 1
        elif is_cjk(text[j]):
            j += 1
            if j < n and is_cjk(text[j]) and len(tokens) % 3 != 0:
                j += 1
        else:
            while j < n and not text[j].isspace() and not is_cjk(text[j]):
                j += 1
        while j < n and text[j].isspace():
            j += 1
        tokens.append(text[i:j])
        i = j
    return tokens


def count_prompt_tokens(messages):
    return sum(len(tokenize(m["content"])) + 4 for m in messages)


EN_TITLES = ["A short answer", "Here is how it works", "Overview", "Step by step",
             "The main idea", "Notes on your question"]
EN_SENTENCES = [
    "The simplest way to see it is to follow the data from one end to the other.",
    "Each part does one job, and the parts talk through small, plain interfaces.",
    "Streaming matters because people read faster than they wait.",
    "A reply arrives as many small pieces, and the client joins them in order.",
    "When the connection breaks, the client asks again from the last piece it saw.",
    "Nothing here depends on timing, so the same question gives the same answer.",
    "Good defaults save more time than clever options.",
    "Measure before you optimise, and keep the numbers next to the code.",
    "Errors should say what happened and what the user can do about it.",
    "Small tests that run in seconds get run; slow ones get skipped.",
    "The browser already knows how to reconnect, so let it.",
    "Keep the server stateless where you can, and explicit where you cannot.",
]
EN_ITEMS = ["Parse the input", "Validate early", "Stream the output", "Handle errors",
            "Resume after a drop", "Measure the result", "Keep it simple", "Write the test first"]
ZH_TITLES = ["简短的回答", "工作原理", "概述", "分步说明", "核心思路", "关于你的问题"]
ZH_SENTENCES = [
    "最简单的理解方式是从一端到另一端跟踪数据。",
    "每个部分只做一件事，各部分之间通过简单的接口通信。",
    "流式输出很重要，因为人们阅读的速度比等待更快。",
    "回复以许多小片段到达，客户端按顺序把它们拼接起来。",
    "连接中断时，客户端会从看到的最后一个片段重新请求。",
    "这里没有任何东西依赖于时序，所以相同的问题得到相同的答案。",
    "好的默认值比巧妙的选项更节省时间。",
    "先测量再优化，并把数字和代码放在一起。",
    "错误信息应该说明发生了什么，以及用户可以怎么做。",
    "几秒钟就能跑完的小测试才会被经常运行。",
    "浏览器本来就知道如何重新连接，就交给它吧。",
    "能无状态的地方就保持无状态，不能的地方就把状态写清楚。",
]
ZH_ITEMS = ["解析输入", "尽早校验", "流式输出", "处理错误", "断线后续传", "测量结果", "保持简单",
            "先写测试"]
CODE_SAMPLES = [
    ("python", "def stream(reply):\n    for token in reply:\n        print(token, end=\"\", flush=True)\n"),
    ("cpp", "for (const auto& delta : reply.deltas) {\n    text += delta.content;\n}\n"),
    ("js", "const source = new EventSource(url);\nsource.onmessage = (e) => append(JSON.parse(e.data));\n"),
]


def _sentences(rng, bank, count, joiner):
    return joiner.join(rng.choice(bank) for _ in range(count))


def compose_answer(prompt, rng):
    """A multi-paragraph markdown answer in the prompt's language, ~150-400 tokens."""
    chinese = has_cjk_text(prompt)
    topic = " ".join(prompt.split())[:40]
    lang, code = rng.choice(CODE_SAMPLES)
    if chinese:
        titles, bank, items, joiner = ZH_TITLES, ZH_SENTENCES, ZH_ITEMS, ""
        intro = f"你问的是“{topic}”。"
        list_head = "**要点：**"
        outro_head = "总结一下："
    else:
        titles, bank, items, joiner = EN_TITLES, EN_SENTENCES, EN_ITEMS, " "
        intro = f"You asked about \u201c{topic}\u201d."
        list_head = "**Key points:**"
        outro_head = "To sum up:"
    target = rng.randint(150, 400)
    parts = [f"## {rng.choice(titles)}\n\n",
             intro + joiner + _sentences(rng, bank, rng.randint(2, 4), joiner) + "\n\n",
             list_head + "\n\n"]
    for item in rng.sample(items, rng.randint(3, 5)):
        sep = "：" if chinese else ": "
        parts.append(f"- **{item}**{sep}{rng.choice(bank)}\n")
    parts.append(f"\n```{lang}\n{code}```\n\n")
    body = "".join(parts)
    outro = [outro_head]
    while len(tokenize(body + joiner.join(outro))) < target:
        outro.append(rng.choice(bank))
    return body + joiner.join(outro) + "\n"


def compose_reasoning(prompt, rng):
    if has_cjk_text(prompt):
        return ("用户希望我先思考再回答。我应该给出一个有标题、列表和代码示例的结构化回答，"
                "并且保持简洁。" + rng.choice(ZH_SENTENCES) + "\n")
    return ("The user wants me to think before answering. A structured reply with a heading, "
            "a list and a code example should work, and it should stay short. "
            + rng.choice(EN_SENTENCES) + "\n")


LONG_WORDS = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]
SHAPE_CJK = ["流式", "传输", "的", "文本", "没有", "换行", "，", "模型", "一直", "在", "说话", "。"]


def shape_token(shape, i):
    """Token i of a reply of one shape (kind, text): each shape keeps its one open block growing."""
    word = LONG_WORDS[i % len(LONG_WORDS)]
    if shape == "list":
        return "content", ("- " if i == 0 else "\n- " if i % 10 == 0 else " ") + word
    if shape == "table":
        cell = i % 4
        head = "| n | name | value |\n|---|---|---|\n" if i == 0 else ""
        return "content", head + ["| %d" % (i // 4), " | " + word, " | " + word + " " + word, " |\n"][cell]
    if shape == "chinese":
        return "content", SHAPE_CJK[i % len(SHAPE_CJK)]
    if shape == "code":
        head = "```python\n" if i == 0 else ""
        return "content", head + ["    value", " = compute(", word, ", %d" % i, ")\n"][i % 5]
    if shape == "reasoning":
        return "reasoning", word + " "
    return "content", word + " "


def shape_steps(shape, prefix_bytes, tokens):
    """About prefix_bytes of the shape in deltas of at most 64 KiB, then `tokens` single tokens."""
    steps, piece, piece_bytes, size, i = [], [], 0, 0, 0
    while size < prefix_bytes:
        kind, text = shape_token(shape, i)
        piece.append(text)
        piece_bytes += len(text.encode())
        size += len(text.encode())
        i += 1
        if piece_bytes >= 65536 or size >= prefix_bytes:
            steps.append((kind, "".join(piece)))
            piece, piece_bytes = [], 0
    return steps + [shape_token(shape, i + k) for k in range(tokens)]


def tool_steps(messages, tools, prompt):
    """/tool NAME {JSON}: a call of NAME when the request offers it, or after its result the
    answer built from that result; None when the prompt is no /tool command."""
    match = re.match(r"/tool\s+(\S+)\s*(.*)\Z", prompt, re.DOTALL)
    if not match:
        return None
    name, arguments = match.group(1), match.group(2).strip() or "{}"
    last = messages[-1]
    if last["role"] == "tool":  # the loop sent the result back: say what it said
        results = [m for m in messages if m["role"] == "tool"]
        text = "The tool %s said: %s" % (name, results[-1]["content"])
        return [("content", t) for t in tokenize(text)]
    if name not in tools:
        offered = ", ".join(sorted(tools)) or "none"
        return [("content", t) for t in tokenize("I cannot call %s: this request offers no such tool "
                                                 "(offered: %s)." % (name, offered))]
    call_id = "call_" + hashlib.sha256(prompt.encode()).hexdigest()[:12]
    return [("content", "Calling %s." % name),
            ("tool_call", {"id": call_id, "name": name, "arguments": arguments})]


def plan_reply(messages, tools=()):
    """What the demo says to these messages: (special modes, [(kind, token), ...]).

    Modes that change the HTTP exchange itself (http/wrongtype/nonewline) are returned in the
    special dict; the token list then holds whatever a normal stream would carry. tools: the
    names of the functions the request offers (/tool calls them)."""
    last_user = next((m["content"] for m in reversed(messages) if m["role"] == "user"), "")
    prompt = last_user.strip()
    rng = random.Random(int.from_bytes(hashlib.sha256(prompt.encode()).digest()[:8], "big"))
    special = {}
    words = prompt.split()
    command = words[0] if words and words[0].startswith("/") else ""
    args = words[1:]

    def int_arg(i, default):
        try:
            return int(args[i])
        except (IndexError, ValueError):
            return default

    steps = []
    if command == "/tool":
        steps = tool_steps(messages, tools, prompt)
    elif command == "/echo":
        text = last_user.lstrip()[len("/echo"):]
        text = text[1:] if text[:1] == " " else text
        steps = [("content", t) for t in tokenize(text)]
    elif command == "/math":
        steps = [("content", t) for t in tokenize(MATH_REPLY)]
    elif command == "/long":
        n = max(0, min(int_arg(0, 100), 200_000))
        steps = [("content", LONG_WORDS[i % len(LONG_WORDS)] + " ") for i in range(n)]
    elif command == "/shape":
        shape = args[0] if args else "paragraph"
        steps = shape_steps(shape, max(0, min(int_arg(1, 1024), 16 << 20)), max(0, min(int_arg(2, 100), 200_000)))
    elif command == "/fail":
        special["fail"] = int_arg(0, 500)
        steps = [("content", f"token{i} ") for i in range(max(0, int_arg(1, 0)))]
    elif command == "/http":
        special["http"] = int_arg(0, 500)
        special["html"] = "html" in args[1:]
    elif command == "/wrongtype":
        special["wrongtype"] = True
    elif command == "/nonewline":
        special["nonewline"] = max(1, min(int_arg(0, 1 << 20), 64 << 20))
    elif command == "/malformed":
        steps = [("content", "before "), ("raw", b'{"content": "broken'),
                 ("raw", b'{"content":"bad \xff\xfe bytes"}'), ("content", "after")]
    elif command == "/badutf8":
        text = b'bad \xff\xfe and \xe4\xbd cut '
        steps = [("content", "before "),
                 ("raw", b'{"content":"' + text + b'","choices":[{"index":0,"delta":{"content":"'
                  + text + b'"},"finish_reason":null}]}'),
                 ("content", "after")]
    elif command == "/nul":
        steps = [("content", "before "), ("raw", b'{"content":"raw \x00 byte"}'),
                 ("content", "nul\x00char "), ("content", "after")]
    elif command == "/hugeline":
        n = max(1, min(int_arg(0, (16 << 20) + 1), 64 << 20))
        steps = [("content", "before "), ("content", "x" * n), ("content", " after")]
    elif command == "/reset":
        n = max(0, min(int_arg(0, 10), 200_000))
        special["reset"] = n + 1
        steps = [("content", f"w{i} ") for i in range(n + 5)]
    elif command == "/pause":
        special["pause"] = max(0.0, min(float(int_arg(0, 1)), 3600.0))
        steps = [("content", f"word{i} ") for i in range(10)]
    else:
        if re.search(r"think|思考", prompt, re.IGNORECASE):
            steps += [("reasoning", t) for t in tokenize(compose_reasoning(prompt, rng))]
        steps += [("content", t) for t in tokenize(compose_answer(prompt, rng))]
    return special, steps
