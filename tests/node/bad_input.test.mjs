// Bad input from the network, one test per case, against the real wasm session (imchat_headless)
// and a real serve.py whose special prompts produce the fault (see `serve.py --help`). Every case
// runs on both paths the app streams through: the built-in API (POST /api/chat, then an
// EventSource) and a direct OpenAI-compatible endpoint (a streamed fetch of /v1/chat/completions).
//
// Each test asserts the message the user sees (the status line, s.status, and the reply's own
// error) and that the app keeps working: text already shown stays, and a normal prompt in the
// same session then gets a complete reply.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { loadHeadless, state, waitIdle, lastMessage } from '../lib/headless.mjs';
import { startServer } from '../lib/serve.mjs';

const m = await loadHeadless();

const clients = [];
after(() => {
  for (const c of clients) c.delete();
});

let server;
before(async () => {
  server = await startServer(['--tokens-per-second', '5000', '--retry-ms', '50', '--quiet']);
});
after(() => server.stop());

const PATHS = {
  builtin: (url) => ({}),
  direct: (url) => ({ endpoint: 'direct', base_url: `${url}/v1` }),
};

function client(url, settings) {
  const c = new m.HeadlessClient(url, JSON.stringify(settings));
  clients.push(c);
  return c;
}

// A session that already shows one finished exchange (what must not be lost).
async function sessionWithHistory(path, url = server.url, extra = {}) {
  const c = client(url, { ...PATHS[path](url), ...extra });
  assert.equal(c.send('/echo kept one two three'), true);
  const s = await waitIdle(c);
  assert.equal(lastMessage(s).text, 'kept one two three');
  return c;
}

// Sends a bad prompt; returns the state once the reply ended.
async function sendBad(c, prompt, timeoutMs = 30000) {
  assert.equal(c.send(prompt), true, `send ${prompt}`);
  return waitIdle(c, timeoutMs);
}

// The app keeps working: the first exchange is intact, the bad reply keeps what it showed, and a
// normal prompt gets a complete reply.
async function assertStillWorks(c, badReplyText) {
  const before = state(c);
  assert.equal(before.messages[0].text, '/echo kept one two three');
  assert.equal(before.messages[1].text, 'kept one two three', 'the earlier reply is intact');
  assert.equal(before.messages[1].status, 'done');
  if (badReplyText !== undefined) assert.equal(before.messages[3].text, badReplyText, 'text shown is kept');
  assert.equal(c.send('/echo still working'), true);
  const s = await waitIdle(c);
  const reply = lastMessage(s);
  assert.equal(reply.status, 'done', JSON.stringify(s).slice(0, 1000));
  assert.equal(reply.text, 'still working');
  assert.equal(s.messages.length, 6);
  assert.equal(s.messages[3].text, before.messages[3].text, 'the bad reply is unchanged afterwards');
  assert.equal(s.status, 'done');
}

const NOT_STREAM = { builtin: 'text/plain', direct: 'text/html' };
const REASON = { 401: 'Unauthorized', 404: 'Not Found', 429: 'Too Many Requests', 500: 'Internal Server Error',
  503: 'Service Unavailable' };
const U_FFFD = '\ufffd';

