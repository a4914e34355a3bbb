// Replays real OpenAI and Anthropic response shapes (non-streaming and streaming, with usage,
// cached tokens and tool calls) so the proxy can be driven against "providers" offline.
// Every request's path and headers are recorded; GET /__received returns them, so a test can
// prove which credential reached which host and that the tenant's key never did.
// Usage: node stubs/replay.mjs <port>
import http from 'node:http';

const port = Number(process.argv[2] || 0);
const received = [];

const openAiUsage = { prompt_tokens: 2006, completion_tokens: 12, total_tokens: 2018,
  prompt_tokens_details: { cached_tokens: 1920, audio_tokens: 0 },
  completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 0, accepted_prediction_tokens: 0, rejected_prediction_tokens: 0 } };

const anthropicUsage = { input_tokens: 30, cache_creation_input_tokens: 1000, cache_read_input_tokens: 2000,
  cache_creation: { ephemeral_5m_input_tokens: 1000, ephemeral_1h_input_tokens: 0 }, output_tokens: 12 };

function json(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function sse(res, frames) {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  for (const f of frames) res.write(f);
  res.end();
}

const data = (o) => `data: ${JSON.stringify(o)}\n\n`;
const event = (name, o) => `event: ${name}\ndata: ${JSON.stringify(o)}\n\n`;

function openAiChat(req, res, body) {
  const tools = Array.isArray(body.tools) && body.tools.length > 0
    && !(body.messages || []).some((m) => m.role === 'tool');
  const base = { id: 'chatcmpl-replay', created: 1730000000, model: 'gpt-4o-mini-2024-07-18', system_fingerprint: 'fp_replay' };
  if (!body.stream) {
    const message = tools
      ? { role: 'assistant', content: null, refusal: null, tool_calls: [{ id: 'call_replay1', type: 'function',
          function: { name: body.tools[0].function.name, arguments: '{"city":"Paris"}' } }] }
      : { role: 'assistant', content: 'Replayed answer from OpenAI.', refusal: null };
    return json(res, 200, { ...base, object: 'chat.completion',
      choices: [{ index: 0, message, logprobs: null, finish_reason: tools ? 'tool_calls' : 'stop' }], usage: openAiUsage });
  }
  const chunk = (delta, finish = null, usage) => ({ ...base, object: 'chat.completion.chunk',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...(usage !== undefined ? { usage } : {}) });
  const withUsage = body.stream_options && body.stream_options.include_usage;
  const u = withUsage ? null : undefined;
  const frames = [data(chunk({ role: 'assistant', content: '', refusal: null }, null, u))];
  if (tools) {
    frames.push(data(chunk({ tool_calls: [{ index: 0, id: 'call_replay1', type: 'function',
      function: { name: body.tools[0].function.name, arguments: '' } }] }, null, u)));
    frames.push(data(chunk({ tool_calls: [{ index: 0, function: { arguments: '{"city":' } }] }, null, u)));
    frames.push(data(chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }, null, u)));
    frames.push(data(chunk({}, 'tool_calls', u)));
  } else {
    for (const piece of ['Replayed', ' streamed', ' answer.']) frames.push(data(chunk({ content: piece }, null, u)));
    frames.push(data(chunk({}, 'stop', u)));
  }
  if (withUsage) frames.push(data({ ...base, object: 'chat.completion.chunk', choices: [], usage: openAiUsage }));
  frames.push('data: [DONE]\n\n');
  return sse(res, frames);
}

function openAiEmbeddings(req, res, body) {
  const inputs = Array.isArray(body.input) ? body.input : [body.input];
  const vec = [0.25, -0.5, 0.125, 1.0];
  const encode = (v) => Buffer.from(new Float32Array(v).buffer).toString('base64');
  return json(res, 200, { object: 'list', model: 'text-embedding-3-small',
    data: inputs.map((_, i) => ({ object: 'embedding', index: i, embedding: body.encoding_format === 'base64' ? encode(vec) : vec })),
    usage: { prompt_tokens: 8, total_tokens: 8 } });
}

function anthropicMessages(req, res, body) {
  const tools = Array.isArray(body.tools) && body.tools.length > 0
    && !(body.messages || []).some((m) => Array.isArray(m.content) && m.content.some((b) => b.type === 'tool_result'));
  const message = { id: 'msg_replay', type: 'message', role: 'assistant', model: 'claude-sonnet-4-5-20250929',
    stop_reason: null, stop_sequence: null };
  if (!body.stream) {
    const content = tools
      ? [{ type: 'text', text: 'Let me check.' }, { type: 'tool_use', id: 'toolu_replay1', name: body.tools[0].name, input: { city: 'Paris' } }]
      : [{ type: 'text', text: 'Replayed answer from Anthropic.' }];
    return json(res, 200, { ...message, content, stop_reason: tools ? 'tool_use' : 'end_turn', usage: anthropicUsage });
  }
  const frames = [event('message_start', { type: 'message_start', message: { ...message, content: [],
    usage: { ...anthropicUsage, output_tokens: 1 } } }), event('ping', { type: 'ping' })];
  frames.push(event('content_block_start', { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }));
  for (const t of ['Replayed', ' streamed', ' answer.']) {
    frames.push(event('content_block_delta', { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: t } }));
  }
  frames.push(event('content_block_stop', { type: 'content_block_stop', index: 0 }));
  if (tools) {
    frames.push(event('content_block_start', { type: 'content_block_start', index: 1,
      content_block: { type: 'tool_use', id: 'toolu_replay1', name: body.tools[0].name, input: {} } }));
    for (const p of ['{"city": ', '"Paris"}']) {
      frames.push(event('content_block_delta', { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: p } }));
    }
    frames.push(event('content_block_stop', { type: 'content_block_stop', index: 1 }));
  }
  frames.push(event('message_delta', { type: 'message_delta', delta: { stop_reason: tools ? 'tool_use' : 'end_turn', stop_sequence: null },
    usage: { output_tokens: 12 } }));
  frames.push(event('message_stop', { type: 'message_stop' }));
  return sse(res, frames);
}

const server = http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/__received') return json(res, 200, received);
  let raw = '';
  req.on('data', (c) => { raw += c; });
  req.on('end', () => {
    received.push({ path: req.url, headers: req.headers, body: raw });
    let body = {};
    try { body = raw ? JSON.parse(raw) : {}; } catch { return json(res, 400, { error: { message: 'bad json' } }); }
    if (req.url === '/openai/v1/chat/completions') return openAiChat(req, res, body);
    // Failing "providers" for the fallback tests: a broken one and a rate-limited one.
    if (req.url === '/broken/v1/chat/completions') {
      return json(res, 500, { error: { message: 'internal error (replayed)', type: 'server_error' } });
    }
    if (req.url === '/limited/v1/chat/completions') {
      res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '30' });
      return res.end(JSON.stringify({ error: { message: 'Rate limit reached (replayed)', type: 'requests', code: 'rate_limit_exceeded' } }));
    }
    if (req.url === '/openai/v1/embeddings') return openAiEmbeddings(req, res, body);
    if (req.url === '/anthropic/v1/messages') return anthropicMessages(req, res, body);
    if (req.url === '/anthropic/v1/messages/count_tokens') return json(res, 200, { input_tokens: 17 });
    return json(res, 404, { error: { message: `no replay for ${req.url}`, type: 'not_found_error' } });
  });
});

server.listen(port, '127.0.0.1', () => {
  console.log(`replay stub listening on ${server.address().port}`);
});
