// Fault soak: many imchat_headless sessions (200 at a time) against a serve.py that drops, stalls
// and dribbles its stream connections at random, and proxies a share of the sessions (chosen by
// model name) to a second serve.py that fails at random (503 refusals and cut streams).
//
// Every reply must either complete identical to what the model produced, or end with a clear
// error while showing an exact prefix of it: zero tokens lost or doubled. Memory (the wasm heap,
// the Node process's RSS, both servers' RSS from /proc) must stay flat; the figures are printed.
//
// CI runs about 30 s. The long run is `scripts/soak [seconds]` (IMCHAT_FAULT_SOAK_SECONDS,
// IMCHAT_FAULT_SOAK_MIN_SESSIONS, IMCHAT_FAULT_SOAK_CONCURRENCY override the defaults).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';

import { loadHeadless, waitIdle, lastMessage } from '../lib/headless.mjs';
import { startServer } from '../lib/serve.mjs';

const SECONDS = Number(process.env.IMCHAT_FAULT_SOAK_SECONDS || 25);
const MIN_SESSIONS = Number(process.env.IMCHAT_FAULT_SOAK_MIN_SESSIONS || 400);
const CONCURRENCY = Number(process.env.IMCHAT_FAULT_SOAK_CONCURRENCY || 200);
const WORDS = 60;
const UPSTREAM_MODEL = 'upstream-demo';

function rssOf(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) * 1024;
}
const mb = (bytes) => Number((bytes / (1 << 20)).toFixed(1));

// What kind of session number i is: most go through the built-in API to the demo model, some to
// the proxied upstream model, some straight to /v1 (the direct path cannot resume: drops end it).
function kindOf(i) {
  const r = i % 10;
  return r < 5 ? 'builtin' : r < 8 ? 'proxied' : 'direct';
}

