// The browser history (wasm/storage) in real headless Chromium against a real serve.py, through
// the storage probe page (tests/browser/storage_probe): the real IndexedDB store, saver,
// settings store and chat session, without the UI. Covers: a streaming reply saved at most every
// 250 ms and whole at the end; a reload mid-stream that resumes the reply the server still has;
// one it no longer has coming back interrupted with the saved text; list, search, rename and
// delete with undo; two tabs seeing each other's writes; no IndexedDB at all; settings in
// localStorage with the key kept out of what is shown.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { launchBrowser } from '../lib/browser.mjs';
import { sourceDir, startServer } from '../lib/serve.mjs';

const buildDir = process.env.IMCHAT_BUILD_DIR || path.join(sourceDir, 'build', 'web');
const probeDir = path.join(buildDir, 'storage-probe');

// Opens the probe page in `context` (tabs of one context share IndexedDB and BroadcastChannel).
async function openProbe(context, url, { noIndexedDb = false } = {}) {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    // The console's "Failed to load resource" does not say which; responses do (the probe page
    // has no favicon, which is fine).
    page.on('console', (m) => {
        if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text());
    });
    page.on('response', (r) => {
        if (r.status() >= 400 && !r.url().endsWith('/favicon.ico')) errors.push(`HTTP ${r.status()} ${r.url()}`);
    });
    if (noIndexedDb) {
        // As in a private mode that refuses storage: touching indexedDB throws.
        await page.addInitScript(() => {
            Object.defineProperty(window, 'indexedDB', { get() { throw new Error('SecurityError: no storage'); } });
        });
    }
    await page.goto(url + '/index.html');
    await page.waitForFunction(() => window.probeReady === true);
    page.probeErrors = errors;
    return page;
}

// Calls an exported probe function: name, return type ('number', 'string' or null), args.
function call(page, name, ret, ...args) {
    const types = args.map((a) => (typeof a === 'number' ? 'number' : 'string'));
    return page.evaluate(([n, r, t, a]) => window.Module.ccall(n, r, t, a), [name, ret, types, args]);
}

// Waits for the next window.probeEvents entry of `kind` after `since` entries; returns it.
async function nextEvent(page, kind, since, timeout = 15000) {
    const handle = await page.waitForFunction(([k, s]) => {
        const found = window.probeEvents.slice(s).find((e) => e.kind === k);
        return found || false;
    }, [kind, since], { timeout });
    return handle.jsonValue();
}

const eventCount = (page) => page.evaluate(() => window.probeEvents.length);

// Runs a probe call that answers with an event; returns the event.
async function ask(page, kind, name, ...args) {
    const since = await eventCount(page);
    await call(page, name, null, ...args);
    return nextEvent(page, kind, since);
}

async function state(page) {
    const s = JSON.parse(await call(page, 'probe_state', 'string'));
    s.conversation = JSON.parse(s.conversation);
    return s;
}

// Polls fn until it returns something truthy. `explain` (optional) describes the last state.
async function waitFor(fn, what, timeout = 30000, explain = null) {
    const deadline = Date.now() + timeout;
    let last;
    while (Date.now() < deadline) {
        last = await fn();
        if (last) return last;
        await new Promise((r) => setTimeout(r, 30));
    }
    throw new Error(`timed out waiting for ${what}${explain ? ': ' + (await explain()) : ''}`);
}

const records = (page, conv) => page.evaluate((c) => window.imchat.historyRecords(c), conv);
const reply = (recs) => recs.find((r) => r.role === 'assistant');

async function served(server, replyId) {
    const response = await fetch(`${server.url}/api/chat/${replyId}`);
    assert.equal(response.status, 200);
    return response.json();
}

