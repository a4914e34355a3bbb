// The official SDKs against the built-in mock provider (models mock-small / mock-large).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openai, anthropic, accHeaders, expectedCost, env } from './helpers.mjs';

const messages = [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Say hello to the gateway.' }];

test('chat completion: content, usage, headers and exact cost', async () => {
  const { data, response } = await openai().chat.completions.create({ model: 'mock-small', messages }).withResponse();
  const h = accHeaders(response, { provider: 'mock', model: 'mock-small' });
  assert.equal(data.object, 'chat.completion');
  assert.equal(data.choices[0].message.role, 'assistant');
  assert.ok(data.choices[0].message.content.length > 10);
  assert.equal(data.usage.completion_tokens, data.choices[0].message.content.split(' ').length);
  assert.equal(h.get('x-acc-cost-usd'), expectedCost([['0.00000015', data.usage.prompt_tokens], ['0.0000006', data.usage.completion_tokens]]));
  const again = await openai().chat.completions.create({ model: 'mock-small', messages });
  assert.equal(again.choices[0].message.content, data.choices[0].message.content, 'deterministic');
});

test('streaming chat with include_usage: chunks, usage, [DONE] handled by the SDK', async () => {
  const { data: stream, response } = await openai().chat.completions.create({
    model: 'mock-large', messages, stream: true, stream_options: { include_usage: true } }).withResponse();
  accHeaders(response, { provider: 'mock', model: 'mock-large', streamed: true });
  let text = '';
  let chunks = 0;
  let usage;
  for await (const chunk of stream) {
    chunks++;
    if (chunk.choices[0]) text += chunk.choices[0].delta.content ?? '';
    if (chunk.usage) usage = chunk.usage;
  }
  assert.ok(chunks > 4, `several chunks, got ${chunks}`);
  assert.equal(usage.completion_tokens, text.split(' ').length);
  assert.ok(usage.prompt_tokens > 5);
});

test('tools: the model calls the tool, then answers the tool result', async () => {
  const tools = [{ type: 'function', function: { name: 'get_weather', description: 'Weather of a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] } } }];
  const first = await openai().chat.completions.create({ model: 'mock-small', messages, tools, tool_choice: 'auto' });
  const call = first.choices[0].message.tool_calls[0];
  assert.equal(first.choices[0].finish_reason, 'tool_calls');
  assert.equal(call.function.name, 'get_weather');
  assert.equal(typeof JSON.parse(call.function.arguments).city, 'string');
  const second = await openai().chat.completions.create({ model: 'mock-small', tools, messages: [...messages,
    first.choices[0].message, { role: 'tool', tool_call_id: call.id, content: '{"temp": 21}' }] });
  assert.equal(second.choices[0].finish_reason, 'stop');
  assert.ok(second.choices[0].message.content.length > 0);
});

test('embeddings (the SDK asks for base64 and decodes it)', async () => {
  const { data, response } = await openai().embeddings.create({ model: 'mock-small', input: ['alpha', 'beta'] }).withResponse();
  accHeaders(response, { provider: 'mock' });
  assert.equal(data.data.length, 2);
  assert.equal(data.data[0].embedding.length, 64);
  const norm = Math.sqrt(data.data[0].embedding.reduce((s, x) => s + x * x, 0));
  assert.ok(Math.abs(norm - 1) < 1e-3, `unit vector, norm ${norm}`);
  assert.ok(data.usage.prompt_tokens >= 2);
});

test('models lists only what the key may use', async () => {
  const all = [];
  for await (const m of openai().models.list()) all.push(m.id);
  assert.ok(all.includes('mock-small') && all.includes('mock-large'));
  const limited = [];
  for await (const m of openai(env('ACC_E2E_LIMITED_KEY')).models.list()) limited.push(m.id);
  assert.deepEqual(limited, ['mock-small']);
});

test('anthropic messages: content, usage, headers and exact cost', async () => {
  const { data, response } = await anthropic().messages.create({ model: 'mock-large', max_tokens: 200,
    system: 'Be brief.', messages: [{ role: 'user', content: 'Hello there' }] }).withResponse();
  const h = accHeaders(response, { provider: 'mock', model: 'mock-large' });
  assert.equal(data.type, 'message');
  assert.equal(data.content[0].type, 'text');
  assert.equal(data.stop_reason, 'end_turn');
  assert.equal(h.get('x-acc-cost-usd'), expectedCost([['0.000003', data.usage.input_tokens], ['0.000015', data.usage.output_tokens]]));
});

test('anthropic streaming messages with thinking, via the SDK stream helper', async () => {
  const stream = anthropic().messages.stream({ model: 'mock-large', max_tokens: 2048,
    thinking: { type: 'enabled', budget_tokens: 1024 }, messages: [{ role: 'user', content: 'Think, then answer.' }] });
  let text = '';
  stream.on('text', (t) => { text += t; });
  const final = await stream.finalMessage();
  assert.equal(final.content[0].type, 'thinking');
  assert.equal(final.content[1].type, 'text');
  assert.equal(final.content[1].text, text);
  assert.ok(final.usage.output_tokens > 8);
});

test('anthropic tool use and count_tokens', async () => {
  const tools = [{ name: 'lookup', description: 'Look a thing up', input_schema: { type: 'object', properties: { q: { type: 'string' } } } }];
  const msg = await anthropic().messages.create({ model: 'mock-small', max_tokens: 100, tools,
    messages: [{ role: 'user', content: 'find the price list' }] });
  assert.equal(msg.stop_reason, 'tool_use');
  assert.equal(msg.content[0].name, 'lookup');
  const count = await anthropic().messages.countTokens({ model: 'mock-small', tools, messages: [{ role: 'user', content: 'find the price list' }] });
  assert.ok(count.input_tokens > 5);
});

test('errors: bad key 401, unknown model 404, disallowed model 403, in each SDK', async () => {
  await assert.rejects(openai('sk-acc-not-a-real-key').chat.completions.create({ model: 'mock-small', messages }),
    (e) => e.status === 401 && e.code === 'invalid_api_key');
  await assert.rejects(openai().chat.completions.create({ model: 'no-such-model', messages }),
    (e) => e.status === 404 && e.code === 'model_not_found' && /no-such-model/.test(e.message));
  await assert.rejects(openai(env('ACC_E2E_LIMITED_KEY')).chat.completions.create({ model: 'mock-large', messages }),
    (e) => e.status === 403 && e.code === 'model_not_allowed' && /mock-large/.test(e.message));
  await assert.rejects(anthropic('sk-acc-not-a-real-key').messages.create({ model: 'mock-small', max_tokens: 5,
    messages: [{ role: 'user', content: 'x' }] }), (e) => e.status === 401 && e.error?.error?.type === 'authentication_error');
  await assert.rejects(anthropic(env('ACC_E2E_LIMITED_KEY')).messages.create({ model: 'mock-large', max_tokens: 5,
    messages: [{ role: 'user', content: 'x' }] }), (e) => e.status === 403 && e.error?.error?.type === 'permission_error');
});

test('a stream cut by the provider surfaces as an error in the SDK, not a silent end', async () => {
  const stream = await openai().chat.completions.create({ model: 'mock-small', messages, stream: true },
    { headers: { 'x-acc-mock': 'cut-after=3,words=30' } });
  let chunks = 0;
  await assert.rejects(async () => { for await (const _ of stream) chunks++; }, (e) => e.constructor.name.includes('Error'));
  assert.ok(chunks >= 1);
  const astream = anthropic().messages.stream({ model: 'mock-small', max_tokens: 100, messages: [{ role: 'user', content: 'go' }] },
    { headers: { 'x-acc-mock': 'cut-after=4,words=30' } });
  await assert.rejects(astream.finalMessage());
});