test(`fault soak: ${SECONDS} s, ${CONCURRENCY} sessions at a time, at least ${MIN_SESSIONS}`, async (t) => {
  const upstream = await startServer(['--model-name', UPSTREAM_MODEL, '--tokens-per-second', '1000',
    '--chaos-fail-rate', '0.08', '--chaos-drop-rate', '0.01', '--chaos-seed', '7',
    '--keep-seconds', '20', '--max-streams-per-client', '4096', '--quiet']);
  const server = await startServer(['--tokens-per-second', '1000', '--retry-ms', '50',
    '--upstream', `${upstream.url}/v1`, '--chaos-drop-rate', '0.03', '--chaos-stall-after', '40',
    '--chaos-slow-writes', '--chaos-seed', '3', '--keep-seconds', '20', '--ping-seconds', '5',
    '--max-streams-per-client', '4096', '--max-connections', '4096', '--quiet']);
  const m = await loadHeadless();
  // "forgotten": the server no longer had a reply its client was still reading (404 on the
  // summary, or the client's own "no longer has this reply"); "mismatched": the texts differ.
  const figures = { sessions: 0, done: 0, clear_errors: 0, lost: 0, doubled: 0, not_prefix: 0,
    mismatched: 0, forgotten: 0, unclear: 0, reconnects: 0, by_kind: {}, errors: {} };
  // Every failed check, told in full so that a red run explains itself.
  const failures = [];
  const clip = (text) => (text.length > 160 ? `${text.slice(0, 80)}…${text.slice(-80)}` : text);
  const fail = (check, i, kind, reply, server) => failures.push({ check, session: i, kind,
    reply_id: reply.reply_id, status: reply.status, shown: clip(reply.text), server });
  const samples = [];
  const sample = (label) => samples.push({ label, t: Number(((performance.now() - started) / 1000).toFixed(1)),
    heap: m.HEAP8.length, rss: process.memoryUsage().rss, server: rssOf(server.process.pid),
    upstream: rssOf(upstream.process.pid) });

  const words = (i) => Array.from({ length: WORDS }, (_, k) => `s${i}w${k}`).join(' ');
  async function session(i) {
    const kind = kindOf(i);
    const settings = { stall_timeout_ms: 1500, max_retries: 8, retry_backoff_ms: 50 };
    if (kind === 'proxied') settings.model = UPSTREAM_MODEL;
    if (kind === 'direct') Object.assign(settings, { endpoint: 'direct', base_url: `${server.url}/v1` });
    const c = new m.HeadlessClient(server.url, JSON.stringify(settings));
    try {
      const expected = words(i);
      assert.equal(c.send(`/echo ${expected}`), true);
      const s = await waitIdle(c, 120000);
      const reply = lastMessage(s);
      const k = (figures.by_kind[kind] ||= { sessions: 0, done: 0, errors: 0 });
      k.sessions++;
      figures.sessions++;
      figures.reconnects += s.reconnects;
      // Word by word: nothing shown twice, nothing missing before the last word shown.
      const shown = reply.text === '' ? [] : reply.text.trimEnd().split(' ');
      const want = expected.split(' ');
      const seen = new Set();
      let doubled = 0;
      for (const w of shown) {
        if (seen.has(w)) doubled++;
        seen.add(w);
      }
      figures.doubled += doubled;
      if (doubled) fail('doubled', i, kind, reply, `${doubled} words shown twice`);
      if (!expected.startsWith(reply.text)) {
        figures.not_prefix++;
        fail('not a prefix of what the model produced', i, kind, reply, clip(expected));
      }
      if (reply.status === 'done') {
        figures.done++;
        k.done++;
        const lost = want.filter((w) => !seen.has(w)).length;
        figures.lost += lost;
        if (lost) fail('lost', i, kind, reply, `${lost} words missing`);
        if (reply.text !== expected) {
          figures.mismatched++;
          fail('text differs from the prompt it echoes', i, kind, reply, clip(expected));
        }
        if (kind !== 'direct') {
          const r = await fetch(`${server.url}/api/chat/${reply.reply_id}`);
          const answer = await r.text();
          if (r.status === 404) {
            figures.forgotten++;
            fail('the server forgot a reply its client had just read', i, kind, reply, `404 ${answer}`);
          } else if (r.status !== 200) {
            figures.mismatched++;
            fail('summary refused', i, kind, reply, `${r.status} ${answer}`);
          } else if (JSON.parse(answer).content !== reply.text) {
            figures.mismatched++;
            fail('text differs from what the server generated', i, kind, reply, clip(JSON.parse(answer).content));
          }
        }
      } else {
        if (/no longer has this reply/.test(reply.error)) {
          figures.forgotten++;
          fail('the server forgot a reply while its client was reconnecting', i, kind, reply, reply.error);
        }
        k.errors++;
        // A clear error: the reply says it failed or was interrupted, and why, in words.
        const clear = ['failed', 'interrupted'].includes(reply.status) && reply.error.length > 5
          && s.status === `failed: ${reply.error}`.slice(0, s.status.length) && !/undefined|\[object/.test(reply.error);
        if (clear) figures.clear_errors++;
        else {
          figures.unclear++;
          t.diagnostic(`unclear end of session ${i} (${kind}): ${reply.status} ${JSON.stringify(reply.error)} ${s.status}`);
        }
        const key = reply.error.replace(/s\d+w\d+/g, '…').replace(/\d+/g, 'N').slice(0, 120);
        figures.errors[key] = (figures.errors[key] || 0) + 1;
      }
    } finally {
      c.delete();
    }
  }

  const started = performance.now();
  const deadline = started + SECONDS * 1000;
  let next = 0;
  let warm = false;
  const sampler = setInterval(() => sample('run'), 2000);
  try {
    await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline || next < MIN_SESSIONS) {
        const i = next++;
        await session(i);
        if (!warm && figures.sessions >= CONCURRENCY) {
          warm = true;
          sample('after first wave');
        }
      }
    }));
  } finally {
    clearInterval(sampler);
  }
  sample('end');
  const seconds = (performance.now() - started) / 1000;
  const first = samples.find((x) => x.label === 'after first wave') || samples[0];
  const last = samples.at(-1);
  const memory = {};
  for (const key of ['heap', 'rss', 'server', 'upstream']) {
    memory[key] = { first_wave_mb: mb(first[key]), end_mb: mb(last[key]),
      peak_mb: mb(Math.max(...samples.map((x) => x[key]))) };
  }
  const report = { seconds: Number(seconds.toFixed(1)), concurrency: CONCURRENCY, ...figures, memory };
  console.log(`fault soak: ${JSON.stringify(report)}`);
  t.diagnostic(`fault soak: ${JSON.stringify(report)}`);
  for (const f of failures.slice(0, 20)) {
    console.log(`fault soak: FAILED CHECK ${JSON.stringify(f)}`);
    t.diagnostic(`failed check: ${JSON.stringify(f)}`);
  }

  await server.stop();
  await upstream.stop();

  assert.ok(figures.sessions >= MIN_SESSIONS, `sessions ${figures.sessions}`);
  assert.equal(figures.lost, 0, 'no token lost');
  assert.equal(figures.doubled, 0, 'no token doubled');
  assert.equal(figures.not_prefix, 0, 'every reply shows an exact prefix of what the model produced');
  assert.equal(figures.forgotten, 0, 'the server keeps every reply a client is still reading');
  assert.equal(figures.mismatched, 0, 'every completed reply is identical to what the model produced');
  assert.equal(figures.unclear, 0, 'every other reply ends with a clear error');
  assert.equal(figures.done + figures.clear_errors, figures.sessions);
  assert.ok(figures.done > figures.sessions / 2, 'most replies complete despite the faults');
  assert.ok(figures.reconnects > 0 && figures.clear_errors > 0, 'the faults happened');
  // Flat memory: after the first wave, nothing grows with the number of sessions served.
  assert.ok(last.heap - first.heap <= 8 << 20, `wasm heap grew ${mb(first.heap)} -> ${mb(last.heap)} MB`);
  assert.ok(last.server <= first.server * 1.5 + (16 << 20), `server RSS ${mb(first.server)} -> ${mb(last.server)} MB`);
  assert.ok(last.upstream <= first.upstream * 1.5 + (16 << 20),
    `upstream RSS ${mb(first.upstream)} -> ${mb(last.upstream)} MB`);
});
