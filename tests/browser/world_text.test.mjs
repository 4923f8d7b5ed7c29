// World text: imchat draws every script and colour emoji with the browser's own fonts and
// downloads none. What imchat draws (window.imchat.drawText, through the real loader, atlas
// and WebGL2 renderer) is compared with the same string drawn by the same browser's canvas
// fillText in the same font; negative controls (the string reversed, another script) must
// fail the same comparison, so a pipeline that draws something else cannot pass.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { launchBrowser, openPage, screenshot } from '../lib/browser.mjs';
import { startServer, bundleDir } from '../lib/serve.mjs';
import { ready } from '../lib/app.mjs';

// Font file signatures: TrueType (00 01 00 00) and OpenType CFF ('OTTO') at the start of a file;
// these three tags anywhere (collections, WOFF, WOFF2). 'OTTO' is looked for at the start only:
// the math chunk's JavaScript spells "BOTTOM".
const fontTags = ['wOFF', 'wOF2', 'ttcf'];
function fontSignature(bytes) {
    if (bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 1 && bytes[2] === 0 && bytes[3] === 0) return 'sfnt';
    if (bytes.length >= 4 && Buffer.from(bytes.subarray(0, 4)).toString('latin1') === 'OTTO') return 'OTTO';
    const text = Buffer.from(bytes).toString('latin1');
    return fontTags.find((tag) => text.includes(tag)) || null;
}

// In the page: the ink (0..1) of a region of a screenshot, against the black background drawn
// under the text, and the ink of the reference drawn with fillText; both cropped to their ink
// boxes. Returns { widthRatio, heightRatio, difference } for `reference` text.
async function compare(page, shot, region, font, reference, dpr) {
    return page.evaluate(async ({ png, region, font, reference, dpr }) => {
        const bytes = Uint8Array.from(atob(png), (c) => c.charCodeAt(0));
        const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
        const w = bitmap.width, h = bitmap.height;
        const a = new OffscreenCanvas(w, h).getContext('2d', { willReadFrequently: true });
        a.drawImage(bitmap, 0, 0);
        const b = new OffscreenCanvas(w, h).getContext('2d', { willReadFrequently: true });
        b.fillStyle = '#000';
        b.fillRect(0, 0, w, h);
        b.fillStyle = '#fff';
        b.font = font;
        b.textBaseline = 'alphabetic';
        b.fillText(reference, 8 * dpr, h * 0.7);
        function ink(ctx) {
            const d = ctx.getImageData(0, 0, w, h).data;
            const v = new Float32Array(w * h);
            let x0 = w, y0 = h, x1 = -1, y1 = -1;
            for (let i = 0; i < w * h; i++) {
                const m = Math.max(d[i * 4], d[i * 4 + 1], d[i * 4 + 2]) / 255;
                v[i] = m;
                if (m > 0.25) {
                    const x = i % w, y = (i / w) | 0;
                    x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
                }
            }
            return { v, x0, y0, x1, y1, bw: x1 - x0 + 1, bh: y1 - y0 + 1 };
        }
        const A = ink(a), B = ink(b);
        if (A.x1 < 0 || B.x1 < 0) return { widthRatio: 0, heightRatio: 0, difference: 1 };
        // Sample both ink boxes on the same grid (the larger box's size) and compare.
        const gw = Math.max(A.bw, B.bw), gh = Math.max(A.bh, B.bh);
        let diff = 0, total = 0;
        for (let y = 0; y < gh; y++) {
            for (let x = 0; x < gw; x++) {
                const pa = A.v[(A.y0 + Math.min(A.bh - 1, Math.round(y * A.bh / gh))) * w + A.x0 + Math.min(A.bw - 1, Math.round(x * A.bw / gw))];
                const pb = B.v[(B.y0 + Math.min(B.bh - 1, Math.round(y * B.bh / gh))) * w + B.x0 + Math.min(B.bw - 1, Math.round(x * B.bw / gw))];
                diff += Math.abs(pa - pb);
                total += Math.max(pa, pb);
            }
        }
        return { widthRatio: A.bw / B.bw, heightRatio: A.bh / B.bh, difference: total ? diff / total : 1 };
    }, { png: shot.toString('base64'), region, font, reference, dpr });
}

