// Gateway policies as the official SDKs see them: fallback chains and cooldowns (issue 5), rate
// limits with Retry-After (issue 4), and prompts blocked by the default security policy (CONTRACT:
// 400 naming the detector, never echoing the secret).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openai, anthropic, env } from './helpers.mjs';

const messages = [{ role: 'user', content: 'Say hello.' }];

test('a deployment answering 500 falls back to the next one: the SDK sees one clean answer', async () => {
  const { data, response } = await openai().chat.completions.create({ model: 'flaky-gpt', messages }).withResponse();
  assert.equal(data.choices[0].message.content, 'Replayed answer from OpenAI.');
  assert.equal(response.headers.get('x-acc-route'), 'flaky-gpt');
  assert.equal(response.headers.get('x-acc-fallbacks'), '1');
  assert.equal(response.headers.get('x-acc-attempts'), '2');
  assert.equal(response.headers.get('x-acc-provider'), 'openai');
  assert.match(response.headers.get('x-acc-cost-usd') ?? '', /^\d+\.\d{6}$/);

  // Streams fall back too, before their first byte reaches the client.
  const stream = await openai().chat.completions.create({ model: 'flaky-gpt', messages, stream: true }).withResponse();
  let text = '';
  for await (const chunk of stream.data) text += chunk.choices[0]?.delta?.content ?? '';
  assert.equal(text, 'Replayed streamed answer.');
  assert.ok(Number(stream.response.headers.get('x-acc-fallbacks')) >= 1);
});

test('a 429 with Retry-After cools the deployment down: the next call goes straight to the healthy one', async () => {
  const first = await openai().chat.completions.create({ model: 'limited-gpt', messages }).withResponse();
  assert.equal(first.response.headers.get('x-acc-fallbacks'), '1');
  const second = await openai().chat.completions.create({ model: 'limited-gpt', messages }).withResponse();
  assert.equal(second.response.headers.get('x-acc-fallbacks'), '0', 'the rate-limited deployment is skipped for its Retry-After');
  assert.equal(second.data.choices[0].message.content, 'Replayed answer from OpenAI.');
});

test('a key over its requests-per-minute limit gets 429 with Retry-After and x-ratelimit headers', async () => {
  const client = openai(env('ACC_E2E_RPM_KEY'));
  const ok = await client.chat.completions.create({ model: 'mock-small', messages }).withResponse();
  assert.equal(ok.response.headers.get('x-ratelimit-limit-requests'), '2');
  assert.equal(ok.response.headers.get('x-ratelimit-remaining-requests'), '1');
  await client.chat.completions.create({ model: 'mock-small', messages });
  await assert.rejects(client.chat.completions.create({ model: 'mock-small', messages }), (e) => {
    assert.equal(e.status, 429);
    assert.match(e.message, /request/i);
    assert.ok(Number(e.headers.get('retry-after')) >= 1, 'Retry-After says when to come back');
    assert.equal(e.headers.get('x-ratelimit-remaining-requests'), '0');
    return true;
  });
});

test('a prompt carrying a cloud key is blocked with 400 naming the detector, never echoing the key', async () => {
  const secret = 'AKIAIOSFODNN7EXAMPLE';
  const leaky = [{ role: 'user', content: `Deploy with access key ${secret} please.` }];
  await assert.rejects(openai().chat.completions.create({ model: 'mock-small', messages: leaky }), (e) => {
    assert.equal(e.status, 400);
    assert.equal(e.code, 'security_policy_violation');
    assert.match(e.message, /aws-access-key/);
    assert.ok(!JSON.stringify(e.error ?? {}).includes(secret) && !e.message.includes(secret));
    return true;
  });
  await assert.rejects(anthropic().messages.create({ model: 'mock-small', max_tokens: 20, messages: leaky }), (e) => {
    assert.equal(e.status, 400);
    assert.equal(e.error?.type, 'error');
    assert.match(e.error?.error?.message ?? '', /aws-access-key/);
    assert.ok(!JSON.stringify(e.error).includes(secret));
    return true;
  });
});
