// The page's own safety, in real headless Chromium: model output never becomes markup or script
// (the ARIA mirror takes it as text), only http: and https: links can be opened, an API key for a
// direct endpoint goes to that endpoint's origin only, and no securitypolicyviolation ever fires.
//
// Two small recording proxies (plain Node http) stand in front of two serve.py instances: A
// serves the page, B is the "direct endpoint" (its proxy adds the CORS headers a real API sends,
// and drops Origin, which serve.py's own API refuses from other sites). Both record every
// request's headers.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, openPage } from '../lib/browser.mjs';
import { startServer } from '../lib/serve.mjs';
import { state, waitForState } from '../lib/app.mjs';


async function ask(page, prompt) {
    const count = (await state(page)).messages.length;
    await page.keyboard.insertText(prompt);
    await page.keyboard.press('Enter');
    return waitForState(page, (s) => s.messages.length === count + 2 && !s.streaming
        && s.messages.at(-1).status === 'done');
}

// A proxy to `target` that records each request's method, path and headers.
function recordingProxy(target, { cors = false } = {}) {
    const requests = [];
    const to = new URL(target);
    const server = http.createServer((req, res) => {
        requests.push({ method: req.method, url: req.url, headers: { ...req.headers } });
        const corsHeaders = cors ? { 'access-control-allow-origin': '*',
            'access-control-allow-headers': 'authorization, content-type, accept',
            'access-control-allow-methods': 'GET, POST, OPTIONS' } : {};
        if (cors && req.method === 'OPTIONS') {
            res.writeHead(204, corsHeaders);
            res.end();
            return;
        }
        const headers = { ...req.headers };
        if (cors) delete headers.origin;
        const upstream = http.request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers },
            (r) => {
                res.writeHead(r.statusCode, { ...r.headers, ...corsHeaders });
                r.pipe(res);
            });
        upstream.on('error', () => res.destroy());
        req.pipe(upstream);
    });
    return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        requests,
        close: () => new Promise((done) => { server.closeAllConnections(); server.close(done); }),
    })));
}

