// Input as people really produce it, in real headless Chromium against a real serve.py: a burst
// of keys faster than frames (all of it in the next frame, in order, undo included), taps and
// quick clicks with no hover before them, the first click on a chat's "..." menu, Esc closing
// the topmost thing first, and find counting every match.
//
// Bursts are dispatched inside the page in one task (keydown, the text agent's input, keyup, as
// the browser sends them), so they arrive between two frames whatever the machine's speed; the
// DevTools keyboard and mouse wait for each event to be handled and would spread them out.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, openPage, screenshot } from '../lib/browser.mjs';
import { startServer } from '../lib/serve.mjs';
import { ask, ready, state, waitForState } from '../lib/app.mjs';

const center = (r) => [r.x + r.w / 2, r.y + r.h / 2];

// In the page: dispatches `steps` ([kind, value] pairs) on the text agent, all in this task or
// one per frame, and answers the composer's text and the frames drawn once that is done.
function dispatchKeys([steps, oneByOne]) {
    const agent = document.getElementById('text-agent');
    const code = (k) => (k.length > 1 ? k : k === ' ' ? 'Space' : /[a-z]/i.test(k) ? 'Key' + k.toUpperCase() : '');
    const key = (type, k, ctrl = false) => agent.dispatchEvent(new KeyboardEvent(type, {
        key: k, code: code(k), ctrlKey: ctrl, bubbles: true, cancelable: true }));
    const run = ([kind, value]) => {
        if (kind === 'char') {
            key('keydown', value);
            agent.value = value;
            agent.dispatchEvent(new InputEvent('input', { inputType: 'insertText', data: value, bubbles: true }));
            key('keyup', value);
        } else if (kind === 'key') {
            key('keydown', value);
            key('keyup', value);
        } else if (kind === 'ctrl') {
            key('keydown', 'Control', true);
            key('keydown', value, true);
            key('keyup', value, true);
            key('keyup', 'Control', false);
        }
    };
    // The app asked for its frame when the events came, before this callback: it runs first.
    const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => resolve()));
    return (async () => {
        const frames = window.imchat.frames();
        if (oneByOne) {
            for (const s of steps) {
                run(s);
                await nextFrame();
                await nextFrame();
            }
        } else {
            steps.forEach(run);
            await nextFrame();
        }
        return { text: window.imchat.activeText(), frames: window.imchat.frames() - frames };
    })();
}

// In the page: a press and release at (x, y) in one task, with no move before: a quick click by
// mouse, or a tap by touch.
function pressAndRelease([x, y, touch]) {
    const canvas = document.getElementById('canvas');
    if (touch) {
        const point = () => new Touch({ identifier: 1, target: canvas, clientX: x, clientY: y });
        const send = (type, touches) => canvas.dispatchEvent(new TouchEvent(type, {
            touches, changedTouches: [point()], targetTouches: touches, bubbles: true, cancelable: true }));
        send('touchstart', [point()]);
        send('touchend', []);
    } else {
        const send = (type, buttons) => canvas.dispatchEvent(new MouseEvent(type, {
            clientX: x, clientY: y, button: 0, buttons, bubbles: true, cancelable: true }));
        send('mousedown', 1);
        send('mouseup', 0);
    }
}

