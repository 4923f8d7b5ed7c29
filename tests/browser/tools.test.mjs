// A reply's tool calls in the real page: a conversation exported by this build with a call
// (tests/unit/fixtures/export-tool-call.json) is imported and its call is drawn as a card under
// the reply's text, laid out with the message (not over the buttons below it).
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, openPage, screenshot } from '../lib/browser.mjs';
import { startServer } from '../lib/serve.mjs';
import { ask, clickItem, ready, waitForState } from '../lib/app.mjs';

const fixture = path.join(process.env.IMCHAT_SOURCE_DIR ?? '.', 'tests/unit/fixtures/export-tool-call.json');

describe('tool calls', () => {
    let server, browser;
    before(async () => {
        server = await startServer(['--tokens-per-second', '2000']);
        browser = await launchBrowser();
    });
    after(async () => {
        await browser?.close();
        await server?.stop();
    });

    test('an imported reply shows its call as a card below its text', async () => {
        const tab = await openPage(browser, server.url + '/');
        const page = tab.page;
        await ready(tab);
        // A plain reply first: it has no card (the card below must come from the call).
        let s = await ask(page, 'hello');
        assert.deepEqual(Object.keys(s.rects).filter((k) => k.startsWith('tool-call-')), []);

        const chooser = page.waitForEvent('filechooser');
        await clickItem(page, 'import');
        await (await chooser).setFiles(fixture);
        s = await waitForState(page, (st) => st.title === 'weather' && st.rects['tool-call-call_w']);
        const card = s.rects['tool-call-call_w'];
        const reply = s.messages[1];
        assert.equal(reply.finish_reason, 'tool_calls');
        assert.ok(card.w > 100 && card.h > 30, `a card with room for its text: ${JSON.stringify(card)}`);
        const copy = s.rects[`copy-${reply.id}`];
        assert.ok(copy && copy.y >= card.y + card.h, `the reply's buttons sit below the card (${copy?.y} vs ${card.y + card.h})`);
        await screenshot(page, 'tools-card');
        assert.deepEqual(await tab.problems(), []);
        await tab.close();
    });
});
