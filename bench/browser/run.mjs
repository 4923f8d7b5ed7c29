#!/usr/bin/env node
// Browser benchmarks of the whole app in Debian's headless Chromium. Prints tables; never
// pass/fail. Every comparison is measured side by side in one run; each figure is the median of
// --runs runs.
//
//   node bench/browser/run.mjs [--bundle build/web/bundle] [--runs 5] [--quick] [--only a,b]
//
// Sections (--only): load, glyphs, idle, token, history, transport, typing, endtoend, drops.
//   load       bundle bytes (raw, gzip), bytes transferred by a fresh page load (before the
//              first frame and in its first 10 s) and ms from navigation to the first frame,
//              with the glyphs measured and drawn in it (--baseline-bundle: beside that build)
//   glyphs     the browser-drawn glyphs: ms per glyph measured and drawn, and the frames a new
//              screenful of 2 000 distinct CJK characters takes to be fully drawn
//   idle       frames drawn in 5 s with nothing happening: input unfocused, then with the caret
//   token      per-token main-thread time, network event to GL submit, with the streaming reply
//              at --sizes KB (a mixed document ending in an open code fence holding a fifth of
//              it): imchat against a DOM client (bench/browser/baseline.*: markdown-it, innerHTML)
//   history    CPU time per frame (frame start to GL submit) scrolling through conversations of
//              --history messages; wasm heap after loading the largest
//   transport  the same --stream-mb OpenAI-style stream through the browser's EventSource, our
//              streamed fetch (wasm SSE parser + JSON decoder) and a bare fetch body read
//   typing     a burst of --burst characters typed into the composer at 1440x900, pixel ratio 2:
//              ms from the last keydown until the composer holds all of them, and frames drawn
//   endtoend   main-thread task time per token (Chromium's TaskDuration over CDP) while the demo
//              model streams a reply of each --shapes at --rate tokens/s through serve.py, after
//              its first --e2e-sizes KB arrived (end_to_end.mjs); --baseline-bundle measures an
//              earlier build beside this one
//   drops      a --drop-words reply at --drop-tps through a stream cut at random (--drop-chance
//              per event): wall time, reconnects, cost per reconnect (drops.mjs)
// --quick uses tiny inputs (CTest's bench-smoke run: it only proves the benchmarks still work).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { launchBrowser, openPage } from '../../tests/lib/browser.mjs';
import { startServer, sourceDir } from '../../tests/lib/serve.mjs';
import { startBenchServer } from './bench_server.mjs';
import { benchDrops } from './drops.mjs';
import { benchEndToEnd, shapes } from './end_to_end.mjs';

const defaults = {
    bundle: process.env.IMCHAT_BUNDLE_DIR || path.join(sourceDir, 'build', 'web', 'bundle'),
    runs: 5, sizes: '1,100,1024', tokens: 40, domBudgetMs: 2500, history: '10,1000,10000', frames: 60,
    streamMb: 64, transportRuns: 3, loads: 7, idleSeconds: 5, burst: 60, burstMs: 300,
    only: 'load,glyphs,idle,token,history,transport,typing,endtoend,drops',
    dropWords: 1500, dropTps: 60, dropChance: 0.05, dropRuns: 1,
    rate: 400, e2eSizes: '1,100,1024', shapes: shapes.join(','), e2eRuns: 3, windowMs: 3000, settleMs: 1000,
    baselineBundle: '', verbose: 0,
};
const quick = { runs: 1, sizes: '1,4', tokens: 5, domBudgetMs: 200, history: '10,40', frames: 5,
    streamMb: 1, transportRuns: 1, loads: 1, idleSeconds: 1, burst: 10, e2eSizes: '1,4', e2eRuns: 1,
    windowMs: 300, settleMs: 200, dropWords: 40, dropTps: 400 };

