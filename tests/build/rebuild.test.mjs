// The web build knows what is stale: building again with nothing changed runs no step and rewrites
// no compressed copy; a bundle file rewritten with the same bytes (a relink's imchat.js) is not
// recompressed; a changed file is recompressed alone. Runs on the web build this CTest belongs to.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const build = process.env.IMCHAT_BUILD_DIR;
const bundle = process.env.IMCHAT_BUNDLE_DIR;

function rebuild() {
  return execFileSync('cmake', ['--build', build], { encoding: 'utf8', env: { ...process.env, NODE_PATH: '/usr/share/nodejs' } });
}
const compressedNow = (out) => [...out.matchAll(/precompress: (\S+)/g)].map((m) => m[1]).sort();

function copiesAndTimes() {
  const times = {};
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(gz|br)$/.test(e.name)) times[path.relative(bundle, p)] = fs.statSync(p).mtimeMs;
    }
  };
  walk(bundle);
  return times;
}

test('a second build with nothing changed does nothing and recompresses nothing', () => {
  rebuild(); // whatever an earlier test left stale
  const before = copiesAndTimes();
  assert.ok(Object.keys(before).some((f) => f.startsWith('imchat.wasm.')), 'the bundle has compressed copies');
  const out = rebuild();
  assert.match(out, /no work to do/, out);
  assert.deepEqual(copiesAndTimes(), before);
});

test('a file rewritten with the same bytes is not recompressed; a changed one is, alone', () => {
  const css = path.join(bundle, 'style.css');
  const js = path.join(bundle, 'imchat.js');
  const original = fs.readFileSync(css);
  // Time stamps of now, never of the future: a future input stays newer than its outputs.
  const now = new Date();
  fs.utimesSync(js, now, now);
  fs.utimesSync(css, now, now);
  assert.deepEqual(compressedNow(rebuild()), [], 'same bytes: nothing recompressed');
  try {
    fs.writeFileSync(css, Buffer.concat([original, Buffer.from('\n/* changed */\n')]));
    assert.deepEqual(compressedNow(rebuild()), ['style.css']);
    assert.ok(fs.readFileSync(`${css}.gz`).length > 0);
  } finally {
    fs.writeFileSync(css, original);
    assert.deepEqual(compressedNow(rebuild()), ['style.css'], 'restored');
  }
  assert.match(rebuild(), /no work to do/);
});
