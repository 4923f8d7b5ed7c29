// Math in the transcript, through the demo model's /math reply and /echo: every delimiter is
// typeset, and what the page draws matches this test's own MathJax -> SVG -> <img> rendering of
// the same TeX, while another formula's rendering does not (a blank or wrong box cannot pass);
// money and code stay text; a TeX error shows its source; the math engine is a lazy chunk from
// our own origin, fetched only once a formula appears; formulas survive a WebGL context loss;
// Copy gives the markdown source back.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { mathjax } from 'mathjax-full/js/mathjax.js';
import { TeX } from 'mathjax-full/js/input/tex.js';
import { SVG } from 'mathjax-full/js/output/svg.js';
import { liteAdaptor } from 'mathjax-full/js/adaptors/liteAdaptor.js';
import { RegisterHTMLHandler } from 'mathjax-full/js/handlers/html.js';
import 'mathjax-full/js/input/tex/ams/AmsConfiguration.js';
import 'mathjax-full/js/input/tex/mhchem/MhchemConfiguration.js';
import { launchBrowser, openPage, screenshot } from '../lib/browser.mjs';
import { startServer } from '../lib/serve.mjs';
import { ask, ready, state, waitForState } from '../lib/app.mjs';

// The test's own reference: MathJax straight from node_modules, independent of the page's worker.
const adaptor = liteAdaptor();
RegisterHTMLHandler(adaptor);
const mj = mathjax.document('', { InputJax: new TeX({ packages: ['base', 'ams', 'mhchem'] }), OutputJax: new SVG({ fontCache: 'local' }) });
const referenceSvg = (tex, display) => adaptor.outerHTML(adaptor.firstChild(mj.convert(tex, { display, em: 16, ex: 8 })));

// Ink of a screenshot region against its corner colour, and ink of the reference SVG drawn by an
// <img> into a canvas of the region's size; both cropped to their ink boxes and sampled on one
// grid. { widthRatio, heightRatio, difference } as in world_text.test.mjs.
async function compare(page, png, rect, svg) {
    return page.evaluate(async ({ png, rect, svg }) => {
        const shot = await createImageBitmap(new Blob([Uint8Array.from(atob(png), (c) => c.charCodeAt(0))], { type: 'image/png' }));
        // Exactly the formula's box: text beside an inline formula must not count as its ink.
        const w = Math.round(rect.w), h = Math.round(rect.h);
        const a = new OffscreenCanvas(w, h).getContext('2d', { willReadFrequently: true });
        a.drawImage(shot, Math.round(rect.x), Math.round(rect.y), w, h, 0, 0, w, h);
        const b = new OffscreenCanvas(w, h).getContext('2d', { willReadFrequently: true });
        const sized = svg.replace(/ width="[^"]*" height="[^"]*"/, ` width="${rect.w}" height="${rect.h}" preserveAspectRatio="none"`);
        const img = new Image();
        img.src = URL.createObjectURL(new Blob([sized], { type: 'image/svg+xml' }));
        await img.decode();
        b.fillStyle = '#fff';
        b.fillRect(0, 0, w, h);
        b.drawImage(img, 0, 0, w, h);
        function ink(ctx) {
            const d = ctx.getImageData(0, 0, w, h).data;
            const bg = [d[0], d[1], d[2]];
            const v = new Float32Array(w * h);
            let x0 = w, y0 = h, x1 = -1, y1 = -1;
            for (let i = 0; i < w * h; i++) {
                const m = Math.max(Math.abs(d[i * 4] - bg[0]), Math.abs(d[i * 4 + 1] - bg[1]), Math.abs(d[i * 4 + 2] - bg[2])) / 255;
                v[i] = m;
                if (m > 0.25) {
                    const x = i % w, y = (i / w) | 0;
                    x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
                }
            }
            // A 3x3 blur: the page draws at fractional positions, the reference at whole ones, and
            // one-pixel strokes a pixel apart should not count as different shapes.
            const blurred = new Float32Array(w * h);
            for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
                let sum = 0, n = 0;
                for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) {
                    const xx = x + dx, yy = y + dy;
                    if (xx >= 0 && yy >= 0 && xx < w && yy < h) { sum += v[yy * w + xx]; n++; }
                }
                blurred[y * w + x] = sum / n;
            }
            return { v: blurred, x0, y0, x1, y1, bw: x1 - x0 + 1, bh: y1 - y0 + 1 };
        }
        const A = ink(a), B = ink(b);
        if (A.x1 < 0 || B.x1 < 0) return { widthRatio: 0, heightRatio: 0, difference: 1 };
        const gw = Math.max(A.bw, B.bw), gh = Math.max(A.bh, B.bh);
        let diff = 0, total = 0;
        for (let y = 0; y < gh; y++) {
            for (let x = 0; x < gw; x++) {
                const pa = Math.min(1, A.v[(A.y0 + Math.min(A.bh - 1, Math.round(y * A.bh / gh))) * w + A.x0 + Math.min(A.bw - 1, Math.round(x * A.bw / gw))] * 1.5);
                const pb = Math.min(1, B.v[(B.y0 + Math.min(B.bh - 1, Math.round(y * B.bh / gh))) * w + B.x0 + Math.min(B.bw - 1, Math.round(x * B.bw / gw))] * 1.5);
                diff += Math.abs(pa - pb);
                total += Math.max(pa, pb);
            }
        }
        return { widthRatio: A.bw / B.bw, heightRatio: A.bh / B.bh, difference: total ? diff / total : 1 };
    }, { png: png.toString('base64'), rect, svg });
}
// Rectangles are reported for the frames drawn since the last look: gather them over looks.
async function waitForRects(page, names, timeout = 30000) {
    const seen = {};
    await waitForState(page, (st) => {
        for (const [k, v] of Object.entries(st.rects)) if (k.startsWith('math')) seen[k] = v;
        return names.every((n) => seen[n]);
    }, timeout);
    return seen;
}

