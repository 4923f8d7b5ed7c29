// A first session's rough edges, in real headless Chromium against a real serve.py: the reply
// buttons stay put when branch arrows appear, a failed reply with no text offers Retry (not
// Continue), Export says why when the chat is empty, a wrong direct URL's error fits the window,
// changing the endpoint drops the old failure and checks the model against the new list, "Export
// all" writes every chat and importing chats already here asks (skip, or keep both marked), and
// code is drawn at the size its font was rasterised at (sharp) at pixel ratio 3.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, openPage, screenshot } from '../lib/browser.mjs';
import { startServer } from '../lib/serve.mjs';
import { ask, clickItem as click, ready, state, waitForState } from '../lib/app.mjs';

// Texts of the last frame that run past their container's left or right edge.
const clipped = (s) => s.texts.filter((t) => t.cw <= 0 || t.x < t.cx - 0.5 || t.x + t.w > t.cx + t.cw + 0.5)
    .map((t) => `${t.where}: "${t.text}"`);

describe('first session', () => {
    let server, browser;
    before(async () => {
        server = await startServer(['--tokens-per-second', '2000']);
        browser = await launchBrowser();
    });
    after(async () => {
        await browser?.close();
        await server?.stop();
    });

    test('Copy and Regenerate keep their place when the branch arrows appear', async () => {
        const tab = await openPage(browser, server.url + '/');
        const page = tab.page;
        await ready(tab);
        const first = (await ask(page, 'hello')).messages[1];
        const before = await waitForState(page, (s) => s.rects[`regenerate-${first.id}`]);
        await click(page, `regenerate-${first.id}`);
        const s = await waitForState(page, (st) => st.messages[1].siblings === 2 && st.messages[1].status === 'done'
            && !st.streaming && st.rects[`regenerate-${st.messages[1].id}`]);
        const second = s.messages[1].id;
        for (const name of ['copy', 'regenerate']) {
            const was = before.rects[`${name}-${first.id}`], now = s.rects[`${name}-${second}`];
            assert.equal(now.x, was.x, `${name} stayed at x=${was.x} (now ${now.x})`);
        }
        await screenshot(page, 'first-session-branches');
        await tab.close();
    });

    test('a failed reply with no text offers Retry, not Continue', async () => {
        const tab = await openPage(browser, server.url + '/');
        const page = tab.page;
        await ready(tab);
        await page.keyboard.insertText('/fail 500');
        await page.keyboard.press('Enter');
        const s = await waitForState(page, (st) => st.messages.length === 2 && st.messages[1].status === 'failed'
            && !st.streaming && st.rects[`retry-${st.messages[1].id}`]);
        assert.equal(s.messages[1].text, '');
        assert.equal(s.rects[`continue-${s.messages[1].id}`], undefined, 'no Continue on a reply with nothing to continue');
        await tab.close();
    });

    test('Export with an empty chat says why', async () => {
        const tab = await openPage(browser, server.url + '/');
        const page = tab.page;
        await ready(tab);
        await click(page, 'export');
        await waitForState(page, (s) => s.rects['export-json']);
        await tab.waitForIdle(300);
        await click(page, 'export-json');
        const s = await waitForState(page, (st) => st.notice !== '');
        assert.match(s.notice, /nothing to export/i);
        await tab.close();
    });

    test("a wrong direct URL's error fits; another endpoint drops it and checks the model", async () => {
        const tab = await openPage(browser, server.url + '/');
        const page = tab.page;
        await ready(tab);
        await page.evaluate(() => window.imchat.act('layout_probe', 1));
        await click(page, 'settings');
        await click(page, 'settings-endpoint-direct');
        await click(page, 'settings-base-url');
        await page.keyboard.insertText('http://127.0.0.1:9/a/very/long/path/that/is/not/an/openai/server/v1');
        await page.keyboard.press('Enter');
        await click(page, 'settings-model');
        await page.keyboard.press('Control+A');
        await page.keyboard.insertText('no-such-model-here');
        await click(page, 'prompt');
        await page.keyboard.insertText('hello');
        await page.keyboard.press('Enter');
        let s = await waitForState(page, (st) => st.messages.length === 2 && !st.streaming && /^failed/.test(st.status)
            && st.texts.some((t) => t.where === 'settings error'));
        await tab.waitForIdle().catch(() => {});
        s = await state(page);
        await screenshot(page, 'first-session-direct-error');
        assert.deepEqual(clipped(s), [], 'the errors fit the window');

        await click(page, 'settings-endpoint-builtin');
        s = await waitForState(page, (st) => st.status === 'ready' && st.modelNotListed
            && st.texts.some((t) => t.where === 'settings model warning'));
        assert.deepEqual(clipped(s), []);
        await tab.close();
    });

    test('"Export all" writes every chat; importing chats that are here asks: skip, or keep both marked', async () => {
        const tab = await openPage(browser, server.url + '/');
        const page = tab.page;
        await ready(tab);
        await ask(page, 'first chat');
        await page.evaluate(() => window.imchat.act('new'));
        await ask(page, 'second chat');
        await click(page, 'export');
        await waitForState(page, (s) => s.rects['export-all']);
        await tab.waitForIdle(300);
        const downloadPromise = page.waitForEvent('download');
        await click(page, 'export-all');
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'imchat-all-')), 'all.json');
        await (await downloadPromise).saveAs(file);
        const bundle = JSON.parse(fs.readFileSync(file, 'utf8'));
        assert.equal(bundle.format, 'imchat.conversations');
        assert.deepEqual(bundle.conversations.map((c) => c.title).sort(), ['first chat', 'second chat']);
        for (const c of bundle.conversations)
            assert.ok(c.updated_ms >= c.created_ms && c.updated_ms > 1.6e12, `updated_ms is a date (${c.updated_ms})`);

        const importFile = async () => {
            const chooserPromise = page.waitForEvent('filechooser');
            await click(page, 'import');
            await (await chooserPromise).setFiles(file);
            // The question auto-sizes: its first frame measures, so its buttons settle a frame
            // later. Click them where they stay.
            await waitForState(page, (st) => st.rects['import-skip']);
            await tab.waitForIdle(300);
        };
        const chats = (await state(page)).chats;
        await importFile();
        await click(page, 'import-skip');
        await tab.waitForIdle();
        assert.equal((await state(page)).chats, chats, 'Skip imports nothing that is already here');

        await importFile();
        await click(page, 'import-keep-both');
        const s = await waitForState(page, (st) => st.chats === chats + 2);
        assert.match(s.title, /\(imported\)$/, `the copy is marked (${s.title})`);
        assert.deepEqual(await tab.problems(), []);
        await tab.close();
    });

    test('code is drawn at the size its font was rasterised at (ratio 3)', async () => {
        const tab = await openPage(browser, server.url + '/', { deviceScaleFactor: 3 });
        const page = tab.page;
        await ready(tab);
        const s = await state(page);
        // Body, mono, three headings, small, bold, italic: every face, code's included.
        assert.equal(s.faces.length, 8);
        for (const [i, f] of s.faces.entries()) {
            assert.equal(f.size, f.baked, `face ${i} drawn at ${f.size} px from a ${f.baked} px bake (a stretched bitmap blurs)`);
            assert.equal(f.density, 3, `face ${i} rasterised at ${f.density} device pixels per pixel (ratio 3)`);
        }
        await tab.close();
    });
});
