import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toAskJson } from '../bot/render/json.ts';
import { buildTestAssistant, postJson, startServer, type RunningServer } from './support/assistant-server.ts';

const QUESTION = '私营部门伙伴应遵守哪些原则？';

let env: Awaited<ReturnType<typeof buildTestAssistant>>;
let running: RunningServer;

beforeAll(async () => {
  env = await buildTestAssistant();
  running = await startServer(env.settings, env.assistant);
}, 60_000);

afterAll(async () => {
  await running?.close();
  await env?.cleanup();
});

describe('POST /api/ask', () => {
  it('answers with the same JSON as `ask --json`', async () => {
    const response = await postJson(`${running.url}/api/ask`, { question: QUESTION });
    expect(response.status).toBe(200);
    expect(response.json).toEqual(toAskJson(await env.assistant.ask(QUESTION)));
    expect(response.json.citations.length).toBeGreaterThan(0);
  });

  it('keeps the turns of a conversation for follow-ups when given a conversationId', async () => {
    await postJson(`${running.url}/api/ask`, { question: QUESTION, conversationId: 'api-conversation-1' });
    await postJson(`${running.url}/api/ask`, { question: '那第14段呢？', conversationId: 'api-conversation-1' });
    const history = await running.memory.history('api-conversation-1');
    expect(history.map((turn) => turn.question)).toEqual([QUESTION, '那第14段呢？']);
    expect(history.every((turn) => turn.answer.retrieved.length === 0)).toBe(true);
    expect(await running.memory.history('never-used')).toEqual([]);
  });

  it.each([
    ['a missing question', {}],
    ['an empty question', { question: '   ' }],
    ['a question that is not text', { question: 42 }],
    ['an empty conversationId', { question: QUESTION, conversationId: '' }],
  ])('refuses %s with 400 and a JSON error that says what to send', async (_case, body) => {
    const response = await postJson(`${running.url}/api/ask`, body);
    expect(response.status).toBe(400);
    expect(response.json.error).toMatch(/question|conversationId/);
  });

  it('refuses malformed JSON with 400', async () => {
    const response = await fetch(`${running.url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"question": ' });
    expect(response.status).toBe(400);
  });
});
