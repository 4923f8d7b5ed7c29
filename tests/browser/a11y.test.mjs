// The page as a screen reader meets it, in real headless Chromium against a real serve.py: the
// accessibility tree (CDP Accessibility.getFullAXTree) has a twin for every drawn control with
// its role and name, over the control's rectangle; the Stop twin pressed from the keyboard, or
// by a screen reader's default action, stops the reply; the transcript mirror is the reply's
// markdown as headings, lists, tables and code, with no markdown syntax left; the live region
// is handed whole sentences; a streaming reply grows the mirror by text nodes, not rewrites;
// Tab and Shift+Tab walk the twins in drawing order through the composer; the settings' radios,
// checkboxes, sliders and fields and the import question are twins that act; links are links.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, openPage } from '../lib/browser.mjs';
import { startServer } from '../lib/serve.mjs';
import { ask, ready, served, state, waitForState } from '../lib/app.mjs';

// The accessibility tree's nodes as {role, name, id, parent, children, properties}; ignored ones
// (layout-only elements) keep their place in the tree with the role 'ignored'.
async function axTree(page) {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Accessibility.enable');
    const { nodes } = await cdp.send('Accessibility.getFullAXTree');
    await cdp.detach();
    return nodes.map((n) => ({
        role: n.ignored ? 'ignored' : n.role?.value, name: n.name?.value ?? '', id: n.nodeId, parent: n.parentId,
        children: n.childIds ?? [], value: n.value?.value,
        properties: Object.fromEntries((n.properties ?? []).map((p) => [p.name, p.value?.value])),
    }));
}

const find = (nodes, role, name) => nodes.find((n) => n.role === role && (name === undefined || n.name === name));

// Every node below `root` (in the accessibility tree).
function below(nodes, root) {
    const children = new Map();
    for (const n of nodes) {
        if (!children.has(n.parent)) children.set(n.parent, []);
        children.get(n.parent).push(n);
    }
    const out = [];
    const walk = (n) => { for (const k of children.get(n.id) ?? []) { out.push(k); walk(k); } };
    walk(root);
    return out;
}

// The twin named `name` (a button's text, an option's text, a group's aria-label).
const twinRect = (page, name) => page.evaluate((wanted) => {
    const el = [...document.querySelectorAll('#a11y-controls .twin')]
        .find((e) => (e.getAttribute('aria-label') || e.textContent) === wanted);
    if (!el) return null;
    const r = el.getBoundingClientRect();
    return { x: r.x, y: r.y, w: r.width, h: r.height };
}, name);

// Focuses the twin button named `name` (as Tab would) and returns whether it has the focus.
const focusTwin = (page, name) => page.evaluate((wanted) => {
    const el = [...document.querySelectorAll('#a11y-controls button')].find((e) => e.textContent === wanted);
    if (!el) return false;
    el.focus();
    return document.activeElement === el;
}, name);

// Types lines with Shift+Enter between them and sends them.
async function sendLines(page, lines) {
    for (let i = 0; i < lines.length; i++) {
        if (i) await page.keyboard.press('Shift+Enter');
        await page.keyboard.insertText(lines[i]);
    }
    await page.keyboard.press('Enter');
}

