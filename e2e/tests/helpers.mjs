// Shared set-up of the SDK suite: clients pointed at the proxy with the keys e2e/run.sh seeded.
import assert from 'node:assert/strict';
import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';

export const env = (name) => {
  const v = process.env[name];
  assert.ok(v, `${name} must be set (run the suite through e2e/run.sh)`);
  return v;
};

export const ACC_URL = env('ACC_URL');

export function openai(key = env('ACC_E2E_KEY')) {
  return new OpenAI({ apiKey: key, baseURL: `${ACC_URL}/v1`, maxRetries: 0, timeout: 30_000 });
}

export function anthropic(key = env('ACC_E2E_KEY')) {
  return new Anthropic({ apiKey: key, baseURL: ACC_URL, maxRetries: 0, timeout: 30_000 });
}

/** The x-acc headers every answer carries; asserts the common ones. */
export function accHeaders(response, { provider, model, streamed = false } = {}) {
  const h = response.headers;
  assert.match(h.get('x-acc-request-id') ?? '', /^req_[0-9a-z]{24}$/);
  if (provider) assert.equal(h.get('x-acc-provider'), provider);
  if (model) assert.equal(h.get('x-acc-model'), model);
  assert.equal(h.get('x-acc-fallbacks'), '0');
  if (!streamed) assert.match(h.get('x-acc-cost-usd') ?? '', /^\d+\.\d{6}$/, 'cost header is a decimal string');
  return h;
}

/** Cost in micro-USD from per-token prices (strings) and token counts, rounded half-up like the proxy. */
export function expectedCost(parts) {
  // Exact decimal arithmetic with BigInt at 1e-12 USD resolution (prices have at most 12 decimals here).
  let picos = 0n;
  for (const [price, tokens] of parts) {
    const [i, f = ''] = price.split('.');
    const scaled = BigInt(i + (f + '000000000000').slice(0, 12));
    picos += scaled * BigInt(tokens);
  }
  const micros = (picos + 500_000n) / 1_000_000n;
  const s = micros.toString().padStart(7, '0');
  return `${s.slice(0, -6)}.${s.slice(-6)}`;
}