describe('history', () => {
    let server, browser;

    before(async () => {
        server = await startServer(['--tokens-per-second', '40', '--quiet'], { root: probeDir });
        browser = await launchBrowser();
    });
    after(async () => {
        await browser?.close();
        await server?.stop();
    });

    test('a streaming reply is saved at most every 250 ms, and whole when it ends', async () => {
        const context = await browser.newContext();
        const page = await openProbe(context, server.url);
        assert.equal((await ask(page, 'open', 'probe_open', 10000)).ok, true);
        assert.equal(await call(page, 'probe_send', 'number', 'stream-1', 'Tell me about saving'), 1);

        // Sample the stored reply record as it grows.
        const seen = [];
        const started = Date.now();
        let s;
        do {
            const r = reply(await records(page, 'stream-1'));
            if (r && (seen.length === 0 || seen[seen.length - 1].text !== r.text)) seen.push({ text: r.text, status: r.status });
            s = await state(page);
            await page.waitForTimeout(20);
        } while (s.streaming && Date.now() - started < 60000);
        const elapsed = Date.now() - started;
        const final = reply(await records(page, 'stream-1'));
        const shown = s.conversation.messages.find((m) => m.role === 'assistant');
        assert.equal(final.status, 'done');
        assert.equal(final.text, shown.text);
        assert.equal(final.text, (await served(server, shown.reply_id)).content);
        assert.ok(final.text.length > 100, `a reply long enough to stream: ${final.text.length}`);
        // Every saved state was a prefix of the final text (nothing garbled or out of order) ...
        for (const x of seen) assert.ok(final.text.startsWith(x.text), `prefix: ${x.text.slice(-40)}`);
        // ... several were seen while it grew, and the writes were throttled: at 40 tokens/s a
        // write per token would be ~40 per second; allow 4 per second plus the first and last.
        assert.ok(seen.filter((x) => x.status === 'streaming').length >= 2, JSON.stringify(seen.map((x) => x.status)));
        assert.ok(s.writes <= (elapsed / 1000) * 4 + 3, `${s.writes} writes in ${elapsed} ms`);
        assert.equal(s.problem, '');
        assert.deepEqual(page.probeErrors, []);
        await context.close();
    });

    test('a reload mid-stream resumes the reply the server still has', async () => {
        const context = await browser.newContext();
        let page = await openProbe(context, server.url);
        await ask(page, 'open', 'probe_open', 10000);
        assert.equal(await call(page, 'probe_send', 'number', 'reload-1', 'A long answer please'), 1);
        await waitFor(async () => (reply(await records(page, 'reload-1'))?.text.length || 0) > 30, 'saved text');
        await page.reload();  // the page goes away mid-stream, as a crash or a reload would
        await page.waitForFunction(() => window.probeReady === true);
        await ask(page, 'open', 'probe_open', 10000);
        const saved = reply(await records(page, 'reload-1'));
        assert.equal(saved.status, 'streaming');
        assert.ok(saved.reply_id && saved.last_event_id, JSON.stringify(saved));
        assert.equal((await ask(page, 'load', 'probe_load', 'reload-1')).ok, true);
        assert.equal(await call(page, 'probe_resume_after_load', 'number'), 1);
        const s = await waitFor(async () => { const x = await state(page); return !x.streaming && x; }, 'the end');
        const r = s.conversation.messages.find((m) => m.role === 'assistant');
        assert.equal(r.status, 'done');
        assert.ok(r.text.startsWith(saved.text));
        assert.equal(r.text, (await served(server, saved.reply_id)).content, 'no token lost or doubled');
        await waitFor(async () => reply(await records(page, 'reload-1')).status === 'done', 'the saved end');
        assert.equal(reply(await records(page, 'reload-1')).text, r.text);
        await context.close();
    });

    test('a reply the server no longer has comes back interrupted with its saved text', async () => {
        const context = await browser.newContext();
        let page = await openProbe(context, server.url);
        await ask(page, 'open', 'probe_open', 10000);
        await call(page, 'probe_send', 'number', 'gone-1', 'Something to lose');
        await waitFor(async () => (reply(await records(page, 'gone-1'))?.text.length || 0) > 20, 'saved text');
        await page.reload();
        await page.waitForFunction(() => window.probeReady === true);
        await ask(page, 'open', 'probe_open', 10000);
        const saved = reply(await records(page, 'gone-1'));
        await ask(page, 'load', 'probe_load', 'gone-1');
        await call(page, 'probe_forget_reply_id', null);  // as if the server had dropped it
        await call(page, 'probe_resume_after_load', 'number');
        const s = await waitFor(async () => { const x = await state(page); return !x.streaming && x; }, 'settled');
        const r = s.conversation.messages.find((m) => m.role === 'assistant');
        assert.equal(r.status, 'interrupted');
        assert.equal(r.text, saved.text);
        await waitFor(async () => reply(await records(page, 'gone-1')).status === 'interrupted', 'saved as interrupted');
        await context.close();
    });

    test('list, search, rename, and delete with undo', async () => {
        const context = await browser.newContext();
        const page = await openProbe(context, server.url);
        await ask(page, 'open', 'probe_open', 1500);
        await call(page, 'probe_add', null, 'c-apple', 'Apples', 'How do I grow apples?', 'Plant a tree.');
        await page.waitForTimeout(5);
        await call(page, 'probe_add', null, 'c-tea', 'Tea', '茶怎么泡？', 'Use water at 80°C. ÜBER hot is bad.');
        await waitFor(async () => (await records(page, 'c-tea')).length === 2, 'tea saved');
        let list = (await ask(page, 'list', 'probe_list')).items;
        assert.deepEqual(list.map((x) => x.id), ['c-tea', 'c-apple']);  // newest first
        assert.equal(list[0].count, 2);
        assert.equal(list[0].preview, 'Use water at 80°C. ÜBER hot is bad.');

        const search = async (q) => (await ask(page, 'search', 'probe_search', q)).ids;
        assert.deepEqual(await search('APPLE'), ['c-apple']);     // title and text, any case
        assert.deepEqual(await search('tree'), ['c-apple']);      // reply text
        assert.deepEqual(await search('über'), ['c-tea']);        // Unicode case folding
        assert.deepEqual(await search('怎么'), ['c-tea']);
        assert.deepEqual(await search('nowhere'), []);

        // Renaming the open conversation goes through the saver; another one through the store.
        await call(page, 'probe_rename_current', null, 'Green tea');
        assert.equal((await ask(page, 'rename', 'probe_rename', 'c-apple', 'Orchard')).ok, true);
        await waitFor(async () => {
            const titles = (await ask(page, 'list', 'probe_list')).items.map((x) => x.title).sort();
            return JSON.stringify(titles) === JSON.stringify(['Green tea', 'Orchard']);
        }, 'both renames');

        assert.equal((await ask(page, 'remove', 'probe_remove', 'c-apple', 0)).ok, true);
        list = (await ask(page, 'list', 'probe_list')).items;
        assert.deepEqual(list.map((x) => x.id), ['c-tea']);
        assert.deepEqual(await search('orchard'), []);
        assert.equal((await ask(page, 'undo', 'probe_remove', 'c-apple', 1)).ok, true);
        list = (await ask(page, 'list', 'probe_list')).items;
        assert.deepEqual(list.map((x) => x.id).sort(), ['c-apple', 'c-tea']);

        // Without an undo the records go for good once the window (1.5 s here) has passed.
        await ask(page, 'remove', 'probe_remove', 'c-apple', 0);
        await waitFor(async () => (await records(page, 'c-apple')).length === 0, 'purged', 10000);
        assert.equal((await ask(page, 'load', 'probe_load', 'c-apple')).ok, false);
        const id1 = await call(page, 'probe_new_id', 'string');
        const id2 = await call(page, 'probe_new_id', 'string');
        assert.match(id1, /^[0-9a-z]+-[0-9a-v]{12}$/);
        assert.notEqual(id1, id2);
        assert.deepEqual(page.probeErrors, []);
        await context.close();
    });

    test('two tabs see each other\'s writes and never lose them', async () => {
        const context = await browser.newContext();
        const a = await openProbe(context, server.url);
        const b = await openProbe(context, server.url);
        await ask(a, 'open', 'probe_open', 10000);
        await ask(b, 'open', 'probe_open', 10000);
        // Tab A streams a reply; tab B hears about it and merges the records.
        const since = await eventCount(b);
        await call(a, 'probe_send', 'number', 'shared', 'Talk to both tabs');
        assert.equal((await nextEvent(b, 'external', since)).conv, 'shared');
        await ask(b, 'load', 'probe_load', 'shared');
        await waitFor(async () => !(await state(a)).streaming, 'A done');
        await waitFor(async () => {
            const merged = await ask(b, 'merge', 'probe_merge', 'shared');
            const sa = await state(a);
            const sb = await state(b);
            return merged.ok && JSON.stringify(sa.conversation.messages) === JSON.stringify(sb.conversation.messages);
        }, 'B caught up with A', 30000, async () => JSON.stringify([(await state(a)).conversation.messages,
            (await state(b)).conversation.messages]));
        // Tab B continues the conversation; A merges it while its own copy stays intact.
        assert.equal(await call(b, 'probe_send', 'number', 'shared', 'And a follow-up from B'), 1);
        await waitFor(async () => !(await state(b)).streaming, 'B done');
        await waitFor(async () => {
            await ask(a, 'merge', 'probe_merge', 'shared');
            return (await state(a)).conversation.messages.length === 4;
        }, 'A got B\'s messages');
        const stored = await records(a, 'shared');
        assert.equal(stored.length, 4);
        assert.deepEqual(stored.map((r) => r.status), ['done', 'done', 'done', 'done']);
        assert.equal(stored[2].text, 'And a follow-up from B');
        assert.equal((await state(a)).conversation.messages[3].text, stored[3].text);
        await context.close();
    });

    test('without IndexedDB the app says so and keeps chatting', async () => {
        const context = await browser.newContext();
        const page = await openProbe(context, server.url, { noIndexedDb: true });
        const opened = await ask(page, 'open', 'probe_open', 10000);
        assert.equal(opened.ok, false);
        assert.match(opened.error, /^History cannot be saved: /);
        assert.equal(await call(page, 'probe_send', 'number', 'private', 'Still works?'), 1);
        const s = await waitFor(async () => { const x = await state(page); return !x.streaming && x; }, 'reply');
        assert.equal(s.conversation.messages[1].status, 'done');
        assert.equal(s.available, false);
        assert.match(s.problem, /History cannot be saved/);
        const list = await ask(page, 'list', 'probe_list');
        assert.deepEqual(list.items, []);
        assert.deepEqual(page.probeErrors, []);
        await context.close();
    });

    test('settings persist in localStorage; the key is never shown', async () => {
        const context = await browser.newContext();
        let page = await openProbe(context, server.url);
        const settings = {
            endpoint: 'direct', base_url: 'http://127.0.0.1:9/v1', api_key: 'sk-test-abcdefghijkl7890',
            model: 'm1', system_prompt: 'Be brief', temperature: 0.5, max_tokens: 100, theme: 'dark',
            language: 'zh', text_size: 20,
        };
        const saved = JSON.parse(await call(page, 'probe_settings', 'string', JSON.stringify(settings)));
        assert.equal(saved.ok, true);
        await page.reload();
        await page.waitForFunction(() => window.probeReady === true);
        const loaded = JSON.parse(await call(page, 'probe_settings', 'string', ''));
        assert.equal(loaded.ok, true, loaded.problem);
        const shown = JSON.parse(loaded.shown);
        for (const k of ['endpoint', 'base_url', 'model', 'system_prompt', 'temperature', 'max_tokens', 'theme',
            'language', 'text_size'])
            assert.equal(shown[k], settings[k], k);
        assert.equal(shown.api_key, undefined);
        assert.ok(!loaded.shown.includes('abcdefghijkl'));
        assert.equal(loaded.key, 'sk-…7890');
        // The key itself is in this browser's storage, and only there.
        const raw = await page.evaluate(() => localStorage.getItem('imchat.settings'));
        assert.equal(JSON.parse(raw).api_key, settings.api_key);
        await context.close();
    });
});
