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
const LOOSE = '68/234号决议第21段是不是说联合国每年都跟企业界聚一次？';
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
    server.script('chat', reply({ verdict: 'supported', paragraph: 1, quote: '每年举办联合国私营部门论坛', differs: '' }));
    const answer = await assistant.ask(LOOSE);
    expect(toAskJson(answer).check).toMatchObject({ verdict: 'supported', cited: { symbol: 'A/RES/68/234', paragraph: '21' } });
    expect(answer.check![0].evidence.map((e) => [e.citation.paragraph.id, e.quote])).toEqual([['A/RES/68/234#21', '每年举办联合国私营部门论坛']]);
    const prompt = server.requestsTo('chat')[0].body.messages[1].content as string;
    expect(prompt).toContain('[1] A/RES/68/234，第21段（2013-12-20）（所引段落）');
    expect(prompt.match(/所引段落/g)).toHaveLength(1); // only the cited paragraph is marked
    expect(prompt.match(/^\[\d+\]/gm)!.length).toBeLessThanOrEqual(4);
  });

  it('does not accept "supported" with a quote the paragraph does not contain', async () => {
    server.script('chat', reply({ verdict: 'supported', paragraph: 1, quote: '联合国每年同企业界聚会一次', differs: '' }));
    expect(toAskJson(await assistant.ask(LOOSE)).check!.verdict).not.toBe('supported');
  });

  it('does not let a model call supported what states another number', async () => {
    server.script('chat', reply({ verdict: 'supported', paragraph: 1, quote: '利维斯公司及其基金会拨款 270 000 美元', differs: '' }));
    const check = toAskJson(await assistant.ask('核对一下：A/58/227第51段说利维斯公司及其基金会给儿童基金会拨了72万美元。')).check!;
    expect(check.verdict).toBe('not_supported');
    expect(check.differences).toContainEqual(expect.objectContaining({ kind: 'number', paragraph: '270 000' }));
  });

  it('takes the paragraph a model names as where the content is, when its quote holds', async () => {
    server.script('chat', (request) => {
      const prompt = request.body.messages[1].content as string;
      const n = /\[(\d+)\] A\/58\/227，第14\(d\)段/.exec(prompt)?.[1];
      return reply({ verdict: 'not_supported', paragraph: Number(n), quote: '非国家行动者之间分享信息', differs: '是14(d)项' });
    });
    const answer = await assistant.ask('A/58/227第14(f)段是不是讲知识分享和研究？');
    const check = toAskJson(answer).check!;
    expect(check.verdict).toBe('not_supported');
    expect(answer.check![0].evidence.map((e) => [e.citation.paragraph.id, e.quote])).toEqual([['A/58/227#14(d)', '非国家行动者之间分享信息']]);
    expect(answer.mode).toBe('model');
  });

  it.each([
    ['answers 500', httpError(500)],
    ['answers an HTML page', htmlPage],
    ['answers something that is not a verdict', chatCompletion('我觉得大概是对的。')],
  ])('falls back to the offline check when the server %s', async (_what, response) => {
    server.script('chat', response);
    const answer = await assistant.ask('A/58/227第79段说，能迎接挑战的伙伴关系会被淘汰掉。对吗？');
    expect(toAskJson(answer).check).toMatchObject({ verdict: 'not_supported', cited: { symbol: 'A/58/227', paragraph: '79' } });
    expect(answer.mode).toBe('offline');
  });
});
