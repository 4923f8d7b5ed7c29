// The prompt box in real headless Chromium: it soft-wraps at its width (Latin at spaces, CJK
// between characters) and grows with its text up to eight lines, then scrolls; the editing
// keys (arrows, Home/End, word moves and deletes, undo/redo, select all), mouse placement and
// double-click; Japanese IME composition, where Enter picks the candidate and does not send.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { launchBrowser, openPage, screenshot } from '../lib/browser.mjs';
import { startServer } from '../lib/serve.mjs';
import { ready, state } from '../lib/app.mjs';

describe('composer', () => {
    let server, browser, tab, page;

    before(async () => {
        server = await startServer();
        browser = await launchBrowser();
        tab = await openPage(browser, server.url + '/', { deviceScaleFactor: 1, viewport: { width: 900, height: 700 } });
        page = tab.page;
        await ready(tab);
    });
    after(async () => {
        await browser?.close();
        await server?.stop();
    });

    const settle = (ms = 200) => page.waitForTimeout(ms);
    const text = () => page.evaluate(() => window.imchat.activeText());
    const ime = () => page.evaluate(() => window.imchat.ime());
    // Typed keys land in the next frame, whenever that is drawn: wait for the text rather than
    // for a fixed time.
    const waitText = async (expected) => {
        await page.waitForFunction((t) => window.imchat.activeText() === t, expected, { timeout: 20000 })
            .catch(async () => assert.equal(await text(), expected));
        await settle(100);
    };
    const promptRect = async () => (await state(page)).rects.prompt;
    const clear = async () => {
        await page.keyboard.press('Control+A');
        await page.keyboard.press('Backspace');
        await waitText('');
    };

    beforeEach(async () => {
        if (await text()) await clear();
    });

    test('a long line wraps and the box grows, up to a limit, then scrolls', async () => {
        const one = await promptRect();
        const sentence = 'The quick brown fox jumps over the lazy dog while the model keeps streaming. ';
        await page.keyboard.insertText(sentence.repeat(3));
        await waitText(sentence.repeat(3));
        const three = await promptRect();
        assert.ok(three.h > one.h * 1.8, `wrapped lines grew the box: ${one.h} -> ${three.h}`);
        assert.equal(three.w, one.w, 'the box keeps its width (nothing runs off to the right)');
        await screenshot(page, 'composer-wrapped');

        // Chinese has no spaces: it must wrap between characters too.
        await clear();
        await page.keyboard.insertText('这是一段没有空格的中文文本，用来检查输入框会不会在字符之间换行。'.repeat(4));
        await settle(400);
        assert.ok((await promptRect()).h > one.h * 1.8, 'CJK text wrapped');
        await screenshot(page, 'composer-wrapped-chinese');

        // Twenty lines: the box stops at eight and scrolls, keeping the caret in view.
        await clear();
        for (let i = 1; i <= 20; i++) {
            await page.keyboard.type(`line ${i}`);
            if (i < 20) await page.keyboard.press('Shift+Enter');
        }
        await waitText(Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join('\n'));
        assert.equal((await state(page)).messages.length, 0);
        const tall = await promptRect();
        const caret = await ime();
        const padding = one.h - caret.lineHeight;
        assert.ok(Math.abs(tall.h - padding - 8 * caret.lineHeight) < 1, `eight lines high: ${tall.h} (one line: ${one.h})`);
        assert.ok(caret.y > tall.y && caret.y + caret.lineHeight <= tall.y + tall.h + 1, 'the caret is scrolled into view');
        await screenshot(page, 'composer-scrolled');
        await clear();
        assert.ok(Math.abs((await promptRect()).h - one.h) < 1, 'emptied, it is one line again');
    });

    test('editing keys: arrows, Home/End, words, undo and redo', async () => {
        await page.keyboard.type('hello big world');
        await page.keyboard.press('Home');
        await page.keyboard.type('> ');
        await page.keyboard.press('End');
        await page.keyboard.press('Control+Backspace');
        await waitText('> hello big ');
        await page.keyboard.press('Control+ArrowLeft');
        await page.keyboard.press('Shift+ArrowRight');
        await page.keyboard.press('Shift+ArrowRight');
        await page.keyboard.type('BI');
        await waitText('> hello BIg ');
        await page.keyboard.press('Control+Z');
        await waitText('> hello big ');
        await page.keyboard.press('Control+Shift+Z');
        await waitText('> hello BIg ');
        await clear();
    });

    test('Up and Down move between wrapped lines by position', async () => {
        const words = Array.from({ length: 40 }, (_, i) => `word${i}`).join(' ');
        await page.keyboard.insertText(words);
        await waitText(words);
        const bottom = await ime();
        await page.keyboard.press('ArrowUp');
        await settle();
        const up = await ime();
        assert.ok(Math.abs(bottom.y - up.y - bottom.lineHeight) < 1, `one line up: ${bottom.y} -> ${up.y}`);
        await page.keyboard.press('ArrowDown');
        await settle();
        assert.equal((await ime()).y, bottom.y);
        await clear();
    });

    test('a click places the caret and a double-click selects a word', async () => {
        await page.keyboard.type('alpha beta gamma');
        await waitText('alpha beta gamma');
        const r = await promptRect();
        const caret = await ime();
        const midY = caret.y + caret.lineHeight / 2;
        await page.mouse.click(r.x + 13, midY);  // just inside the padding: before "alpha"
        await page.keyboard.type('X');
        await waitText('Xalpha beta gamma');
        // "beta" is in the middle of the text's width.
        await page.mouse.dblclick(r.x + 12 + (caret.x - r.x - 12) * 0.5, midY);
        await page.keyboard.type('BETA');
        await waitText('Xalpha BETA gamma');
        await clear();
    });

    test('the real clipboard: Ctrl+V pastes what another app copied, Ctrl+C copies the selection', async () => {
        await tab.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
        await page.evaluate(() => navigator.clipboard.writeText('from another app\nsecond line'));
        await page.keyboard.press('Control+V');
        await waitText('from another app\nsecond line');
        await page.keyboard.press('Home');  // second line's start
        await page.keyboard.press('Shift+End');
        await page.keyboard.press('Control+C');
        await settle();
        assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'second line');
        await page.keyboard.press('Control+X');
        await waitText('from another app\n');
        await screenshot(page, 'composer-clipboard');
    });

    test('Japanese IME: the pre-edit shows, Enter picks the candidate, nothing is sent', async () => {
        const cdp = await page.context().newCDPSession(page);
        await cdp.send('Input.imeSetComposition', { text: 'にほんご', selectionStart: 4, selectionEnd: 4 });
        await settle();
        assert.equal((await ime()).composition, 'にほんご');
        assert.equal(await text(), '', 'pre-edit text is not in the prompt yet');
        await cdp.send('Input.imeSetComposition', { text: '日本語', selectionStart: 3, selectionEnd: 3 });
        await settle(400);
        await screenshot(page, 'composer-ime-japanese');
        await page.keyboard.press('Enter');  // confirms the candidate in the IME
        await cdp.send('Input.insertText', { text: '日本語' });
        await settle();
        assert.equal(await text(), '日本語');
        assert.equal((await ime()).composition, '');
        assert.equal((await state(page)).messages.length, 0, 'Enter during composition did not send');
        await page.keyboard.press('Enter');
        await settle(500);
        assert.equal((await state(page)).messages[0]?.text, '日本語', 'Enter after composition sends');
        await cdp.detach();
    });
});
