// app.mjs: driving the imchat page in browser tests through its automation hook
// (window.imchat.state() / act()), shared by every tests/browser file.
//
//   await ready(tab);                         // drawn, prompt box has the keyboard
//   const s = await ask(tab.page, 'hello');   // type, Enter, wait until the reply ended
//   await waitForState(tab.page, (s) => s.messages[1].status === 'done');

export const state = (page) => page.evaluate(() => window.imchat.state());

// Polls window.imchat.state() until predicate(state) holds; the error shows the last state.
export async function waitForState(page, predicate, timeout = 30000) {
    const deadline = Date.now() + timeout;
    let last;
    while (Date.now() < deadline) {
        last = await state(page);
        if (predicate(last)) return last;
        await page.waitForTimeout(50);
    }
    throw new Error(`timed out; last state: ${JSON.stringify(last).slice(0, 800)}`);
}

// The page drew and its prompt box has the keyboard (it takes focus on the first frames; keys
// typed before that would have no target).
export async function ready(tab) {
    await tab.waitForFrames(1);
    await tab.page.waitForFunction(() => window.imchat.activeText && window.imchat.activeText() !== null);
}

// The last reply has ended, one way or another.
export const settled = (s) => s.messages.length >= 2 && !s.streaming && s.messages.at(-1).status !== 'waiting'
    && s.messages.at(-1).status !== 'streaming';

// Types a prompt (inserted as text, so any characters work), presses Enter and waits until
// the reply to it has ended.
export async function ask(page, prompt, timeout = 30000) {
    const count = (await state(page)).messages.length;
    await page.keyboard.insertText(prompt);
    await page.keyboard.press('Enter');
    return waitForState(page, (s) => s.messages.length === count + 2 && settled(s), timeout);
}

// Clicks the widget the page reported under `name` (state().rects), held 80 ms like a person's click.
export async function clickItem(page, name) {
    const r = (await waitForState(page, (s) => s.rects[name], 10000)).rects[name];
    await page.mouse.move(r.x + r.w / 2, r.y + r.h / 2);
    await page.mouse.down();
    await page.waitForTimeout(80);
    await page.mouse.up();
}

// What the server generated for a built-in reply, from its own record of it.
export async function served(server, replyId) {
    const response = await fetch(`${server.url}/api/chat/${replyId}`);
    if (response.status !== 200) throw new Error(`GET /api/chat/${replyId}: HTTP ${response.status}`);
    return response.json();
}
