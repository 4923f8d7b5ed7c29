// Bad input that reaches the page itself, in real headless Chromium against real serve.py
// instances: markdown nested 10 000 levels deep, a 10 MB paste, a 50 MB and a malformed
// conversation import, IndexedDB unavailable (private mode) or over quota, and a direct endpoint
// on another origin that sends no CORS headers. Each test asserts the message the user sees and
// that the app keeps working: what was shown stays, and a normal prompt still gets its reply.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, openPage, screenshot } from '../lib/browser.mjs';
import { startServer } from '../lib/serve.mjs';
import { ask, settled, state, waitForState } from '../lib/app.mjs';


// The app keeps working: every message shown before is unchanged, and a new prompt is answered.
async function assertStillWorks(page, shown) {
    const s = await ask(page, '/echo still working');
    assert.equal(s.messages.at(-1).status, 'done');
    assert.equal(s.messages.at(-1).text, 'still working');
    for (let i = 0; i < shown.length; i++) {
        assert.ok(s.messages[i].text === shown[i].text, `message ${i} shown before is unchanged`);
    }
}

describe('bad input on the page', () => {
    let server, browser;
    before(async () => {
        server = await startServer(['--tokens-per-second', '5000', '--max-body-bytes', String(64 << 20)]);
        browser = await launchBrowser();
    });
    after(async () => {
        await browser?.close();
        await server?.stop();
    });

    test('markdown nested 10 000 levels deep renders without breaking the page', async () => {
        const tab = await openPage(browser, server.url + '/');
        const page = tab.page;
        await tab.waitForFrames(1);
        const first = await ask(page, '/echo a normal reply first');
        // One line (the composer takes typed text without newlines): quotes in lists in emphasis
        // in links, each 10 000 deep, then 10 000 backticks.
        const deep = '> '.repeat(10000) + '- '.repeat(10000) + '*'.repeat(10000) + 'deep' + '*'.repeat(10000)
            + ' ' + '['.repeat(10000) + 'x' + '](https://example.invalid/)'.repeat(10000) + ' ' + '`'.repeat(10000) + 'end';
        const s = await ask(page, `/echo ${deep}`, 60000);
        assert.equal(s.messages.at(-1).status, 'done');
        assert.ok(s.messages.at(-1).text === deep, 'the reply is the whole text');
        const frames = await tab.frames();
        await tab.waitForIdle(600, 30000);
        assert.ok(await tab.frames() > frames, 'frames are still drawn');
        const mirror = await page.evaluate(() => document.getElementById('transcript-mirror').lastChild.textContent);
        assert.ok(mirror.endsWith('end'), 'the whole reply is in the mirror');
        await screenshot(page, 'bad-input-deep-markdown');
        await assertStillWorks(page, first.messages.concat(s.messages.slice(2)));
        assert.deepEqual(await tab.problems(), []);
        await tab.close();
    });

    test('a 10 MB paste lands in the composer; sending it gives a clear answer', async () => {
        // serve.py's default body limit (4 MiB), as a real server has one.
        const plain = await startServer(['--tokens-per-second', '5000']);
        after(() => plain.stop());
        const tab = await openPage(browser, plain.url + '/');
        const page = tab.page;
        await tab.waitForFrames(1);
        const first = await ask(page, '/echo before the paste');
        const size = 10 << 20;
        const started = Date.now();
        await page.evaluate((n) => {
            const text = 'paste '.repeat(Math.ceil(n / 6)).slice(0, n);
            const dt = new DataTransfer();
            dt.setData('text/plain', text);
            document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true }));
        }, size);
        const pasted = await waitForState(page, (s) => s.composer.length > 0, 60000);
        const pasteMs = Date.now() - started;
        assert.ok(pasted.composer.length === size, `the whole text is in the composer (${pasted.composer.length})`);
        await page.keyboard.press('Enter');
        const s = await waitForState(page, (st) => st.messages.length === 4 && settled(st), 120000);
        const reply = s.messages.at(-1);
        assert.ok(s.messages[2].text.length === size, 'the prompt is kept whole');
        assert.equal(reply.status, 'failed', JSON.stringify(reply).slice(0, 300));
        assert.equal(s.lastError, 'HTTP 413: request body too large (limit 4194304 bytes)');
        console.log(`10 MB prompt: ${s.status}`);
        await tab.waitForIdle();
        await screenshot(page, 'bad-input-10mb-prompt');
        console.log(`10 MB paste: in the composer after ${pasteMs} ms`);
        // The refused prompt stays on screen but is left out of this chat's later requests
        // (resending it would meet the same 413): the next prompt here gets its reply.
        const again = await ask(page, '/echo still working');
        assert.equal(again.messages.at(-1).text, 'still working');
        assert.equal(again.messages[2].text.length, size, 'the refused prompt is still shown');
        // The browser logs the refused POST itself; nothing else may go wrong.
        assert.deepEqual((await tab.problems()).filter((p) => !/\b413\b/.test(p)), []);
        await tab.close();
    });

    test('a 50 MB conversation import, and a malformed one', async () => {
        const tab = await openPage(browser, server.url + '/');
        const page = tab.page;
        await tab.waitForFrames(1);
        const first = await ask(page, '/echo before the import');
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'imchat-import-'));

        // Malformed: the notice says why; the open chat is untouched.
        const bad = path.join(dir, 'bad.json');
        fs.writeFileSync(bad, '{"format": "imchat.conversation", "messages": [ {"role": "user", "text": ');
        let chooser = page.waitForEvent('filechooser');
        await page.mouse.click(...center((await state(page)).rects.import));
        await (await chooser).setFiles(bad);
        let s = await waitForState(page, (st) => st.notice !== '');
        assert.match(s.notice, /^Cannot import this file: .+/, s.notice);
        console.log(`malformed import notice: ${s.notice}`);
        assert.deepEqual(s.messages.map((m) => m.text), first.messages.map((m) => m.text));
        await tab.waitForIdle();
        await screenshot(page, 'bad-input-import-malformed');

        // 50 MB: 500 exchanges of ~100 KB. It imports (or is refused with a clear notice).
        const exported = await page.evaluate(() => window.imchat.state());
        const big = path.join(dir, 'big.json');
        const messages = [];
        const body = 'lorem ipsum dolor sit amet '.repeat(3900);
        for (let i = 0; i < 500; i++) {
            messages.push({ role: 'user', content: `question ${i}` });
            messages.push({ role: 'assistant', content: `answer ${i} ${body}` });
        }
        // The common {"messages":[{"role","content"}]} shape other chat apps export.
        fs.writeFileSync(big, JSON.stringify({ messages }));
        const bytes = fs.statSync(big).size;
        assert.ok(bytes > 50e6, `${bytes} bytes`);
        chooser = page.waitForEvent('filechooser');
        await page.mouse.click(...center((await state(page)).rects.import));
        const started = Date.now();
        await (await chooser).setFiles(big);
        s = await waitForState(page, (st) => st.chats >= 2 || (st.notice !== '' && st.notice !== exported.notice), 120000);
        console.log(`50 MB import (${bytes} bytes): ${Date.now() - started} ms, ${s.messages.length} messages shown,`
            + ` notice ${JSON.stringify(s.notice)}`);
        if (s.chats >= 2) {
            assert.equal(s.messages.length, 1000, 'every message imported');
            assert.ok(s.messages[999].text === `answer 499 ${body}`, 'the last message is whole');
        } else {
            assert.ok(s.notice.length > 10, 'a clear notice');
        }
        await tab.waitForIdle(600, 60000);
        await assertStillWorks(page, s.messages);
        const problems = await tab.problems();
        assert.deepEqual(problems, []);
        await tab.close();
    });

    test('IndexedDB unavailable (private mode): the app says history cannot be saved and keeps chatting', async () => {
        const context = await browser.newContext();
        await context.addInitScript(() => {
            Object.defineProperty(window, 'indexedDB', { get() { throw new DOMException('no storage here', 'SecurityError'); } });
        });
        const tab = await openInContext(context, server.url + '/');
        const page = tab.page;
        await page.waitForFunction(() => window.imchat && window.imchat.frames && window.imchat.frames() > 0);
        const s0 = await waitForState(page, (s) => s.historyProblem !== '');
        assert.match(s0.historyProblem, /^History cannot be saved: /);
        console.log(`no IndexedDB: ${s0.historyProblem}`);
        const first = await ask(page, '/echo chatting without storage');
        assert.equal(first.messages[1].status, 'done');
        await assertStillWorks(page, first.messages);
        await tab.waitForIdle();
        await screenshot(page, 'bad-input-no-indexeddb');
        assert.deepEqual(tab.pageErrors, []);
        await context.close();
    });

    test('IndexedDB over quota: the app says history cannot be saved and keeps chatting', async () => {
        const context = await browser.newContext();
        await context.addInitScript(() => {
            IDBObjectStore.prototype.put = function () {
                throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
            };
        });
        const tab = await openInContext(context, server.url + '/');
        const page = tab.page;
        await page.waitForFunction(() => window.imchat && window.imchat.frames && window.imchat.frames() > 0);
        const first = await ask(page, '/echo a reply that cannot be stored');
        const s = await waitForState(page, (st) => st.historyProblem !== '', 10000);
        assert.match(s.historyProblem, /^History cannot be saved: the browser's storage for this page is full/);
        console.log(`over quota: ${s.historyProblem}`);
        await assertStillWorks(page, first.messages);
        await tab.waitForIdle();
        await screenshot(page, 'bad-input-quota');
        assert.deepEqual(tab.pageErrors, []);
        await context.close();
    });
});