// In the page: how many pixels of a screenshot are clearly coloured (channels far apart).
async function colouredPixels(page, png) {
    return page.evaluate(async (b64) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
        const ctx = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d');
        ctx.drawImage(bitmap, 0, 0);
        const d = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
        let n = 0;
        for (let i = 0; i < d.length; i += 4)
            if (Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 80) n++;
        return n;
    }, png.toString('base64'));
}

// The same drawing, as a test: close in size and in shape.
const matches = (r) => Math.abs(r.widthRatio - 1) < 0.04 && Math.abs(r.heightRatio - 1) < 0.12 && r.difference < 0.3;

describe('world text', () => {
    let server, browser;
    before(async () => {
        server = await startServer(['--tokens-per-second', '5000']);
        browser = await launchBrowser();
    });
    after(async () => {
        await browser?.close();
        await server?.stop();
    });

    test('a page load fetches no font, and no file of the bundle is one', async () => {
        const tab = await openPage(browser, server.url + '/');
        const requests = [];
        const bodies = [];
        tab.page.on('request', (r) => requests.push({ url: r.url(), type: r.resourceType() }));
        tab.page.on('response', async (r) => { try { bodies.push({ url: r.url(), body: await r.body() }); } catch { /* redirects */ } });
        await tab.page.reload();
        await ready(tab);
        await tab.page.keyboard.insertText('Hello 你好 안녕 😀 🇫🇷');
        await tab.waitForIdle();
        assert.ok(requests.length >= 4, `the load was seen: ${requests.map((r) => r.url)}`);
        const fonts = requests.filter((r) => r.type === 'font' || /\.(ttf|otf|ttc|woff2?)(\?|$)/.test(r.url) || /\/fonts\//.test(r.url));
        assert.deepEqual(fonts, [], 'no font requested');
        for (const { url, body } of bodies) assert.equal(fontSignature(body), null, `font data in ${url}`);
        for (const name of fs.readdirSync(bundleDir)) {
            const file = path.join(bundleDir, name);
            if (fs.statSync(file).isFile() && !/\.(gz|br)$/.test(name))
                assert.equal(fontSignature(fs.readFileSync(file)), null, `font data in the bundle's ${name}`);
        }
        assert.deepEqual(await tab.problems(), []);
        await tab.close();
    });

    for (const dpr of [1, 2]) {
        test(`scripts and emoji drawn by imchat match the browser's own fillText (DPR ${dpr})`, async () => {
            const tab = await openPage(browser, server.url + '/', { deviceScaleFactor: dpr });
            const page = tab.page;
            await ready(tab);
            const size = 20;
            const samples = [
                'Hamburgefonstiv 0123',
                'Ελληνικά Кириллица',
                '中文字体 日本語のかな 한국어',
                '😀🎉🚀❤️👍',
            ];
            const results = [];
            for (const [i, text] of samples.entries()) {
                await page.evaluate(({ text, size }) => window.imchat.drawText(text, 0, 40, 200, size), { text, size });
                await page.waitForFunction(() => window.imchat.glyphStats().pending === 0);
                await tab.waitForIdle(300);
                const clip = { x: 32, y: 192, width: 760, height: size * 1.5 + 16 };
                const shot = await page.screenshot({ clip });
                if (i === samples.length - 1) await screenshot(page, `world-text-dpr${dpr}`);
                const font = await page.evaluate(({ px }) => window.imchat.glyphFont(0, px), { px: size * dpr });
                const same = await compare(page, shot, clip, font, text, dpr);
                const reversed = await compare(page, shot, clip, font, [...text].reverse().join(''), dpr);
                const other = await compare(page, shot, clip, font, samples[(i + 1) % samples.length], dpr);
                results.push({ text, same, reversed, other });
                assert.ok(matches(same), `"${text}" matches the browser's drawing: ${JSON.stringify(same)}`);
                assert.ok(!matches(reversed), `control: "${text}" reversed must not match: ${JSON.stringify(reversed)}`);
                assert.ok(!matches(other), `control: another sample must not match: ${JSON.stringify(other)}`);
            }
            console.log(JSON.stringify(results.map((r) => [r.text, r.same.difference.toFixed(3), r.reversed.difference.toFixed(3)])));

            // Colour emoji stay colour (not tinted by the text colour, not monochrome).
            await page.evaluate(({ size }) => window.imchat.drawText('😀🍎🌳', 0, 40, 200, size), { size: 40 });
            await tab.waitForIdle(300);
            const png = await page.screenshot({ clip: { x: 32, y: 192, width: 200, height: 76 } });
            const coloured = await colouredPixels(page, png);
            assert.ok(coloured > 200 * dpr * dpr, `emoji pixels are coloured: ${coloured}`);
            const stats = await page.evaluate(() => window.imchat.glyphStats());
            assert.ok(stats.glyphs > 0 && stats.pending === 0, JSON.stringify(stats));
            assert.deepEqual(await tab.problems(), []);
            await tab.close();
        });
    }

    // Grapheme clusters of several code points, one of each kind, drawn by imchat's own text
    // drawing (platform/cluster_raster: one canvas image per cluster) against fillText of the
    // same string. Controls that must fail the comparison the real drawing passes: an emoji
    // cluster drawn code point by code point (a zero-width space between them stops the font
    // joining them), the family with its joiners removed, and a letter without its marks (a
    // lone combining mark drawn after its letter lands where it would over it, so drawing code
    // point by code point is no control there).
    const clusterKinds = [
        ['ZWJ family', '\u{1F468}\u200D\u{1F469}\u200D\u{1F467}\u200D\u{1F466}', 'split'],
        ['flag', '\u{1F1EF}\u{1F1F5}', 'split'],
        ['keycap', '1\uFE0F\u20E3', 'split'],
        ['skin tone', '\u{1F44D}\u{1F3FD}', 'split'],
        ['decomposed é', 'e\u0301', 'bare'],
        ['Vietnamese stacked tones', 'e\u0323\u0302', 'bare'],
    ];
    const row = clusterKinds.map(([, c]) => c).join('');
    test('clusters of several code points are drawn as one image each, matching fillText', async () => {
        const tab = await openPage(browser, server.url + '/');
        const page = tab.page;
        await ready(tab);
        const size = 32;
        const draw = async (text) => {
            await page.evaluate(({ text, size }) => window.imchat.drawClusters(text, 0, 40, 200, size), { text, size });
            await page.waitForFunction(() => window.imchat.glyphStats().pending === 0);
            await tab.waitForIdle(300);
            return page.screenshot({ clip: { x: 32, y: 192, width: 760, height: size * 1.5 + 16 } });
        };
        const font = await page.evaluate(({ px }) => window.imchat.glyphFont(0, px), { px: size });
        const codePoints = (text) => [...text].join('\u200B');
        const control = (cluster, how) => how === 'split' ? codePoints(cluster) : [...cluster][0];
        const results = {};
        for (const [kind, cluster, how] of [...clusterKinds, ['the row', row, 'split']]) {
            const shot = await draw(cluster);
            const same = await compare(page, shot, null, font, cluster, 1);
            const other = await compare(page, shot, null, font, control(cluster, how), 1);
            results[kind] = [same.difference.toFixed(3), other.difference.toFixed(3)];
            assert.ok(matches(same), `${kind} matches the browser's drawing: ${JSON.stringify(same)}`);
            assert.ok(!matches(other), `control: ${kind} (${how}) must not match: ${JSON.stringify(other)}`);
            if (kind === 'ZWJ family') {
                const unjoined = await compare(page, shot, null, font, cluster.replaceAll('\u200D', ''), 1);
                assert.ok(!matches(unjoined), `control: the family without joiners must not match: ${JSON.stringify(unjoined)}`);
            }
        }
        console.log(JSON.stringify(results));
        assert.ok(await page.evaluate(() => window.imchat.clusterImages()) >= clusterKinds.length);
        // Colour clusters stay colour.
        const shot = await draw(clusterKinds[0][1] + clusterKinds[1][1] + clusterKinds[3][1]);
        const coloured = await colouredPixels(page, shot);
        assert.ok(coloured > 300, `cluster pixels are coloured: ${coloured}`);
        await screenshot(page, 'world-text-clusters');
        assert.deepEqual(await tab.problems(), []);
        await tab.close();
    });

    test('the composer: Backspace takes a cluster whole, copy gives back its code points', async () => {
        const tab = await openPage(browser, server.url + '/');
        const page = tab.page;
        await ready(tab);
        await tab.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
        const text = () => page.evaluate(() => window.imchat.activeText());
        const waitText = (t) => page.waitForFunction((t) => window.imchat.activeText() === t, t, { timeout: 20000 })
            .catch(async () => assert.equal(await text(), t));
        await page.keyboard.insertText('a' + row);
        await waitText('a' + row);
        for (let n = clusterKinds.length - 1; n >= 0; n--) {
            await page.keyboard.press('Backspace');
            await waitText('a' + clusterKinds.slice(0, n).map(([, c]) => c).join(''));
        }
        await page.keyboard.insertText(row + 'z');
        await waitText('a' + row + 'z');
        // Shift+Left twice from the end selects "z" and the whole Vietnamese letter.
        await page.keyboard.press('End');
        await page.keyboard.press('Shift+ArrowLeft');
        await page.keyboard.press('Shift+ArrowLeft');
        await page.keyboard.press('Control+C');
        await page.waitForTimeout(200);
        assert.equal(await page.evaluate(() => navigator.clipboard.readText()), clusterKinds.at(-1)[1] + 'z');
        await page.keyboard.press('Control+A');
        await page.keyboard.press('Control+C');
        await page.waitForTimeout(200);
        const copied = await page.evaluate(() => navigator.clipboard.readText());
        assert.deepEqual([...copied].map((c) => c.codePointAt(0)), [...('a' + row + 'z')].map((c) => c.codePointAt(0)));
        await screenshot(page, 'world-text-composer-clusters');
        assert.deepEqual(await tab.problems(), []);
        await tab.close();
    });

    // The ink width (device pixels) of what imchat draws for `text` in `face`, from a screenshot.
    async function inkWidth(tab, text, face) {
        await tab.page.evaluate(([t, f]) => window.imchat.drawText(t, f, 40, 200, 32), [text, face]);
        await tab.page.waitForFunction(() => window.imchat.glyphStats().pending === 0);
        await tab.waitForIdle(300);
        const png = await tab.page.screenshot({ clip: { x: 32, y: 192, width: 760, height: 64 } });
        return tab.page.evaluate(async (b64) => {
            const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
            const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
            const ctx = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d');
            ctx.drawImage(bitmap, 0, 0);
            const d = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
            let x0 = Infinity, x1 = -1;
            for (let i = 0; i < d.length; i += 4) {
                if (d[i] > 100) { const x = (i / 4) % bitmap.width; x0 = Math.min(x0, x); x1 = Math.max(x1, x); }
            }
            return x1 < 0 ? 0 : x1 - x0 + 1;
        }, png.toString('base64'));
    }

    test('a code point no font has is a boxed hex code; private use too; bidi controls show in code', async () => {
        const tab = await openPage(browser, server.url + '/');
        await ready(tab);
        const missing = (face, text) => tab.page.evaluate(([f, t]) => window.imchat.glyphMissing(f, 32, t), [face, text]);
        // Unassigned (U+0378), a noncharacter (U+10FFFD) and private use (U+E000) are boxes...
        for (const c of ['\u0378', '\u{10FFFD}', '\uE000']) {
            const width = await inkWidth(tab, c, 0);
            assert.equal(await missing(0, c), true, `U+${c.codePointAt(0).toString(16)} is detected as missing`);
            assert.ok(width > 12, `and drawn visibly: ${width} px`);
        }
        // ...and the box is ours (hex digits inside), not the browser's own missing-glyph drawing.
        const box = await tab.page.screenshot({ clip: { x: 32, y: 192, width: 760, height: 64 } });
        const font = await tab.page.evaluate(() => window.imchat.glyphFont(0, 32));
        assert.ok(!matches(await compare(tab.page, box, null, font, '\uE000', 1)), 'the hex box differs from the browser\'s own drawing');
        // Negative controls: characters the machine has fonts for are never boxes, and the
        // reference drawing of one differs from the missing-glyph drawing.
        for (const c of ['A', '中', '한', '😀', 'é'])
            assert.equal(await missing(0, c), false, `"${c}" has a font`);
        await inkWidth(tab, '中', 0);
        const han = await tab.page.screenshot({ clip: { x: 32, y: 192, width: 760, height: 64 } });
        assert.ok(!matches(await compare(tab.page, han, null, font, '\u0378', 1)), 'a real glyph differs from the missing glyph');
        // Bidi controls: marks in code (the monospace face), nothing in prose.
        const plainCode = await inkWidth(tab, 'ab', 1);
        for (const c of ['\u202E', '\u2066', '\u2069']) {
            assert.ok(await inkWidth(tab, `a${c}b`, 1) > plainCode + 10, `U+${c.codePointAt(0).toString(16)} is a visible mark in code`);
            assert.equal(await missing(1, c), true);
        }
        const plainProse = await inkWidth(tab, 'ab', 0);
        assert.ok(Math.abs(await inkWidth(tab, 'a\u202Eb', 0) - plainProse) <= 2, 'control: prose draws no mark');
        assert.deepEqual(await tab.problems(), []);
        await tab.close();
    });

    test('a canvas whose readback is scrambled is said in plain words; a normal one draws', async () => {
        // Privacy modes add noise to what getImageData returns: the start-up probe must see it.
        const tab = await openPage(browser, 'about:blank');
        await tab.page.addInitScript(() => {
            const get = OffscreenCanvasRenderingContext2D.prototype.getImageData;
            OffscreenCanvasRenderingContext2D.prototype.getImageData = function (...args) {
                const data = get.apply(this, args);
                for (let i = 0; i < data.data.length; i += 97) data.data[i] ^= (Math.random() * 4) | 1;
                return data;
            };
        });
        await tab.page.goto(server.url + '/');
        await tab.page.waitForFunction(() => window.imchat && window.imchat.error, null, { timeout: 20000 });
        const error = await tab.page.evaluate(() => window.imchat.error);
        assert.match(error, /read back what it draws on a canvas/);
        assert.equal(await tab.page.evaluate(() => document.getElementById('status').hidden), false, 'the message is shown');
        await tab.close();
        // Control: the same page without the noise draws and says nothing.
        const plain = await openPage(browser, server.url + '/');
        await ready(plain);
        assert.equal(await plain.page.evaluate(() => window.imchat.error), undefined);
        await plain.close();
    });

    test('a changed pixel ratio bakes the faces again at the new ratio', async () => {
        const tab = await openPage(browser, server.url + '/');
        await ready(tab);
        const densities = () => tab.page.evaluate(() => window.imchat.state().faces.map((f) => f.density));
        assert.ok((await densities()).every((d) => d === 1), JSON.stringify(await densities()));
        const cdp = await tab.context.newCDPSession(tab.page);
        await cdp.send('Emulation.setDeviceMetricsOverride', { width: 1024, height: 700, deviceScaleFactor: 2, mobile: false });
        await tab.page.waitForFunction(() => window.imchat.state().faces.every((f) => f.density === 2), null, { timeout: 10000 });
        await tab.waitForIdle(300);
        const stats = await tab.page.evaluate(() => window.imchat.glyphStats());
        assert.equal(stats.pending, 0, 'every glyph of the new bake landed');
        assert.deepEqual(await tab.problems(), []);
        await tab.close();
    });

    test('code keeps wide characters at two columns', async () => {
        const tab = await openPage(browser, server.url + '/');
        await ready(tab);
        // Advances through ImGui's own measuring of the mono face: "中" is two "0" wide.
        await tab.page.evaluate(() => window.imchat.drawText('00000000', 1, 40, 200, 16));
        await tab.waitForIdle(300);
        const ascii = await tab.page.evaluate(() => window.imchat.glyphStats());
        assert.ok(ascii.glyphs > 0);
        const widths = await tab.page.evaluate(() => window.imchat.monoAdvances('0中a한😀'));
        const column = widths[0];
        assert.ok(column > 5, JSON.stringify(widths));
        assert.deepEqual(widths.map((w) => Math.round(w / column * 100) / 100), [1, 2, 1, 2, 2], JSON.stringify(widths));
        await tab.close();
    });
});
