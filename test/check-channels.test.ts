import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toAskJson } from '../bot/render/json.ts';
import { ADAPTIVE_CARD_CONTENT_TYPE } from '../bot/render/adaptive-card.ts';
import { checkActivity } from '../bot/render/check-teams.ts';
import { renderSlackCheck } from '../bot/render/check-slack.ts';
import { SLACK_LIMITS } from '../bot/render/slack-blocks.ts';
import { encodeFeedbackValue } from '../bot/slack/feedback-value.ts';
import { buildTestAssistant, postJson, startServer, type RunningServer } from './support/assistant-server.ts';
import { FakeConnector } from './support/fake-connector.ts';
import { BOT_USER_ID, FakeSlackApi, type SlackCall } from './support/fake-slack-api.ts';

const SECRET = 'check-signing-secret';
/** A wrong sub-paragraph: the bot must say so, quote what it does say and point to the sibling. */
const CLAIM = 'A/58/227第14(f)段是不是讲，联合国、各国政府和非国家行动者要互相分享信息、一起做研究和学习？';
const PASSAGE = '全球契约和开发计划署于2003年创立了项目伙伴关系论坛（A/58/227，第41段）。大会还要求国际社会必须把国际劳工组织的全球就业契约用到伙伴关系里（A/RES/68/234，第18段）。';

let env: Awaited<ReturnType<typeof buildTestAssistant>>;
let connector: FakeConnector;
let slack: FakeSlackApi;
let running: RunningServer;

beforeAll(async () => {
  slack = await new FakeSlackApi().start();
  env = await buildTestAssistant({ SLACK_BOT_TOKEN: 'xoxb-check', SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: slack.apiUrl });
  connector = await new FakeConnector().start();
  running = await startServer(env.settings, env.assistant);
}, 60_000);
afterAll(async () => {
  await running?.close();
  await connector?.stop();
  await slack?.close();
  await env?.cleanup();
});

let sequence = 0;
function teamsMessage(conversationId: string, text: string, channelId = 'msteams') {
  return {
    id: `incoming-${++sequence}`,
    type: 'message',
    channelId,
    serviceUrl: connector.serviceUrl,
    timestamp: new Date().toISOString(),
    from: { id: '29:user-1', name: 'Ana' },
    recipient: { id: '28:partnership-assistant', name: '伙伴关系助手' },
    conversation: { id: conversationId, conversationType: 'personal', tenantId: 'tenant-1' },
    locale: 'zh-CN',
    text,
  };
}

async function teamsReply(conversationId: string, text: string, channelId = 'msteams'): Promise<Record<string, any>> {
  expect((await postJson(`${running.url}/api/messages`, teamsMessage(conversationId, text, channelId))).status).toBe(200);
  const replies = connector.sent(conversationId, 'message');
  expect(replies).toHaveLength(1);
  return replies[0].activity;
}

function cardOf(reply: Record<string, any>): any {
  const attachment = reply.attachments.find((a: any) => a.contentType === ADAPTIVE_CARD_CONTENT_TYPE);
  return attachment.content;
}

const texts = (card: any): string[] => JSON.stringify(card).match(/"text":"((?:[^"\\]|\\.)*)"/g)!.map((t) => JSON.parse(t.slice(7)));

describe('a claim check in Teams', () => {
  it('is a card with the verdict badge, the claim, the quote and the pointer, and Teams citations for the quoted paragraphs', async () => {
    const reply = await teamsReply('a:check-one', CLAIM);
    const card = cardOf(reply);
    const badge = card.body[0];
    expect(badge).toMatchObject({ type: 'TextBlock', text: '❌ 不属实', color: 'Attention' });
    const shown = texts(card);
    expect(shown.some((t) => t.includes('互相分享信息'))).toBe(true);
    expect(shown.some((t) => t.includes('采取行动，鼓励'))).toBe(true);
    expect(shown).toContain('这一内容见 A/58/227，第14(d)段。');
    expect(shown.some((t) => t.includes('[A/58/227，第14(d)段](https://undocs.org/ch/A/58/227)'))).toBe(true);

    const entity = reply.entities.find((e: any) => e.type === 'https://schema.org/Message');
    const cited = entity.citation.map((c: any) => c.appearance.name);
    expect(cited).toEqual(['A/58/227，第14(f)段', 'A/58/227，第14(d)段']);
    cited.forEach((_: string, i: number) => expect(reply.text).toContain(`[${i + 1}]`));
    expect(Buffer.byteLength(JSON.stringify(reply))).toBeLessThan(28_000);
  });

  it('reports a pasted passage with several citations in one card', async () => {
    const reply = await teamsReply('a:check-passage', PASSAGE);
    const badges = cardOf(reply).body.filter((b: any) => b.size === 'Medium').map((b: any) => b.text);
    expect(badges).toEqual(['✅ 属实', '❌ 不属实']);
    expect(texts(cardOf(reply))).toContain('共核对 2 处引用，其中 1 处有问题。');
  });
});

