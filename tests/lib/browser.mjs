// browser.mjs: Debian's Chromium, headless, through playwright-core, for the page tests.
//
//   import { launchBrowser, openPage, screenshot } from '../lib/browser.mjs';
//   const browser = await launchBrowser();
//   const tab = await openPage(browser, server.url, { deviceScaleFactor: 2 });
//   await tab.waitForFrames(1);
//   assert.deepEqual(tab.problems(), []);      // console errors, page errors, CSP violations
//   await screenshot(tab.page, 'first-frame');  // tests/out/first-frame.png
//   await browser.close();
//
// WebGL2 runs on SwiftShader (no GPU here). The network flags stop Chromium from trying hosts
// this machine cannot reach. playwright-core gives every launch a fresh temporary profile
// (its own --user-data-dir; passing one in args is refused), and adds --headless and
// --no-sandbox itself from `headless: true` and `chromiumSandbox: false`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { fontconfigEnv } from './fonts.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
export const sourceDir = process.env.IMCHAT_SOURCE_DIR || path.resolve(here, '..', '..');
export const outDir = path.join(sourceDir, 'tests', 'out');

export const chromiumPath = process.env.IMCHAT_CHROMIUM || '/usr/bin/chromium';
export const chromiumArgs = [
    '--use-angle=swiftshader',
    '--enable-unsafe-swiftshader',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
];

const running = new Set();
process.on('exit', () => {
    for (const browser of running) {
        try { browser.process()?.kill('SIGKILL'); } catch { /* already gone */ }
    }
});

// Launches Chromium, with the test fonts only (lib/fonts.mjs). `args` adds flags. Closing it (browser.close()) is the caller's job; a test
// process that dies anyway kills what it launched.
export async function launchBrowser({ args = [] } = {}) {
    const browser = await chromium.launch({
        executablePath: chromiumPath,
        headless: true,
        chromiumSandbox: false,
        args: [...chromiumArgs, ...args],
        env: { ...process.env, ...fontconfigEnv() },
    });
    running.add(browser);
    browser.on('disconnected', () => running.delete(browser));
    return browser;
}

// Records, from the page's first script on, what the page itself can see: CSP violations.
function recorderScript() {
    window.__imchatTest = { violations: [] };
    document.addEventListener('securitypolicyviolation', (e) => {
        window.__imchatTest.violations.push({
            directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber,
        });
    });
}

// Opens `url` in a new context (viewport, deviceScaleFactor and hasTouch as given) and collects console
// messages and page errors. Returns helpers around the page.
export async function openPage(browser, url, { viewport = { width: 1024, height: 700 }, deviceScaleFactor = 1,
    hasTouch = false, waitUntil = 'load' } = {}) {
    const context = await browser.newContext({ viewport, deviceScaleFactor, hasTouch });
    const page = await context.newPage();
    await page.addInitScript(recorderScript);
    const consoleMessages = [];
    const pageErrors = [];
    page.on('console', (msg) => consoleMessages.push({ type: msg.type(), text: msg.text() }));
    page.on('pageerror', (err) => pageErrors.push(String(err)));
    // The console's "Failed to load resource" does not name the URL; this does.
    const httpErrors = [];
    page.on('response', (r) => { if (r.status() >= 400) httpErrors.push(`${r.status()} ${r.url()}`); });
    await page.goto(url, { waitUntil });

    const tab = {
        page,
        context,
        consoleMessages,
        pageErrors,
        httpErrors,
        async violations() {
            return page.evaluate(() => (window.__imchatTest ? window.__imchatTest.violations : []));
        },
        // Everything that should never happen on a healthy page, as strings (empty when fine).
        async problems() {
            const found = [];
            for (const m of consoleMessages) if (m.type === 'error') found.push(`console.error: ${m.text}`);
            for (const e of pageErrors) found.push(`page error: ${e}`);
            for (const h of httpErrors) found.push(`HTTP ${h}`);
            for (const v of await tab.violations()) found.push(`CSP violation: ${JSON.stringify(v)}`);
            return found;
        },
        // Frames drawn by the app (window.imchat.frames()), 0 before the module is up.
        async frames() {
            return page.evaluate(() => (window.imchat && window.imchat.frames ? window.imchat.frames() : 0));
        },
        async waitForFrames(n, timeout = 30000) {
            await page.waitForFunction((count) => window.imchat && window.imchat.frames
                && window.imchat.frames() >= count, n, { timeout });
        },
        // Waits until no frame was drawn for `quietMs` (the app went idle); returns the count.
        async waitForIdle(quietMs = 600, timeout = 15000) {
            const deadline = Date.now() + timeout;
            let last = await tab.frames();
            let since = Date.now();
            while (Date.now() < deadline) {
                await page.waitForTimeout(100);
                const now = await tab.frames();
                if (now !== last) { last = now; since = Date.now(); }
                else if (Date.now() - since >= quietMs) return now;
            }
            throw new Error(`page still drawing after ${timeout} ms (frames ${last})`);
        },
        close: () => context.close(),
    };
    return tab;
}

// Saves a PNG of the page (or of `options.clip`) as tests/out/<name>.png; returns its path.
export async function screenshot(page, name, options = {}) {
    fs.mkdirSync(outDir, { recursive: true });
    const file = path.join(outDir, `${name}.png`);
    await page.screenshot({ path: file, ...options });
    return file;
}
