// Writes the webhook payloads of the receiver benchmark, shaped like what the LangGraph JS
// server POSTs when a run finishes (see the observed payload in the issue):
//
//   node bench/payloads/make_payloads.mjs        # writes run_2k.json and run_64k.json here
//
// Deterministic (no clock, no randomness): the committed files are its output. The top-level
// run_id is the first member, so the wrk script can give every request its own run_id.
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const runId = '01a2207e-6e6e-770f-a132-1897638a803d';
const threadId = '01a2207e-6de3-7119-9f60-7cee44f67ce0';
const assistantId = 'fe096781-5601-53d2-b2f6-0d3403f7e9ca';

// A stable pseudo-UUID per message index.
const uuid = (n) => {
  const h = (x) => ((x * 2654435761) >>> 0).toString(16).padStart(8, '0');
  const a = h(n + 1), b = h(n + 7), c = h(n + 13), d = h(n + 29);
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-a${c.slice(1, 4)}-${c.slice(4)}${d}`;
};

const lc = (type, kwargs) => ({ lc: 1, type: 'constructor', id: ['langchain_core', 'messages', type], kwargs });
const human = (i, content) => lc('HumanMessage', { content, additional_kwargs: {}, response_metadata: {}, id: uuid(i) });
const ai = (i, content, toolCalls = []) => lc('AIMessage', {
  content, tool_calls: toolCalls, invalid_tool_calls: [], additional_kwargs: {},
  response_metadata: toolCalls.length ? { finish_reason: 'tool_calls' } : { finish_reason: 'stop' },
  usage_metadata: { input_tokens: 120 + i, output_tokens: 40 + i, total_tokens: 160 + 2 * i },
  id: uuid(i),
});
const tool = (i, name, callId, content) => lc('ToolMessage', {
  content, tool_call_id: callId, name, additional_kwargs: {}, response_metadata: {}, id: uuid(i),
});

// Text like an LLM answer: markdown, newlines and quotes (escaped in JSON), some non-ASCII.
const paragraph = (i) =>
  `### Step ${i}\n\nThe forecast for Zürich on day ${i} is "mostly sunny", 21–24 °C, ` +
  `with a light breeze from the north-east. I checked three sources and they agree within 1 °C; ` +
  `the café on the corner opens at 07:30.\n\n- humidity: ${40 + (i % 30)}%\n- wind: ${5 + (i % 9)} km/h\n`;

function payload(turns, paragraphsPerAnswer) {
  const messages = [human(0, 'hook me')];
  let n = 1;
  for (let t = 0; t < turns; ++t) {
    const callId = `call_${uuid(1000 + t).replace(/-/g, '').slice(0, 24)}`;
    messages.push(ai(n++, '', [{ name: 'get_weather', args: { city: 'Zürich', day: t }, id: callId, type: 'tool_call' }]));
    messages.push(tool(n++, 'get_weather', callId, JSON.stringify({ city: 'Zürich', day: t, high: 24, low: 21, sky: 'sunny' })));
    let text = '';
    for (let p = 0; p < paragraphsPerAnswer; ++p) text += paragraph(t * paragraphsPerAnswer + p);
    messages.push(ai(n++, text));
    if (t + 1 < turns) messages.push(human(n++, `And on day ${t + 1}?`));
  }
  if (turns === 0) messages.push(ai(n++, `echo: hook me\n\n${paragraph(0)}`));
  const meta = { created_by: 'system', graph_id: 'agent', assistant_id: assistantId };
  return {
    run_id: runId, // first: the wrk script rewrites it per request
    thread_id: threadId,
    assistant_id: assistantId,
    metadata: meta,
    status: 'success',
    kwargs: {
      input: { messages: [{ role: 'human', content: 'hook me' }] },
      config: {
        configurable: { 'user-agent': 'curl/7.88.1', run_id: runId, thread_id: threadId, graph_id: 'agent', assistant_id: assistantId },
        metadata: meta,
      },
      context: {},
      stream_mode: ['values'],
      webhook: 'http://127.0.0.1:36781/langgraph/webhook?token=abc',
      temporary: false,
      subgraphs: false,
      resumable: false,
    },
    multitask_strategy: 'reject',
    created_at: '2026-11-28T04:51:26.446Z',
    updated_at: '2026-11-28T04:51:26.479Z',
    run_started_at: '2026-11-28T04:51:26.450Z',
    run_ended_at: '2026-11-28T04:51:26.479Z',
    webhook_sent_at: '2026-11-28T04:51:26.480Z',
    values: { messages },
  };
}

// Grow the payload until it reaches `target` bytes (UTF-8), one turn at a time.
function sized(target, paragraphsPerAnswer) {
  let turns = 0; // 0: the question and one answer
  let text = JSON.stringify(payload(turns, paragraphsPerAnswer));
  while (Buffer.byteLength(text) < target) text = JSON.stringify(payload(++turns, paragraphsPerAnswer));
  return text;
}

const files = {
  'run_2k.json': JSON.stringify(payload(0, 1)), // like the observed payload, a longer answer: ~1.9 KB
  'run_64k.json': sized(64 * 1024, 4), // a long tool-using conversation: ~65 KB
};
for (const [name, text] of Object.entries(files)) {
  writeFileSync(join(here, name), text);
  console.log(`${name}: ${Buffer.byteLength(text)} bytes`);
}
