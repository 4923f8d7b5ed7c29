// imchat's "plain SSE" endpoint (issue 18, part 5): events whose data is bare text, appended as
// it comes; the end of the body or `event: done` ends the reply; a broken stream resumes with
// Last-Event-ID where the server sends ids. Chatted with from the page: the design article's own
// Express example (tests/browser/article/express_sse.mjs, no ids, ends by closing), and serve.py's
// GET /chat/stream, cut after every 4 events (--chaos-drop-after) so each reply resumes 4 times.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, test } from 'node:test';
import { ask, served } from '../lib/app.mjs';
import { launchBrowser, openPage, sourceDir } from '../lib/browser.mjs';
import { bundleDir, startServer } from '../lib/serve.mjs';

const cleanups = [];
after(async () => { for (const c of cleanups.reverse()) await c(); });

function startExpress() {
    const child = spawn('node', [path.join(sourceDir, 'tests', 'browser', 'article', 'express_sse.mjs'), bundleDir],
        { stdio: ['pipe', 'pipe', 'inherit'] });
    cleanups.push(() => new Promise((r) => { child.on('exit', r); child.stdin.end(); }));
    return new Promise((resolve, reject) => {
        child.stdout.on('data', (c) => {
            const m = /listening on (\S+)/.exec(String(c));
            if (m) resolve(m[1]);
        });
        child.on('exit', (code) => reject(new Error(`express_sse.mjs exited with ${code}`)));
    });
}

// The page at `url` with the plain SSE endpoint set to `plainUrl`.
async function plainPage(browser, url, plainUrl) {
    const tab = await openPage(browser, url);
    await tab.page.evaluate((u) => localStorage.setItem('imchat.settings',
        JSON.stringify({ version: 1, endpoint: 'plain', plain_url: u })), plainUrl);
    await tab.page.reload();
    await tab.waitForFrames(1);
    await tab.page.waitForFunction(() => window.imchat.activeText && window.imchat.activeText() !== null);
    return tab;
}

test('the article\'s Express example is a backend: its six messages become the reply', async () => {
    const url = await startExpress();
    const browser = await launchBrowser();
    cleanups.push(() => browser.close());
    const tab = await plainPage(browser, url, '/chat/stream');
    const s = await ask(tab.page, '你好', 30000);
    const expected = [0, 1, 2, 3, 4, 5].map((n) => `你好,消息 ${n}`).join('');
    assert.equal(s.messages[1].text, expected);
    assert.equal(s.messages[1].status, 'done', 'the end of the body ends the reply');
    assert.equal(s.reconnects, 0, 'a stream without ids that ends is not asked again');
    assert.deepEqual(await tab.problems(), []);
    await tab.close();
});

test('serve.py\'s /chat/stream, cut every 4 events, resumes by Last-Event-ID with nothing lost or doubled', async () => {
    const server = await startServer(['--tokens-per-second', '20', '--quiet', '--chaos-drop-after', '4']);
    cleanups.push(() => server.stop());
    // Paced (20 tokens/s): a cut is a TCP reset, which makes the browser drop bytes it had not yet
    // handed to the page, so the events before it must have arrived some time before.
    const prompt = '/long 40';
    // The same words as the built-in API's reply to the same prompt (tests/server/test_plain_sse.py
    // holds the two equal), read from the server's own record of it.
    const created = await (await fetch(`${server.url}/api/chat`, { method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ messages: [{ role: 'user', content: prompt }] }) })).json();
    let record;
    for (let i = 0; i < 300 && (!record || record.status === 'running'); i++) {
        await new Promise((r) => setTimeout(r, 50));
        record = await served(server, created.id);
    }
    const truth = record.content;
    assert.ok(truth.split(' ').length >= 40, 'a reply of some length');

    const browser = await launchBrowser();
    cleanups.push(() => browser.close());
    const tab = await plainPage(browser, server.url, '/chat/stream?prompt={prompt}');
    const s = await ask(tab.page, prompt, 30000);
    assert.equal(s.messages[1].status, 'done', JSON.stringify(s).slice(0, 600));
    assert.equal(s.messages[1].text, truth, 'every token once, in order, across the cuts');
    assert.ok(s.reconnects >= 4, `resumed after the cuts (reconnects: ${s.reconnects})`);
    const problems = (await tab.problems()).filter((p) => !/ERR_|network error|Failed to fetch/i.test(p));
    assert.deepEqual(problems, []);
    await tab.close();
});