for (const path of Object.keys(PATHS)) {
  describe(`${path} path`, () => {
    test('a reply that is not text/event-stream', async () => {
      const c = await sessionWithHistory(path);
      const s = await sendBad(c, '/wrongtype');
      const message = `the server replied with ${NOT_STREAM[path]}, not an event stream`;
      assert.equal(s.lastError, message);
      assert.equal(s.status, `failed: ${message}`);
      assert.equal(lastMessage(s).status, 'failed');
      assert.equal(lastMessage(s).error, message);
      await assertStillWorks(c, '');
    });

    for (const status of [401, 404, 429, 500, 503]) {
      for (const body of ['json', 'html']) {
        test(`HTTP ${status} with a ${body.toUpperCase()} body`, async () => {
          const c = await sessionWithHistory(path);
          const s = await sendBad(c, `/http ${status}${body === 'html' ? ' html' : ''}`);
          const words = body === 'json' ? `simulated HTTP ${status} (${REASON[status]})` : REASON[status];
          const retry = status === 429 || status === 503 ? ' (retry after 2 s)' : '';
          assert.equal(s.lastError, `HTTP ${status}: ${words}${retry}`);
          assert.equal(s.status, `failed: HTTP ${status}: ${words}${retry}`);
          assert.equal(lastMessage(s).status, 'failed');
          await assertStillWorks(c, '');
        });
      }
    }

    test('a prompt the server refuses (HTTP 413, too large) is not sent again with the next one', async () => {
      // A real refusal: the body limit of a server of its own. Before, every later prompt of the
      // chat carried the refused one along and met the same 413.
      const small = await startServer(['--tokens-per-second', '5000', '--quiet', '--max-body-bytes', '4096']);
      try {
        const c = await sessionWithHistory(path, small.url);
        const s = await sendBad(c, 'x'.repeat(8000));
        assert.equal(lastMessage(s).status, 'failed');
        assert.equal(lastMessage(s).error_status, 413);
        assert.match(s.lastError, /^HTTP 413: request body too large/);
        await assertStillWorks(c, '');
      } finally {
        await small.stop();
      }
    });

    test('an in-stream error after some text', async () => {
      const c = await sessionWithHistory(path);
      const s = await sendBad(c, '/fail 500 3');
      assert.equal(s.lastError, 'simulated failure with status 500');
      assert.equal(s.status, 'failed: simulated failure with status 500');
      assert.equal(lastMessage(s).status, 'interrupted', 'text kept, marked Interrupted');
      await assertStillWorks(c, 'token0 token1 token2 ');
    });

    test('invalid JSON in a delta is skipped and said so', async () => {
      const c = await sessionWithHistory(path);
      const s = await sendBad(c, '/malformed');
      assert.equal(lastMessage(s).status, 'done');
      assert.ok(lastMessage(s).text.startsWith('before '));
      assert.ok(lastMessage(s).text.endsWith('after'));
      assert.match(s.status, /^done \(skipped 1 unreadable event from the server\)$/);
      await assertStillWorks(c, lastMessage(s).text);
    });

    test('invalid UTF-8 shows as U+FFFD, the rest of the reply intact', async () => {
      const c = await sessionWithHistory(path);
      const s = await sendBad(c, '/badutf8');
      assert.equal(lastMessage(s).status, 'done');
      assert.equal(lastMessage(s).text, `before bad ${U_FFFD}${U_FFFD} and ${U_FFFD} cut after`);
      assert.equal(s.status, 'done');
      await assertStillWorks(c, lastMessage(s).text);
    });

    test('a NUL byte: raw in the JSON skips the event, escaped it shows as U+FFFD', async () => {
      const c = await sessionWithHistory(path);
      const s = await sendBad(c, '/nul');
      assert.equal(lastMessage(s).status, 'done');
      assert.equal(lastMessage(s).text, `before nul${U_FFFD}char after`);
      assert.ok(!lastMessage(s).text.includes('\0'));
      assert.equal(s.status, 'done (skipped 1 unreadable event from the server)');
      await assertStillWorks(c, lastMessage(s).text);
    });

    test('a 16 MB single line: refused with a clear error, memory bounded', async () => {
      const c = await sessionWithHistory(path);
      const heapBefore = m.HEAP8.length;
      const s = await sendBad(c, '/hugeline', 60000);
      const message = 'the event stream is malformed: event larger than 16777216 bytes';
      assert.equal(s.lastError, message);
      assert.equal(lastMessage(s).status, 'interrupted');
      assert.equal(lastMessage(s).text, 'before ');
      // Memory stays bounded by the parser's cap: on the built-in path the line never reaches
      // wasm memory; on the direct path our parser holds at most the cap (16 MB) before it
      // refuses the event, and the heap's growth step adds a little on top.
      assert.ok(m.HEAP8.length - heapBefore < (16 << 20) + (8 << 20), `heap ${heapBefore} -> ${m.HEAP8.length}`);
      await assertStillWorks(c, 'before ');
    });

    test('bytes but never a newline', async () => {
      const c = await sessionWithHistory(path, server.url, { max_retries: 1, retry_backoff_ms: 20 });
      const s = await sendBad(c, '/nonewline 300000', 60000);
      assert.equal(lastMessage(s).status, 'failed');
      assert.equal(s.lastError, path === 'direct' ? 'the stream ended before the reply was complete'
        : 'the connection to the server keeps breaking');
      await assertStillWorks(c, '');
    });

    test('a connection reset in the middle of an event', async () => {
      const c = await sessionWithHistory(path);
      const s = await sendBad(c, '/reset 10');
      const reply = lastMessage(s);
      if (path === 'builtin') {
        // EventSource resumes after the last whole event: the reply completes, nothing doubled.
        assert.equal(reply.status, 'done');
        const generated = await (await fetch(`${server.url}/api/chat/${reply.reply_id}`)).json();
        assert.equal(reply.text, generated.content);
        assert.ok(s.reconnects >= 1);
        await assertStillWorks(c, generated.content);
      } else {
        // A POST cannot be resumed: the half event is dropped, the whole ones kept.
        assert.equal(reply.status, 'interrupted');
        assert.match(s.lastError, /^the connection broke mid-reply \(.+\)$/);
        assert.equal(reply.text, 'w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 ');
        await assertStillWorks(c, 'w0 w1 w2 w3 w4 w5 w6 w7 w8 w9 ');
      }
    });
  });
}