const matches = (r) => Math.abs(r.widthRatio - 1) < 0.1 && Math.abs(r.heightRatio - 1) < 0.15 && r.difference < 0.45;  // measured: same 0.16-0.41, other 0.74-0.93

// The formulas of the /math reply, by their source (the names of their drawn rectangles).
const FORMULAS = {
    dollar: { source: '$e^{i\\pi} + 1 = 0$', tex: 'e^{i\\pi} + 1 = 0', display: false },
    paren: { source: '\\(a^2 + b^2 = c^2\\)', tex: 'a^2 + b^2 = c^2', display: false },
    dollars: { source: '$$\n\\int_0^1 x^2 \\, dx = \\frac{1}{3}\n$$', tex: '\n\\int_0^1 x^2 \\, dx = \\frac{1}{3}\n', display: true },
    bracket: { source: '\\[\n\\sum_{n=1}^{\\infty} \\frac{1}{n^2} = \\frac{\\pi^2}{6}\n\\]', tex: '\n\\sum_{n=1}^{\\infty} \\frac{1}{n^2} = \\frac{\\pi^2}{6}\n', display: true },
    // The block holds the formula with its lines' indentation taken away; the markdown keeps it.
    align: { source: '\\begin{align}\nf(x) &= (x + 1)^2 \\\\\n&= x^2 + 2x + 1\n\\end{align}', display: true,
             copy: '\\begin{align}\nf(x) &= (x + 1)^2 \\\\\n     &= x^2 + 2x + 1\n\\end{align}' },
    chem: { source: '\\ce{H2O}', tex: '\\ce{H2O}', display: false },
};

