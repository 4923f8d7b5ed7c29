// The page in real headless Chromium, served by serve.py (which sends the CSP header):
// start-up, HiDPI canvas, resize, cursor, keyboard, IME composition, clipboard, idle, WebGL
// context loss. Text fields are reached with Tab (ImGui focuses the first InputText), so the
// test does not depend on where the UI puts them; window.imchat.activeText() reads the field
// being edited and window.imchat.ime() the caret that ImGui reported.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, openPage, screenshot } from '../lib/browser.mjs';
import { startServer } from '../lib/serve.mjs';

const DPR = 2;

describe('page', () => {
    let server, browser, tab, page;

    before(async () => {
        server = await startServer();
        browser = await launchBrowser();
        tab = await openPage(browser, server.url + '/', { deviceScaleFactor: DPR, viewport: { width: 1024, height: 700 } });
        page = tab.page;
    });
    after(async () => {
        await browser?.close();
        await server?.stop();
    });

    const activeText = () => page.evaluate(() => window.imchat.activeText());
    const ime = () => page.evaluate(() => window.imchat.ime());
    const canvasSize = () => page.evaluate(() => {
        const c = document.getElementById('canvas');
        return { width: c.width, height: c.height, cssWidth: c.clientWidth, cssHeight: c.clientHeight,
            cursor: c.style.cursor };
    });
    // Lets pending frames run (ImGui needs a few to settle after input).
    const settle = (ms = 250) => page.waitForTimeout(ms);

    test('loads under the CSP and draws a first frame', async () => {
        const csp = await page.evaluate(async () => (await fetch('/')).headers.get('content-security-policy'));
        assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
        assert.ok(!csp.replace("'wasm-unsafe-eval'", '').includes('unsafe-eval'), 'no plain unsafe-eval');
        await tab.waitForFrames(1);
        const first = await page.evaluate(() => window.imchat.firstFrameMs);
        assert.ok(first > 0, 'firstFrameMs is set');
        console.log(`first frame ${first.toFixed(0)} ms after navigation start`);
        assert.equal(await page.evaluate(() => document.getElementById('status').hidden), true, 'loading text hidden');
        const stats = await page.evaluate(() => window.imchat.renderStats());
        assert.ok(stats.texturesAlive >= 1, 'font atlas uploaded');
        assert.ok(stats.drawCalls >= 1, 'something was drawn');
    });

    test('canvas backing store is CSS size x devicePixelRatio', async () => {
        const s = await canvasSize();
        assert.equal(s.width, Math.round(s.cssWidth * DPR));
        assert.equal(s.height, Math.round(s.cssHeight * DPR));
        assert.equal(s.cssWidth, 1024);
    });

    test('resize follows', async () => {
        await page.setViewportSize({ width: 800, height: 520 });
        await page.waitForFunction((dpr) => document.getElementById('canvas').width === 800 * dpr, DPR);
        const s = await canvasSize();
        assert.equal(s.height, 520 * DPR);
        await page.setViewportSize({ width: 1024, height: 700 });
        await page.waitForFunction((dpr) => document.getElementById('canvas').width === 1024 * dpr, DPR);
    });

    // CDP's DPR emulation fires neither `resize` nor the resolution media query the page watches
    // (a real zoom fires both), so here the next frame (a mouse move) must pick the ratio up.
    test('a devicePixelRatio change is applied at the next frame', async () => {
        const cdp = await page.context().newCDPSession(page);
        await cdp.send('Emulation.setDeviceMetricsOverride', { width: 1024, height: 700, deviceScaleFactor: 1.5, mobile: false });
        await page.mouse.move(900, 600);
        await page.waitForFunction(() => document.getElementById('canvas').width === 1536);
        assert.equal((await canvasSize()).height, 1050);
        // Back to the context's own settings (clearing the override would drop those too).
        await cdp.send('Emulation.setDeviceMetricsOverride', { width: 1024, height: 700, deviceScaleFactor: DPR, mobile: false });
        await page.mouse.move(901, 600);
        await page.waitForFunction((dpr) => document.getElementById('canvas').width === 1024 * dpr, DPR);
        await cdp.detach();
    });

    // A click on the prompt box gives it the keyboard (Tab walks the controls' twins instead:
    // tests/browser/a11y.test.mjs).
    const clickPrompt = async () => {
        const r = (await page.evaluate(() => window.imchat.state())).rects.prompt;
        await page.mouse.click(r.x + r.w / 2, r.y + r.h / 2);
    };

    test('typing reaches an ImGui InputText; the cursor is a text cursor over it', async () => {
        await settle();
        await clickPrompt();
        await settle();
        assert.equal(await activeText(), '', 'the click activated an empty text field');
        const caret = await ime();
        assert.equal(caret.wantText, true);
        // The text agent follows the caret (the IME candidate window opens there).
        const agent = await page.evaluate(() => {
            const r = document.getElementById('text-agent').getBoundingClientRect();
            return { x: r.left, y: r.top, focused: document.activeElement.id };
        });
        assert.equal(agent.focused, 'text-agent');
        assert.ok(Math.abs(agent.x - caret.x) < 1 && Math.abs(agent.y - caret.y) < 1, JSON.stringify({ agent, caret }));

        await page.mouse.move(caret.x + 30, caret.y + caret.lineHeight / 2);
        await settle();
        assert.equal((await canvasSize()).cursor, 'text');

        await page.keyboard.type('Hello, world');
        await settle();
        assert.equal(await activeText(), 'Hello, world');
        await page.keyboard.press('Backspace');
        await settle();
        assert.equal(await activeText(), 'Hello, worl');
        await page.keyboard.type('d');
    });

    test('copy and paste go through the clipboard events', async () => {
        await page.evaluate(() => document.addEventListener('copy', (e) => {
            window.__copied = e.clipboardData.getData('text/plain');
        }));
        await page.keyboard.press('Control+A');
        await page.keyboard.press('Control+C');
        await settle();
        assert.equal(await page.evaluate(() => window.__copied), 'Hello, world');
        await page.keyboard.press('End');
        // A paste event as the browser would send it for Ctrl+V, with text from elsewhere.
        await page.evaluate(() => {
            const data = new DataTransfer();
            data.setData('text/plain', ' (pasted)');
            document.getElementById('text-agent').dispatchEvent(new ClipboardEvent('paste', {
                clipboardData: data, bubbles: true, cancelable: true }));
        });
        await settle();
        assert.equal(await activeText(), 'Hello, world (pasted)');
        await page.keyboard.press('Control+A');
        await page.keyboard.press('Backspace');
        await page.keyboard.type('Hi ');
        await settle();
        assert.equal(await activeText(), 'Hi ');
    });

    test('IME composition shows pre-edit text, swallows Enter and commits CJK text', async () => {
        const cdp = await page.context().newCDPSession(page);
        await cdp.send('Input.imeSetComposition', { text: 'ni', selectionStart: 2, selectionEnd: 2 });
        await settle();
        assert.equal((await ime()).composition, 'ni');
        assert.equal(await activeText(), 'Hi ', 'pre-edit text is not inserted');
        await screenshot(page, 'page-ime-composition');
        // Enter confirms the candidate in the IME; ImGui must not see it (it would leave the field).
        await page.keyboard.press('Enter');
        await settle();
        assert.equal(await activeText(), 'Hi ', 'field still active and unchanged');
        await cdp.send('Input.insertText', { text: '你好' });
        await settle();
        assert.equal(await activeText(), 'Hi 你好');
        assert.equal((await ime()).composition, '');
        await cdp.detach();
    });

    test('a blinking caret wakes the page at most twice a second', async () => {
        await tab.waitForIdle(150, 5000).catch(() => {}); // settle frames done; blink wakes continue
        const before = await tab.frames();
        await page.waitForTimeout(2400);
        const drawn = (await tab.frames()) - before;
        assert.ok(drawn >= 2 && drawn <= 6, `frames in 2.4 s with a blinking caret: ${drawn}`);
    });

    test('Enter outside composition reaches ImGui; then the page idles', async () => {
        await page.keyboard.press('Enter');
        await settle();
        // Depending on the UI, Enter leaves a single-line field or sends and clears a composer.
        assert.notEqual(await activeText(), 'Hi 你好', 'Enter had an effect');
        // Leave any text field (a blinking caret legitimately wakes the page).
        await tab.waitForIdle(700, 20000).catch(() => {});
        if (await activeText() !== null) {
            await page.keyboard.press('Escape');
            await settle();
        }
        if (await activeText() !== null) {
            await page.mouse.click(2, 2);
            await settle();
        }
        assert.equal(await activeText(), null, 'no text field active');
        await page.mouse.move(1000, 2);
        const idle = await tab.waitForIdle(700, 20000);
        await page.waitForTimeout(2000);
        assert.equal(await tab.frames(), idle, 'no frames drawn for 2 s without input');
    });

    test('WebGL context loss and restore: drawing resumes with the same picture', async () => {
        const clip = { x: 0, y: 0, width: 600, height: 300 };
        const beforeLoss = await page.screenshot({ clip });
        const framesBefore = await tab.frames();
        await page.evaluate(() => {
            const gl = document.getElementById('canvas').getContext('webgl2');
            window.__loseContext = gl.getExtension('WEBGL_lose_context');
            window.__loseContext.loseContext();
        });
        await settle(300);
        await page.evaluate(() => window.__loseContext.restoreContext());
        await page.waitForFunction(() => window.imchat.renderStats().deviceRebuilds === 1);
        await page.waitForFunction((n) => window.imchat.frames() > n, framesBefore);
        await tab.waitForIdle(500);
        const stats = await page.evaluate(() => window.imchat.renderStats());
        assert.ok(stats.texturesAlive >= 1, 'font atlas re-created');
        const afterRestore = await page.screenshot({ clip });
        assert.ok(afterRestore.equals(beforeLoss), 'same pixels after the context came back');
        // And it keeps responding.
        await clickPrompt();
        // The field becomes active a frame after the click; earlier text has no target. On a loaded
        // machine that frame can take a while: wait for it rather than for a fixed time.
        await page.waitForFunction(() => window.imchat.activeText() !== null);
        await settle();
        await page.keyboard.type('again');
        await settle();
        assert.match(await activeText() ?? '', /again$/);
    });

    test('no console errors, page errors or CSP violations; screenshot', async () => {
        await page.mouse.move(1000, 2);
        await tab.waitForIdle(500);
        const file = await screenshot(page, 'page');
        // A close-up at device resolution, to check that text is crisp.
        await screenshot(page, 'page-text-closeup', { clip: { x: 24, y: 24, width: 520, height: 180 } });
        console.log(`screenshot: ${file}`);
        assert.deepEqual(await tab.problems(), []);
    });
});

