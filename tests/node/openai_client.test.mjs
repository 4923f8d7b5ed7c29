// The official `openai` npm client, unchanged, against serve.py's /v1 endpoints: if it streams,
// lists models and reports errors correctly, the wire format is OpenAI's.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import OpenAI from 'openai';
import { startServer } from '../lib/serve.mjs';

let server;
let client;

before(async () => {
    server = await startServer(['--tokens-per-second', '5000', '--quiet']);
    client = new OpenAI({ baseURL: server.url + '/v1', apiKey: 'unused-by-the-demo', maxRetries: 0 });
});

after(async () => {
    await server?.stop();
});

const user = (content) => [{ role: 'user', content }];

test('models.list() shows the demo model', async () => {
    const ids = [];
    for await (const model of client.models.list()) ids.push(model.id);
    assert.deepEqual(ids, ['imchat-demo']);
});

test('a streamed completion arrives as chunks that join into the whole reply', async () => {
    const stream = await client.chat.completions.create({
        model: 'imchat-demo', messages: user('How does streaming work?'), stream: true,
        stream_options: { include_usage: true },
    });
    let text = '';
    let chunks = 0;
    let finish = null;
    let usage = null;
    let role = null;
    for await (const chunk of stream) {
        chunks++;
        assert.equal(chunk.object, 'chat.completion.chunk');
        if (chunk.usage) usage = chunk.usage;
        const choice = chunk.choices[0];
        if (!choice) continue;
        role ??= choice.delta.role;
        text += choice.delta.content ?? '';
        finish = choice.finish_reason ?? finish;
    }
    assert.equal(role, 'assistant');
    assert.equal(finish, 'stop');
    assert.ok(chunks > 100, `only ${chunks} chunks`);
    assert.match(text, /^## /);
    assert.match(text, /```/);
    assert.equal(usage.total_tokens, usage.prompt_tokens + usage.completion_tokens);

    const whole = await client.chat.completions.create({ model: 'imchat-demo', messages: user('How does streaming work?') });
    assert.equal(whole.object, 'chat.completion');
    assert.equal(whole.choices[0].message.content, text);
    assert.equal(whole.choices[0].finish_reason, 'stop');
    assert.equal(whole.usage.completion_tokens, usage.completion_tokens);
});

test('reasoning arrives as delta.reasoning_content, before the content', async () => {
    const stream = await client.chat.completions.create({
        model: 'imchat-demo', messages: user('思考一下：为什么要流式输出？'), stream: true,
    });
    let reasoning = '';
    let content = '';
    for await (const chunk of stream) {
        const delta = chunk.choices[0]?.delta ?? {};
        if (delta.reasoning_content) {
            assert.equal(content, '', 'reasoning after content');
            reasoning += delta.reasoning_content;
        }
        content += delta.content ?? '';
    }
    assert.match(reasoning, /[\u4e00-\u9fff]/);
    assert.match(content, /[\u4e00-\u9fff]/);
});

test('the stream helper (runner) accumulates the same text', async () => {
    const runner = client.chat.completions.stream({ model: 'imchat-demo', messages: user('/echo one two 三四') });
    const final = await runner.finalChatCompletion();
    assert.equal(final.choices[0].message.content, 'one two 三四');
});

test('HTTP errors become APIError with status and headers', async () => {
    await assert.rejects(
        client.chat.completions.create({ model: 'imchat-demo', messages: user('/http 429'), stream: true }),
        (err) => err instanceof OpenAI.APIError && err.status === 429 && err.headers.get('retry-after') === '2');
    await assert.rejects(
        client.chat.completions.create({ model: 'no-such-model', messages: user('hi') }),
        (err) => err instanceof OpenAI.NotFoundError);
});

test('an in-stream error chunk makes the iteration throw', async () => {
    const stream = await client.chat.completions.create({
        model: 'imchat-demo', messages: user('/fail 502 3'), stream: true,
    });
    let text = '';
    await assert.rejects(async () => {
        for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
    }, (err) => err instanceof OpenAI.APIError && /simulated failure/.test(err.message));
    assert.equal(text, 'token0 token1 token2 ');
});