describe('a claim check in Web Chat and other Bot Framework channels', () => {
  it('is the same card, with the plain-text report as fallback and no Teams entity', async () => {
    const reply = await teamsReply('a:check-webchat', CLAIM, 'webchat');
    expect(cardOf(reply).body[0]).toMatchObject({ text: '❌ 不属实' });
    expect(reply.text).toContain('这一内容见 A/58/227，第14(d)段');
    expect(reply.entities ?? []).toEqual([]);
  });
});

describe('a claim check in Slack', () => {
  const signed = (body: string) => {
    const timestamp = Math.floor(Date.now() / 1000);
    return { 'x-slack-signature': `v0=${createHmac('sha256', SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`, 'x-slack-request-timestamp': String(timestamp) };
  };
  let counter = 0;
  async function mention(text: string): Promise<SlackCall> {
    const ts = `1700002000.${String(++counter).padStart(6, '0')}`;
    const body = JSON.stringify({
      token: 'unused',
      team_id: 'T0001',
      api_app_id: 'A0001',
      type: 'event_callback',
      event_id: `EvCheck${counter}`,
      event_time: Math.floor(Date.now() / 1000),
      authorizations: [{ team_id: 'T0001', user_id: BOT_USER_ID, is_bot: true }],
      event: { type: 'app_mention', user: 'U0USER', text: `<@${BOT_USER_ID}> ${text}`, ts, event_ts: ts, channel: 'C0CHECK' },
    });
    const response = await fetch(`${running.url}/slack/events`, { method: 'POST', headers: { 'content-type': 'application/json', ...signed(body) }, body });
    expect(response.status).toBe(200);
    return slack.waitFor((call) => call.method === 'chat.postMessage' && call.body.thread_ts === ts);
  }

  it('is one message with the verdict, the claim, the linked quote and the pointer, as Block Kit', async () => {
    const posted = await mention(CLAIM);
    const blocks: any[] = posted.body.blocks;
    expect(blocks[0]).toMatchObject({ type: 'section', text: { type: 'mrkdwn' } });
    expect(blocks[0].text.text).toMatch(/^\*❌ 不属实\*\n说法：/);
    const contexts = blocks.filter((b) => b.type === 'context').map((b) => b.elements[0].text);
    expect(contexts.some((t) => t.startsWith('<https://undocs.org/ch/A/58/227|A/58/227，第14(f)段>'))).toBe(true);
    expect(contexts).toContain('*这一内容见 A/58/227，第14(d)段。*');
    expect(blocks.at(-1)).toMatchObject({ type: 'actions' });
    const expected = toAskJson(await env.assistant.ask(CLAIM)).check!;
    expect(posted.body.text).toContain(expected.evidence[0].text.slice(0, 10));
  });

  it('reports a pasted passage with several citations in one message', async () => {
    const posted = await mention(PASSAGE);
    const heads = posted.body.blocks.filter((b: any) => b.type === 'section').map((b: any) => b.text.text.split('\n')[0]);
    expect(heads).toEqual(['*✅ 属实*', '*❌ 不属实*']);
  });
});

describe('a long pasted passage', () => {
  it('checks at most 12 citations, says how many were left, and stays within Teams and Slack limits', async () => {
    const sentences = Array.from({ length: 15 }, (_, i) => `联合国系统在伙伴关系方面开展了第${i + 1}项工作，并提高了透明度（A/58/227，第${70 + i}段）。`);
    const answer = await env.assistant.ask(sentences.join(''));
    expect(answer.check).toHaveLength(12);
    expect(answer.note).toContain('另有 3 处引用未核对');
    expect(Buffer.byteLength(JSON.stringify(checkActivity(answer, true)))).toBeLessThan(28_000);
    const slackMessage = renderSlackCheck(answer, { feedbackValue: encodeFeedbackValue(answer) });
    expect(slackMessage.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    expect(slackMessage.blocks.at(-1)).toMatchObject({ type: 'actions' });
  });
});
