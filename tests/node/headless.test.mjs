// The wasm chat session (imchat_headless) under Node against a real serve.py: the same C++
// session, transports and conversation the page runs, with npm `eventsource` as EventSource and
// Node's fetch. Each test compares what the client holds with what the server generated.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';

import { loadHeadless, state, waitFor, waitIdle, lastMessage } from '../lib/headless.mjs';
import { startServer } from '../lib/serve.mjs';

const m = await loadHeadless();

const clients = [];
function client(serverUrl, settings = {}) {
  const c = new m.HeadlessClient(serverUrl, JSON.stringify(settings));
  clients.push(c);
  return c;
}

// What serve.py generated for a reply (GET /api/chat/<id>).
async function serverReply(server, replyId) {
  const r = await fetch(`${server.url}/api/chat/${replyId}`);
  assert.equal(r.status, 200, `GET /api/chat/${replyId}`);
  return r.json();
}

// The text of a reply read straight from the built-in stream, for prompts whose reply the
// client does not hold a server id for (the direct path): the demo model is deterministic.
async function builtinReplyFor(server, prompt) {
  const r = await fetch(`${server.url}/api/chat`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ messages: [{ role: 'user', content: prompt }] }),
  });
  const { id } = await r.json();
  for (;;) {
    const s = await serverReply(server, id);
    if (s.status !== 'running') return s;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

after(() => {
  for (const c of clients) c.delete();
});

describe('built-in API (POST /api/chat, EventSource)', () => {
  let server;
  before(async () => { server = await startServer(['--tokens-per-second', '5000', '--quiet']); });
  after(() => server.stop());

  test('the reply equals what the server generated', async () => {
    const c = client(server.url);
    assert.equal(c.send('Tell me about streaming, and think first'), true);
    assert.equal(c.send('a second prompt while busy'), false, 'one request at a time');
    const s = await waitIdle(c);
    const reply = lastMessage(s);
    assert.equal(reply.status, 'done', JSON.stringify(s));
    assert.ok(reply.reply_id);
    const generated = await serverReply(server, reply.reply_id);
    assert.equal(generated.status, 'done');
    assert.ok(generated.content.length > 50);
    assert.equal(reply.text, generated.content);
    assert.equal(reply.reasoning, generated.reasoning);
    assert.ok(generated.reasoning.length > 0, 'a prompt with "think" gets reasoning');
    assert.equal(reply.finish_reason, 'stop');
    assert.equal(s.status, 'done');
    assert.equal(s.messages[0].role, 'user');
    assert.equal(s.messages[0].text, 'Tell me about streaming, and think first');
  });

  test('Stop mid-stream keeps the text and stops the server', async () => {
    const slow = await startServer(['--tokens-per-second', '50', '--quiet']);
    try {
      const c = client(slow.url);
      c.send('/long 2000');
      const mid = await waitFor(c, (s) => lastMessage(s).text.length > 40);
      assert.equal(mid.streaming, true);
      c.stop();
      const s = state(c);
      const reply = lastMessage(s);
      assert.equal(s.streaming, false);
      assert.equal(reply.status, 'stopped');
      assert.equal(s.status, 'stopped');
      assert.ok(reply.text.length >= mid.messages[1].text.length, 'text kept');
      // The server hears the stop and ends the reply early.
      let generated;
      for (let i = 0; i < 100; i++) {
        generated = await serverReply(slow, reply.reply_id);
        if (generated.status !== 'running') break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.equal(generated.status, 'stopped');
      assert.ok(generated.content.startsWith(reply.text), 'what we show is what the server wrote');
      assert.ok(generated.content.split(' ').length < 1000, 'generation stopped early');
      // Nothing more arrives after Stop.
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(lastMessage(state(c)).text, reply.text);
    } finally {
      await slow.stop();
    }
  });

  test('Stop before POST /api/chat answered still stops the server', async () => {
    const slow = await startServer(['--tokens-per-second', '50', '--quiet']);
    try {
      const c = client(slow.url);
      c.send('/long 2000');
      c.stop();  // the POST is still in flight
      let s = state(c);
      assert.equal(s.streaming, false);
      assert.equal(lastMessage(s).status, 'stopped');
      s = await waitFor(c, (st) => lastMessage(st).reply_id !== '');
      let generated;
      for (let i = 0; i < 100; i++) {
        generated = await serverReply(slow, lastMessage(s).reply_id);
        if (generated.status !== 'running') break;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.equal(generated.status, 'stopped');
      assert.equal(lastMessage(state(c)).text, '');
      assert.equal(c.resume(lastMessage(s).id), false, 'a stopped reply is not resumed');
    } finally {
      await slow.stop();
    }
  });

  test('regenerate adds a sibling reply; edit_and_resend a sibling branch', async () => {
    const c = client(server.url);
    c.send('/echo one two three');
    let s = await waitIdle(c);
    const first = lastMessage(s);
    assert.equal(first.text, 'one two three');
    assert.equal(c.regenerate(first.id), true);
    s = await waitIdle(c);
    assert.equal(lastMessage(s).sibling, 2);
    assert.equal(lastMessage(s).siblings, 2);
    assert.equal(lastMessage(s).text, 'one two three');
    assert.equal(c.editAndResend(s.messages[0].id, '/echo four five'), true);
    s = await waitIdle(c);
    assert.equal(s.messages.length, 2);
    assert.equal(s.messages[0].text, '/echo four five');
    assert.equal(s.messages[0].siblings, 2);
    assert.equal(lastMessage(s).text, 'four five');
  });

  test('server errors: HTTP status on POST, in-stream fail, wrong content type', async () => {
    const c = client(server.url);
    c.send('/http 503');
    let s = await waitIdle(c);
    assert.equal(lastMessage(s).status, 'failed');
    assert.match(s.lastError, /^HTTP 503: .*simulated.*\(retry after 2 s\)$/);
    assert.match(s.status, /^failed: HTTP 503/);

    c.send('/fail 500 4');
    s = await waitIdle(c);
    assert.equal(lastMessage(s).status, 'interrupted', 'text kept after an in-stream failure');
    assert.ok(lastMessage(s).text.length > 0);
    assert.ok(s.lastError.length > 0);

    // The EventSource gives up on a text/plain reply; the probe names the problem.
    c.send('/wrongtype');
    s = await waitIdle(c);
    assert.equal(lastMessage(s).status, 'failed');
    assert.equal(s.lastError, 'the server replied with text/plain, not an event stream');

    // Garbled events are skipped; the reply goes on and finishes.
    const before = s.skipped;
    c.send('/malformed');
    s = await waitIdle(c);
    assert.equal(lastMessage(s).status, 'done');
    assert.ok(s.skipped > before, `skipped ${s.skipped}`);
  });

  test('retry() asks again for a failed reply', async () => {
    const c = client('http://127.0.0.1:1');  // nothing listens on port 1
    c.send('/echo again');
    let s = await waitIdle(c);
    assert.equal(lastMessage(s).status, 'failed');
    assert.match(s.lastError, /could not reach http:\/\/127\.0\.0\.1:1/);
    const other = client(server.url);
    other.importJson(c.exportJson());  // same conversation, a server that answers
    assert.equal(other.retry(0), true);
    s = await waitIdle(other);
    assert.equal(lastMessage(s).status, 'done');
    assert.equal(lastMessage(s).text, 'again');
    assert.equal(s.messages.length, 2, 'retried in place, no new message');
  });
});

describe('resuming (network drops, stalls, reloads)', () => {
  test('drops every 7 events: EventSource resumes with Last-Event-ID, exactly once', async () => {
    const server = await startServer(['--tokens-per-second', '5000', '--retry-ms', '20',
      '--chaos-drop-after', '7', '--quiet']);
    try {
      const c = client(server.url);
      c.send('/long 120');
      const s = await waitIdle(c);
      const reply = lastMessage(s);
      assert.equal(reply.status, 'done', JSON.stringify(s));
      const generated = await serverReply(server, reply.reply_id);
      assert.equal(reply.text, generated.content);
      assert.ok(s.reconnects >= 120 / 7 - 1, `reconnects: ${s.reconnects}`);
    } finally {
      await server.stop();
    }
  });

  test('a page reload resumes from the stored last event id, then through drops', async () => {
    // The resumed EventSource's URL keeps ?last_event_id=K; its own reconnects after each drop
    // send the newer Last-Event-ID header, which must win (exactly once).
    const server = await startServer(['--tokens-per-second', '200', '--retry-ms', '20',
      '--chaos-drop-after', '7', '--quiet']);
    try {
      const a = client(server.url);
      a.send('/long 300');
      await waitFor(a, (s) => Number(lastMessage(s).last_event_id) >= 20);
      const saved = a.exportJson();  // what the page's storage holds at the moment of reload
      a.delete();
      clients.splice(clients.indexOf(a), 1);

      const b = client(server.url);
      assert.equal(b.importJson(saved), '');
      const loaded = lastMessage(state(b));
      assert.equal(loaded.status, 'streaming');
      assert.equal(b.resumeAfterLoad(), true);
      assert.equal(b.resume(loaded.id), false, 'already resuming');
      const s = await waitIdle(b, 30000);
      const reply = lastMessage(s);
      assert.equal(reply.status, 'done');
      const generated = await serverReply(server, reply.reply_id);
      assert.equal(reply.text, generated.content, 'no token lost or doubled across the reload');
      assert.ok(s.reconnects > 10, `reconnects after the reload: ${s.reconnects}`);
    } finally {
      await server.stop();
    }
  });

  test('resuming a reply the server no longer has: Interrupted, text kept', async () => {
    const server = await startServer(['--tokens-per-second', '5000', '--quiet']);
    try {
      const a = client(server.url);
      a.send('/echo kept words');
      await waitIdle(a);
      const saved = JSON.parse(a.exportJson());
      const reply = saved.messages.find((msg) => msg.role === 'assistant');
      reply.reply_id = 'ffffffffffffffffffffffff';
      reply.status = 'streaming';
      reply.last_event_id = '2';
      const b = client(server.url, { max_retries: 2, retry_backoff_ms: 20 });
      assert.equal(b.importJson(JSON.stringify(saved)), '');
      assert.equal(b.resume(reply.id), true);
      const s = await waitIdle(b);
      const last = lastMessage(s);
      assert.equal(last.status, 'interrupted');
      assert.equal(last.text, 'kept words');
      assert.equal(last.error, 'the server no longer has this reply');
      assert.equal(last.reply_id, '');
    } finally {
      await server.stop();
    }
  });

  test('after a load, unfinished replies other than the active leaf become Interrupted', async () => {
    const server = await startServer(['--tokens-per-second', '5000', '--quiet']);
    try {
      const a = client(server.url);
      a.send('/echo first');
      await waitIdle(a);
      a.send('/echo second');
      await waitIdle(a);
      const saved = JSON.parse(a.exportJson());
      const replies = saved.messages.filter((msg) => msg.role === 'assistant');
      replies[0].status = 'streaming';  // an older reply the page left unfinished, no resume point
      delete replies[0].reply_id;
      const b = client(server.url);
      assert.equal(b.importJson(JSON.stringify(saved)), '');
      assert.equal(b.resumeAfterLoad(), false, 'the leaf is done: nothing to resume');
      const s = state(b);
      assert.equal(s.messages[1].status, 'interrupted');
      assert.equal(s.messages[1].text, 'first');
      assert.match(s.messages[1].error, /page was closed/);
      assert.equal(s.messages[3].status, 'done');
    } finally {
      await server.stop();
    }
  });

  test('the stall rule: a silent connection is replaced and the reply completes', async () => {
    const server = await startServer(['--tokens-per-second', '5000', '--chaos-stall-after', '10',
      '--ping-seconds', '30', '--quiet']);
    try {
      const c = client(server.url, { stall_timeout_ms: 400 });
      const started = Date.now();
      c.send('/long 40');
      const s = await waitIdle(c, 20000);
      const reply = lastMessage(s);
      assert.equal(reply.status, 'done', JSON.stringify(s));
      const generated = await serverReply(server, reply.reply_id);
      assert.equal(reply.text, generated.content);
      // 40 tokens + done, 10 events per connection (the first holds retry too): 4 stalls.
      assert.ok(s.reconnects >= 3, `reconnects: ${s.reconnects}`);
      assert.ok(Date.now() - started >= 3 * 400, 'each stall waited for the timeout');
    } finally {
      await server.stop();
    }
  });
});

describe('direct path (streamed fetch to an OpenAI-compatible /v1)', () => {
  let server;
  before(async () => { server = await startServer(['--tokens-per-second', '5000', '--quiet']); });
  after(() => server.stop());

  test('the reply equals the demo model\'s answer', async () => {
    const c = client(server.url, { endpoint: 'direct', base_url: `${server.url}/v1/`, api_key: 'sk-test' });
    const prompt = 'Explain the event stream format, and think about it';
    c.send(prompt);
    const s = await waitIdle(c);
    const reply = lastMessage(s);
    assert.equal(reply.status, 'done', JSON.stringify(s));
    const expected = await builtinReplyFor(server, prompt);
    assert.equal(reply.text, expected.content);
    assert.equal(reply.reasoning, expected.reasoning);
    assert.equal(reply.finish_reason, 'stop');
  });

  test('HTTP errors, Retry-After, HTML error pages and a wrong content type', async () => {
    const c = client(server.url, { endpoint: 'direct', base_url: `${server.url}/v1` });
    c.send('/http 429');
    let s = await waitIdle(c);
    assert.equal(lastMessage(s).status, 'failed');
    assert.match(s.lastError, /^HTTP 429: .*\(retry after 2 s\)$/);

    c.send('/http 502 html');
    s = await waitIdle(c);
    assert.match(s.lastError, /^HTTP 502: /);
    assert.doesNotMatch(s.lastError, /<|>/, 'no markup in the message');

    c.send('/wrongtype');
    s = await waitIdle(c);
    assert.equal(s.lastError, 'the server replied with text/html, not an event stream');

    c.send('/fail 500 3');
    s = await waitIdle(c);
    assert.equal(lastMessage(s).status, 'interrupted');
    assert.ok(lastMessage(s).text.length > 0);

    // A body that ends without [DONE] or a finish_reason broke off.
    c.send('/nonewline 300000');
    s = await waitIdle(c);
    assert.equal(lastMessage(s).status, 'failed');
    assert.equal(s.lastError, 'the stream ended before the reply was complete');
  });

  test('the model list, from /v1/models on both paths', async () => {
    const listModels = (c) => new Promise((resolve) => c.listModels((json) => resolve(JSON.parse(json))));
    const direct = await listModels(client(server.url, { endpoint: 'direct', base_url: `${server.url}/v1` }));
    assert.deepEqual(direct, { models: ['imchat-demo'], error: '' });
    const builtin = await listModels(client(server.url));
    assert.deepEqual(builtin, { models: ['imchat-demo'], error: '' });
    const wrong = await listModels(client(server.url, { endpoint: 'direct', base_url: `${server.url}/nowhere` }));
    assert.deepEqual(wrong.models, []);
    assert.match(wrong.error, /^HTTP 404/);
  });

  test('a broken connection keeps the partial text: Interrupted, then Retry', async () => {
    const broken = await startServer(['--tokens-per-second', '5000', '--chaos-drop-after', '7', '--quiet']);
    try {
      const c = client(broken.url, { endpoint: 'direct', base_url: `${broken.url}/v1` });
      c.send('/long 50');
      let s = await waitIdle(c);
      const reply = lastMessage(s);
      assert.equal(reply.status, 'interrupted', JSON.stringify(s));
      assert.ok(reply.text.length > 0);
      const expected = await builtinReplyFor(broken, '/long 50');
      assert.ok(expected.content.startsWith(reply.text), 'the partial text is a prefix of the reply');
      assert.notEqual(reply.text, expected.content);
      assert.equal(c.retry(0), true);
      s = await waitIdle(c);
      assert.equal(lastMessage(s).status, 'interrupted');
      assert.equal(s.messages.length, 2);
    } finally {
      await broken.stop();
    }
  });

  test('Stop aborts the fetch and keeps the text', async () => {
    const slow = await startServer(['--tokens-per-second', '50', '--quiet']);
    try {
      const c = client(slow.url, { endpoint: 'direct', base_url: `${slow.url}/v1` });
      c.send('/long 2000');
      await waitFor(c, (s) => lastMessage(s).text.length > 20);
      c.stop();
      const s = state(c);
      assert.equal(s.streaming, false);
      assert.equal(lastMessage(s).status, 'stopped');
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(lastMessage(state(c)).text, lastMessage(s).text, 'nothing arrives after Stop');
    } finally {
      await slow.stop();
    }
  });

  test('an unreachable or unusable endpoint gives a clear error', async () => {
    const c = client(server.url, { endpoint: 'direct', base_url: 'http://127.0.0.1:1/v1' });
    c.send('hello');
    let s = await waitIdle(c);
    assert.equal(lastMessage(s).status, 'failed');
    assert.match(s.lastError, /^could not reach http:\/\/127\.0\.0\.1:1/);
    // From a page on another origin, a refused fetch may be CORS: the message says so.
    globalThis.location = { origin: 'http://page.test' };
    try {
      c.send('hello');
      s = await waitIdle(c);
    } finally {
      delete globalThis.location;
    }
    assert.equal(s.lastError, 'could not reach http://127.0.0.1:1: the endpoint refused the connection or '
      + 'does not allow this page\'s origin (CORS)');
    c.setSettings(JSON.stringify({ base_url: 'not a url' }));
    c.send('hello');
    s = await waitIdle(c);
    assert.match(s.lastError, /^not a usable URL/);
    c.setSettings(JSON.stringify({ base_url: '' }));
    c.send('hello');
    s = await waitIdle(c);
    assert.match(s.lastError, /no API base URL/);
  });
});
