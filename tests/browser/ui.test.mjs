// The chat's own tools in real headless Chromium: selecting transcript text with the mouse and
// copying it, find, theme and language switches, export and import of a conversation.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, openPage, screenshot } from '../lib/browser.mjs';
import { startServer } from '../lib/serve.mjs';
import { ask, ready, state, waitForState } from '../lib/app.mjs';

function center(r) {
    return [r.x + r.w / 2, r.y + r.h / 2];
}

describe('ui', () => {
    let server, browser, tab, page;

    before(async () => {
        server = await startServer(['--tokens-per-second', '3000']);
        browser = await launchBrowser();
        tab = await openPage(browser, server.url + '/');
        page = tab.page;
        await ready(tab);
        await page.evaluate(() => document.addEventListener('copy', (e) => {
            window.__copied = e.clipboardData.getData('text/plain');
        }));
    });
    after(async () => {
        await browser?.close();
        await server?.stop();
    });

    test('double-click selects a word and a drag selects across lines; Ctrl+C copies it', async () => {
        const s = await ask(page, '/echo Alpha beta gamma delta epsilon');
        const reply = s.messages[1];
        assert.equal(reply.text, 'Alpha beta gamma delta epsilon');
        await tab.waitForIdle();
        const rect = (await state(page)).rects[`message-${reply.id}`];
        assert.ok(rect, 'the reply was drawn');
        // The first word, at the left edge of the reply's first line.
        await page.mouse.dblclick(rect.x + 8, rect.y + 10);
        await page.waitForTimeout(150);
        assert.equal((await state(page)).selection, 'Alpha');
        await page.keyboard.press('Control+C');
        await page.waitForTimeout(150);
        assert.equal(await page.evaluate(() => window.__copied), 'Alpha');

        // A drag from the start to past the end of the line selects all of it.
        await page.mouse.move(rect.x + 1, rect.y + 10);
        await page.mouse.down();
        await page.mouse.move(rect.x + 200, rect.y + 12, { steps: 5 });
        await page.mouse.move(rect.x + rect.w - 2, rect.y + 12, { steps: 5 });
        await page.mouse.up();
        await page.waitForTimeout(150);
        assert.equal((await state(page)).selection, 'Alpha beta gamma delta epsilon');
        await screenshot(page, 'ui-selection');
    });

    test('the current chat\'s "..." menu renames it (no right click needed, as on touch screens)', async () => {
        await page.setViewportSize({ width: 1024, height: 700 });
        await tab.waitForIdle();
        const menu = (await state(page)).rects['entry-menu'];
        assert.ok(menu, 'the current chat shows its menu button');
        const startRename = async () => {
            await page.mouse.click(...center((await state(page)).rects['entry-menu']));
            await tab.waitForIdle();
            const rename = (await state(page)).rects['entry-rename'];
            assert.ok(rename, 'the menu opened');
            await page.mouse.click(...center(rename));
            await page.waitForFunction(() => (window.imchat.activeText() ?? '').length > 0);
        };
        const field = () => page.evaluate(() => window.imchat.activeText());
        const title = (await state(page)).title;

        // Escape leaves the title as it was, whatever was typed.
        await startRename();
        assert.equal(await field(), title, 'the field starts from the title');
        await page.keyboard.type(' never');
        await page.waitForFunction((t) => window.imchat.activeText() === t, title + ' never');
        await page.keyboard.press('Escape');
        await page.waitForTimeout(200);
        assert.equal((await state(page)).title, title);

        // A single line: Home/End, Shift selections replaced by typing; Enter renames.
        await startRename();
        await page.keyboard.press('Control+A');
        await page.keyboard.type('by touch');
        await page.keyboard.press('Home');
        await page.keyboard.type('Renamed ');
        await page.keyboard.press('End');
        await page.keyboard.type(' XX');
        await page.keyboard.press('Shift+ArrowLeft');
        await page.keyboard.press('Shift+ArrowLeft');
        await page.keyboard.press('Shift+ArrowLeft');
        await page.keyboard.press('Backspace');
        await page.waitForFunction(() => window.imchat.activeText() === 'Renamed by touch');
        await screenshot(page, 'ui-sidebar-renaming');
        await page.keyboard.press('Enter');
        await waitForState(page, (s) => s.title === 'Renamed by touch', 10000);
        await screenshot(page, 'ui-sidebar-renamed');
    });

    test('Ctrl+F finds text in the conversation', async () => {
        await page.keyboard.press('Control+F');
        // The find field takes the keyboard a frame or two later.
        await page.waitForFunction(() => window.imchat.activeText() === '');
        await page.keyboard.type('amm');
        await page.keyboard.press('Home');
        await page.keyboard.type('g');
        await page.keyboard.press('End');
        await page.keyboard.type('a');
        await page.waitForFunction(() => window.imchat.activeText() === 'gamma');
        await page.keyboard.press('Enter');
        await page.waitForTimeout(200);
        assert.equal((await state(page)).find, 'gamma');
        // Enter steps to the match and the field keeps the keyboard.
        await page.keyboard.press('Shift+Home');
        await page.keyboard.type('delt');
        await page.keyboard.type('a');
        await page.waitForFunction(() => window.imchat.activeText() === 'delta');
        await page.keyboard.press('Enter');
        await page.waitForTimeout(200);
        assert.equal((await state(page)).find, 'delta');
        await tab.waitForIdle();
        await screenshot(page, 'ui-find');
        // Longer than the field: it scrolls sideways to keep the caret in view, at either end.
        const box = (await state(page)).rects.find;
        const caretInside = async () => {
            const x = (await page.evaluate(() => window.imchat.ime())).x;
            assert.ok(x >= box.x && x <= box.x + box.w, `caret at ${x}, field ${box.x}..${box.x + box.w}`);
            return x;
        };
        await page.keyboard.insertText(' and a much longer query that runs well past the right edge of the find field');
        await page.waitForFunction(() => window.imchat.activeText().endsWith('find field'));
        await tab.waitForIdle();
        assert.ok(await caretInside() > box.x + box.w / 2, 'the caret is at the right end');
        await screenshot(page, 'ui-find-scrolled');
        await page.keyboard.press('Home');
        await tab.waitForIdle();
        assert.ok(await caretInside() < box.x + 20, 'Home brings the start back');
        await page.keyboard.press('Escape');
        await page.waitForTimeout(150);
        assert.equal((await state(page)).find, '');
    });

    test('theme and language switch', async () => {
        await page.evaluate(() => window.imchat.act('theme', 1));
        await page.evaluate(() => window.imchat.act('language', 2));
        await waitForState(page, (s) => s.theme === 'dark' && s.language === 'zh');
        await tab.waitForIdle();
        await screenshot(page, 'ui-dark-chinese');
        await page.evaluate(() => window.imchat.act('theme', 2));
        await page.evaluate(() => window.imchat.act('language', 1));
        await waitForState(page, (s) => s.theme === 'light' && s.language === 'en');
    });

    test('export as JSON, then import it as a new conversation', async () => {
        const before = await state(page);
        const [exportButton] = [before.rects.export];
        await page.mouse.click(...center(exportButton));
        await waitForState(page, (st) => st.rects['export-json'], 10000);
        await tab.waitForIdle(300);
        // Where the item is once the menu settled (its first frame measures it, then places it).
        const item = (await state(page)).rects['export-json'];
        const downloadPromise = page.waitForEvent('download');
        await page.mouse.click(...center(item));
        const download = await downloadPromise;
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'imchat-export-')), 'chat.json');
        await download.saveAs(file);
        const exported = JSON.parse(fs.readFileSync(file, 'utf8'));
        assert.equal(exported.format, 'imchat.conversation');
        assert.ok(!JSON.stringify(exported).includes('api_key'), 'no key in an export');

        const chooserPromise = page.waitForEvent('filechooser');
        await page.mouse.click(...center((await state(page)).rects.import));
        const chooser = await chooserPromise;
        await chooser.setFiles(file);
        // The file holds this very chat: the page asks, and keeping both makes the copy.
        const keep = (await waitForState(page, (st) => st.rects['import-keep-both'], 10000)).rects['import-keep-both'];
        await tab.waitForIdle(300);
        await page.mouse.click(...center((await state(page)).rects['import-keep-both'] || keep));
        const s = await waitForState(page, (st) => st.chats >= 2 && st.messages.length === before.messages.length);
        assert.deepEqual(s.messages.map((m) => m.text), before.messages.map((m) => m.text));
        assert.equal(s.notice, '');
        assert.deepEqual(await tab.problems(), []);
    });
});
