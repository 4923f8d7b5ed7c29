// The six-connection limit, shown and gone (issue 18, part 2). Over plain HTTP/1.1 the real
// Chromium holds six streams from one origin and the seventh waits with nothing received, and the
// page says so (shell/stream_watch.js); through deploy/'s nginx front over HTTP/2 (a certificate
// made for this run, trusted by this browser only) twelve streams all make progress at once and
// no notice shows: the negative control of the first half, with the same page and checks.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { launchBrowser, openPage, sourceDir } from '../lib/browser.mjs';
import { bundleDir, startServer } from '../lib/serve.mjs';

const FRONT_CLI = path.join(sourceDir, 'tests', 'server', 'front_cli.py');
let front, spki;
const servers = [];

// deploy/'s nginx in front of `port`; resolves {port, spki} once it listens.
function startFront(port) {
    const child = spawn('python3', [FRONT_CLI, bundleDir, String(port)], { stdio: ['pipe', 'pipe', 'inherit'] });
    return new Promise((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c) => {
            out += c;
            if (out.includes('\n')) resolve({ child, ...JSON.parse(out.split('\n')[0]) });
        });
        child.on('exit', (code) => reject(new Error(`front_cli.py exited with ${code}`)));
    });
}

before(async () => {
    const direct = await startServer(['--tokens-per-second', '10', '--quiet']);
    const behind = await startServer(['--tokens-per-second', '10', '--quiet', '--trusted-proxy', '127.0.0.1']);
    servers.push(direct, behind);
    front = await startFront(behind.port);
    spki = front.spki;
});

after(async () => {
    if (front) { front.child.stdin.end(); await new Promise((r) => front.child.on('exit', r)); }
    for (const s of servers) await s.stop();
});

// Creates n demo replies (before any stream holds a connection), then opens `open` of them as
// EventSources; each counts its events in window.__streams.
async function createReplies(page, n) {
    await page.evaluate(async (count) => {
        window.__ids = [];
        window.__streams = [];
        for (let i = 0; i < count; i++) {
            const r = await fetch('/api/chat', { method: 'POST', headers: { 'Content-Type': 'application/json' },
                body: JSON.stringify({ messages: [{ role: 'user', content: '/long 400' }] }) });
            window.__ids.push((await r.json()).id);
        }
    }, n);
}
const openStreams = (page, count) => page.evaluate((k) => {
    for (let i = 0; i < k; i++) {
        const id = window.__ids[window.__streams.length];
        const rec = { events: 0, source: new EventSource(`/api/chat/${id}/stream`) };
        rec.source.onmessage = () => { rec.events++; };
        window.__streams.push(rec);
    }
}, count);
const counts = (page) => page.evaluate(() => window.__streams.map((s) => s.events));
const noticeShown = (page) => page.evaluate(() => {
    const el = document.getElementById('stream-queued');
    return !!el && !el.hidden;
});
const waitAllFlowing = (page, timeout = 20000) => page.waitForFunction(
    () => window.__streams.every((s) => s.events > 0), null, { timeout });

