// The chat as a person uses it, in real headless Chromium against a real serve.py: type a prompt
// with the keyboard, press Enter, watch the reply stream in; Stop mid-stream; regenerate and
// move between the two replies; a reload mid-stream that resumes the same reply.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, openPage, screenshot } from '../lib/browser.mjs';
import { startServer } from '../lib/serve.mjs';
import { ready, served, state, waitForState } from '../lib/app.mjs';


// The number of distinct pixels between two screenshots of the same region.
function changedPixels(a, b) {
    let changed = 0;
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i++) if (a[i] !== b[i]) changed++;
    return changed + Math.abs(a.length - b.length);
}

describe('chat', () => {
    let fast, slow, browser;

    before(async () => {
        fast = await startServer(['--tokens-per-second', '2000']);
        slow = await startServer(['--tokens-per-second', '25']);
        browser = await launchBrowser();
    });
    after(async () => {
        await browser?.close();
        await fast?.stop();
        await slow?.stop();
    });

    test('a prompt typed with the keyboard streams a reply equal to what the server sent', async () => {
        const tab = await openPage(browser, fast.url + '/');
        const page = tab.page;
        await ready(tab);
        await tab.waitForIdle();
        const region = { x: 0, y: 40, width: 1024, height: 540 };
        const before = await page.screenshot({ clip: region });

        await page.keyboard.type('Hello! What is a good way to test a streaming client?');
        await page.keyboard.press('Enter');
        await page.waitForFunction(() => {
            const s = window.imchat.state();
            return s.messages.length === 2 && s.messages[1].status === 'done' && !s.streaming;
        }, null, { timeout: 30000 });
        const s = await state(page);
        assert.equal(s.messages[0].role, 'user');
        assert.equal(s.messages[0].text, 'Hello! What is a good way to test a streaming client?');
        assert.equal(s.composer, '', 'the composer is emptied after sending');
        assert.equal(s.messages[1].role, 'assistant');
        const truth = await served(fast, s.messages[1].reply_id);
        assert.equal(truth.status, 'done');
        assert.ok(truth.content.length > 200, 'a real multi-paragraph reply');
        assert.equal(s.messages[1].text, truth.content, 'reply text equals what the server generated');
        assert.equal(s.lastError, '');

        await tab.waitForIdle();
        const afterShot = await page.screenshot({ clip: region });
        assert.ok(changedPixels(before, afterShot) > 1000, 'the transcript area changed on screen');
        assert.deepEqual(await tab.problems(), [], 'no console errors or CSP violations');
        await screenshot(page, 'chat-reply');
        await tab.close();
    });

    test('Shift+Enter breaks the line; Enter sends both lines as one prompt', async () => {
        const tab = await openPage(browser, fast.url + '/');
        const page = tab.page;
        await ready(tab);
        await page.keyboard.type('first line');
        await page.keyboard.down('Shift');
        await page.keyboard.press('Enter');
        await page.keyboard.up('Shift');
        await page.keyboard.type('second line');
        await page.keyboard.press('Enter');
        await waitForState(page, (s) => s.messages.length === 2 && s.messages[1].status === 'done');
        assert.equal((await state(page)).messages[0].text, 'first line\nsecond line');
        await tab.close();
    });

    test('Chinese prompt gets a Chinese reply, drawn with the system\'s CJK font', async () => {
        const tab = await openPage(browser, fast.url + '/');
        const page = tab.page;
        await ready(tab);
        await page.keyboard.insertText('你好，请介绍一下流式传输');
        await page.keyboard.press('Enter');
        await waitForState(page, (s) => s.messages.length === 2 && s.messages[1].status === 'done');
        const s = await state(page);
        assert.match(s.messages[1].text, /[\u4e00-\u9fff]/);
        await tab.waitForIdle();
        await screenshot(page, 'chat-chinese');
        await tab.close();
    });

    test('Stop mid-stream keeps the text shown and stops the server', async () => {
        const tab = await openPage(browser, slow.url + '/');
        const page = tab.page;
        await ready(tab);
        await page.keyboard.type('Tell me a long story about streams');
        await page.keyboard.press('Enter');
        await waitForState(page, (s) => s.messages.length === 2 && s.messages[1].text.length > 40);
        await page.keyboard.press('Escape');  // Stop, like the Stop button
        await waitForState(page, (s) => !s.streaming);
        const s = await state(page);
        assert.equal(s.messages[1].status, 'stopped');
        const kept = s.messages[1].text;
        assert.ok(kept.length > 40);
        await page.waitForTimeout(600);
        const truth = await served(slow, s.messages[1].reply_id);
        assert.notEqual(truth.status, 'streaming', 'the server stopped generating');
        assert.ok(truth.content.startsWith(kept), 'what was shown is a prefix of what was generated');
        assert.equal((await state(page)).messages[1].text, kept, 'nothing shown was lost or added after Stop');
        await tab.close();
    });

    test('a reload mid-stream brings the conversation back and resumes the same reply', async () => {
        const tab = await openPage(browser, slow.url + '/');
        const page = tab.page;
        await ready(tab);
        await page.keyboard.type('Tell me about resuming streams');
        await page.keyboard.press('Enter');
        const before = await waitForState(page, (s) => s.messages.length === 2 && s.messages[1].text.length > 30
            && s.messages[1].reply_id !== '');
        await page.waitForTimeout(400);  // at least one throttled history write after that text
        await page.reload();
        await ready(tab);
        const resumed = await waitForState(page, (s) => s.messages.length === 2 && s.messages[1].reply_id === before.messages[1].reply_id
            && s.messages[1].status === 'done', 60000);
        const truth = await served(slow, before.messages[1].reply_id);
        assert.equal(resumed.messages[0].text, 'Tell me about resuming streams');
        assert.equal(resumed.messages[1].text, truth.content, 'the same reply, complete, nothing lost or doubled');
        assert.ok(resumed.messages[1].text.startsWith(before.messages[1].text), 'what was shown before the reload is kept');
        assert.deepEqual(await tab.problems(), []);
        await tab.close();
    });

    test('Regenerate adds a sibling reply and the arrows move between them', async () => {
        const tab = await openPage(browser, fast.url + '/');
        const page = tab.page;
        await ready(tab);
        await page.keyboard.type('Give me two different answers');
        await page.keyboard.press('Enter');
        await waitForState(page, (s) => s.messages.length === 2 && s.messages[1].status === 'done');
        const first = (await state(page)).messages[1];
        await page.evaluate(() => window.imchat.act('regenerate'));
        await waitForState(page, (s) => s.messages[1].siblings === 2 && s.messages[1].status === 'done' && !s.streaming);
        const second = (await state(page)).messages[1];
        assert.notEqual(second.id, first.id);
        assert.equal(second.sibling, 2);
        await page.evaluate(() => window.imchat.act('sibling', -1));
        await waitForState(page, (s) => s.messages[1].sibling === 1);
        assert.equal((await state(page)).messages[1].text, first.text);
        await tab.waitForIdle();
        await screenshot(page, 'chat-branches');
        await tab.close();
    });
});

