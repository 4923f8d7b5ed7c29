// Math benchmark: the lazy math chunk's bytes (gzipped), the engine's start (first formula
// asked -> worker ready), and a formula's way from request to bitmap with the engine warm
// (the request is made in the frame whose text closed the formula). Prints a table.
//   node bench/browser/math.mjs [--bundle build/web/bundle] [--formulas 20]
import fs from 'node:fs';
import path from 'node:path';
import { launchBrowser, openPage } from '../../tests/lib/browser.mjs';
import { startServer, bundleDir } from '../../tests/lib/serve.mjs';
import { ask, ready, waitForState } from '../../tests/lib/app.mjs';

const arg = (name, fallback) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : fallback;
};
const bundle = arg('--bundle', bundleDir);
const count = Number(arg('--formulas', '20'));

const gz = fs.statSync(path.join(bundle, 'math_worker.js.gz')).size;
const raw = fs.statSync(path.join(bundle, 'math_worker.js')).size;
const server = await startServer(['--tokens-per-second', '2000'], { root: bundle });
const browser = await launchBrowser();
try {
    const tab = await openPage(browser, server.url + '/');
    const page = tab.page;
    await ready(tab);
    await ask(page, '/echo First: $x^2$', 30000);
    await waitForState(page, (s) => s.rects['math:$x^2$'], 30000);
    const start = await page.evaluate(() => {
        const s = window.imchatMathState.stats;
        return { ready: s.readyAt - s.firstRequestAt, first: s.latencies[0] };
    });
    const warm = [];
    for (let i = 0; i < count; i++) {
        const tex = `$a_{${i}} + \\frac{${i}}{b^2}$`;
        await ask(page, `/echo Warm ${i}: ${tex} end`, 30000);
        await waitForState(page, (s) => s.rects['math:' + tex], 30000);
        warm.push(await page.evaluate(() => window.imchatMathState.stats.latencies.at(-1)));
    }
    warm.sort((a, b) => a - b);
    const at = (q) => warm[Math.min(warm.length - 1, Math.floor(q * warm.length))];
    console.log('| measure | value |');
    console.log('|---|---|');
    console.log(`| math chunk (math_worker.js) | ${(raw / 1024).toFixed(0)} KB, ${(gz / 1024).toFixed(0)} KB gzipped |`);
    console.log(`| engine ready after the first formula is asked | ${start.ready.toFixed(0)} ms |`);
    console.log(`| first formula, request -> bitmap (engine cold) | ${start.first.toFixed(0)} ms |`);
    console.log(`| inline formula, request -> bitmap (warm), median / p90 of ${count} | ${at(0.5).toFixed(1)} / ${at(0.9).toFixed(1)} ms |`);
} finally {
    await browser.close();
    await server.stop();
}
