// A chat's own settings and a refused prompt, in real headless Chromium against real serve.py
// processes: the requests the page sends to serve.py are read off the wire (Playwright sees
// each POST /api/chat body), so what is asserted is what the server was asked.
//   - "This chat" (the model button of the top bar): another model, system prompt and
//     temperature for one chat; the request uses them, the reply comes from that model (a second
//     serve.py behind the first one's proxy), they survive a reload, another chat uses the
//     global settings.
//   - the settings window's own fields, typed with the real keyboard: the API key shows bullets
//     (not in a screenshot, not in the field's text, never copied), a number field drops letters
//     and leaves an out-of-range number unapplied, the temperature slider follows a drag and
//     the arrow keys.
//   - HTTP 413 for a prompt: the error shows on the turn with Edit; Edit puts the prompt back in
//     the composer and sending makes a new branch; typing on instead leaves the refused prompt
//     out of the next request.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, openPage, screenshot } from '../lib/browser.mjs';
import { startServer } from '../lib/serve.mjs';
import { ask, ready, served, state, waitForState } from '../lib/app.mjs';

function center(r) {
    return [r.x + r.w / 2, r.y + r.h / 2];
}

// Clicks the widget the page reported under `name` (window.imchat.state().rects).
async function click(page, name) {
    const s = await waitForState(page, (st) => st.rects[name], 10000);
    await page.mouse.click(...center(s.rects[name]));
    await page.waitForTimeout(120);  // a frame or two for ImGui to take the click
}

// Replaces the text of the field under `name` with `text`.
async function fill(page, name, text) {
    await click(page, name);
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(text);
    await page.waitForTimeout(120);
}

// Every POST /api/chat body the page sends, parsed, in order.
function recordRequests(page) {
    const bodies = [];
    page.on('request', (r) => {
        if (r.method() === 'POST' && new URL(r.url()).pathname === '/api/chat') bodies.push(JSON.parse(r.postData()));
    });
    return bodies;
}

const roles = (body) => body.messages.map((m) => `${m.role}: ${m.content}`);