function parseArgs(argv) {
    const opts = { ...defaults };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === '--quick') Object.assign(opts, quick);
        else if (a.startsWith('--')) {
            const key = a.slice(2).replace(/-([a-z])/g, (_, c) => c.toUpperCase());
            if (!(key in defaults)) throw new Error(`unknown option ${a}`);
            const value = argv[++i];
            if (value === undefined) throw new Error(`${a} needs a value`);
            opts[key] = typeof defaults[key] === 'number' ? Number(value) : value;
        } else throw new Error(`unexpected argument ${a}`);
    }
    opts.sizes = String(opts.sizes).split(',').map(Number);
    opts.history = String(opts.history).split(',').map(Number);
    opts.only = new Set(String(opts.only).split(','));
    return opts;
}

const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const kb = (n) => (n / 1024).toFixed(1);
const ms = (x) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toFixed(3));

function printTable(title, header, rows) {
    const all = [header, ...rows].map((r) => r.map(String));
    const widths = header.map((_, c) => Math.max(...all.map((r) => r[c].length)));
    const line = (r) => '| ' + r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join(' | ') + ' |';
    console.log(`\n${title}\n`);
    console.log(line(all[0]));
    console.log('|' + widths.map((w, c) => (c === 0 ? '-'.repeat(w + 2) : '-'.repeat(w + 1) + ':')).join('|') + '|');
    for (const r of all.slice(1)) console.log(line(r));
}

// The app's page, loaded and idle, with helpers for the bench intents.
async function openApp(browser, url) {
    const tab = await openPage(browser, url);
    await tab.waitForFrames(1);
    const page = tab.page;
    const app = {
        tab, page,
        act: (name, arg = 0) => page.evaluate(([n, a]) => window.imchat.act(n, a), [name, arg]),
        result: (withText = 0) => page.evaluate((t) => JSON.parse(window.Module.UTF8ToString(
            window.Module._imchat_bench_result(t))), withText),
        // Draws frames until no layout is left for later frames; returns { frames, ms }.
        settle: (maxFrames = 20000) => page.evaluate((max) => {
            const t0 = performance.now();
            let n = 0;
            for (; n < max; n++) {
                window.imchat.drawFrame();
                const r = JSON.parse(window.Module.UTF8ToString(window.Module._imchat_bench_result(0)));
                if (!r.layoutPending) break;
            }
            return { frames: n + 1, ms: performance.now() - t0 };
        }, maxFrames),
    };
    return app;
}