describe('math', () => {
    let server, browser, tab, page, shown, shownRequested, requests;
    before(async () => {
        server = await startServer(['--tokens-per-second', '400']);
        browser = await launchBrowser();
        tab = await openPage(browser, server.url + '/', { viewport: { width: 1000, height: 2200 } });
        page = tab.page;
        requests = [];
        page.on('request', (r) => requests.push({ url: r.url(), at: Date.now() }));
        await ready(tab);
        // The Copy button writes through the async clipboard API: record what it writes.
        await page.evaluate(() => {
            navigator.clipboard.writeText = (text) => { window.__copied = text; return Promise.resolve(); };
        });
    });
    after(async () => {
        await browser?.close();
        await server?.stop();
    });

    test('no math engine before the first formula; then every delimiter is typeset', async () => {
        await page.waitForTimeout(300);
        assert.ok(!requests.some((r) => r.url.includes('math_worker')), 'the math chunk is not part of the first load');
        const sent = Date.now();
        const s = await ask(page, '/math', 60000);
        assert.equal(s.messages[1].status, 'done');
        const names = Object.values(FORMULAS).map((f) => 'math:' + f.source);
        await waitForRects(page, names);
        const worker = requests.filter((r) => r.url.includes('math_worker'));
        assert.equal(worker.length, 1, 'the math chunk was fetched once');
        assert.ok(worker[0].at >= sent, 'and only after the first formula');
        await tab.waitForIdle();
        await page.evaluate(() => window.imchat.act('layout_probe', 0));  // one more frame, then look
        await page.mouse.move(5, 5);
        shown = await state(page);
        shownRequested = await page.evaluate(() => window.imchatMathState.stats.requested);
        shown.rects = { ...shown.rects, ...(await waitForRects(page, names, 5000)) };
        await screenshot(page, 'math-reply');
    });

    test('each formula matches its own MathJax rendering and not another one', async () => {
        const png = await page.screenshot();
        const refs = {};
        for (const [name, f] of Object.entries(FORMULAS)) refs[name] = referenceSvg(f.tex ?? f.source, f.display);
        const results = [];
        for (const [name, f] of Object.entries(FORMULAS)) {
            const rect = shown.rects['math:' + f.source];
            const same = await compare(page, png, rect, refs[name]);
            const other = name === 'dollar' ? 'paren' : 'dollar';
            const wrong = await compare(page, png, rect, refs[other]);
            results.push({ name, other, same, wrong });
        }
        for (const { name, other, same, wrong } of results) {
            assert.ok(matches(same), `${name} matches its rendering: ${JSON.stringify(results)}`);
            assert.ok(!matches(wrong), `${name} does not match ${other}'s rendering: ${JSON.stringify(wrong)}`);
        }
        // Display formulas are centred in the column; inline ones sit in their line.
        const d = shown.rects['math:' + FORMULAS.dollars.source], message = shown.rects[`message-${shown.messages[1].id}`];
        if (message) assert.ok(Math.abs(d.x + d.w / 2 - (message.x + message.w / 2)) < 40, 'display math is centred');
    });

    test('formulas come back after a WebGL context loss, from the kept bitmaps', async () => {
        await page.evaluate(() => {
            const gl = document.querySelector('canvas').getContext('webgl2');
            window.__loseContext = gl.getExtension('WEBGL_lose_context');
            window.__loseContext.loseContext();
        });
        await page.waitForTimeout(300);
        const rebuilds = await page.evaluate(() => window.imchat.renderStats().deviceRebuilds);
        await page.evaluate(() => window.__loseContext.restoreContext());
        await page.waitForFunction((n) => window.imchat.renderStats().deviceRebuilds === n + 1, rebuilds);
        await page.mouse.move(20, 20);
        const f = FORMULAS.dollars;
        const rects = await waitForRects(page, ['math:' + f.source], 10000);
        await tab.waitForIdle();
        const again = await compare(page, await page.screenshot(), rects['math:' + f.source], referenceSvg(f.tex, true));
        assert.ok(matches(again), `drawn again after the restore: ${JSON.stringify(again)}`);
        const requested = await page.evaluate(() => window.imchatMathState.stats.requested);
        assert.equal(requested, shownRequested, 'no formula was typeset again');
    });

    test('money and code stay text', async () => {
        const names = Object.keys(shown.rects).filter((n) => n.startsWith('math:'));
        for (const n of names) assert.ok(!/\$5|\$10|\$ 3|\$20|HOME|price/.test(n), `not math: ${n}`);
        assert.ok(names.length >= 8, `the table's formulas too (${names.length})`);
    });

    test('Copy gives the markdown with its delimiters', async () => {
        const id = shown.messages[1].id;
        const r = shown.rects[`copy-${id}`];
        assert.ok(r, 'the Copy button was drawn');
        await page.mouse.click(r.x + r.w / 2, r.y + r.h / 2);
        await page.waitForFunction(() => window.__copied !== undefined, null, { timeout: 5000 });
        const copied = await page.evaluate(() => window.__copied);
        for (const f of Object.values(FORMULAS)) assert.ok(copied.includes(f.copy ?? f.source), `copied ${f.copy ?? f.source}`);
    });

    test('a TeX error or a stalled worker shows the source in the error colour; the page goes on', async () => {
        const other = await openPage(browser, server.url + '/');
        await ready(other);
        const s = await ask(other.page, '/echo Broken: \\(\\frac{1}{\\) and fine: $x+1$ end', 30000);
        assert.equal(s.messages.at(-1).status, 'done');
        const seen = await waitForRects(other.page, ['math-error:\\(\\frac{1}{\\)', 'math:$x+1$'], 20000);
        assert.ok(seen['math-error:\\(\\frac{1}{\\)'].w > 20);
        const failed = await other.page.evaluate(() => window.imchatMathState.stats.failed);
        assert.ok(failed >= 1);

        // A worker past the time limit is ended: the formula stays source, a new worker takes
        // the next one. (The limit is lowered for the test: a real hang cannot be made to order.)
        await other.page.evaluate(() => { window.imchatMathState.limitMs = 1; });
        // A formula that takes the worker tens of milliseconds: far past the 1 ms limit.
        const slow = '$' + Array.from({ length: 300 }, (_, i) => `\\frac{x_{${i}}}{y^{${i}}}`).join('+') + '$';
        await ask(other.page, `/echo Stalled: ${slow} end`, 30000);
        await waitForRects(other.page, ['math-error:' + slow], 20000);
        const restarts = await other.page.evaluate(() => window.imchatMathState.restarts);
        assert.ok(restarts >= 1, 'the stalled worker was ended');
        await other.page.evaluate(() => { window.imchatMathState.limitMs = 3000; });
        await ask(other.page, '/echo After: $z^4$ end', 30000);
        await waitForRects(other.page, ['math:$z^4$'], 20000);
        assert.deepEqual(await other.problems(), []);
        await other.close();
    });

    test('nothing off-origin, no console errors or CSP violations', async () => {
        const origin = new URL(server.url).origin;
        for (const r of requests) assert.ok(r.url.startsWith(origin) || r.url.startsWith('blob:') || r.url.startsWith('data:'),
            `off-origin request: ${r.url}`);
        assert.deepEqual(await tab.problems(), []);
    });
});
