import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../config/settings.ts';
import type { Answer } from '../core/answer.ts';
import { answerCard } from '../bot/render/adaptive-card.ts';
import { toAskJson } from '../bot/render/json.ts';
import { renderSlackAnswer } from '../bot/render/slack-blocks.ts';
import { renderText } from '../bot/render/text.ts';
import { teamsAnswerActivity } from '../bot/teams/teams-answer.ts';
import { createModelAnswerer } from '../knowledge/model/create-model-answerer.ts';
import { chatCompletion, startFakeOpenAI, type FakeOpenAIServer } from './support/fake-openai-server.ts';
import { CANDIDATES } from './support/model-fixtures.ts';

const QUESTION = '与企业合作前，联合国要做哪些核查？';
let server: FakeOpenAIServer;

beforeAll(async () => {
  server = await startFakeOpenAI();
});
afterAll(() => server.close());

async function answerFor(output: string): Promise<Answer> {
  const model = createModelAnswerer(loadSettings({ OPENAI_BASE_URL: server.baseUrl, MODEL_TIMEOUT_MS: '2000' }), { retry: { baseDelayMs: 1 } })!;
  server.script('chat', chatCompletion(output));
  const answer = await model.answer(QUESTION, 'zh', CANDIDATES);
  if (!answer) throw new Error('the model answer was dropped');
  return answer;
}

/** Everything each channel would send for the answer, as text. */
function rendered(answer: Answer): Record<string, string> {
  return {
    json: JSON.stringify(toAskJson(answer)),
    teams: JSON.stringify(teamsAnswerActivity(answer)),
    card: JSON.stringify(answerCard(answer)),
    slack: JSON.stringify(renderSlackAnswer(answer)),
    text: renderText(answer),
  };
}

describe('model output reaches the channels as plain text', () => {
  it.each([
    ['a Markdown link', '应加强尽职措施，详情请登录[联合国伙伴关系门户](https://evil.example/login)核对[1]。'],
    ['an image', '请看![图](https://evil.example/pixel.png)所示的尽职措施[1]。'],
    ['an HTML image with a script', '应加强尽职措施<img src=x onerror="alert(1)">[1]。'],
    ['a bare address', '应加强尽职措施，见 https://evil.example/login [1]。'],
    ['an autolink and a Slack link', '应加强尽职措施 <https://evil.example/login> 与 <https://evil.example/a|门户>[1]。'],
    ['a reference-style link', '应加强尽职措施[门户][x][1]。\n\n[x]: https://evil.example/login'],
    ['raw HTML markup', '<b>应加强</b><a href="https://evil.example">尽职措施</a><script>alert(1)</script>[1]。'],
  ])('%s is removed, the words and the citation stay', async (_kind, output) => {
    const answer = await answerFor(output);
    expect(answer.citations.map((c) => c.ref)).toEqual(['A/RES/68/234，第13(c)段']);
    expect(answer.statements.map((s) => s.text).join('')).toMatch(/尽职措施/);
    for (const [channel, text] of Object.entries(rendered(answer))) {
      expect(text, channel).not.toMatch(/evil\.example|<img|onerror|<script|<a |<b>|\]\((?!https:\/\/undocs\.org)/);
    }
    // The product's own links to the cited documents are still there.
    expect(rendered(answer).card).toContain('undocs.org');
  });
});