async function benchLoad(browser, server, opts) {
    const rows = [];
    let code = { raw: 0, gz: 0, br: 0 };
    // The bundle's own precompressed copies (.gz from zopfli, .br) are what serve.py sends, so
    // they are what is counted; a file without a current .gz is compressed here at level 9.
    const sizes = (file) => {
        const raw = fs.statSync(file).size;
        const fresh = fs.existsSync(file + '.gz') && fs.statSync(file + '.gz').mtimeMs >= fs.statSync(file).mtimeMs;
        const gz = fresh ? fs.statSync(file + '.gz').size : zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
        const br = fs.existsSync(file + '.br') ? fs.statSync(file + '.br').size : 0;
        return { raw, gz, br };
    };
    const precompressed = (name) => name.endsWith('.gz') || name.endsWith('.br');
    for (const name of fs.readdirSync(opts.bundle).sort()) {
        const file = path.join(opts.bundle, name);
        if (precompressed(name) || !fs.statSync(file).isFile()) continue;
        const s = sizes(file);
        code.raw += s.raw;
        code.gz += s.gz;
        code.br += s.br;
        rows.push([name, kb(s.raw), kb(s.gz), s.br ? kb(s.br) : '-']);
    }
    rows.push(['**total**', kb(code.raw), kb(code.gz), code.br ? kb(code.br) : '-']);
    printTable('Load: bundle bytes (KB; the served .gz (zopfli) and .br; the page downloads no fonts)',
        ['file', 'raw KB', 'gzip KB', 'brotli KB'], rows);

    // Everything a fresh browser context fetches, as transferred (headers and bodies), until
    // the first frame and in the first 10 s.
    const tab = await openPage(browser, 'about:blank');
    const cdp = await tab.context.newCDPSession(tab.page);
    await cdp.send('Network.enable');
    const loads = [];
    const urls = new Map();
    cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
    cdp.on('Network.loadingFinished', (e) => loads.push({ url: urls.get(e.requestId), bytes: e.encodedDataLength, at: performance.now() }));
    const start = performance.now();
    await tab.page.goto(server.url);
    await tab.waitForFrames(1);
    const firstFrameAt = performance.now();
    const beforeFirst = loads.filter((l) => l.at <= firstFrameAt).reduce((n, l) => n + l.bytes, 0);
    await tab.page.waitForTimeout(Math.max(0, 10000 - (performance.now() - start)));
    const tenSeconds = loads.reduce((n, l) => n + l.bytes, 0);
    const fontLoads = loads.filter((l) => /\.(ttf|otf|woff2?)(\?|$)|\/fonts\//.test(l.url || ''));
    printTable('Load: bytes transferred by a fresh page load (KB; target: at most 300 KB in all)',
        ['measure', 'KB', 'requests'], [['before the first frame', kb(beforeFirst), String(loads.filter((l) => l.at <= firstFrameAt).length)],
            ['in the first 10 s', kb(tenSeconds), String(loads.length)], ['of which fonts', kb(fontLoads.reduce((n, l) => n + l.bytes, 0)), String(fontLoads.length)]]);
    await tab.close();

    // Navigation to first frame, with what the glyph loader did before it (its measureText
    // calls and its one drawing batch); with --baseline-bundle, that build's loads interleave
    // with this one's, so both see the same machine load.
    const builds = [{ name: 'this build', url: server.url, loads: [] }];
    let baseline = null;
    if (opts.baselineBundle) {
        baseline = await startServer([], { root: opts.baselineBundle });
        builds.unshift({ name: 'baseline', url: baseline.url, loads: [] });
    }
    for (let i = 0; i < opts.loads; i++) {
        for (const build of builds) {
            const tab = await openPage(browser, build.url);
            await tab.waitForFrames(1);
            build.loads.push(await tab.page.evaluate(() => ({ ms: window.imchat.firstFrameMs,
                glyphs: window.imchat.glyphStats ? window.imchat.glyphStats().firstFrame : null })));
            await tab.close();
        }
    }
    await baseline?.stop();
    const firstRows = builds.map(({ name, loads }) => {
        const firsts = loads.map((l) => l.ms);
        const g = loads.map((l) => l.glyphs).filter(Boolean);
        const glyphCell = (count, time) => (g.length ? `${median(g.map(count))} in ${ms(median(g.map(time)))} ms` : '-');
        return [name, ms(median(firsts)), ms(Math.min(...firsts)), ms(Math.max(...firsts)),
            glyphCell((x) => x.measures, (x) => x.measureMs), glyphCell((x) => x.glyphs, (x) => x.batchMs)];
    });
    printTable(`Load: navigation to first frame (window.imchat.firstFrameMs), serve.py on localhost (median of ${opts.loads}; target: at most 300 ms)`,
        ['build', 'ms', 'min', 'max', 'glyphs measured in it', 'glyphs drawn in it'], firstRows);
    const firsts = builds[builds.length - 1].loads.map((l) => l.ms);
    return { codeGz: code.gz, firstFrameMs: median(firsts) };
}

// Glyphs drawn by the browser (platform/font_loader_browser): a screenful of 2 000 CJK
// characters no frame has drawn yet, through window.imchat.drawText, frame by frame with
// drawFrame() until none is left to draw.
async function benchGlyphs(browser, server, opts) {
    const tab = await openPage(browser, server.url, { viewport: { width: 1280, height: 900 } });
    await tab.waitForFrames(1);
    await tab.waitForIdle();
    const page = tab.page;
    const count = opts.runs === 1 ? 200 : 2000;
    const rows = [];
    for (const [label, first] of [['CJK ideographs', 0x4e00], ['more CJK ideographs (another screenful)', 0x4e00 + count]]) {
        const result = await page.evaluate(({ first, count }) => {
            let text = '';
            for (let i = 0; i < count; i++) text += String.fromCodePoint(first + i) + ((i + 1) % 50 ? '' : '\n');
            const before = window.imchat.glyphStats();
            window.imchat.drawText(text, 0, 20, 20, 16);
            const frames = [];
            const t0 = performance.now();
            for (let i = 0; i < 100; i++) {
                frames.push(window.imchat.drawFrame());
                if (window.imchat.glyphStats().pending === 0) break;
            }
            const wallMs = performance.now() - t0;
            const after = window.imchat.glyphStats();
            window.imchat.drawText('', 0, 0, 0, 16);
            return { frames, wallMs, glyphs: after.glyphs - before.glyphs, measures: after.measures - before.measures,
                batchMs: after.batchMs - before.batchMs, measureMs: after.measureMs - before.measureMs, atlas: `${after.atlasWidth}x${after.atlasHeight}` };
        }, { first, count });
        rows.push([label, String(result.glyphs), String(result.frames.length), ms(Math.max(...result.frames)), ms(result.wallMs),
            (result.measureMs / Math.max(1, result.measures)).toFixed(3), (result.batchMs / Math.max(1, result.glyphs)).toFixed(3), result.atlas]);
    }
    printTable(`Glyphs: a new screenful of ${count} distinct CJK characters (target: at most 3 frames, none over 50 ms)`,
        ['text', 'glyphs drawn', 'frames', 'longest frame ms', 'all drawn after ms', 'ms/glyph measured', 'ms/glyph drawn', 'atlas'], rows);
    await tab.close();
}

async function benchIdle(browser, server, opts) {
    const app = await openApp(browser, server.url);
    const { page } = app;
    await page.waitForTimeout(1500); // settle frames, the late hover frame
    const vp = page.viewportSize();
    const count = async () => {
        const before = await app.tab.frames();
        await page.waitForTimeout(opts.idleSeconds * 1000);
        return (await app.tab.frames()) - before;
    };
    const caret = async () => (await page.evaluate(() => window.imchat.ime())).wantText;
    // Unfocused: a click on the empty transcript takes the focus away from the composer.
    await page.mouse.click(vp.width / 2, vp.height * 0.4);
    await page.waitForTimeout(1000);
    const unfocusedCaret = await caret();
    const unfocused = await count();
    // Focused: a click in the composer; its caret blinks.
    await page.mouse.click(vp.width / 2, vp.height - 58);
    await page.waitForTimeout(1000);
    const focusedCaret = await caret();
    const focused = await count();
    await app.tab.close();
    printTable(`Idle: frames drawn in ${opts.idleSeconds} s with nothing happening (after the settle frames)`,
        ['state', 'text field active', 'frames', 'frames/s', 'target'],
        [['input unfocused', String(unfocusedCaret), unfocused, (unfocused / opts.idleSeconds).toFixed(1), '0'],
            ['composer focused, caret blinking', String(focusedCaret), focused, (focused / opts.idleSeconds).toFixed(1), 'at most 2/s']]);
}

async function benchToken(browser, server, bench, opts) {
    const app = await openApp(browser, server.url);
    const dom = await openPage(browser, `${bench.url}/baseline.html`);
    const rows = [];
    // The screen-reader mirror is written every frame here (the page writes it at most every
    // 250 ms): its column is the worst case per token.
    await app.act('bench_a11y_interval', 0);
    for (const size of opts.sizes) {
        await app.act('bench_stream', size);
        await app.settle();
        const { text, tokens } = await app.result(1);
        // imchat: token i's chunk goes through the SSE parser and JSON decoder into the
        // conversation, then a frame is drawn synchronously (start to GL submit).
        let next = 0;
        const imchatRun = async (n) => {
            const r = await app.page.evaluate(([first, count]) => {
                const a11y = () => JSON.parse(window.Module.UTF8ToString(window.Module._imchat_bench_result(0))).a11yMs;
                let frame = 0;
                const a0 = a11y();
                const t0 = performance.now();
                for (let i = 0; i < count; i++) {
                    window.imchat.act('bench_token', first + i);
                    frame += window.imchat.drawFrame();
                }
                const total = performance.now() - t0;
                return { total: total / count, frame: frame / count, a11y: (a11y() - a0) / count };
            }, [next, n]);
            next += n;
            return r;
        };
        await imchatRun(5); // warm-up
        const imchatRuns = [];
        for (let r = 0; r < opts.runs; r++) imchatRuns.push(await imchatRun(opts.tokens));

        await dom.page.evaluate((t) => window.baseline.load(t), text);
        let domNext = 0;
        const domRun = async () => {
            const r = await dom.page.evaluate(([toks, first, count, budget]) => {
                const t0 = performance.now();
                let n = 0;
                while (n < 1 || (n < count && performance.now() - t0 < budget)) {
                    window.baseline.token(toks[(first + n) % toks.length]);
                    n++;
                }
                return { total: (performance.now() - t0) / n, n };
            }, [tokens, domNext, opts.tokens, opts.domBudgetMs]);
            domNext += r.n;
            return r;
        };
        await domRun(); // warm-up
        const domRuns = [];
        for (let r = 0; r < opts.runs; r++) domRuns.push(await domRun());

        const im = median(imchatRuns.map((r) => r.total));
        const frame = median(imchatRuns.map((r) => r.frame));
        const a11y = median(imchatRuns.map((r) => r.a11y));
        const d = median(domRuns.map((r) => r.total));
        rows.push({ size, im, frame, a11y, d, domTokens: domRuns.reduce((a, r) => a + r.n, 0) });
    }
    await app.tab.close();
    await dom.close();
    const base = rows[0];
    printTable(`Per token: main-thread ms from the network event to the GL submit, streaming reply at N KB (median of ${opts.runs} runs)`,
        ['reply', 'imchat ms/token', 'of which frame', 'of which a11y', 'vs first size', 'DOM (markdown-it) ms/token', 'DOM / imchat'],
        rows.map((r) => [`${r.size} KB`, ms(r.im), ms(r.frame), ms(r.a11y), (r.im / base.im).toFixed(2) + '×', ms(r.d),
            (r.d / r.im).toFixed(0) + '×']));
    console.log(`\n(targets: imchat at the largest size within 1.5× of the smallest; DOM/imchat at least 20× at 100 KB and 100× at 1 MB;`
        + ` imchat ran ${opts.tokens} tokens per run, the DOM client ${rows.map((r) => r.domTokens).join('/')} tokens over all runs)`);
}

async function benchHistory(browser, server, opts) {
    const app = await openApp(browser, server.url);
    const rows = [];
    let memory = null;
    for (const n of opts.history) {
        await app.act('bench_history', n);
        const settle = await app.settle();
        const loaded = await app.result();
        // Scroll through: each frame jumps further down the history; all of it is laid out.
        const runs = [];
        for (let r = 0; r < opts.runs; r++) {
            runs.push(await app.page.evaluate(([frames, run, runs]) => {
                let total = 0;
                for (let f = 0; f < frames; f++) {
                    window.imchat.act('bench_scroll', ((run * frames + f) / (frames * runs)) % 1);
                    total += window.imchat.drawFrame();
                }
                return total / frames;
            }, [opts.frames, r, opts.runs]));
        }
        const after = await app.result();
        rows.push({ n, text: loaded.textBytes, settle, frame: median(runs), drawn: after.drawnLastFrame });
        memory = { n, text: loaded.textBytes, heap: after.heapBytes, used: after.mallocUsedBytes };
    }
    await app.tab.close();
    const base = rows[0];
    printTable(`History: CPU ms per frame (frame start to GL submit) scrolling through N messages (median of ${opts.runs} runs of ${opts.frames} frames)`,
        ['messages', 'text KB', 'first layout of all (ms, frames)', 'ms/frame', 'vs first', 'messages drawn'],
        rows.map((r) => [r.n, kb(r.text), `${ms(r.settle.ms)} (${r.settle.frames})`, ms(r.frame),
            (r.frame / base.frame).toFixed(2) + '×', r.drawn]));
    const mb = (x) => (x / 1048576).toFixed(1);
    printTable('Memory: wasm heap after loading the largest history (target: at most 3× the text + 16 MB)',
        ['messages', 'text MB', 'heap (memory.buffer) MB', 'malloc in use MB', 'target MB'],
        [[memory.n, mb(memory.text), mb(memory.heap), mb(memory.used), mb(3 * memory.text + 16 * 1048576)]]);
}

async function benchTransport(browser, server, bench, opts) {
    const app = await openApp(browser, server.url);
    const { page } = app;
    const eventSource = () => page.evaluate((url) => new Promise((resolve, reject) => {
        const t0 = performance.now();
        let events = 0, bytes = 0;
        const es = new EventSource(url);
        es.onmessage = (e) => { events++; bytes += e.data.length; JSON.parse(e.data); };
        es.addEventListener('done', () => { es.close(); resolve({ ms: performance.now() - t0, events }); });
        es.onerror = () => { es.close(); reject(new Error('EventSource failed')); };
    }), `${bench.url}/stream`);
    const bareFetch = () => page.evaluate(async (url) => {
        const t0 = performance.now();
        const res = await fetch(url, { method: 'POST', body: '{}' });
        const reader = res.body.getReader();
        let bytes = 0;
        for (;;) {
            const { done, value } = await reader.read();
            if (done) break;
            bytes += value.length;
        }
        return { ms: performance.now() - t0, bytes };
    }, `${bench.url}/v1/chat/completions`);
    const ours = async () => {
        await app.act('bench_fetch', bench.port);
        for (;;) {
            const r = (await app.result()).fetch;
            if (r.finished) {
                if (r.error) throw new Error(`our fetch transport failed: ${r.error}`);
                return r;
            }
            await page.waitForTimeout(20);
        }
    };
    const results = { es: [], ours: [], bare: [] };
    let oursEvents = 0;
    for (let r = 0; r < opts.transportRuns; r++) {
        results.es.push((await eventSource()).ms);
        const o = await ours();
        oursEvents = o.events;
        results.ours.push(o.ms);
        results.bare.push((await bareFetch()).ms);
    }
    await app.tab.close();
    const mbytes = bench.streamSize / 1048576;
    const row = (name, list, events) => {
        const t = median(list) / 1000;
        return [name, (mbytes / t).toFixed(1), Math.round(events / t).toLocaleString('en-US'),
            (1000 * median(list) / events).toFixed(2), ((1000 / (events / t)) * 100).toFixed(2) + ' %'];
    };
    printTable(`Transport: one ${mbytes.toFixed(0)} MB OpenAI-style stream (${bench.streamEvents.toLocaleString('en-US')} events), median of ${opts.transportRuns} runs`,
        ['path', 'MB/s', 'events/s', 'µs/event', 'main thread at 1000 tokens/s'],
        [row('EventSource (native) + JSON.parse', results.es, bench.streamEvents),
            row('imchat fetch + wasm SSE parser + JSON decoder', results.ours, oursEvents),
            row('bare fetch body read (no parsing)', results.bare, bench.streamEvents)]);
    const ratio = median(results.es) / median(results.ours);
    console.log(`\n(our fetch path: ${ratio.toFixed(1)}× the native EventSource; target at least 10×)`);
}

// A person typing fast: --burst characters, one every --burst-ms / --burst ms, into the
// composer of a HiDPI desktop window. The keys are dispatched in the page (keydown, the text
// agent's input, keyup, as the browser sends them) from a timer, so a slow frame delays them as
// it would delay real keys, but nothing waits for the previous key to be acknowledged (the
// DevTools keyboard does, which would spread the burst over many frames). Timed in the page:
// from the last keydown to the first moment window.imchat.activeText() holds the whole burst.
async function benchTyping(browser, server, opts) {
    const tab = await openPage(browser, server.url, { viewport: { width: 1440, height: 900 }, deviceScaleFactor: 2 });
    const { page } = tab;
    await tab.waitForFrames(1);
    await page.waitForFunction(() => window.imchat.activeText && window.imchat.activeText() !== null);
    const words = 'the quick brown fox jumps over the lazy dog and types on ';
    const burst = words.repeat(Math.ceil(opts.burst / words.length) + 1).slice(0, opts.burst);
    const runs = [];
    for (let r = 0; r < opts.runs; r++) {
        await page.keyboard.press('Control+A');
        await page.keyboard.press('Backspace');
        await page.waitForFunction(() => window.imchat.activeText() === '', null, { timeout: 60000 });
        await page.waitForTimeout(1000);  // the caret blinks: the page never idles
        const t = await page.evaluate(([text, gap]) => new Promise((resolve) => {
            const agent = document.getElementById('text-agent');
            const frames0 = window.imchat.frames();
            let first = 0, last = 0, i = 0;
            const key = (type, c) => agent.dispatchEvent(new KeyboardEvent(type, {
                key: c, code: c === ' ' ? 'Space' : 'Key' + c.toUpperCase(), bubbles: true, cancelable: true }));
            const typeOne = () => {
                const c = text[i++];
                last = performance.now();
                first = first || last;
                key('keydown', c);
                agent.value = c;
                agent.dispatchEvent(new InputEvent('input', { inputType: 'insertText', data: c, bubbles: true }));
                key('keyup', c);
                if (i < text.length) setTimeout(typeOne, gap);
            };
            const poll = setInterval(() => {
                if (i < text.length || window.imchat.activeText() !== text) return;
                clearInterval(poll);
                resolve({ typed: last - first, after: performance.now() - last, frames: window.imchat.frames() - frames0 });
            }, 1);
            typeOne();
        }), [burst, opts.burstMs / opts.burst]);
        runs.push(t);
    }
    await tab.close();
    const row = (name, f) => [name, ms(median(runs.map(f))), ms(Math.min(...runs.map(f))), ms(Math.max(...runs.map(f)))];
    printTable(`Typing: ${opts.burst} characters in ${opts.burstMs} ms into the composer at 1440×900, pixel ratio 2 (median of ${opts.runs} runs; target: all in within 300 ms of the last key)`,
        ['measure', 'ms', 'min', 'max'],
        [row('typing the burst (first to last keydown)', (r) => r.typed),
            row('last keydown to the whole burst in the composer', (r) => r.after),
            ['frames drawn from the first key to then', median(runs.map((r) => r.frames)),
                Math.min(...runs.map((r) => r.frames)), Math.max(...runs.map((r) => r.frames))]]);
}

async function main() {
    const opts = parseArgs(process.argv.slice(2));
    if (!fs.existsSync(path.join(opts.bundle, 'imchat.wasm')))
        throw new Error(`no bundle in ${opts.bundle}: build it (cmake --build <dir> --target bundle) or pass --bundle`);
    const server = await startServer([], { root: opts.bundle });
    const bench = await startBenchServer({ streamMb: opts.streamMb });
    const browser = await launchBrowser();
    console.log(`# imchat browser benchmarks\n\nnode bench/browser/run.mjs ${process.argv.slice(2).join(' ')}`);
    console.log(`machine: ${os.cpus()[0].model}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GB;`
        + ` ${os.type()} ${os.release()}; Chromium ${browser.version()} headless (SwiftShader WebGL2); Node ${process.version}`);
    try {
        if (opts.only.has('load')) await benchLoad(browser, server, opts);
        if (opts.only.has('glyphs')) await benchGlyphs(browser, server, opts);
        if (opts.only.has('idle')) await benchIdle(browser, server, opts);
        if (opts.only.has('token')) await benchToken(browser, server, bench, opts);
        if (opts.only.has('history')) await benchHistory(browser, server, opts);
        if (opts.only.has('transport')) await benchTransport(browser, server, bench, opts);
        if (opts.only.has('typing')) await benchTyping(browser, server, opts);
        if (opts.only.has('endtoend')) await benchEndToEnd(browser, opts, printTable);
        if (opts.only.has('drops')) await benchDrops(browser, opts, printTable);
    } finally {
        await browser.close();
        await bench.close();
        await server.stop();
    }
}

main().catch((e) => {
    console.error(e);
    process.exit(1);
});
