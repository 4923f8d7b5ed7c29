// Parser benchmark: one generated OpenAI-style stream, fed in 16 KiB reads to
//   (a) events:   our SseParser in wasm (each read copied into wasm memory) vs npm
//                 eventsource-parser behind a streaming TextDecoder;
//   (b) pipeline: bytes -> events -> JSON deltas -> message text, in wasm (SseParser +
//                 OpenAiStreamDecoder) vs eventsource-parser + JSON.parse in JavaScript;
//   (c) native:   the same C++ built natively (when --native is given).
// Every side folds each event (or the final message) into a checksum; all must agree. An
// untimed verification run first checks full contents (every UTF-8 byte) on every side.
// Prints MB/s (1 MB = 10^6 bytes; median of --runs) and ratios; never judges the numbers.
//   node bench/parser/run.mjs [--mb 64] [--runs 5] [--read-kib 16] [--wasm FILE] [--native FILE]
// Defaults: --wasm $IMCHAT_BUILD_DIR/bench/parser/parser_bench_wasm.js, else build/web's;
// --native build/native's program if it exists.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createParser } from 'eventsource-parser';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');

function parseArgs(argv) {
  const opts = { mb: 64, runs: 5, readKib: 16, seed: 20241124, wasm: null, native: null };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${flag} needs a value`);
      return argv[++i];
    };
    if (flag === '--mb') opts.mb = Number(value());
    else if (flag === '--runs') opts.runs = Number.parseInt(value(), 10);
    else if (flag === '--read-kib') opts.readKib = Number.parseInt(value(), 10);
    else if (flag === '--seed') opts.seed = Number.parseInt(value(), 10);
    else if (flag === '--wasm') opts.wasm = path.resolve(value());
    else if (flag === '--native') opts.native = path.resolve(value());
    else throw new Error(`unknown option ${flag}\nusage: run.mjs [--mb N] [--runs N] [--read-kib N] [--wasm FILE] [--native FILE]`);
  }
  if (!(opts.mb > 0) || !(opts.runs >= 1) || !(opts.readKib >= 1)) throw new Error('--mb, --runs and --read-kib must be positive');
  const rel = 'bench/parser/parser_bench_wasm.js';
  opts.wasm ??= [process.env.IMCHAT_BUILD_DIR && path.join(process.env.IMCHAT_BUILD_DIR, rel), path.join(root, 'build/web', rel)]
    .find((f) => f && existsSync(f));
  if (!opts.wasm || !existsSync(opts.wasm)) throw new Error('wasm module not found: build the web preset or pass --wasm');
  const nativeDefault = path.join(root, 'build/native/bench/parser/parser_bench_native');
  if (!opts.native && existsSync(nativeDefault)) opts.native = nativeDefault;
  return opts;
}

// --- Checksums, mirrored by bench_sides.cpp -----------------------------------------------------
const SEED = 2166136261;
const fold = (h, x) => Math.imul(h ^ x, 16777619) >>> 0;
// Timed runs: the first and the last UTF-16 code unit, constant time on both sides (wasm has
// UTF-8, JavaScript UTF-16: a length would cost wasm a pass over the text that JavaScript gets
// for free). The verification run covers every byte.
function foldString(h, s) {
  const n = s.length;
  return n ? fold(fold(h, s.charCodeAt(0)), s.charCodeAt(n - 1)) : fold(fold(h, 0), 0);
}
// Verification run: every UTF-8 byte, then a terminator.
const encoder = new TextEncoder();
let scratch = new Uint8Array(1 << 16);
function foldStringVerify(h, s) {
  if (scratch.length < s.length * 3) scratch = new Uint8Array(s.length * 3);
  const { written } = encoder.encodeInto(s, scratch);
  for (let i = 0; i < written; i++) h = fold(h, scratch[i]);
  return fold(h, 0x100);
}

// --- The JavaScript sides ---------------------------------------------------------------------
function jsEvents(stream, readSize, verify) {
  let h = SEED;
  const f = verify ? foldStringVerify : foldString;
  // eventsource-parser reports each event's own id; the last event ID that persists across
  // events (what EventSource and our parser hand out) is kept here, as its users do via onId.
  let lastId = '';
  const parser = createParser({
    onId(id) { lastId = id; },
    onEvent(e) { h = f(f(f(h, e.event ?? 'message'), e.data), lastId); },
  });
  const decoder = new TextDecoder();
  for (let at = 0; at < stream.length; at += readSize) {
    parser.feed(decoder.decode(stream.subarray(at, at + readSize), { stream: true }));
  }
  parser.feed(decoder.decode());
  return h;
}

function jsPipeline(stream, readSize, verify) {
  let message = '';
  let deltas = 0;
  const parser = createParser({
    onEvent(e) {
      if (e.data === '[DONE]') return;
      const content = JSON.parse(e.data).choices?.[0]?.delta?.content;
      if (content) {
        message += content;
        deltas++;
      }
    },
  });
  const decoder = new TextDecoder();
  for (let at = 0; at < stream.length; at += readSize) {
    parser.feed(decoder.decode(stream.subarray(at, at + readSize), { stream: true }));
  }
  parser.feed(decoder.decode());
  return fold((verify ? foldStringVerify : foldString)(SEED, message), deltas);
}

// --- The wasm sides -----------------------------------------------------------------------------
const MODE = { events: 0, pipeline: 1, eventsVerify: 2, pipelineVerify: 3 };

function wasmSide(M, mode, stream, readSize) {
  const input = M._bench_input(readSize);
  M._bench_start(mode);
  for (let at = 0; at < stream.length; at += readSize) {
    const chunk = stream.subarray(at, at + readSize);
    M.HEAPU8.set(chunk, input);  // (re-read HEAPU8: memory growth replaces the view)
    if (!M._bench_feed(chunk.length)) break;
  }
  const sum = M._bench_finish() >>> 0;
  const err = readCString(M, M._bench_error());
  if (err) throw new Error(`wasm side failed: ${err}`);
  return sum;
}

function readCString(M, ptr) {
  let end = ptr;
  while (M.HEAPU8[end]) end++;
  return Buffer.from(M.HEAPU8.subarray(ptr, end)).toString('utf8');
}

// --- Running ----------------------------------------------------------------------------------
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const require = createRequire(import.meta.url);
  const M = await require(opts.wasm)();
  const readSize = opts.readKib * 1024;

  // The stream is generated by the same C++ code the native program uses, then copied out.
  const ptr = M._bench_generate(opts.mb, opts.seed);
  const stream = Buffer.from(M.HEAPU8.subarray(ptr, ptr + M._bench_stream_size()));
  M._bench_release_stream();
  const mbytes = stream.length / 1e6;

  const sides = [
    { id: 'a', name: 'wasm SseParser', run: () => wasmSide(M, MODE.events, stream, readSize), verify: () => wasmSide(M, MODE.eventsVerify, stream, readSize) },
    { id: 'a', name: 'eventsource-parser', run: () => jsEvents(stream, readSize, false), verify: () => jsEvents(stream, readSize, true) },
    { id: 'b', name: 'wasm SseParser+OpenAiStreamDecoder', run: () => wasmSide(M, MODE.pipeline, stream, readSize), verify: () => wasmSide(M, MODE.pipelineVerify, stream, readSize) },
    { id: 'b', name: 'eventsource-parser+JSON.parse', run: () => jsPipeline(stream, readSize, false), verify: () => jsPipeline(stream, readSize, true) },
  ];
  for (const side of sides) {
    side.verifySum = side.verify();
    side.mbps = [];
  }
  for (let r = 0; r < opts.runs; r++) {
    for (const side of sides) {
      const t0 = performance.now();
      side.sum = side.run();
      side.mbps.push(mbytes / ((performance.now() - t0) / 1000));
    }
  }

  let native = null;
  if (opts.native) {
    const out = execFileSync(opts.native, ['--mb', String(opts.mb), '--runs', String(opts.runs),
      '--read-kib', String(opts.readKib), '--seed', String(opts.seed), '--json'], { encoding: 'utf8' });
    native = JSON.parse(out.trim().split('\n').pop());
    if (native.bytes !== stream.length) throw new Error(`native stream is ${native.bytes} bytes, wasm's ${stream.length}`);
    sides.push({ id: 'c', name: 'native SseParser', mbps: [native.events_mbps], sum: native.events_checksum, verifySum: native.events_verify });
    sides.push({ id: 'c', name: 'native SseParser+OpenAiStreamDecoder', mbps: [native.pipeline_mbps], sum: native.pipeline_checksum, verifySum: native.pipeline_verify });
  }

  // Print.
  const byName = Object.fromEntries(sides.map((s) => [s.name, s]));
  const rate = (name) => median(byName[name].mbps);
  console.log(`stream: ${mbytes.toFixed(1)} MB OpenAI-style SSE, reads of ${opts.readKib} KiB, median of ${opts.runs} run(s); node ${process.version}`);
  const w = 38;
  console.log(`${'side'.padEnd(w)} ${'MB/s'.padStart(9)}  ${'checksum'.padStart(10)}  ${'verify'.padStart(10)}`);
  for (const s of sides) {
    console.log(`(${s.id}) ${s.name.padEnd(w - 4)} ${median(s.mbps).toFixed(1).padStart(9)}  ${String(s.sum).padStart(10)}  ${String(s.verifySum).padStart(10)}`);
  }
  const ratio = (a, b) => `${(rate(a) / rate(b)).toFixed(2)}x`;
  console.log('ratios:');
  console.log(`  (a) wasm SseParser / eventsource-parser:                 ${ratio('wasm SseParser', 'eventsource-parser')}  (target >= 1)`);
  console.log(`  (b) wasm pipeline / eventsource-parser+JSON.parse:        ${ratio('wasm SseParser+OpenAiStreamDecoder', 'eventsource-parser+JSON.parse')}  (target >= 2)`);
  if (native) {
    console.log(`  (c) native SseParser / wasm SseParser:                    ${ratio('native SseParser', 'wasm SseParser')}`);
    console.log(`  (c) native SseParser / eventsource-parser:                ${ratio('native SseParser', 'eventsource-parser')}`);
    console.log(`  (c) native pipeline / eventsource-parser+JSON.parse:      ${ratio('native SseParser+OpenAiStreamDecoder', 'eventsource-parser+JSON.parse')}`);
  } else {
    console.log('  (c) native: not run (pass --native FILE, built by the native preset)');
  }

  // Checksums must agree within each group (a correctness check, not a timing judgement).
  let agree = true;
  for (const group of [['wasm SseParser', 'eventsource-parser', 'native SseParser'],
    ['wasm SseParser+OpenAiStreamDecoder', 'eventsource-parser+JSON.parse', 'native SseParser+OpenAiStreamDecoder']]) {
    const present = group.filter((n) => byName[n]);
    for (const key of ['sum', 'verifySum']) {
      if (new Set(present.map((n) => byName[n][key])).size !== 1) {
        agree = false;
        console.log(`CHECKSUM MISMATCH (${key}): ${present.map((n) => `${n}=${byName[n][key]}`).join(', ')}`);
      }
    }
  }
  console.log(agree ? 'checksums agree' : 'checksums DISAGREE: the sides did not see the same events');
  process.exitCode = agree ? 0 : 1;
}

main().catch((e) => {
  console.error(`run.mjs: ${e.message}`);
  process.exitCode = 2;
});