describe('chat errors', () => {
    let server, browser;
    before(async () => {
        server = await startServer(['--tokens-per-second', '2000']);
        browser = await launchBrowser();
    });
    after(async () => {
        await browser?.close();
        await server?.stop();
    });

    test('HTTP 429 shows the reason and counts down to an automatic retry', async () => {
        const tab = await openPage(browser, server.url + '/');
        const page = tab.page;
        await ready(tab);
        await page.keyboard.type('/http 429');
        await page.keyboard.press('Enter');
        // The countdown starts with the first frame after the failure arrived.
        const s = await waitForState(page, (st) => st.messages.length === 2 && st.messages[1].status === 'failed'
            && st.retryInMs > 0);
        assert.match(s.messages[1].error, /429/);
        assert.match(s.status, /^failed: .*retry after 2 s/);
        assert.ok(s.retryInMs > 0 && s.retryInMs <= 2000, `countdown running (${s.retryInMs} ms)`);
        // The countdown ends in a new attempt (which this test server refuses again): the
        // countdown starts over.
        let lowest = s.retryInMs;
        await waitForState(page, (st) => {
            if (st.retryInMs >= 0) lowest = Math.min(lowest, st.retryInMs);
            return lowest < 700 && st.retryInMs > lowest + 600;
        }, 8000);
        await screenshot(page, 'chat-429');
        await tab.close();
    });

    test('a failure in the stream keeps the text shown and offers Retry', async () => {
        const tab = await openPage(browser, server.url + '/');
        const page = tab.page;
        await ready(tab);
        await page.keyboard.type('/fail 500 20');
        await page.keyboard.press('Enter');
        const s = await waitForState(page, (st) => st.messages.length === 2 && !st.streaming
            && ['interrupted', 'failed'].includes(st.messages[1].status));
        assert.ok(s.lastError.length > 0, 'the reason is shown');
        assert.deepEqual(await tab.problems(), []);
        await tab.close();
    });
});
