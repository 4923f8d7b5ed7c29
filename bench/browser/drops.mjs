// drops.mjs: a reply through a connection that keeps breaking (section `drops` of run.mjs).
// serve.py's demo model sends --drop-words words at --drop-tps tokens/s and cuts the stream
// after each event with probability --drop-chance, asking for serve.py's default `retry:` (1 s);
// the page reconnects and resumes each time. Printed: the reply's wall time beside the time the
// words alone take, the reconnects, what each reconnect cost over that, and whether the text is
// the server's exactly (nothing lost or doubled).
import { openPage } from '../../tests/lib/browser.mjs';
import { startServer } from '../../tests/lib/serve.mjs';

export async function benchDrops(browser, opts, printTable) {
    const server = await startServer(['--tokens-per-second', String(opts.dropTps), '--chaos-drop-rate',
        String(opts.dropChance), '--chaos-seed', '7', '--quiet'], { root: opts.bundle });
    const rows = [];
    try {
        for (let r = 0; r < opts.dropRuns; r++) {
            const tab = await openPage(browser, server.url + '/');
            const { page } = tab;
            await tab.waitForFrames(1);
            await page.waitForFunction(() => window.imchat.activeText && window.imchat.activeText() !== null);
            await page.keyboard.insertText(`/long ${opts.dropWords}`);
            const t0 = Date.now();
            await page.keyboard.press('Enter');
            await page.waitForFunction(() => {
                const s = window.imchat.state();
                return s.messages.length === 2 && !s.streaming && s.messages[1].status !== 'waiting';
            }, null, { timeout: 600000, polling: 50 });
            const wall = Date.now() - t0;
            const s = await page.evaluate(() => window.imchat.state());
            const truth = await (await fetch(`${server.url}/api/chat/${s.messages[1].reply_id}`)).json();
            const words = opts.dropWords / opts.dropTps * 1000;
            rows.push([r + 1, s.messages[1].status, wall, Math.round(words), s.reconnects,
                s.reconnects ? ((wall - words) / s.reconnects).toFixed(0) : '-',
                truth.content === s.messages[1].text ? 'yes' : 'NO']);
            await tab.close();
        }
    } finally {
        await server.stop();
    }
    printTable(`Drops: a ${opts.dropWords}-word reply at ${opts.dropTps} tokens/s, the stream cut after each event `
        + `with probability ${opts.dropChance} (serve.py's retry: 1000 ms)`,
        ['run', 'status', 'wall ms', 'words alone ms', 'reconnects', 'ms per reconnect over that', 'text exact'], rows);
}
