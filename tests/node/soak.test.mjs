// Soak: 200 chat sessions at once in one Node process (one wasm module, as many conversations
// share the page's), against a serve.py that cuts every stream connection after a few events.
// Every reply must arrive complete and equal to what the server generated: each reply echoes
// numbered words, so a lost or doubled token shows up as a missing or repeated word.
import { test } from 'node:test';
import assert from 'node:assert/strict';

import { loadHeadless, waitIdle, lastMessage } from '../lib/headless.mjs';
import { startServer } from '../lib/serve.mjs';

const SESSIONS = Number(process.env.IMCHAT_SOAK_SESSIONS || 200);
const WORDS = 200;       // words per reply (streamed at 1000 tokens/s: drops hit live replies)
const DROP_AFTER = 9;    // events per connection before serve.py cuts it

test(`${SESSIONS} concurrent sessions through dropped connections`, async (t) => {
  const server = await startServer(['--tokens-per-second', '1000', '--retry-ms', '50',
    '--chaos-drop-after', String(DROP_AFTER), '--max-streams-per-client', '4096', '--quiet']);
  const m = await loadHeadless();
  const clients = [];
  try {
    const started = performance.now();
    const words = (i) => Array.from({ length: WORDS }, (_, k) => `s${i}w${k}`);
    for (let i = 0; i < SESSIONS; i++) {
      const c = new m.HeadlessClient(server.url, JSON.stringify({ max_retries: 20 }));
      clients.push(c);
      assert.equal(c.send(`/echo ${words(i).join(' ')}`), true);
    }
    const states = await Promise.all(clients.map((c) => waitIdle(c, 60000)));
    const seconds = (performance.now() - started) / 1000;

    let drops = 0, lost = 0, doubled = 0, mismatched = 0, incomplete = 0;
    for (let i = 0; i < SESSIONS; i++) {
      const s = states[i];
      const reply = lastMessage(s);
      drops += s.reconnects;
      if (reply.status !== 'done') {
        incomplete++;
        t.diagnostic(`session ${i}: ${reply.status} ${reply.error} (${s.status})`);
      }
      // Word by word: what is missing, what came more than once.
      const seen = new Map();
      for (const w of reply.text.split(' ')) seen.set(w, (seen.get(w) || 0) + 1);
      for (const w of words(i)) {
        const n = seen.get(w) || 0;
        if (n === 0) lost++;
        if (n > 1) doubled += n - 1;
      }
      const generated = await (await fetch(`${server.url}/api/chat/${reply.reply_id}`)).json();
      if (generated.content !== reply.text) mismatched++;
    }
    const figures = { sessions: SESSIONS, words_each: WORDS, drops, lost, doubled, mismatched, incomplete,
      seconds: Number(seconds.toFixed(2)) };
    console.log(`soak: ${JSON.stringify(figures)}`);
    t.diagnostic(`soak: ${JSON.stringify(figures)}`);

    assert.equal(incomplete, 0, 'every reply completed');
    assert.equal(lost, 0, 'no token lost');
    assert.equal(doubled, 0, 'no token doubled');
    assert.equal(mismatched, 0, 'every reply equals what the server generated');
    assert.ok(drops >= SESSIONS * Math.floor(WORDS / DROP_AFTER) * 0.9, `connections were cut: ${drops}`);
    assert.ok(seconds < 60, `took ${seconds} s`);
  } finally {
    for (const c of clients) c.delete();
    await server.stop();
  }
});