describe('page start-up failures give a plain message', () => {
    let server, browser;
    before(async () => {
        server = await startServer();
        browser = await launchBrowser();
    });
    after(async () => {
        await browser?.close();
        await server?.stop();
    });

    test('without WebGL2', async () => {
        const context = await browser.newContext();
        await context.addInitScript(() => {
            const getContext = HTMLCanvasElement.prototype.getContext;
            HTMLCanvasElement.prototype.getContext = function (kind, ...rest) {
                return kind === 'webgl2' ? null : getContext.call(this, kind, ...rest);
            };
        });
        const page = await context.newPage();
        const loaded = [];
        page.on('request', (r) => loaded.push(r.url()));
        await page.goto(server.url + '/');
        await page.waitForFunction(() => window.imchat && window.imchat.error);
        const text = await page.textContent('#status');
        assert.match(text, /WebGL2/);
        assert.equal(loaded.some((u) => u.endsWith('/imchat.js')), false, 'the module is not even loaded');
        await context.close();
    });

    test('when the wasm cannot be fetched', async () => {
        const context = await browser.newContext();
        const page = await context.newPage();
        await page.route('**/imchat.wasm', (route) => route.abort());
        await page.goto(server.url + '/');
        await page.waitForFunction(() => window.imchat && window.imchat.error, null, { timeout: 15000 });
        const text = await page.textContent('#status');
        assert.match(text, /imchat could not be loaded/);
        assert.equal(await page.isVisible('#status'), true);
        await context.close();
    });
});
