// sse-dump, the native CLI: events come out as JSON lines while the stream is still open.
// Registered by the native build (tools/CMakeLists.txt sets SSE_DUMP to the binary). The web
// build's glob also lists this file; it has no native tools, so there the tests are skipped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

const binary = process.env.SSE_DUMP;
const skip = binary && existsSync(binary) ? false : 'sse-dump is a native tool: run this test from the native build';

// Runs sse-dump and lets the test talk to it: write() bytes, nextLine() waits for one line.
function startDump(args = []) {
  const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let buffered = '';
  let stderr = '';
  const waiting = [];
  const lines = [];
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (text) => {
    buffered += text;
    let nl;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      lines.push(buffered.slice(0, nl));
      buffered = buffered.slice(nl + 1);
    }
    while (waiting.length && lines.length) waiting.shift()(lines.shift());
  });
  child.stderr.on('data', (text) => { stderr += text; });
  const exited = new Promise((resolve) => child.on('close', (code) => resolve(code)));
  return {
    write: (bytes) => child.stdin.write(typeof bytes === 'string' ? Buffer.from(bytes) : bytes),
    end: () => child.stdin.end(),
    nextLine: (ms = 5000) => new Promise((resolve, reject) => {
      if (lines.length) return resolve(lines.shift());
      const timer = setTimeout(() => reject(new Error(`no line from sse-dump within ${ms} ms`)), ms);
      waiting.push((line) => { clearTimeout(timer); resolve(line); });
    }),
    exited,
    stderr: () => stderr,
    pendingLines: () => lines.length,
  };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('prints each event as it completes, before the stream ends', { skip }, async () => {
  const dump = startDump();
  dump.write('data: one\n');
  await sleep(150);
  assert.equal(dump.pendingLines(), 0, 'no event before its blank line');
  dump.write('\n');
  assert.deepEqual(JSON.parse(await dump.nextLine()), { type: 'message', data: 'one', lastEventId: '' });

  // The next event arrives in pieces: a CRLF cut in two and a Chinese character cut mid-sequence.
  const zh = Buffer.from('data: 两个\r\n');
  dump.write(': ping\nid: 7\nevent: delta\n');
  await sleep(50);
  dump.write(zh.subarray(0, 8));
  await sleep(50);
  dump.write(zh.subarray(8, zh.length - 1));
  await sleep(50);
  dump.write(Buffer.concat([zh.subarray(zh.length - 1), Buffer.from('data: "q"\\\t\n\n')]));
  assert.deepEqual(JSON.parse(await dump.nextLine()), { type: 'delta', data: '两个\n"q"\\\t', lastEventId: '7' });

  dump.write('retry: 1500\ndata: unfinished');
  await sleep(50);
  dump.end();
  assert.deepEqual(JSON.parse(await dump.nextLine()), { retry: 1500 });
  assert.equal(await dump.exited, 0);
  assert.equal(dump.pendingLines(), 0, 'the unfinished event is never printed');
});

test('ill-formed UTF-8 comes out as U+FFFD and control characters are escaped', { skip }, async () => {
  const dump = startDump();
  dump.write(Buffer.from([0xef, 0xbb, 0xbf]));  // a BOM: stripped
  dump.write(Buffer.concat([Buffer.from('data: a'), Buffer.from([0xff, 0xe4, 0xbd]), Buffer.from('b\x01\n\n')]));
  const line = await dump.nextLine();
  assert.match(line, /\\u0001/);
  assert.deepEqual(JSON.parse(line), { type: 'message', data: 'a\ufffd\ufffdb\x01', lastEventId: '' });
  dump.end();
  assert.equal(await dump.exited, 0);
});

test('an event over the cap fails the stream with a clear error and exit status 1', { skip }, async () => {
  const dump = startDump(['--max-event-bytes', '10']);
  dump.write('data: fine\n\ndata: this is far too long\n\n');
  assert.deepEqual(JSON.parse(await dump.nextLine()), { type: 'message', data: 'fine', lastEventId: '' });
  assert.equal(await dump.exited, 1);
  assert.match(dump.stderr(), /event larger than 10 bytes/);
});

test('bad arguments give usage and exit status 2', { skip }, async () => {
  const dump = startDump(['--bogus']);
  dump.end();
  assert.equal(await dump.exited, 2);
  assert.match(dump.stderr(), /usage: sse-dump/);
});