test('HTTP/1.1: six streams flow, the seventh waits, and the page says why', async () => {
    const browser = await launchBrowser();
    try {
        const tab = await openPage(browser, servers[0].url);
        const { page } = tab;
        await createReplies(page, 7);
        await openStreams(page, 6);
        await waitAllFlowing(page);
        assert.equal(await noticeShown(page), false, 'no notice while nothing waits');

        await openStreams(page, 1);
        const opened = Date.now();
        const before7 = await counts(page);
        await page.waitForSelector('#stream-queued:not([hidden])', { timeout: 15000 });
        assert.ok(Date.now() - opened >= 2500, 'the notice waits a few seconds before it speaks');
        const later = await counts(page);
        assert.equal(later[6], 0, `the seventh stream received nothing: ${later}`);
        assert.equal(await page.evaluate(() => window.__streams[6].source.readyState), 0, 'still connecting');
        for (let i = 0; i < 6; i++) assert.ok(later[i] > before7[i], `stream ${i} kept flowing: ${before7} -> ${later}`);
        const text = await page.textContent('#stream-queued');
        assert.match(text, /waiting for a free connection/);
        assert.match(text, /six/);
        const href = await page.getAttribute('#stream-queued a', 'href');
        assert.equal(href, 'DEPLOY.md');

        // One closed: the seventh gets its connection, and the notice goes.
        await page.evaluate(() => window.__streams[0].source.close());
        await page.waitForFunction(() => window.__streams[6].events > 0, null, { timeout: 15000 });
        await page.waitForSelector('#stream-queued', { state: 'hidden', timeout: 5000 });
        // Closed first: with six streams open the fetch itself would wait for a connection.
        await page.evaluate(() => window.__streams.forEach((s) => s.source.close()));
        const notes = await page.evaluate(async () => {
            const r = await fetch('DEPLOY.md');
            return { status: r.status, type: r.headers.get('content-type'), text: (await r.text()).slice(0, 200) };
        });
        assert.equal(notes.status, 200, 'the notice links to notes the server has');
        assert.match(notes.text, /Deploying imchat/);
        assert.deepEqual(await tab.problems(), []);
    } finally {
        await browser.close();
    }
});

test('HTTP/1.1, two tabs: six streams in one, the seventh in the other says why (the tabs\' channel)', async () => {
    const browser = await launchBrowser();
    try {
        const first = await openPage(browser, servers[0].url);
        const second = await first.context.newPage();  // same context: one connection pool
        await second.goto(servers[0].url);
        await createReplies(first.page, 7);
        const lastId = await first.page.evaluate(() => window.__ids[6]);
        await openStreams(first.page, 6);
        await waitAllFlowing(first.page);
        await second.evaluate((id) => {
            window.__ids = [id];
            window.__streams = [];
        }, lastId);
        await openStreams(second, 1);
        // The second tab has no stream of its own open: only the first tab's counts can tell it.
        await second.waitForSelector('#stream-queued:not([hidden])', { timeout: 15000 });
        assert.deepEqual(await counts(second), [0], 'its stream is the one held back');
        assert.equal(await noticeShown(first.page), false, 'the tab whose streams flow says nothing');
        await first.page.evaluate(() => window.__streams.forEach((s) => s.source.close()));
        await second.waitForFunction(() => window.__streams[0].events > 0, null, { timeout: 15000 });
        await second.waitForSelector('#stream-queued', { state: 'hidden', timeout: 5000 });
        await second.evaluate(() => window.__streams.forEach((s) => s.source.close()));
    } finally {
        await browser.close();
    }
});

test('HTTP/2 through the nginx front: twelve streams all flow, no notice', async () => {
    const browser = await launchBrowser({ args: [`--ignore-certificate-errors-spki-list=${spki}`] });
    try {
        const tab = await openPage(browser, `https://localhost:${front.port}/`);
        const { page } = tab;
        assert.equal(await page.evaluate(() => performance.getEntriesByType('navigation')[0].nextHopProtocol), 'h2');
        await createReplies(page, 12);
        await openStreams(page, 12);
        await waitAllFlowing(page);
        const first = await counts(page);
        await page.waitForTimeout(4000);  // longer than the notice's wait
        const second = await counts(page);
        for (let i = 0; i < 12; i++) assert.ok(second[i] > first[i], `stream ${i} made progress: ${first} -> ${second}`);
        assert.equal(await noticeShown(page), false, 'nothing is queued over HTTP/2');
        assert.equal(await page.evaluate(() => window.imchat.queuedStreams()), 0);
        await page.evaluate(() => window.__streams.forEach((s) => s.source.close()));
        assert.deepEqual(await tab.problems(), []);
    } finally {
        await browser.close();
    }
});
