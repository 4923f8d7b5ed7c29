// Scrolling the transcript in real headless Chromium: a touch drag (touch events sent through
// the DevTools protocol, as a touch screen sends them) scrolls and selects nothing, a quick one
// flings on after the finger lifts and then stops drawing, a tap still presses buttons, while a
// mouse drag still selects text and the wheel scrolls.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, openPage, screenshot } from '../lib/browser.mjs';
import { startServer } from '../lib/serve.mjs';
import { ready, state, waitForState } from '../lib/app.mjs';

describe('touch', () => {
    let server, browser, tab, page, cdp, bottom;

    // One finger from (x, y0) to (x, y1) in `steps` moves `stepMs` apart, lifted `restMs` after
    // the last. The events carry these times (the page measures the finger's speed by them), so
    // a flick is as quick as written whatever the speed of this machine.
    async function touchDrag(x, y0, y1, { steps, stepMs, restMs = stepMs }) {
        let t = Date.now() / 1000;
        const send = (type, touchPoints) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints, timestamp: t });
        await send('touchStart', [{ x, y: y0 }]);
        for (let i = 1; i <= steps; i++) {
            t += stepMs / 1000;
            await send('touchMove', [{ x, y: y0 + (y1 - y0) * i / steps }]);
        }
        t += restMs / 1000;
        await send('touchEnd', []);
    }
    async function tap(x, y) {
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x, y }] });
        await page.waitForTimeout(50);
        await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
    }
    const scrollY = async () => (await state(page)).transcriptScrollY;

    before(async () => {
        server = await startServer([]);
        browser = await launchBrowser();
        tab = await openPage(browser, server.url + '/');
        page = tab.page;
        cdp = await tab.context.newCDPSession(page);
        await ready(tab);
        // A long conversation, shown from its end.
        await page.evaluate(() => window.imchat.act('bench_history', 60));
        await tab.waitForIdle();
        bottom = await scrollY();
        assert.ok(bottom > 5000, `a long transcript, scrolled to its end (${bottom})`);
    });
    after(async () => {
        await browser?.close();
        await server?.stop();
    });

    test('a touch drag scrolls by the distance dragged and selects nothing', async () => {
        // The finger rests before it lifts: no fling.
        await touchDrag(600, 200, 450, { steps: 25, stepMs: 30, restMs: 200 });
        await tab.waitForIdle();
        const s = await state(page);
        const moved = bottom - s.transcriptScrollY;
        assert.ok(Math.abs(moved - 250) <= 2, `scrolled up by ${moved} px for a 250 px drag`);
        assert.equal(s.selection, '', 'a touch drag selects no text');
        await screenshot(page, 'touch-scrolled');

        // Dragging up brings the content back down.
        const before = s.transcriptScrollY;
        await touchDrag(600, 450, 300, { steps: 15, stepMs: 30, restMs: 200 });
        await tab.waitForIdle();
        assert.ok((await scrollY()) > before + 100, 'a drag upward scrolls down');
    });

    test('a quick flick flings on after release, then the page stops drawing', async () => {
        const start = await scrollY();
        await touchDrag(600, 200, 400, { steps: 10, stepMs: 16 });  // 1250 px/s
        const idleFrames = await tab.waitForIdle();
        const end = await scrollY();
        assert.ok(start - end > 450 && start - end < 800, `a 200 px flick moved ${start - end} px: on after the finger lifted`);
        await page.waitForTimeout(500);
        assert.equal(await tab.frames(), idleFrames, 'no frames once the fling stopped');
    });

    test('a tap presses a button: Jump to latest', async () => {
        const jump = (await waitForState(page, (s) => s.rects['jump-latest'])).rects['jump-latest'];
        await tap(jump.x + jump.w / 2, jump.y + jump.h / 2);
        await tab.waitForIdle();
        assert.ok(Math.abs((await scrollY()) - bottom) < 2, 'back at the end');
    });

    test('the mouse still selects by dragging, and the wheel scrolls', async () => {
        const s = await state(page);
        const id = Object.keys(s.rects).filter((k) => /^message-\d+$/.test(k))
            .map((k) => s.rects[k]).find((r) => r.y > 80 && r.y + 60 < 560);
        assert.ok(id, 'a message wholly in view');
        await page.mouse.move(id.x + 2, id.y + 10);
        await page.mouse.down();
        await page.mouse.move(id.x + 300, id.y + 40, { steps: 8 });
        await page.mouse.up();
        await tab.waitForIdle();
        const selected = await state(page);
        assert.ok(selected.selection.length > 10, `selected "${selected.selection}"`);
        assert.ok(Math.abs(selected.transcriptScrollY - bottom) < 2, 'a mouse drag does not scroll');

        await page.mouse.wheel(0, -500);
        await tab.waitForIdle();
        assert.ok((await scrollY()) < bottom - 100, 'the wheel scrolls up');
        assert.deepEqual(await tab.problems(), []);
    });

    test('in a long prompt, a tap places the caret and a drag scrolls the prompt', async () => {
        const text = Array.from({ length: 20 }, (_, i) => `prompt line ${i + 1}`).join('\n');
        const r0 = (await state(page)).rects.prompt;
        await tap(r0.x + 40, r0.y + r0.h / 2);
        await tab.waitForIdle();
        await page.keyboard.insertText(text);
        await page.waitForFunction((t) => window.imchat.activeText() === t, text);
        await tab.waitForIdle();
        const r = (await state(page)).rects.prompt;
        const x = r.x + 60, y = r.y + r.h / 2;
        await tap(x, y);
        await tab.waitForIdle();
        const placed = await page.evaluate(() => window.imchat.ime());
        await touchDrag(x, y, y + 60, { steps: 6, stepMs: 30, restMs: 200 });
        await tab.waitForIdle();
        const after = await page.evaluate(() => window.imchat.ime());
        assert.ok(Math.abs(after.y - placed.y - 60) <= 2, `the prompt moved with the finger: ${placed.y} -> ${after.y}`);
        assert.equal(await page.evaluate(() => window.imchat.activeText()), text, 'nothing typed or deleted');
        await screenshot(page, 'touch-prompt-scrolled');
    });
});
