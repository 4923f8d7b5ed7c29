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

test('keep-alive comments during a pause are ignored by the client', async () => {
    const slow = await startServer(['--tokens-per-second', '5000', '--quiet', '--ping-seconds', '0.1']);
    try {
        const c = new OpenAI({ baseURL: slow.url + '/v1', apiKey: 'x', maxRetries: 0 });
        const raw = await fetch(slow.url + '/v1/chat/completions', {
            method: 'POST', headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ model: 'imchat-demo', messages: user('/pause 1'), stream: true }),
        });
        assert.ok((await raw.text()).includes(': ping\n\n'));
        const stream = await c.chat.completions.create({ model: 'imchat-demo', messages: user('/pause 1'), stream: true });
        let text = '';
        for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';
        assert.equal(text, 'word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 ');
    } finally {
        await slow.stop();
    }
});

test('through the proxy: an upstream model streams to the client unchanged', async () => {
    const env = { IMCHAT_NODE_TEST_KEY: 'sk-node-test-key' };
    const upstream = await startServer(['--tokens-per-second', '5000', '--quiet', '--model-name', 'upstream-demo',
        '--require-key-env', 'IMCHAT_NODE_TEST_KEY'], { env });
    const proxy = await startServer(['--quiet', '--upstream', upstream.url + '/v1',
        '--api-key-env', 'IMCHAT_NODE_TEST_KEY'], { env });
    try {
        const c = new OpenAI({ baseURL: proxy.url + '/v1', apiKey: 'the-browser-never-has-the-key', maxRetries: 0 });
        const ids = [];
        for await (const model of c.models.list()) ids.push(model.id);
        assert.deepEqual(ids, ['imchat-demo', 'upstream-demo']);
        const stream = await c.chat.completions.create({ model: 'upstream-demo', messages: user('think: what is a proxy?'), stream: true });
        let content = '';
        let reasoning = '';
        for await (const chunk of stream) {
            content += chunk.choices[0]?.delta?.content ?? '';
            reasoning += chunk.choices[0]?.delta?.reasoning_content ?? '';
        }
        const direct = new OpenAI({ baseURL: upstream.url + '/v1', apiKey: env.IMCHAT_NODE_TEST_KEY, maxRetries: 0 });
        const whole = await direct.chat.completions.create({ model: 'upstream-demo', messages: user('think: what is a proxy?') });
        assert.equal(content, whole.choices[0].message.content);
        assert.equal(reasoning, whole.choices[0].message.reasoning_content);
    } finally {
        await proxy.stop();
        await upstream.stop();
    }
});