describe('accessibility', () => {
    let fast, slow, browser;

    before(async () => {
        fast = await startServer(['--tokens-per-second', '2000']);
        slow = await startServer(['--tokens-per-second', '40']);
        browser = await launchBrowser();
    });
    after(async () => {
        await browser?.close();
        await fast?.stop();
        await slow?.stop();
    });

    test('every drawn control has a twin in the accessibility tree, with its role and name, over its rectangle', async () => {
        const tab = await openPage(browser, fast.url + '/');
        const page = tab.page;
        await ready(tab);
        await ask(page, '/echo A short reply, so that the whole exchange is in view.');
        await page.evaluate(() => window.imchat.act('regenerate'));
        await waitForState(page, (s) => s.messages.length === 2 && !s.streaming && s.messages[1].status === 'done');
        await tab.waitForIdle();

        let nodes = await axTree(page);
        for (const name of ['Show or hide the chat list', 'New chat', 'Find', 'Settings', 'Keyboard shortcuts',
            'Copy', 'Edit', 'Regenerate', 'Previous version', 'Next version', 'Send', 'Export', 'Import JSON', 'Delete'])
            assert.ok(find(nodes, 'button', name), `a button named "${name}"`);
        const list = find(nodes, 'listbox', 'Chats');
        assert.ok(list, 'the chat list is a listbox');
        const options = below(nodes, list).filter((n) => n.role === 'option');
        assert.ok(options.length >= 1, 'its chats are options');
        assert.ok(options.some((o) => o.properties.selected === true), 'the open chat is the selected option');
        // Send is disabled with an empty composer, and says so.
        assert.equal(find(nodes, 'button', 'Send').properties.disabled, true);

        // The twin lies over the drawn button (the page's own record of where it drew it), and the
        // pointer still reaches the canvas there.
        const s = await state(page);
        for (const [name, key] of [['Settings', 'settings'], ['Send', 'send']]) {
            const drawn = s.rects[key], twin = await twinRect(page, name);
            assert.ok(twin, `a twin for ${name}`);
            for (const k of ['x', 'y', 'w', 'h']) assert.ok(Math.abs(twin[k] - drawn[k]) <= 1, `${name} ${k}: ${twin[k]} vs ${drawn[k]}`);
            const hit = await page.evaluate(([x, y]) => document.elementFromPoint(x, y).id, [drawn.x + drawn.w / 2, drawn.y + drawn.h / 2]);
            assert.equal(hit, 'canvas', `a click on ${name} still lands on the canvas`);
        }

        // Settings: a dialog with its controls inside, closed by its Close twin.
        assert.ok(await focusTwin(page, 'Settings'));
        await page.keyboard.press('Enter');
        await tab.waitForIdle();
        nodes = await axTree(page);
        const dialog = find(nodes, 'dialog', 'Settings');
        assert.ok(dialog, 'Settings is a dialog');
        const inside = below(nodes, dialog).filter((n) => n.role === 'button').map((n) => n.name);
        assert.ok(inside.includes('Close') && inside.includes('Refresh models'), JSON.stringify(inside));
        await page.evaluate(() => [...document.querySelectorAll('[role=dialog] button')].find((b) => b.textContent === 'Close').click());
        await tab.waitForIdle();
        assert.equal(find(await axTree(page), 'dialog', 'Settings'), undefined, 'the dialog closed');
        assert.deepEqual(await tab.problems(), []);
        await tab.close();
    });

    test('the Stop twin stops a reply, pressed from the keyboard or by a screen reader\'s action', async () => {
        const tab = await openPage(browser, slow.url + '/');
        const page = tab.page;
        await ready(tab);
        for (const how of ['keyboard', 'action']) {
            const count = (await state(page)).messages.length;
            await page.keyboard.insertText(`Tell me a long story about streams (${how})`);
            await page.keyboard.press('Enter');
            await waitForState(page, (s) => s.messages.length === count + 2 && s.messages.at(-1).text.length > 20);
            await page.waitForFunction(() => [...document.querySelectorAll('#a11y-controls button')].some((b) => b.textContent === 'Stop'));
            assert.ok(find(await axTree(page), 'button', 'Stop'), 'Stop is in the accessibility tree while it streams');
            if (how === 'keyboard') {
                assert.ok(await focusTwin(page, 'Stop'));
                await page.keyboard.press('Enter');
            } else {
                await page.evaluate(() => [...document.querySelectorAll('#a11y-controls button')].find((b) => b.textContent === 'Stop').click());
            }
            const s = await waitForState(page, (st) => !st.streaming);
            assert.equal(s.messages.at(-1).status, 'stopped', how);
            const truth = await served(slow, s.messages.at(-1).reply_id);
            assert.notEqual(truth.status, 'streaming', 'the server stopped generating');
            // Stop became Send: the keyboard is back in the composer, typing works.
            await page.keyboard.insertText('x');
            await waitForState(page, (st) => st.composer === 'x');
            await page.keyboard.press('Backspace');
        }
        await tab.close();
    });

    test('the mirror of a markdown reply is headings, lists, tables and code, with no markdown syntax', async () => {
        const tab = await openPage(browser, fast.url + '/');
        const page = tab.page;
        await ready(tab);
        await ask(page, 'What makes a good streaming client?');  // a heading, bold, a list, a code fence
        await sendLines(page, ['/echo # Title', '', 'Some *emphasis* and `code`.', '', '| Name | Value |', '| --- | --- |',
            '| alpha | 1 |', '| beta | 2 |', '', '1. first', '2. second', '   - nested', '', '> quoted']);
        await waitForState(page, (s) => s.messages.length === 4 && !s.streaming && s.messages[3].status === 'done');
        await tab.waitForIdle();

        const mirror = await page.evaluate(() => [...document.getElementById('transcript-mirror').children].map((a) => ({
            name: a.getAttribute('aria-label'), text: a.textContent,
            tags: [...a.querySelectorAll('*')].map((e) => e.tagName),
        })));
        assert.deepEqual(mirror.map((m) => m.name), ['You', 'Assistant', 'You', 'Assistant']);
        const demo = mirror[1], echo = mirror[3];
        for (const reply of [demo, echo]) {
            assert.doesNotMatch(reply.text, /\*\*|```|^#|\| ---|\n#/, 'no markdown syntax: ' + reply.text.slice(0, 200));
        }
        assert.ok(demo.tags.includes('H2') && demo.tags.includes('UL') && demo.tags.includes('LI') &&
            demo.tags.includes('STRONG') && demo.tags.includes('PRE'), JSON.stringify(demo.tags));
        for (const tag of ['H1', 'EM', 'CODE', 'TABLE', 'TH', 'TD', 'OL', 'UL', 'BLOCKQUOTE'])
            assert.ok(echo.tags.includes(tag), `${tag} in ${JSON.stringify(echo.tags)}`);
        assert.ok(echo.text.includes('Some emphasis and code.'), echo.text);

        // The same, as the accessibility tree has it.
        const nodes = await axTree(page);
        const region = find(nodes, 'region', 'Transcript');
        assert.ok(region, 'the transcript is a named region');
        const roles = new Set(below(nodes, region).map((n) => n.role));
        for (const role of ['article', 'heading', 'list', 'listitem', 'table', 'row', 'columnheader', 'cell', 'blockquote', 'paragraph'])
            assert.ok(roles.has(role), `${role} in ${JSON.stringify([...roles])}`);
        const heading = below(nodes, region).find((n) => n.role === 'heading' && n.name === 'Title');
        assert.ok(heading, 'the echoed "# Title" is a heading named Title');
        assert.equal(heading.properties.level, 1);
        assert.deepEqual(await tab.problems(), []);
        await tab.close();
    });

    // What has the keyboard focus: a twin's role and name, or the text agent.
    const focused = (page) => page.evaluate(() => {
        const e = document.activeElement;
        if (e.id === 'text-agent') return 'agent';
        return e.classList.contains('twin') ? `${e.getAttribute('role') || 'button'}:${e._name}` : e.tagName;
    });
    // The twins Tab stops at, in the page's order, with their rectangles.
    const tabStops = (page) => page.evaluate(() => [...document.querySelectorAll('#a11y-controls .twin')]
        .filter((e) => e.tabIndex >= 0 && !['listbox', 'dialog'].includes(e.getAttribute('role')))
        .map((e) => ({ key: `${e.getAttribute('role') || 'button'}:${e._name}`, y: e.getBoundingClientRect().y })));

    test('Tab from the composer walks the twins in drawing order, Shift+Tab walks back; the mirror\'s links are real links', async () => {
        const tab = await openPage(browser, fast.url + '/');
        const page = tab.page;
        await ready(tab);
        await ask(page, '/echo See [the docs](https://example.org/docs), [a script](javascript:alert(1)) and <ftp://files.example.org/x>.');
        await tab.waitForIdle();
        await page.keyboard.insertText('draft');
        await waitForState(page, (s) => s.composer === 'draft');
        assert.equal(await focused(page), 'agent');

        const stops = await tabStops(page);
        const keys = stops.map((t) => t.key);
        const at = keys.indexOf('textbox:Message input');
        assert.ok(at > 0, JSON.stringify(keys));
        assert.equal(keys[at + 1], 'button:Send', 'Send follows the composer');
        // Drawing order is reading order: from the top bar down the transcript to the composer.
        const main = stops.slice(keys.indexOf('button:Show or hide the chat list'), at + 2);
        assert.ok(main.length >= 8, JSON.stringify(keys));
        for (let i = 1; i < main.length; i++)
            assert.ok(main[i].y >= main[i - 1].y - 2, `${main[i].key} is above ${main[i - 1].key}`);

        // Shift+Tab from the composer: back through the replies' and the top bar's buttons.
        const steps = Math.min(at, 7);
        for (let i = 1; i <= steps; i++) {
            await page.keyboard.press('Shift+Tab');
            assert.equal(await focused(page), keys[at - i], `Shift+Tab ${i}`);
        }
        // Tab walks the same way forward, into the composer (the text agent, typing where it
        // stopped), then to Send.
        for (let i = steps - 1; i >= 1; i--) {
            await page.keyboard.press('Tab');
            assert.equal(await focused(page), keys[at - i], `Tab back ${i}`);
        }
        await page.keyboard.press('Tab');
        assert.equal(await focused(page), 'agent', 'Tab reached the composer');
        await page.keyboard.insertText('!');
        await waitForState(page, (s) => s.composer === 'draft!');
        await page.keyboard.press('Tab');
        assert.equal(await focused(page), 'button:Send');
        await page.keyboard.press('Shift+Tab');
        assert.equal(await focused(page), 'agent', 'Shift+Tab from Send: the composer');
        // Negative control: ImGui did not take those Tabs as text or as its own focus moves.
        assert.equal((await state(page)).composer, 'draft!');

        // The reply's link is a real link (made with DOM calls) to its http(s) URL; the others stay text.
        const links = await page.evaluate(() => [...document.querySelectorAll('#transcript-mirror a')].map((a) => ({ href: a.href, text: a.textContent })));
        assert.deepEqual(links, [{ href: 'https://example.org/docs', text: 'the docs' }]);
        const reply = await page.evaluate(() => document.getElementById('transcript-mirror').children[1].textContent);
        assert.ok(reply.includes('a script') && reply.includes('ftp://files.example.org/x'), reply);
        const nodes = await axTree(page);
        const link = find(nodes, 'link', 'the docs');
        assert.ok(link, 'a link named "the docs" in the accessibility tree');
        assert.equal(find(nodes, 'link', 'a script'), undefined);
        assert.deepEqual(await tab.problems(), []);
        await tab.close();
    });

    test('the settings dialog\'s radios, checkboxes, sliders and fields are twins with names and values, and act', async () => {
        const tab = await openPage(browser, fast.url + '/');
        const page = tab.page;
        await ready(tab);
        const saved = () => page.evaluate(() => JSON.parse(localStorage.getItem('imchat.settings') || '{}'));
        const waitSaved = async (pred) => {
            for (let i = 0; i < 100 && !pred(await saved()); i++) await page.waitForTimeout(50);
            assert.ok(pred(await saved()), JSON.stringify(await saved()));
        };
        const twin = (key) => page.evaluate((k) => {
            const e = [...document.querySelectorAll('#a11y-controls .twin')].find((t) => `${t.getAttribute('role') || 'button'}:${t._name}` === k);
            if (e) e.focus();
            return !!e;
        }, key);
        assert.ok(await focusTwin(page, 'Settings'));
        await page.keyboard.press('Enter');
        await tab.waitForIdle();

        let nodes = await axTree(page);
        const dialog = find(nodes, 'dialog', 'Settings');
        const inside = below(nodes, dialog);
        const named = (role, name) => inside.find((n) => n.role === role && n.name === name);
        assert.equal(named('radio', 'serve.py (built-in model or its proxy)')?.properties.checked, 'true');
        assert.equal(named('radio', 'Direct OpenAI-compatible server')?.properties.checked, 'false');
        for (const name of ['System', 'Dark', 'Light', 'English']) assert.ok(named('radio', name), `radio ${name}`);
        assert.equal(named('checkbox', 'Temperature: Set')?.properties.checked, 'false');
        const size = named('slider', 'Text size');
        assert.ok(size, 'a slider named Text size');
        assert.equal(size.value, 16);
        // (The tree's valuetext property stays empty in this Chromium; the element says it.)
        const valueText = (name) => page.evaluate((n) => document.querySelector(`[role=slider][aria-label="${n}"]`).getAttribute('aria-valuetext'), name);
        assert.equal(await valueText('Text size'), '16 px');
        assert.equal(size.properties.valuemin, 10);
        assert.equal(size.properties.valuemax, 32);
        assert.equal(named('slider', 'Temperature')?.properties.disabled, true, 'unset: its slider is disabled');
        assert.equal(named('textbox', 'Model')?.value, 'imchat-demo');
        for (const name of ['System prompt', 'Max tokens', 'Context length']) assert.ok(named('textbox', name), `textbox ${name}`);

        // Each acts like its drawn control.
        assert.ok(await twin('slider:Text size'));
        await page.keyboard.press('ArrowRight');
        await page.keyboard.press('ArrowRight');
        await waitSaved((s) => s.text_size === 18);
        assert.ok(await twin('radio:Dark'));
        await page.keyboard.press('Space');
        await waitSaved((s) => s.theme === 'dark');
        assert.ok(await twin('checkbox:Temperature: Set'));
        await page.keyboard.press('Space');
        await waitSaved((s) => s.temperature === 0.7);
        await tab.waitForIdle();
        nodes = await axTree(page);
        assert.equal(find(nodes, 'slider', 'Text size').value, 18);
        assert.equal(await valueText('Text size'), '18 px');
        assert.equal(find(nodes, 'radio', 'Dark').properties.checked, 'true');
        assert.equal(find(nodes, 'radio', 'System').properties.checked, 'false');
        assert.notEqual(find(nodes, 'slider', 'Temperature').properties.disabled, true, 'set: the slider works');

        // A textbox twin hands its field the keyboard: typing edits the model, Tab goes on.
        assert.ok(await twin('textbox:Model'));
        assert.equal(await focused(page), 'agent');
        await page.waitForFunction(() => window.imchat.activeText() === 'imchat-demo');
        assert.equal(await page.evaluate(() => document.getElementById('text-agent').getAttribute('aria-label')), 'Model');
        await page.keyboard.press('End');
        await page.keyboard.insertText('-2');
        await waitSaved((s) => s.model === 'imchat-demo-2');
        await page.keyboard.press('Tab');
        assert.equal(await focused(page), 'button:Choose a model');
        await page.keyboard.press('Shift+Tab');
        assert.equal(await focused(page), 'agent');
        await page.waitForFunction(() => window.imchat.activeText() === 'imchat-demo-2');
        // The Direct radio brings its two fields, as twins too.
        assert.ok(await twin('radio:Direct OpenAI-compatible server'));
        await page.keyboard.press('Enter');
        await waitSaved((s) => s.endpoint === 'direct');
        await tab.waitForIdle();
        nodes = await axTree(page);
        assert.ok(find(nodes, 'textbox', 'API base URL') || find(nodes, 'textbox', 'Base URL'),
            JSON.stringify(nodes.filter((n) => n.role === 'textbox').map((n) => n.name)));
        assert.ok(find(nodes, 'textbox', 'API key'));
        assert.deepEqual(await tab.problems(), []);
        await tab.close();
    });

    test('the import question is a dialog with its two buttons, pressed from the keyboard', async () => {
        const tab = await openPage(browser, fast.url + '/');
        const page = tab.page;
        await ready(tab);
        await ask(page, '/echo a chat to export');
        await tab.waitForIdle();
        const press = async (name) => {
            await page.waitForFunction((n) => [...document.querySelectorAll('#a11y-controls button')].some((b) => b.textContent === n), name);
            assert.ok(await focusTwin(page, name), name);
            await page.keyboard.press('Enter');
        };
        await press('Export');
        const downloadPromise = page.waitForEvent('download');
        await press('Export as JSON');
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'imchat-a11y-')), 'chat.json');
        await (await downloadPromise).saveAs(file);
        const chats = (await state(page)).chats;

        const chooserPromise = page.waitForEvent('filechooser');
        await press('Import JSON');
        await (await chooserPromise).setFiles(file);
        await page.waitForFunction(() => [...document.querySelectorAll('#a11y-controls [role=dialog]')]
            .some((d) => /already here/.test(d.getAttribute('aria-label'))));
        const nodes = await axTree(page);
        const dialog = nodes.find((n) => n.role === 'dialog' && /already here/.test(n.name));
        assert.equal(dialog.name, '1 of these chats are already here.');
        const buttons = below(nodes, dialog).filter((n) => n.role === 'button').map((n) => n.name);
        assert.deepEqual(buttons, ['Keep both', 'Skip them']);
        await press('Skip them');
        await page.waitForFunction(() => ![...document.querySelectorAll('#a11y-controls [role=dialog]')]
            .some((d) => /already here/.test(d.getAttribute('aria-label'))));
        await tab.waitForIdle();
        assert.equal((await state(page)).chats, chats, 'Skip imported nothing');
        assert.deepEqual(await tab.problems(), []);
        await tab.close();
    });

    // Watches the live region, the mirror and the twins from now on (window.__a11y).
    const watch = (page) => page.evaluate(() => {
        const t = window.__a11y = { said: [], added: [], removed: 0, controls: 0 };
        new MutationObserver((records) => {
            for (const r of records) for (const n of r.addedNodes) t.said.push(n.textContent);
        }).observe(document.getElementById('reply-live'), { childList: true });
        new MutationObserver((records) => {
            for (const r of records) {
                t.removed += r.removedNodes.length;
                for (const n of r.addedNodes) t.added.push({ text: n.nodeType === 3, chars: n.textContent.length });
            }
        }).observe(document.getElementById('transcript-mirror'), { childList: true, subtree: true });
        new MutationObserver((records) => {
            for (const r of records) t.controls += r.addedNodes.length + r.removedNodes.length;
        }).observe(document.getElementById('a11y-controls'), { childList: true, subtree: true });
    });

    test('a streaming reply reaches the live region in whole sentences, nothing lost or said twice', async () => {
        const tab = await openPage(browser, slow.url + '/');
        const page = tab.page;
        await ready(tab);
        await watch(page);
        await page.keyboard.insertText('Explain streaming replies in a few sentences');
        await page.keyboard.press('Enter');
        const s = await waitForState(page, (st) => st.messages.length === 2 && !st.streaming && st.messages[1].status === 'done', 60000);
        await tab.waitForIdle();
        const t = await page.evaluate(() => window.__a11y);
        const article = await page.evaluate(() => {
            const a = document.getElementById('transcript-mirror').children[1];
            const ends = [...a.querySelectorAll('h1,h2,h3,h4,h5,h6,p,li,pre')]
                .flatMap((e) => (e.tagName === 'PRE' ? e.textContent.split('\n') : [e.textContent]))
                .map((x) => x.trim()).filter(Boolean);
            return { text: a.textContent, ends };
        });
        assert.ok(s.messages[1].text.length > 300);
        assert.ok(t.said.length >= 5, `the reply was announced in several parts: ${t.said.length}`);
        // Nothing lost, nothing said twice: the announcements are the reply's text, in order.
        const squash = (x) => x.replace(/\s+/g, '');
        assert.equal(squash(t.said.join('')), squash(article.text));
        // Each part but the last ends a sentence, or a block (a heading, a list item, a code line).
        for (const part of t.said.slice(0, -1)) {
            const end = part.trim();
            assert.ok(/[.!?:。！？"”)]$/.test(end) || article.ends.some((e) => end.endsWith(e)), `not cut mid-sentence: "${end.slice(-60)}"`);
        }
        for (const part of t.said) assert.doesNotMatch(part, /\*\*|```|(^|\n)#+ /, 'no markdown syntax in what is read out');
        assert.deepEqual(await tab.problems(), []);
        await tab.close();
    });

    test('a long reply grows the mirror by appended text; the twins and an idle page stay still', async () => {
        const tab = await openPage(browser, slow.url + '/');
        const page = tab.page;
        await ready(tab);
        await watch(page);
        await page.keyboard.insertText('/long 300');
        await page.keyboard.press('Enter');
        const s = await waitForState(page, (st) => st.messages.length === 2 && !st.streaming && st.messages[1].status === 'done', 60000);
        await tab.waitForIdle();
        const t = await page.evaluate(() => window.__a11y);
        const text = await page.evaluate(() => document.getElementById('transcript-mirror').children[1].textContent);
        assert.equal(text, s.messages[1].text.trim(), 'the mirror holds the whole reply');
        // One paragraph, written as it grew: text nodes added to it, nothing taken out and written again.
        assert.equal(t.removed, 0, 'no node of the mirror was removed while it streamed');
        const texts = t.added.filter((a) => a.text);
        assert.ok(texts.length >= 10, `appended in many small text nodes (${texts.length})`);
        assert.equal(texts.reduce((n, a) => n + a.chars, 0), text.length + s.messages[0].text.length, 'each character written once');
        // The twins did not come and go per token: Stop came and went, Send, Copy, Regenerate...
        assert.ok(t.controls < 30, `twins added or removed during the reply: ${t.controls}`);

        // An idle page does nothing: frames drawn with nothing changed touch none of its elements.
        const changes = await page.evaluate(() => {
            const o = new MutationObserver(() => {});
            for (const id of ['a11y-controls', 'transcript-mirror', 'reply-live'])
                o.observe(document.getElementById(id), { childList: true, subtree: true, attributes: true, characterData: true });
            for (let i = 0; i < 5; i++) window.imchat.drawFrame();
            const n = o.takeRecords().length;
            o.disconnect();
            return n;
        });
        assert.equal(changes, 0, 'drawing unchanged frames changes nothing in the DOM');
        assert.deepEqual(await tab.problems(), []);
        await tab.close();
    });
});
