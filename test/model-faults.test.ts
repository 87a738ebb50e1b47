import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadSettings } from '../config/settings.ts';
import type { ModelAnswerer } from '../core/answer.ts';
import { ModelUnavailableError, createModelAnswerer } from '../knowledge/model/create-model-answerer.ts';
import { chatCompletion, htmlPage, httpError, malformedJson, startFakeOpenAI, type FakeOpenAIServer } from './support/fake-openai-server.ts';
import { CANDIDATES } from './support/model-fixtures.ts';

const QUESTION = '联合国与企业合作时在尽职调查方面有什么要求？';
const GOOD = chatCompletion('应加强尽职措施[1]。');
let server: FakeOpenAIServer;
let model: ModelAnswerer;

function answerer(settings: Record<string, string> = {}): ModelAnswerer {
  return createModelAnswerer(loadSettings({ OPENAI_BASE_URL: server.baseUrl, MODEL_TIMEOUT_MS: '150', MODEL_MAX_RETRIES: '2', ...settings }), { retry: { baseDelayMs: 5 } })!;
}

async function timed<T>(run: () => Promise<T>): Promise<{ result: T | unknown; ms: number }> {
  const start = performance.now();
  let result: T | unknown;
  try {
    result = await run();
  } catch (error) {
    result = error;
  }
  return { result, ms: performance.now() - start };
}

beforeAll(async () => {
  server = await startFakeOpenAI();
});
afterAll(() => server.close());
beforeEach(() => {
  server.requests.length = 0;
  model = answerer();
});

describe('model faults', () => {
  // Timeouts long enough that a busy machine still gets each request to the server before giving up.
  it('times out each call, retries, then reports the model unavailable, quickly', async () => {
    server.script('chat', { ...GOOD, delayMs: 10_000 });
    const { result, ms } = await timed(() => answerer({ MODEL_TIMEOUT_MS: '400' }).answer(QUESTION, 'zh', CANDIDATES));
    expect(result).toBeInstanceOf(ModelUnavailableError);
    expect((result as Error).message).toMatch(/after 3 attempt\(s\): timed out/);
    expect(server.requestsTo('chat')).toHaveLength(3);
    expect(ms).toBeLessThan(3_000);
  });

  it('succeeds when a retry comes back in time', async () => {
    server.script('chat', { ...GOOD, delayMs: 10_000 }, GOOD);
    expect((await answerer({ MODEL_TIMEOUT_MS: '400' }).answer(QUESTION, 'zh', CANDIDATES))!.citations).toHaveLength(1);
    expect(server.requestsTo('chat')).toHaveLength(2);
  });

  it('retries after a 429, honouring a short Retry-After', async () => {
    server.script('chat', httpError(429, { 'retry-after': '0' }), GOOD);
    const answer = await model.answer(QUESTION, 'zh', CANDIDATES);
    expect(answer!.statements).toEqual([{ text: '应加强尽职措施。', cites: [0] }]);
    expect(server.requestsTo('chat')).toHaveLength(2);
  });

  it('waits as long as a short Retry-After asks', async () => {
    server.script('chat', httpError(429, { 'retry-after-ms': '200' }), GOOD);
    const { result, ms } = await timed(() => model.answer(QUESTION, 'zh', CANDIDATES));
    expect((result as { citations: unknown[] }).citations).toHaveLength(1);
    expect(ms).toBeGreaterThanOrEqual(195);
  });

  it('does not make the user wait out a long Retry-After', async () => {
    server.script('chat', httpError(429, { 'retry-after': '120' }), GOOD);
    const { result, ms } = await timed(() => model.answer(QUESTION, 'zh', CANDIDATES));
    expect(result).toBeInstanceOf(ModelUnavailableError);
    expect((result as Error).message).toMatch(/HTTP 429, retry after 120 s/);
    expect(server.requestsTo('chat')).toHaveLength(1);
    expect(ms).toBeLessThan(500);
  });

  it('retries 5xx and gives up after MODEL_MAX_RETRIES', async () => {
    server.script('chat', httpError(500));
    await expect(model.answer(QUESTION, 'zh', CANDIDATES)).rejects.toThrow(ModelUnavailableError);
    expect(server.requestsTo('chat')).toHaveLength(3);
    server.requests.length = 0;
    server.script('chat', httpError(503));
    await expect(answerer({ MODEL_MAX_RETRIES: '0' }).answer(QUESTION, 'zh', CANDIDATES)).rejects.toThrow(/HTTP 503/);
    expect(server.requestsTo('chat')).toHaveLength(1);
  });

  it('recovers from a 502 followed by success', async () => {
    server.script('chat', httpError(502), httpError(500), GOOD);
    expect((await model.answer(QUESTION, 'zh', CANDIDATES))!.citations).toHaveLength(1);
    expect(server.requestsTo('chat')).toHaveLength(3);
  });

  it.each([400, 401, 404])('does not retry a %i', async (status) => {
    server.script('chat', httpError(status), GOOD);
    await expect(model.answer(QUESTION, 'zh', CANDIDATES)).rejects.toThrow(new RegExp(`HTTP ${status}`));
    expect(server.requestsTo('chat')).toHaveLength(1);
  });

  it('reports a truncated JSON body as the model unavailable', async () => {
    server.script('chat', malformedJson);
    await expect(model.answer(QUESTION, 'zh', CANDIDATES)).rejects.toThrow(ModelUnavailableError);
  });

  it('reports an HTML page or a body that is not a chat completion as the model unavailable', async () => {
    server.script('chat', htmlPage);
    await expect(model.answer(QUESTION, 'zh', CANDIDATES)).rejects.toThrow(/not a chat completion/);
    server.script('chat', { json: { choices: 'none' } });
    await expect(model.answer(QUESTION, 'zh', CANDIDATES)).rejects.toThrow(/not a chat completion/);
    server.script('chat', { json: { choices: [{ message: { content: { text: 'x' } } }] } });
    await expect(model.answer(QUESTION, 'zh', CANDIDATES)).rejects.toThrow(/not text/);
  });

  it('reports a server that is not there as the model unavailable', async () => {
    const gone = await startFakeOpenAI();
    const url = gone.baseUrl;
    await gone.close();
    const unreachable = createModelAnswerer(loadSettings({ OPENAI_BASE_URL: url, MODEL_MAX_RETRIES: '1' }), { retry: { baseDelayMs: 1 } })!;
    await expect(unreachable.answer(QUESTION, 'zh', CANDIDATES)).rejects.toThrow(/after 2 attempt\(s\): connection failed/);
  });

  it('reports a failed rewrite instead of hiding it', async () => {
    server.script('chat', GOOD);
    const history = [{ question: QUESTION, answer: (await model.answer(QUESTION, 'zh', CANDIDATES))! }];
    server.script('chat', httpError(500));
    await expect(model.rewrite('那2021年的报告呢？', history)).rejects.toThrow(ModelUnavailableError);
  });

  it('keeps the process up: every failure is a rejected promise, never an uncaught error', async () => {
    const uncaught: unknown[] = [];
    const onError = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onError);
    process.on('unhandledRejection', onError);
    try {
      for (const response of [malformedJson, htmlPage, httpError(500), { ...GOOD, delayMs: 1_000 }]) {
        server.script('chat', response);
        await model.answer(QUESTION, 'zh', CANDIDATES).catch(() => undefined);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    } finally {
      process.off('uncaughtException', onError);
      process.off('unhandledRejection', onError);
    }
    expect(uncaught).toEqual([]);
  });
});
