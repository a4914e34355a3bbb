// The official SDKs against replay stubs of real OpenAI and Anthropic response shapes, configured
// as deployments (routes gpt-4o-mini -> replay-openai, claude-sonnet-4-5 -> replay-anthropic).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openai, anthropic, accHeaders, expectedCost, env } from './helpers.mjs';

const STUB = env('ACC_E2E_STUB_URL');
const messages = [{ role: 'user', content: 'What is the weather in Paris?' }];
const weatherTool = [{ type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } }];

// gpt-4o-mini: $0.15 input, $0.075 cached input, $0.60 output per 1M tokens.
const gptCost = expectedCost([['0.00000015', 2006 - 1920], ['0.000000075', 1920], ['0.0000006', 12]]);
// claude-sonnet-4-5: $3 input, $0.30 cache read, $3.75 cache write (5 min), $15 output per 1M tokens.
const claudeCost = expectedCost([['0.000003', 30], ['0.0000003', 2000], ['0.00000375', 1000], ['0.000015', 12]]);

test('OpenAI chat: cached tokens priced inside prompt_tokens', async () => {
  const { data, response } = await openai().chat.completions.create({ model: 'gpt-4o-mini', messages }).withResponse();
  const h = accHeaders(response, { provider: 'openai', model: 'gpt-4o-mini' });
  assert.equal(data.choices[0].message.content, 'Replayed answer from OpenAI.');
  assert.equal(data.usage.prompt_tokens_details.cached_tokens, 1920);
  assert.equal(h.get('x-acc-cost-usd'), gptCost);
});

test('OpenAI streaming with usage and tool calls', async () => {
  const stream = await openai().chat.completions.create({ model: 'gpt-4o-mini', messages, tools: weatherTool, stream: true,
    stream_options: { include_usage: true } });
  let args = '';
  let finish;
  let usage;
  for await (const c of stream) {
    const d = c.choices[0]?.delta;
    for (const tc of d?.tool_calls ?? []) args += tc.function?.arguments ?? '';
    if (c.choices[0]?.finish_reason) finish = c.choices[0].finish_reason;
    if (c.usage) usage = c.usage;
  }
  assert.deepEqual(JSON.parse(args), { city: 'Paris' });
  assert.equal(finish, 'tool_calls');
  assert.equal(usage.prompt_tokens, 2006);
});

test('OpenAI streaming without include_usage: no usage chunk reaches the client', async () => {
  const stream = await openai().chat.completions.create({ model: 'gpt-4o-mini', messages, stream: true });
  let text = '';
  for await (const c of stream) {
    assert.ok(c.choices.length > 0, 'usage-only chunk leaked');
    text += c.choices[0].delta.content ?? '';
  }
  assert.equal(text, 'Replayed streamed answer.');
});

test('OpenAI embeddings through a deployment', async () => {
  const e = await openai().embeddings.create({ model: 'gpt-4o-mini', input: 'hello' });
  assert.deepEqual(Array.from(e.data[0].embedding), [0.25, -0.5, 0.125, 1.0]);
});

test('Anthropic messages: cache reads and writes priced on top of input_tokens', async () => {
  const { data, response } = await anthropic().messages.create({ model: 'claude-sonnet-4-5', max_tokens: 100, messages }).withResponse();
  const h = accHeaders(response, { provider: 'anthropic', model: 'claude-sonnet-4-5' });
  assert.equal(data.content[0].text, 'Replayed answer from Anthropic.');
  assert.equal(data.usage.cache_read_input_tokens, 2000);
  assert.equal(h.get('x-acc-cost-usd'), claudeCost);
});

test('Anthropic streaming with tool use', async () => {
  const tools = [{ name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }];
  const final = await anthropic().messages.stream({ model: 'claude-sonnet-4-5', max_tokens: 100, tools, messages }).finalMessage();
  assert.equal(final.stop_reason, 'tool_use');
  assert.deepEqual(final.content[1].input, { city: 'Paris' });
  assert.equal(final.usage.output_tokens, 12);
});

test('cross-format: the OpenAI SDK served by the Anthropic deployment, and the reverse', async () => {
  const { data, response } = await openai().chat.completions.create({ model: 'claude-sonnet-4-5', messages }).withResponse();
  accHeaders(response, { provider: 'anthropic', model: 'claude-sonnet-4-5' });
  assert.equal(data.choices[0].message.content, 'Replayed answer from Anthropic.');
  assert.equal(data.usage.prompt_tokens, 3030, 'Anthropic input + cache read + cache write');
  assert.equal(response.headers.get('x-acc-cost-usd'), claudeCost, 'same cost whatever the client format');

  const msg = await anthropic().messages.create({ model: 'gpt-4o-mini', max_tokens: 100, messages,
    tools: [{ name: 'get_weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }] });
  assert.equal(msg.stop_reason, 'tool_use');
  assert.deepEqual(msg.content.find((b) => b.type === 'tool_use').input, { city: 'Paris' });

  let text = '';
  const stream = await openai().chat.completions.create({ model: 'claude-sonnet-4-5', messages, stream: true });
  for await (const c of stream) text += c.choices[0]?.delta?.content ?? '';
  assert.equal(text, 'Replayed streamed answer.');
});

test('each stub saw only its deployment credential and never the tenant key', async () => {
  const received = await (await fetch(`${STUB}/__received`)).json();
  assert.ok(received.length > 5);
  const tenantKey = env('ACC_E2E_KEY');
  for (const r of received) {
    const headers = JSON.stringify(r.headers);
    assert.ok(!headers.includes(tenantKey) && !r.body.includes(tenantKey), `tenant key leaked to ${r.path}`);
    const openAiFamily = { '/openai/': 'sk-stub-openai', '/broken/': 'sk-stub-broken', '/limited/': 'sk-stub-limited' };
    const prefix = Object.keys(openAiFamily).find((p) => r.path.startsWith(p));
    if (prefix) {
      assert.equal(r.headers.authorization, `Bearer ${openAiFamily[prefix]}`, `${r.path} got its own deployment's key`);
      assert.ok(!headers.includes('sk-stub-anthropic'));
    } else {
      assert.equal(r.headers['x-api-key'], 'sk-stub-anthropic');
      assert.ok(!headers.includes('sk-stub-openai'));
    }
  }
});
