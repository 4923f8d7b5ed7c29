// Korean in real headless Chromium: no Hangul glyph is in the fonts the page loads up front (the
// CJK fallback has 3 of the 11 172 syllables), so the first Hangul drawn fetches the Korean font,
// which is merged in; after that no Hangul codepoint is left without a glyph.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, openPage, screenshot } from '../lib/browser.mjs';
import { startServer } from '../lib/serve.mjs';
import { ask, ready } from '../lib/app.mjs';

const isHangul = (c) => (c >= 0x3131 && c <= 0x318e) || (c >= 0xac00 && c <= 0xd7a3);

describe('korean', () => {
    let server, browser;

    before(async () => {
        server = await startServer(['--tokens-per-second', '3000']);
        browser = await launchBrowser();
    });
    after(async () => {
        await browser?.close();
        await server?.stop();
    });

    test('the Korean font is fetched only once Hangul is drawn, then every Hangul glyph is there', async () => {
        const tab = await openPage(browser, server.url + '/');
        const page = tab.page;
        // The Korean font is held back until the test has seen the glyphs missing without it.
        let release;
        const held = new Promise((resolve) => { release = resolve; });
        let requested = false;
        await page.route('**/fonts/NanumSquareR.ttf', async (route) => {
            requested = true;
            await held;
            await route.continue();
        });
        await ready(tab);
        await ask(page, '/echo hello');
        await tab.waitForIdle();
        assert.equal(requested, false, 'no Korean font for English text');

        const text = '안녕하세요, 반갑습니다! 한국어 글꼴 시험 ㅋㅋㅋ 가나다';
        const s = await ask(page, `/echo ${text}`);
        assert.equal(s.messages.at(-1).text, text);
        await tab.waitForIdle();
        assert.equal(requested, true, 'drawing Hangul asked for the Korean font');
        const before = (await page.evaluate(() => window.imchat.missingGlyphs())).filter(isHangul);
        assert.ok(before.includes(0xac00) && before.includes(0x314b), `Hangul missing without the font: ${before}`);

        release();
        await page.waitForResponse('**/fonts/NanumSquareR.ttf');
        await tab.waitForIdle();
        assert.deepEqual(await page.evaluate(() => window.imchat.missingGlyphs()), [],
            'every codepoint drawn has a glyph');
        await screenshot(page, 'korean');
        assert.deepEqual(await tab.problems(), []);
        await tab.close();
    });
});