describe('chat settings', () => {
    let upstream, server, browser;

    before(async () => {
        // The "other" model is a second serve.py's demo model, reached through the first one's proxy.
        upstream = await startServer(['--tokens-per-second', '3000', '--model-name', 'other-model']);
        server = await startServer(['--tokens-per-second', '3000', '--upstream', upstream.url + '/v1']);
        browser = await launchBrowser();
    });
    after(async () => {
        await browser?.close();
        await server?.stop();
        await upstream?.stop();
    });

    test('one chat gets its own model, system prompt and temperature; they persist; another chat keeps the defaults', async () => {
        const tab = await openPage(browser, server.url + '/');
        const page = tab.page;
        const requests = recordRequests(page);
        await ready(tab);
        let s = await state(page);
        assert.equal(s.chatModel, 'imchat-demo');
        assert.deepEqual(s.overrides, {});

        await click(page, 'chat-settings');
        await click(page, 'chat-model-default');  // untick: the chat's own model, from the global one
        s = await waitForState(page, (st) => st.overrides.model === 'imchat-demo');
        await fill(page, 'chat-model', 'other-model');
        await click(page, 'chat-system-default');
        await fill(page, 'chat-system', 'You are terse.');
        await click(page, 'chat-temperature-default');
        await fill(page, 'chat-temperature', '1.5');
        await page.keyboard.press('Enter');
        s = await waitForState(page, (st) => st.overrides.temperature === 1.5);
        assert.deepEqual(s.overrides, { model: 'other-model', system_prompt: 'You are terse.', temperature: 1.5 });
        assert.equal(s.chatModel, 'other-model');
        await tab.waitForIdle();
        await screenshot(page, 'chat-settings-panel');
        await page.keyboard.press('Escape');  // closes the panel
        await waitForState(page, (st) => !st.chatSettingsOpen);
        await page.keyboard.press('Shift+Escape');  // back to the composer
        await page.waitForTimeout(150);

        s = await ask(page, '/echo hello from the other model');
        assert.equal(s.messages[1].status, 'done');
        assert.equal(s.messages[1].text, 'hello from the other model');
        const sent = requests.at(-1);
        assert.equal(sent.model, 'other-model');
        assert.equal(sent.temperature, 1.5);
        assert.deepEqual(roles(sent), ['system: You are terse.', 'user: /echo hello from the other model']);
        assert.equal((await served(server, s.messages[1].reply_id)).model, 'other-model', 'answered by that model');
        await tab.waitForIdle();
        await screenshot(page, 'chat-settings-header');

        // Kept with the conversation: in its stored record and after a reload.
        await page.waitForTimeout(300);
        const stored = (await page.evaluate(() => window.imchat.history())).conversations.find((c) => c.title);
        assert.deepEqual(stored.overrides, { model: 'other-model', system_prompt: 'You are terse.', temperature: 1.5 });
        await page.reload();
        await ready(tab);
        s = await waitForState(page, (st) => st.messages.length === 2 && st.chatModel === 'other-model');
        assert.deepEqual(s.overrides, { model: 'other-model', system_prompt: 'You are terse.', temperature: 1.5 });

        // Another chat follows the global settings.
        await page.evaluate(() => window.imchat.act('new'));
        s = await waitForState(page, (st) => st.messages.length === 0);
        assert.equal(s.chatModel, 'imchat-demo');
        s = await ask(page, '/echo plain');
        assert.equal(s.messages[1].text, 'plain');
        const plain = requests.at(-1);
        assert.equal(plain.model, 'imchat-demo');
        assert.equal(plain.temperature, undefined);
        assert.deepEqual(roles(plain), ['user: /echo plain']);
        assert.deepEqual(await tab.problems(), []);
        await tab.close();
    });

    test('settings fields: a masked key, a number refusing text, a dragged slider', async () => {
        const tab = await openPage(browser, server.url + '/');
        const page = tab.page;
        await ready(tab);
        await page.evaluate((base) => {
            localStorage.setItem('imchat.settings', JSON.stringify({ version: 1, endpoint: 'direct', base_url: base,
                model: 'imchat-demo' }));
        }, server.url + '/v1');
        await page.reload();
        await ready(tab);
        await page.evaluate(() => document.addEventListener('copy', (e) => {
            window.__copied = e.clipboardData.getData('text/plain');
        }));
        const saved = () => page.evaluate(() => JSON.parse(localStorage.getItem('imchat.settings')));
        const waitSaved = async (predicate) => {
            for (const deadline = Date.now() + 10000; Date.now() < deadline; await page.waitForTimeout(50))
                if (predicate(await saved())) return;
            assert.fail(`settings: ${JSON.stringify(await saved())}`);
        };
        await click(page, 'settings');

        // The key: typed for real, stored, shown and reported only as bullets, never copied.
        const key = 'sk-secret-4711';
        await click(page, 'settings-key');
        await page.keyboard.type(key);
        await waitSaved((s) => s.api_key === key);
        assert.equal(await page.evaluate(() => window.imchat.activeText()), '\u2022'.repeat(key.length));
        await page.keyboard.press('Home');
        await page.keyboard.press('Shift+End');
        await page.keyboard.press('Control+C');
        await page.keyboard.press('Control+X');
        await page.waitForTimeout(150);
        assert.ok(!String(await page.evaluate(() => window.__copied ?? '')).includes('secret'), 'the key was not copied');
        assert.equal((await saved()).api_key, key, 'cut did not remove it either');
        // Tab goes on to the next field (the model), which takes the keyboard.
        await page.keyboard.press('Tab');
        await page.waitForFunction(() => window.imchat.activeText() === 'imchat-demo', null, { timeout: 5000 });

        // max tokens: letters are dropped as typed; 0 is out of range, shown in red and not applied.
        await click(page, 'settings-max_tokens-set');
        await waitSaved((s) => s.max_tokens === 1024);
        await click(page, 'settings-max_tokens');
        await page.keyboard.press('Control+A');
        await page.keyboard.type('2x0y4z8');
        await page.waitForFunction(() => window.imchat.activeText() === '2048');
        await waitSaved((s) => s.max_tokens === 2048);
        await page.keyboard.press('Control+A');
        await page.keyboard.type('0');
        await page.waitForFunction(() => window.imchat.activeText() === '0');
        await page.waitForTimeout(150);
        assert.equal((await saved()).max_tokens, 2048, 'an out-of-range number is not applied');
        await tab.waitForIdle();
        await screenshot(page, 'settings-window');

        // The temperature slider: ticked, it starts at 0.7; a drag to the right end gives 2, the
        // left arrow a step less, a drag to the middle about 1.
        await click(page, 'settings-temperature-set');
        await waitSaved((s) => s.temperature === 0.7);
        const r = (await state(page)).rects['settings-temperature'];
        const y = r.y + r.h / 2;
        await page.mouse.move(r.x + r.w * 0.4, y);
        await page.mouse.down();
        await page.mouse.move(r.x + r.w * 0.7, y, { steps: 4 });
        await page.mouse.move(r.x + r.w + 30, y, { steps: 4 });
        await page.mouse.up();
        await waitSaved((s) => s.temperature === 2);
        await page.keyboard.press('ArrowLeft');
        await waitSaved((s) => Math.abs(s.temperature - 1.95) < 1e-9);
        await page.mouse.move(r.x + 2, y);
        await page.mouse.down();
        await page.mouse.move(r.x + r.w / 2, y, { steps: 5 });
        await page.mouse.up();
        await waitSaved((s) => Math.abs(s.temperature - 1) <= 0.1);
        await tab.waitForIdle();
        await screenshot(page, 'settings-window-slider');
        assert.ok(!JSON.stringify(await state(page)).includes('secret'), 'no key in the page state');
        await tab.close();
    });

    test('a refused prompt: Edit sends it again as a new branch; typing on leaves it out', async () => {
        const tab = await openPage(browser, server.url + '/');
        const page = tab.page;
        const requests = recordRequests(page);
        await ready(tab);
        await page.evaluate(() => window.imchat.act('new'));
        await waitForState(page, (st) => st.messages.length === 0);

        let s = await ask(page, '/http 413');
        const failed = s.messages[1];
        assert.equal(failed.status, 'failed');
        assert.equal(failed.error_status, 413);
        assert.match(failed.error, /413/);
        await tab.waitForIdle();
        await screenshot(page, 'chat-refused');

        await click(page, `edit-failed-${failed.id}`);
        s = await waitForState(page, (st) => st.composer === '/http 413');
        await page.waitForTimeout(120);
        await page.keyboard.press('Control+End');
        for (let i = 0; i < '/http 413'.length; i++) await page.keyboard.press('Backspace');
        await page.keyboard.insertText('/echo fixed');
        await page.keyboard.press('Enter');
        s = await waitForState(page, (st) => st.messages.length === 2 && st.messages[1].status === 'done' && !st.streaming);
        assert.equal(s.messages[0].text, '/echo fixed');
        assert.equal(s.messages[1].text, 'fixed');
        assert.equal(s.messages[0].siblings, 2, 'the refused turn is kept as the other branch');
        assert.deepEqual(roles(requests.at(-1)), ['user: /echo fixed']);

        // Typing on after a refusal: the refused prompt is not sent again.
        s = await ask(page, '/http 413');
        assert.equal(s.messages[3].status, 'failed');
        s = await ask(page, '/echo next');
        assert.equal(s.messages[5].text, 'next');
        assert.deepEqual(roles(requests.at(-1)), ['user: /echo fixed', 'assistant: fixed', 'user: /echo next']);
        s = await ask(page, '/echo third');
        assert.deepEqual(roles(requests.at(-1)), ['user: /echo fixed', 'assistant: fixed', 'user: /echo next',
            'assistant: next', 'user: /echo third']);
        const unexpected = (await tab.problems()).filter((p) => !/413/.test(p));
        assert.deepEqual(unexpected, []);
        await tab.close();
    });
});
