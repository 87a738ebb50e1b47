import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toAskJson } from '../bot/render/json.ts';
import { loadSettings } from '../config/settings.ts';
import type { Assistant } from '../core/answer.ts';
import { createAssistant } from '../knowledge/assistant.ts';
import { createModelAnswerer } from '../knowledge/model/create-model-answerer.ts';
import { openIndex } from '../knowledge/open-index.ts';
import { buildTestAssistant } from './support/assistant-server.ts';
import { chatCompletion, htmlPage, httpError, startFakeOpenAI, type FakeOpenAIServer } from './support/fake-openai-server.ts';

let env: Awaited<ReturnType<typeof buildTestAssistant>>;
let server: FakeOpenAIServer;
let assistant: Assistant;

/** A claim the offline comparison cannot settle: the wording is the claimant's own. */
const LOOSE = '68/234号决议第20段是不是希望企业和地方网络参与“企业促进和平”这个平台？';
const reply = (value: unknown) => chatCompletion(JSON.stringify(value));

beforeAll(async () => {
  env = await buildTestAssistant();
  server = await startFakeOpenAI();
  const settings = loadSettings({ OPENAI_BASE_URL: server.baseUrl, MODEL_TIMEOUT_MS: '2000', MODEL_MAX_RETRIES: '1' });
  assistant = createAssistant(await openIndex(env.settings.INDEX_DIR, env.settings), { model: createModelAnswerer(settings, { retry: { baseDelayMs: 1 } }) });
}, 60_000);
afterAll(async () => {
  await server.close();
  await env.cleanup();
});
beforeEach(() => {
  server.requests.length = 0;
});

describe('claim checks with a model', () => {
  it('accepts "supported" backed by a verbatim quote of the cited paragraph, and gives the model only the quoted paragraphs', async () => {
    server.script('chat', reply({ verdict: 'supported', paragraph: 1, quote: '鼓励私营部门和全球契约地方网络加入联合国全球契约的“企业促进和平”平台', differs: '' }));
    const json = toAskJson(await assistant.ask(LOOSE));
    expect(json.check).toMatchObject({ verdict: 'supported', cited: { symbol: 'A/RES/68/234', paragraph: '20' } });
    const prompt = server.requestsTo('chat')[0].body.messages[1].content as string;
    expect(prompt).toContain('[1] A/RES/68/234，第20段（2013-12-20）（所引段落）');
    expect(prompt.match(/所引段落/g)).toHaveLength(1); // only the cited paragraph is marked
    expect(prompt.match(/^\[\d+\]/gm)!.length).toBeLessThanOrEqual(4);
  });

  it('does not accept "supported" with a quote the paragraph does not contain', async () => {
    server.script('chat', reply({ verdict: 'supported', paragraph: 1, quote: '所有企业都必须加入这个平台', differs: '' }));
    expect(toAskJson(await assistant.ask(LOOSE)).check!.verdict).not.toBe('supported');
  });

  it('does not let a model call supported what states another number', async () => {
    server.script('chat', reply({ verdict: 'supported', paragraph: 1, quote: '253 个项目编列了 5.13 亿美元的资金', differs: '' }));
    const check = toAskJson(await assistant.ask('核对一下：A/58/227第44段说伙伴基金给253个项目安排了51.3亿美元。')).check!;
    expect(check.verdict).toBe('not_supported');
    expect(check.differences.map((d) => d.kind)).toContain('number');
  });

  it('takes the paragraph a model names as where the content is, when its quote holds', async () => {
    server.script('chat', (request) => {
      const prompt = request.body.messages[1].content as string;
      const n = /\[(\d+)\] A\/RES\/68\/234，第13\(a\)段/.exec(prompt)?.[1];
      return reply({ verdict: 'not_supported', paragraph: Number(n), quote: '改进《联合国与企业界合作准则》', differs: '是13(a)项' });
    });
    const check = toAskJson(await assistant.ask('68/234号决议第13(b)段是不是讲要把合作准则改得更注重性别平等？')).check!;
    expect(check.verdict).toBe('not_supported');
    expect(check.evidence.map((e) => `${e.symbol}#${e.paragraph}`)).toEqual(['A/RES/68/234#13(a)']);
  });

  it.each([
    ['answers 500', httpError(500)],
    ['answers an HTML page', htmlPage],
    ['answers something that is not a verdict', chatCompletion('我觉得大概是对的。')],
  ])('falls back to the offline check when the server %s', async (_what, response) => {
    server.script('chat', response);
    const answer = await assistant.ask('根据A/58/227第8段，首脑会议认为伙伴关系可以取代政府的责任。对吗？');
    expect(toAskJson(answer).check).toMatchObject({ verdict: 'not_supported', cited: { symbol: 'A/58/227', paragraph: '8' } });
    expect(answer.mode).toBe('offline');
  });
});
