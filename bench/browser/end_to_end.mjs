// end_to_end.mjs: the main thread's whole task time per token while a reply streams at a fixed
// rate through the real page and serve.py, as a user would see it (section `endtoend` of run.mjs).
// The demo model's `/shape NAME BYTES N` sends about BYTES of one shape of reply at once, then N
// tokens at the server's pace; once the prefix is in, Chromium's own Performance.getMetrics is
// read over CDP before and after a window of streaming: ThreadTime, the CPU time of the page's
// main thread (every task: network, parsing, layout, drawing, saving to IndexedDB, garbage
// collection), which a loaded machine does not inflate, and TaskDuration, the same tasks' wall
// time, which it does (on a quiet machine the two agree).
// With --baseline-bundle, an earlier build's bundle is measured the same way, interleaved.
import { openPage } from '../../tests/lib/browser.mjs';
import { startServer } from '../../tests/lib/serve.mjs';

export const shapes = ['paragraph', 'list', 'table', 'chinese', 'code', 'reasoning'];

async function taskSeconds(cdp) {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const get = (name) => metrics.find((m) => m.name === name).value;
    return { cpu: get('ThreadTime'), task: get('TaskDuration'), at: get('Timestamp') };
}

// Bytes of the reply shown so far (the answer, or the reasoning of the reasoning shape).
async function replyBytes(page) {
    return page.evaluate(() => {
        const s = window.imchat.state();
        const m = s.messages[1];
        return m ? m.text.length + (m.reasoning || '').length : 0;
    });
}

// One measurement: ms of main-thread time per token (CPU, and wall time of its tasks).
async function measure(browser, server, shape, bytes, opts) {
    const tab = await openPage(browser, server.url + '/');
    const page = tab.page;
    await tab.waitForFrames(1);
    await tab.waitForIdle();
    const cdp = await tab.context.newCDPSession(page);
    await cdp.send('Performance.enable', { timeDomain: 'timeTicks' });
    // Enough tokens to outlast the wait for the prefix; the reply is stopped after the window.
    const tokens = Math.ceil(opts.rate * (opts.windowMs + opts.settleMs + 60000) / 1000);
    await page.keyboard.type(`/shape ${shape} ${bytes} ${tokens}`);
    await page.keyboard.press('Enter');
    // The prefix is in once the reply holds its bytes (string length counts UTF-16 units: a
    // Chinese character is 3 bytes but 1 unit).
    const shown = shape === 'chinese' ? bytes / 3 : bytes;
    await page.waitForFunction((n) => {
        const m = window.imchat.state().messages[1];
        return m && m.text.length + (m.reasoning || '').length >= n;
    }, shown, { timeout: 120000, polling: 200 });
    await page.waitForTimeout(opts.settleMs);
    const b0 = await replyBytes(page);
    const m0 = await taskSeconds(cdp);
    await page.waitForTimeout(opts.windowMs);
    const m1 = await taskSeconds(cdp);
    const b1 = await replyBytes(page);
    const state = await page.evaluate(() => window.imchat.state().messages[1].status);
    await page.evaluate(() => window.imchat.act('stop'));
    await tab.close();
    if (state !== 'streaming' || b1 <= b0)
        throw new Error(`${shape} ${bytes}: the reply did not stream through the window (${state}, ${b1 - b0} more)`);
    const count = (m1.at - m0.at) * opts.rate;  // the server paces tokens at a fixed rate
    return { cpu: ((m1.cpu - m0.cpu) * 1000) / count, task: ((m1.task - m0.task) * 1000) / count };
}

const median = (xs) => {
    const s = [...xs].sort((a, b) => a - b);
    return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (x) => (x >= 10 ? x.toFixed(1) : x.toFixed(3));

export async function benchEndToEnd(browser, opts, printTable) {
    const builds = [['this build', opts.bundle]];
    if (opts.baselineBundle) builds.unshift(['baseline', opts.baselineBundle]);
    const servers = [];
    for (const [, root] of builds)
        servers.push(await startServer(['--tokens-per-second', String(opts.rate)], { root }));
    const sizes = String(opts.e2eSizes).split(',').map(Number);
    const rows = [];
    try {
        for (const shape of String(opts.shapes).split(',')) {
            const figures = builds.map(() => sizes.map(() => []));
            const tasks = builds.map(() => sizes.map(() => []));
            for (let run = 0; run < opts.e2eRuns; run++)
                for (let s = 0; s < sizes.length; s++)
                    for (let b = 0; b < builds.length; b++) {  // interleaved: the machine's load hits both alike
                        const m = await measure(browser, servers[b], shape, sizes[s] * 1024, opts);
                        figures[b][s].push(m.cpu);
                        tasks[b][s].push(m.task);
                        if (opts.verbose)
                            console.error(`${shape} ${sizes[s]} KB, ${builds[b][0]}: ${fmt(m.cpu)} ms/token CPU, ${fmt(m.task)} task`);
                    }
            for (let b = 0; b < builds.length; b++) {
                const med = figures[b].map(median);
                const task = tasks[b].map(median);
                rows.push([shape, builds[b][0], ...med.map(fmt), (med[med.length - 1] / med[0]).toFixed(2) + '×',
                    task.map(fmt).join(' / ')]);
            }
        }
    } finally {
        for (const s of servers) await s.stop();
    }
    printTable(`End to end: main-thread CPU ms per token (Chromium ThreadTime) while a reply streams at ${opts.rate} tokens/s`
        + ` through serve.py, after its first N KB arrived (median of ${opts.e2eRuns} runs, ${opts.windowMs} ms windows)`,
        ['shape', 'build', ...sizes.map((s) => `${s} KB`), 'largest / smallest', 'TaskDuration ms/token (wall)'], rows);
    console.log('\n(target: for every shape, the largest size within 1.3× of the smallest)');
}