describe('input', () => {
    let server, browser, tab, page;

    before(async () => {
        server = await startServer();
        browser = await launchBrowser();
        tab = await openPage(browser, server.url + '/', { viewport: { width: 1100, height: 760 } });
        page = tab.page;
        await ready(tab);
    });
    after(async () => {
        await browser?.close();
        await server?.stop();
    });

    const focusComposer = async () => {
        await page.mouse.click(...center((await state(page)).rects.prompt));
        await page.waitForFunction(() => window.imchat.activeText() !== null);
    };
    const clearComposer = async () => {
        await page.keyboard.press('Control+A');
        await page.keyboard.press('Backspace');
        await page.waitForFunction(() => window.imchat.activeText() === '');
    };

    test('a burst of keys between two frames is all in the next frame, in order, undo included', async () => {
        const chars = (s) => [...s].map((c) => ['char', c]);
        const steps = [...chars('hello world'), ...Array(5).fill(['key', 'Backspace']), ...chars('there'),
            ['ctrl', 'z'], ...chars('!'), ['key', 'ArrowLeft'], ['key', 'ArrowLeft'], ...chars('ab'), ['key', 'Backspace']];
        await clearComposer();
        const slow = await page.evaluate(dispatchKeys, [steps, true]);
        // 'hello world', five Backspaces, 'there' undone, '!', two lefts, 'ab', one Backspace.
        assert.equal(slow.text, 'helloa !', 'typed one key per frame');
        await clearComposer();
        await tab.waitForIdle(100, 5000).catch(() => {});  // the caret blinks; a quiet moment is enough
        const fast = await page.evaluate(dispatchKeys, [steps, false]);
        assert.equal(fast.frames, 1, 'one frame was drawn');
        assert.equal(fast.text, slow.text, 'the burst gives what the same keys typed one by one give');
        await clearComposer();
    });

    test('a picture redrawn only where frames changed it equals the picture drawn whole', async () => {
        const before = await page.evaluate(() => window.imchat.renderStats());
        await page.evaluate(dispatchKeys, [[...'partly redrawn'].map((c) => ['char', c]), true]);
        await page.keyboard.press('Backspace');
        const after = await page.evaluate(() => window.imchat.renderStats());
        assert.ok(after.framesPartlyRedrawn > before.framesPartlyRedrawn, 'keystrokes redrew part of the canvas');
        // The caret is the only thing that changes by itself: a click on the empty transcript
        // takes the keyboard (and the caret) away.
        await page.mouse.click(700, 300);
        await tab.waitForIdle();
        const parts = await page.screenshot();
        await page.evaluate(() => window.imchat.redrawWhole());
        const whole = await page.screenshot();
        assert.ok(parts.equals(whole), 'the same pixels');
        await focusComposer();
        await clearComposer();
    });

    test('a press and release with no hover before it opens a chat, by mouse and by touch', async () => {
        const first = (await ask(page, '/echo the first chat')).title;
        await page.evaluate(() => window.imchat.act('new'));
        await waitForState(page, (s) => s.messages.length === 0);
        const second = (await ask(page, '/echo the second chat')).title;
        assert.notEqual(first, second);
        const row = async (title) => {
            const s = await waitForState(page, (x) => x.rects[`chat:${title}`]);
            return s.rects[`chat:${title}`];
        };
        // The pointer rests elsewhere, so nothing on the sidebar is hovered before the press.
        await page.mouse.move(700, 300);
        await tab.waitForIdle(300).catch(() => {});
        await page.evaluate(pressAndRelease, [...center(await row(first)), false]);
        await waitForState(page, (s) => s.title === first, 10000);
        await page.evaluate(pressAndRelease, [...center(await row(second)), true]);
        await waitForState(page, (s) => s.title === second, 10000);
    });

    test('the first click on "..." of a chat that is not open opens its menu', async () => {
        const s = await state(page);
        const other = Object.keys(s.rects).find((k) => k.startsWith('chat:') && k !== `chat:${s.title}`);
        assert.ok(other, 'another chat is listed');
        const r = s.rects[other];
        // The "..." shows at the right end of a hovered row.
        await page.mouse.move(r.x + r.w / 2, r.y + r.h / 2);
        await page.mouse.move(r.x + r.w - 8, r.y + r.h / 2, { steps: 2 });
        await page.mouse.click(r.x + r.w - 8, r.y + r.h / 2);
        const opened = await waitForState(page, (x) => x.popupOpen, 10000).catch(async (e) => {
            await screenshot(page, 'input-menu-failed');
            throw e;
        });
        assert.equal(opened.title, s.title, 'the chat shown stays the same');
        await page.keyboard.press('Escape');
        await waitForState(page, (x) => !x.popupOpen, 10000);
    });

    test('Esc closes the topmost popup or window first, and stops a reply only when none is open', async () => {
        await focusComposer();
        await page.keyboard.insertText('/long 4000');
        await page.keyboard.press('Enter');
        await waitForState(page, (s) => s.streaming);
        await page.keyboard.press('Control+/');
        await waitForState(page, (s) => s.shortcutsOpen);
        await page.mouse.click(...center((await state(page)).rects['chat-settings']));
        await waitForState(page, (s) => s.chatSettingsOpen);

        await page.keyboard.press('Escape');
        let s = await waitForState(page, (x) => !x.chatSettingsOpen);
        assert.ok(s.shortcutsOpen && s.streaming, 'the Shortcuts window below stays, and so does the reply');
        await page.keyboard.press('Escape');
        s = await waitForState(page, (x) => !x.shortcutsOpen);
        assert.ok(s.streaming, 'the reply goes on');

        await page.mouse.click(...center(s.rects.export));
        await waitForState(page, (x) => x.popupOpen);
        await page.keyboard.press('Escape');
        s = await waitForState(page, (x) => !x.popupOpen);
        assert.ok(s.streaming, 'closing the menu left the reply alone');

        await page.keyboard.press('Escape');
        s = await waitForState(page, (x) => !x.streaming);
        assert.equal(s.messages.at(-1).status, 'stopped');
    });

    test('find counts every match as "k of n"; Enter and Shift+Enter move between them', async () => {
        await page.evaluate(() => window.imchat.act('new'));
        await waitForState(page, (x) => x.messages.length === 0);
        await focusComposer();
        await ask(page, '/echo gamma, Gamma and GAMMA');  // three in the prompt, three in the reply
        await page.keyboard.press('Control+F');
        await page.waitForFunction(() => window.imchat.activeText() === '');
        await page.keyboard.type('gamma');
        let s = await waitForState(page, (x) => x.find === 'gamma');
        assert.deepEqual(s.findMatches, [1, 6]);
        await page.keyboard.press('Enter');
        s = await waitForState(page, (x) => x.findMatches[0] !== 1);
        assert.deepEqual(s.findMatches, [2, 6]);
        await page.keyboard.press('Shift+Enter');
        s = await waitForState(page, (x) => x.findMatches[0] !== 2);
        assert.deepEqual(s.findMatches, [1, 6]);
        await page.keyboard.press('Shift+Enter');
        s = await waitForState(page, (x) => x.findMatches[0] !== 1);
        assert.deepEqual(s.findMatches, [6, 6], 'back from the first is the last');
        await page.keyboard.press('Escape');
        await waitForState(page, (x) => x.find === '');
        assert.deepEqual(await tab.problems(), []);
    });
});