describe('a direct endpoint without CORS', () => {
    let pageServer, other, browser;
    before(async () => {
        pageServer = await startServer(['--tokens-per-second', '5000']);
        other = await startServer(['--tokens-per-second', '5000']);  // serve.py sends no CORS headers
        browser = await launchBrowser();
    });
    after(async () => {
        await browser?.close();
        await pageServer?.stop();
        await other?.stop();
    });

    test('the message names the origin and CORS; switching back works', async () => {
        const context = await browser.newContext();
        await context.addInitScript((base) => {
            if (!sessionStorage.getItem('seeded')) {
                sessionStorage.setItem('seeded', '1');
                localStorage.setItem('imchat.settings', JSON.stringify({ version: 1, endpoint: 'direct',
                    base_url: base, model: 'imchat-demo' }));
            }
        }, `${other.url}/v1`);
        const tab = await openInContext(context, pageServer.url + '/');
        const page = tab.page;
        await page.waitForFunction(() => window.imchat && window.imchat.frames && window.imchat.frames() > 0);
        await page.keyboard.insertText('/echo across origins');
        await page.keyboard.press('Enter');
        const s = await waitForState(page, (st) => st.messages.length === 2 && settled(st));
        const origin = other.url;
        assert.equal(s.messages[1].status, 'failed');
        assert.equal(s.lastError, `could not reach ${origin}: the endpoint refused the connection or does not `
            + 'allow this page\'s origin (CORS)');
        await tab.waitForIdle();
        await screenshot(page, 'bad-input-cors');
        // Back to the built-in endpoint (as the settings window does), then Retry: it works.
        await page.evaluate(() => {
            localStorage.setItem('imchat.settings', JSON.stringify({ version: 1, endpoint: 'builtin', model: 'imchat-demo' }));
        });
        await page.reload();
        await page.waitForFunction(() => window.imchat && window.imchat.frames && window.imchat.frames() > 0);
        const kept = await waitForState(page, (st) => st.messages.length === 2);
        assert.equal(kept.messages[0].text, '/echo across origins', 'the prompt was kept');
        await assertStillWorks(page, kept.messages.slice(0, 1));
        // The only problems: the browser's own CORS complaints.
        const problems = (await tab.problems()).filter((p) => !/CORS|Failed to fetch|ERR_FAILED/.test(p));
        assert.deepEqual(problems, []);
        await context.close();
    });
});

function center(r) {
    return [r.x + r.w / 2, r.y + r.h / 2];
}

// openPage() for a context made here (with its own init scripts).
async function openInContext(context, url) {
    const page = await context.newPage();
    const pageErrors = [];
    const consoleMessages = [];
    page.on('pageerror', (err) => pageErrors.push(String(err)));
    page.on('console', (msg) => consoleMessages.push({ type: msg.type(), text: msg.text() }));
    await page.goto(url);
    const tab = {
        page, pageErrors, consoleMessages,
        frames: () => page.evaluate(() => (window.imchat && window.imchat.frames ? window.imchat.frames() : 0)),
        async waitForIdle(quietMs = 600, timeout = 15000) {
            const deadline = Date.now() + timeout;
            let last = await tab.frames();
            let since = Date.now();
            while (Date.now() < deadline) {
                await page.waitForTimeout(100);
                const now = await tab.frames();
                if (now !== last) { last = now; since = Date.now(); } else if (Date.now() - since >= quietMs) return;
            }
        },
        async problems() {
            return consoleMessages.filter((m) => m.type === 'error').map((m) => `console.error: ${m.text}`)
                .concat(pageErrors.map((e) => `page error: ${e}`));
        },
    };
    return tab;
}
