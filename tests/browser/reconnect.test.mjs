// Reconnecting after a dropped connection, in real headless Chromium against a real serve.py
// that asks for a long `retry:` (5 s). The page's first retry after a drop must not wait for
// it (a fresh EventSource resumes from the last event id at once); only a second failure in a
// row backs off. Timing is only ever compared against that long retry, so a slow machine can
// only make the control look stronger, never make the checks flaky.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, openPage } from '../lib/browser.mjs';
import { startServer } from '../lib/serve.mjs';
import { ready, served, state, waitForState } from '../lib/app.mjs';

const RETRY_MS = 5000;

describe('reconnecting after a drop', () => {
    let browser;
    before(async () => { browser = await launchBrowser(); });
    after(async () => { await browser?.close(); });

    test('control: the browser\'s own EventSource waits for the server\'s retry after a drop', async () => {
        const server = await startServer(['--tokens-per-second', '2000', '--retry-ms', String(RETRY_MS),
            '--chaos-drop-after', '8', '--quiet']);
        const tab = await openPage(browser, server.url + '/');
        try {
            // A bare EventSource on a reply's stream, outside the app: the time from its error
            // (the drop after 8 events) to the next event, which arrives on its own reconnect.
            const gap = await tab.page.evaluate(async () => {
                const r = await fetch('/api/chat', { method: 'POST', headers: { 'Content-Type': 'application/json' },
                    body: JSON.stringify({ messages: [{ role: 'user', content: '/long 40' }] }) });
                const { id } = await r.json();
                return new Promise((resolve) => {
                    const es = new EventSource(`/api/chat/${id}/stream`);
                    let droppedAt = 0;
                    es.onerror = () => { if (!droppedAt) droppedAt = performance.now(); };
                    es.onmessage = () => {
                        if (droppedAt) { es.close(); resolve(performance.now() - droppedAt); }
                    };
                });
            });
            assert.ok(gap >= RETRY_MS * 0.8, `the native reconnect came after ${Math.round(gap)} ms`);
        } finally {
            await tab.close();
            await server.stop();
        }
    });

    test('each first retry after a drop is immediate, and nothing is lost or doubled', async () => {
        const server = await startServer(['--tokens-per-second', '2000', '--retry-ms', String(RETRY_MS),
            '--chaos-drop-after', '8', '--quiet']);
        const tab = await openPage(browser, server.url + '/');
        try {
            const page = tab.page;
            await ready(tab);
            await page.keyboard.insertText('/long 60');
            const sent = Date.now();
            await page.keyboard.press('Enter');
            const s = await waitForState(page, (st) => st.messages.length === 2 && st.messages[1].status === 'done'
                && !st.streaming, 120000);
            const elapsed = Date.now() - sent;
            assert.ok(s.reconnects >= 5, `the stream was dropped and resumed (${s.reconnects} reconnects)`);
            // Waiting the server's retry would take reconnects × 5 s; half of one retry per drop
            // leaves room for any machine load.
            console.log(`${s.reconnects} reconnects, the whole reply in ${elapsed} ms`);
            assert.ok(elapsed < s.reconnects * RETRY_MS / 2,
                `${s.reconnects} reconnects took ${elapsed} ms in all (the server's retry is ${RETRY_MS} ms)`);
            const truth = await served(server, s.messages[1].reply_id);
            assert.equal(s.messages[1].text, truth.content, 'every token once, in order');
            assert.equal(s.lastError, '');
        } finally {
            await tab.close();
            await server.stop();
        }
    });

    test('a second failure in a row backs off instead of retrying at once', async () => {
        const server = await startServer(['--tokens-per-second', '20', '--retry-ms', String(RETRY_MS), '--quiet']);
        const tab = await openPage(browser, server.url + '/');
        try {
            const page = tab.page;
            await ready(tab);
            await page.keyboard.insertText('/long 400');
            await page.keyboard.press('Enter');
            await waitForState(page, (st) => st.messages.length === 2 && st.messages[1].text.length > 10);
            // Killed, not stopped: a server shutting down in order ends its streams as stopped.
            // Now the connection just breaks, and every reconnect after it is refused.
            server.process.kill('SIGKILL');
            // The first retry goes at once and fails: attempt 2 is left to the back-off.
            await waitForState(page, (st) => st.status === 'reconnecting (attempt 2)', 20000);
            await page.waitForTimeout(1500);
            const s = await state(page);
            // Retrying at once every time would have run through all attempts by now.
            assert.equal(s.status, 'reconnecting (attempt 2)', JSON.stringify(s).slice(0, 400));
            assert.equal(s.streaming, true);
        } finally {
            await tab.close();
            await server.stop();
        }
    });
});