describe('page safety', () => {
    let serverA, serverB, proxyA, proxyB, browser;
    before(async () => {
        serverA = await startServer(['--tokens-per-second', '5000']);
        serverB = await startServer(['--tokens-per-second', '5000']);
        proxyA = await recordingProxy(serverA.url);
        proxyB = await recordingProxy(serverB.url, { cors: true });
        browser = await launchBrowser();
    });
    after(async () => {
        await browser?.close();
        await proxyA?.close();
        await proxyB?.close();
        await serverA?.stop();
        await serverB?.stop();
    });

    test('markup in a reply is text in the ARIA mirror: no element, no script, no CSP violation', async () => {
        const tab = await openPage(browser, proxyA.url + '/');
        const page = tab.page;
        await tab.waitForFrames(1);
        // Elements of the page outside the twins of the drawn controls (which come and go with
        // them) and the live region's announcements (checked below).
        const elements = () => page.evaluate(() => [...document.getElementsByTagName('*')]
            .filter((e) => !e.closest('#a11y-controls') && e.parentNode.id !== 'reply-live').length);
        const before = await elements();
        const payload = '<img src=x onerror="window.__pwned=1"> <script>window.__pwned=2</script>'
            + ' <iframe src="javascript:window.__pwned=3"></iframe> **bold**';
        const s = await ask(page, `/echo ${payload}`);
        assert.equal(s.messages[1].text, payload);
        const mirror = await page.evaluate(() => {
            const root = document.getElementById('transcript-mirror');
            return { texts: [...root.children].map((p) => p.textContent),
                tags: [...root.querySelectorAll('*')].map((e) => e.tagName) };
        });
        assert.deepEqual(mirror.tags, ['ARTICLE', 'P', 'ARTICLE', 'P', 'STRONG'],
            'only the mirror\'s own articles, paragraphs and the bold the markdown asked for');
        assert.ok(mirror.texts[1].includes('<img src=x onerror="window.__pwned=1">'), mirror.texts[1]);
        assert.ok(mirror.texts[1].includes('<script>window.__pwned=2</script>'));
        await page.waitForTimeout(300);
        assert.equal(await page.evaluate(() => window.__pwned), undefined, 'nothing ran');
        assert.equal(await elements(), before + 5, 'the page gained only the mirror\'s five elements');
        assert.ok(await page.evaluate(() => [...document.querySelectorAll('#a11y-controls *')]
            .every((e) => e.tagName === 'BUTTON' || e.tagName === 'DIV')), 'twins are buttons and groups only');
        assert.ok(await page.evaluate(() => [...document.querySelectorAll('#reply-live *')].every((e) => e.tagName === 'P')),
            'announcements are paragraphs of text');
        assert.equal(await page.evaluate(() => document.querySelectorAll('img, iframe').length), 0);
        assert.deepEqual(await tab.violations(), []);
        assert.deepEqual(await tab.problems(), [], 'no console error, page error or CSP violation');
        await tab.close();
    });

    test('only http: and https: links can be opened', async () => {
        const tab = await openPage(browser, proxyA.url + '/');
        const page = tab.page;
        await page.evaluate(() => {
            window.__opened = [];
            window.open = (url) => { window.__opened.push(String(url)); return null; };
        });
        await tab.waitForFrames(1);
        const s = await ask(page, '/echo [xxxxxxxxxxxxxxxx](javascript:window.__pwned=4) and '
            + '[yyyyyyyyyyyyyyyy](https://example.invalid/) and [zzzzzzzzzzzzzzzz](data:text/html,hi)');
        const reply = s.messages[1];
        await tab.waitForIdle();
        const rect = (await state(page)).rects[`message-${reply.id}`];
        assert.ok(rect, 'the reply was drawn');
        // Click along the reply's first line: every word of it, links or not.
        for (let x = rect.x + 4; x < rect.x + rect.w - 4; x += 8) {
            await page.mouse.click(x, rect.y + 10);
            await page.waitForTimeout(30);
        }
        const opened = await page.evaluate(() => window.__opened);
        assert.ok(opened.length > 0, 'the https link opens');
        assert.deepEqual([...new Set(opened)], ['https://example.invalid/'], 'and nothing else');
        assert.equal(await page.evaluate(() => window.__pwned), undefined);
        assert.deepEqual(await tab.problems(), []);
        await tab.close();
    });

    test('an API key for a direct endpoint goes to that origin only', async () => {
        const context = await browser.newContext();
        const key = 'sk-reliability-test-key-0123456789';
        await context.addInitScript(({ base, apiKey }) => {
            localStorage.setItem('imchat.settings', JSON.stringify({ version: 1, endpoint: 'direct',
                base_url: base, api_key: apiKey, model: 'imchat-demo' }));
        }, { base: `${proxyB.url}/v1`, apiKey: key });
        const page = await context.newPage();
        const violations = [];
        page.on('console', (m) => { if (m.type() === 'error') violations.push(m.text()); });
        proxyA.requests.length = 0;
        proxyB.requests.length = 0;
        await page.goto(proxyA.url + '/');
        await page.waitForFunction(() => window.imchat && window.imchat.frames && window.imchat.frames() > 0);
        const s = await ask(page, '/echo through the direct endpoint');
        assert.equal(s.messages[1].text, 'through the direct endpoint');
        const toB = proxyB.requests.filter((r) => r.method === 'POST' && r.url === '/v1/chat/completions');
        assert.equal(toB.length, 1);
        assert.equal(toB[0].headers.authorization, `Bearer ${key}`, 'the key reached the endpoint');
        assert.ok(proxyA.requests.length > 3, 'the page came from A');
        for (const r of proxyA.requests) {
            assert.equal(r.headers.authorization, undefined, `A saw Authorization on ${r.method} ${r.url}`);
            assert.ok(!JSON.stringify(r).includes(key), `A saw the key in ${r.method} ${r.url}`);
        }
        // The settings window's model list goes to B with the key too, never to A.
        const csp = await page.evaluate(() => (window.__imchatTest ? window.__imchatTest.violations : []));
        assert.deepEqual(csp, []);
        assert.deepEqual(violations, []);
        await context.close();
    });
});
