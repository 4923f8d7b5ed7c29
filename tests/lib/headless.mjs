// Loads imchat_headless (the wasm chat session without UI) into Node for tests and benchmarks.
//   const m = await loadHeadless();
//   const client = new m.HeadlessClient(serverUrl, JSON.stringify({stall_timeout_ms: 1000}));
//   client.send('hi'); const s = await waitIdle(client); client.delete();
// The module uses globalThis.EventSource and fetch like the page does: EventSource comes from
// the npm `eventsource` package, fetch is Node's own.
import { createRequire } from 'node:module';
import path from 'node:path';
import { EventSource } from 'eventsource';

const require = createRequire(import.meta.url);

export function headlessPath() {
  const build = process.env.IMCHAT_BUILD_DIR
    || path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../build/web');
  return path.join(build, 'wasm', 'imchat_headless.js');
}

let loaded = null;

// One module per process (many clients share it, as many conversations share the page's).
export function loadHeadless() {
  if (!loaded) {
    globalThis.EventSource ??= EventSource;
    const createImchatHeadless = require(headlessPath());
    loaded = createImchatHeadless();
  }
  return loaded;
}

export function state(client) {
  return JSON.parse(client.state());
}

// Resolves with the state once pred(state) holds; checks on every update the session signals
// and on a timer (a stalled stream signals nothing). Rejects after timeoutMs with the last state.
export function waitFor(client, pred, timeoutMs = 30000) {
  return new Promise((resolve, reject) => {
    let done = false;
    const check = () => {
      if (done) return;
      const s = state(client);
      if (pred(s)) {
        done = true;
        clearInterval(timer);
        clearTimeout(deadline);
        client.onUpdate(undefined);
        resolve(s);
      }
    };
    const timer = setInterval(check, 50);
    const deadline = setTimeout(() => {
      if (done) return;
      done = true;
      clearInterval(timer);
      client.onUpdate(undefined);
      reject(new Error(`timed out after ${timeoutMs} ms; state: ${client.state().slice(0, 2000)}`));
    }, timeoutMs);
    client.onUpdate(check);
    check();
  });
}

// Resolves with the state once no request is in flight. Checks only client.streaming() on
// updates (cheap: the soak runs hundreds of clients), the full state once at the end.
export function waitIdle(client, timeoutMs = 30000) {
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (ok) => {
      if (done) return;
      done = true;
      clearInterval(timer);
      clearTimeout(deadline);
      client.onUpdate(undefined);
      if (ok) resolve(state(client));
      else reject(new Error(`still streaming after ${timeoutMs} ms; state: ${client.state().slice(0, 2000)}`));
    };
    const check = () => { if (!client.streaming()) finish(true); };
    const timer = setInterval(check, 100);
    const deadline = setTimeout(() => finish(false), timeoutMs);
    client.onUpdate(check);
    queueMicrotask(check);
  });
}

export function lastMessage(s) {
  return s.messages[s.messages.length - 1];
}