describe('stalls', () => {
  let quiet;  // pings only every 60 s: a pause is a silence
  before(async () => {
    quiet = await startServer(['--tokens-per-second', '5000', '--ping-seconds', '60', '--quiet']);
  });
  after(() => quiet.stop());

  test('builtin: a connection that goes silent is replaced; the reply completes', async () => {
    const stalling = await startServer(['--tokens-per-second', '5000', '--chaos-stall-after', '8',
      '--ping-seconds', '60', '--quiet']);
    try {
      const c = await sessionWithHistory('builtin', stalling.url, { stall_timeout_ms: 300 });
      const s = await sendBad(c, '/long 20');
      const reply = lastMessage(s);
      assert.equal(reply.status, 'done');
      const generated = await (await fetch(`${stalling.url}/api/chat/${reply.reply_id}`)).json();
      assert.equal(reply.text, generated.content);
      assert.ok(s.reconnects >= 2, `reconnects ${s.reconnects}`);
      await assertStillWorks(c, generated.content);
    } finally {
      await stalling.stop();
    }
  });

  for (const path of Object.keys(PATHS)) {
    test(`${path}: a server that stops sending for good`, async () => {
      const c = await sessionWithHistory(path, quiet.url, { stall_timeout_ms: 1000, max_retries: 1,
        retry_backoff_ms: 20 });
      const s = await sendBad(c, '/pause 3600');
      const reply = lastMessage(s);
      assert.equal(reply.status, 'interrupted');
      assert.equal(reply.text, 'word0 word1 word2 word3 word4 ');
      assert.equal(s.lastError, path === 'direct' ? 'the server stopped sending (nothing for 1 s)'
        : 'the server stopped sending (no event for 1 s)');
      await assertStillWorks(c, 'word0 word1 word2 word3 word4 ');
    });
  }
});

describe('unreachable endpoints', () => {
  test('builtin: the server went away, then came back on the same port', async () => {
    const gone = await startServer(['--tokens-per-second', '5000', '--quiet']);
    const c = await sessionWithHistory('builtin', gone.url, { max_retries: 1, retry_backoff_ms: 20 });
    await gone.stop();
    const s = await sendBad(c, '/echo lost');
    assert.equal(lastMessage(s).status, 'failed');
    assert.match(s.lastError, new RegExp(`^could not reach ${gone.url.replace(/\./g, '\\.')}( \\(.+\\))?$`));
    const back = await startServer(['--tokens-per-second', '5000', '--quiet', '--port', String(gone.port)]);
    try {
      await assertStillWorks(c, '');
    } finally {
      await back.stop();
    }
  });

  test('direct: an endpoint that refuses connections', async () => {
    const c = await sessionWithHistory('direct');
    c.setSettings(JSON.stringify({ base_url: 'http://127.0.0.1:1/v1' }));
    const s = await sendBad(c, '/echo lost');
    assert.equal(lastMessage(s).status, 'failed');
    assert.match(s.lastError, /^could not reach http:\/\/127\.0\.0\.1:1( \(.+\))?$/);
    c.setSettings(JSON.stringify({ base_url: `${server.url}/v1` }));
    await assertStillWorks(c, '');
  });
});
