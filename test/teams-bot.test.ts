import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import AdmZip from 'adm-zip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toAskJson, type AskJson } from '../bot/render/json.ts';
import { ADAPTIVE_CARD_CONTENT_TYPE, answerCard, DEFAULT_CARD_BYTES } from '../bot/render/adaptive-card.ts';
import { MAX_TEAMS_CITATIONS, TEAMS_MESSAGE_BYTES, teamsAnswerActivity } from '../bot/teams/teams-answer.ts';
import type { Answer, Assistant, AskOptions } from '../core/answer.ts';
import { cite } from '../knowledge/citation.ts';
import { openIndex } from '../knowledge/open-index.ts';
import { packageTeamsApp } from '../cli/package-teams.ts';
import { buildTestAssistant, postJson, startServer, type RunningServer } from './support/assistant-server.ts';
import { FakeConnector } from './support/fake-connector.ts';

const BOT = { id: '28:partnership-assistant', name: '伙伴关系助手' };
const USER = { id: '29:user-1', name: 'Ana', aadObjectId: '00000000-0000-0000-0000-0000000000a1' };
const QUESTION = '私营部门伙伴应遵守哪些原则？';

let env: Awaited<ReturnType<typeof buildTestAssistant>>;
let connector: FakeConnector;
let running: RunningServer;
let expected: AskJson;
/** What the bot passed to the assistant, to see the conversation memory it used. */
const asked: { question: string; options?: AskOptions }[] = [];
let assistant: Assistant;

beforeAll(async () => {
  env = await buildTestAssistant();
  assistant = {
    documents: () => env.assistant.documents(),
    ask: (question, options) => {
      asked.push({ question, options });
      return env.assistant.ask(question, options);
    },
  };
  connector = await new FakeConnector().start();
  running = await startServer(env.settings, assistant);
  expected = toAskJson(await env.assistant.ask(QUESTION));
}, 60_000);

afterAll(async () => {
  await running?.close();
  await connector?.stop();
  await env?.cleanup();
});

let sequence = 0;
function activity(fields: Record<string, unknown>): Record<string, unknown> {
  return {
    id: `incoming-${++sequence}`,
    channelId: 'msteams',
    serviceUrl: connector.serviceUrl,
    timestamp: new Date().toISOString(),
    from: USER,
    recipient: BOT,
    locale: 'zh-CN',
    ...fields,
  };
}

function message(conversation: Record<string, unknown>, text: string, extra: Record<string, unknown> = {}) {
  return activity({ type: 'message', conversation, text, ...extra });
}

async function post(body: Record<string, unknown>) {
  return postJson(`${running.url}/api/messages`, body);
}

function citationEntity(reply: Record<string, any>) {
  const entities = (reply.entities ?? []).filter((e: any) => e.type === 'https://schema.org/Message');
  expect(entities).toHaveLength(1);
  return entities[0];
}

/** The Teams entity must cite exactly what the ask JSON cites, in order, with the [n] markers in the text. */
function expectTeamsCitationsMatch(reply: Record<string, any>) {
  expect(expected.citations.length).toBeGreaterThan(0);
  const entity = citationEntity(reply);
  expect(entity).toMatchObject({ '@type': 'Message', '@context': 'https://schema.org', '@id': '', additionalType: ['AIGeneratedContent'] });
  expect(entity.citation).toHaveLength(Math.min(expected.citations.length, 20));
  entity.citation.forEach((claim: any, i: number) => {
    const source = expected.citations[i];
    expect(claim['@type']).toBe('Claim');
    expect(claim.position).toBe(i + 1);
    expect(reply.text).toContain(`[${i + 1}]`);
    const { appearance } = claim;
    expect(appearance['@type']).toBe('DigitalDocument');
    expect(appearance.url).toBe(source.url);
    expect(appearance.name.length).toBeLessThanOrEqual(80);
    expect(appearance.name).toContain(source.symbol);
    expect(appearance.name).toContain(source.paragraph);
    expect(appearance.abstract.length).toBeLessThanOrEqual(160);
    expect(source.text.startsWith(appearance.abstract.replace(/…$/, ''))).toBe(true);
    expect(appearance.encodingFormat).toBe(ADAPTIVE_CARD_CONTENT_TYPE);
    const card = JSON.parse(appearance.text);
    expect(card.type).toBe('AdaptiveCard');
    expect(JSON.stringify(card.body)).toContain(JSON.stringify(source.text).slice(1, -1));
  });
  expect(reply.channelData.feedbackLoop).toEqual({ type: 'default' });
  expect(Buffer.byteLength(JSON.stringify(reply))).toBeLessThan(28_000);
}

describe('Teams personal chat', () => {
  const conversation = { id: 'a:personal-ana', conversationType: 'personal', tenantId: 'tenant-1' };

  it('answers with typing first, then [n] markers and the Teams citation entity matching the ask JSON', async () => {
    const response = await post(message(conversation, QUESTION));
    expect(response.status).toBe(200);

    const sent = connector.sent(conversation.id);
    expect(sent[0].activity.type).toBe('typing');
    const replies = connector.sent(conversation.id, 'message');
    expect(replies).toHaveLength(1);
    expect(replies[0].replyToId).toMatch(/^incoming-/);
    expectTeamsCitationsMatch(replies[0].activity);
  });

  it('records a 👎 from the Teams feedback loop with the question, answer and citations it rates', async () => {
    const answered = connector.sent(conversation.id, 'message').at(-1)!;
    const response = await post(
      activity({
        type: 'invoke',
        name: 'message/submitAction',
        conversation,
        replyToId: answered.id,
        value: { actionName: 'feedback', actionValue: { reaction: 'dislike', feedback: JSON.stringify({ feedbackText: '引用的段落不对' }) } },
      }),
    );
    expect(response.status).toBe(200);

    const entries = await running.feedback.list();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      question: QUESTION,
      answer: expected.answer,
      citations: expected.citations.map((c) => ({ symbol: c.symbol, paragraph: c.paragraph })),
      rating: 'down',
      comment: '引用的段落不对',
      channel: 'msteams',
      conversationId: conversation.id,
      userId: USER.aadObjectId,
    });
  });

  it('answers help and sources from the indexed documents, without asking the assistant', async () => {
    const before = asked.length;
    await post(message(conversation, 'help'));
    await post(message(conversation, 'sources'));
    expect(asked.length).toBe(before);
    const [help, sources] = connector.sent(conversation.id, 'message').slice(-2).map((c) => c.activity.text as string);
    expect(help).toContain('sources');
    for (const document of assistant.documents()) {
      expect(sources).toContain(document.symbol);
      expect(sources).toContain(document.title);
      expect(sources).toContain(document.date);
    }
  });
});

describe('Teams channels and group chats', () => {
  const channel = { id: '19:partnerships@thread.tacv2;messageid=1700000000000', conversationType: 'channel', tenantId: 'tenant-1' };

  it('answers a mention, with the mention removed from the question', async () => {
    const mention = `<at>${BOT.name}</at>`;
    const response = await post(
      message(channel, `${mention} ${QUESTION}`, { entities: [{ type: 'mention', mentioned: BOT, text: mention }], channelData: { tenant: { id: 'tenant-1' } } }),
    );
    expect(response.status).toBe(200);
    expect(asked.at(-1)!.question).toBe(QUESTION);
    const replies = connector.sent(channel.id, 'message');
    expect(replies).toHaveLength(1);
    expectTeamsCitationsMatch(replies[0].activity);
  });

  it('stays silent when not mentioned', async () => {
    const group = { id: '19:group-chat@thread.v2', conversationType: 'groupChat', tenantId: 'tenant-1' };
    const before = asked.length;
    const response = await post(message(group, QUESTION));
    expect(response.status).toBe(200);
    expect(connector.sent(group.id)).toHaveLength(0);
    expect(asked.length).toBe(before);
  });
});

describe('onboarding', () => {
  it('welcomes a new member with the indexed documents, how to ask and 3–5 suggested questions as buttons', async () => {
    const conversation = { id: 'a:personal-newcomer', conversationType: 'personal', tenantId: 'tenant-1' };
    await post(activity({ type: 'conversationUpdate', conversation, membersAdded: [{ id: '29:newcomer' }] }));
    const [welcome, suggestions] = connector.sent(conversation.id, 'message');
    expect(welcome).toBeDefined();
    for (const document of assistant.documents()) {
      expect(welcome.activity.text).toContain(document.symbol);
      expect(welcome.activity.text).toContain(document.title);
    }
    const { actions, to } = suggestions.activity.suggestedActions;
    expect(to).toEqual(['29:newcomer']);
    expect(actions.length).toBeGreaterThanOrEqual(3);
    expect(actions.length).toBeLessThanOrEqual(5);
    for (const action of actions) {
      expect(action.type).toBe('imBack');
      expect(action.value).toBe(action.title);
    }
  });

  it('does not welcome the bot itself when it is added', async () => {
    const conversation = { id: '19:new-team@thread.tacv2', conversationType: 'channel', tenantId: 'tenant-1' };
    await post(activity({ type: 'conversationUpdate', conversation, membersAdded: [BOT] }));
    expect(connector.sent(conversation.id)).toHaveLength(0);
  });
});

describe('other Bot Framework channels', () => {
  it('gives Web Chat the answer as an Adaptive Card whose sources match the ask JSON, with a plain-text fallback', async () => {
    const conversation = { id: 'webchat-conversation-1' };
    await post(message(conversation, QUESTION, { channelId: 'webchat', from: { id: 'dl_user', name: 'User' }, recipient: { id: 'bot', name: 'bot' } }));
    const [reply] = connector.sent(conversation.id, 'message');
    expect(reply.activity.entities ?? []).toHaveLength(0);
    for (const source of expected.citations) expect(reply.activity.text).toContain(source.url);
    const [attachment] = reply.activity.attachments;
    expect(attachment.contentType).toBe(ADAPTIVE_CARD_CONTENT_TYPE);
    const card = JSON.stringify(attachment.content);
    expected.citations.forEach((source, i) => {
      expect(card).toContain(`[${i + 1}] [${source.symbol}`);
      expect(card).toContain(`](${source.url})`);
    });
  });
});

describe('conversation memory', () => {
  it('gives a follow-up the earlier turns, also after a restart', async () => {
    const conversation = { id: 'a:personal-follow-up', conversationType: 'personal', tenantId: 'tenant-1' };
    await post(message(conversation, QUESTION));
    await running.close();
    running = await startServer(env.settings, assistant);

    await post(message(conversation, '那第14段呢？'));
    const followUp = asked.at(-1)!;
    expect(followUp.question).toBe('那第14段呢？');
    expect(followUp.options?.history?.map((turn) => turn.question)).toEqual([QUESTION]);
    expect(followUp.options?.history?.[0].answer.citations.map((c) => c.paragraph.id)).toEqual(expected.citations.map((c) => `${c.symbol}#${c.paragraph}`));
    expect(connector.sent(conversation.id, 'message')).toHaveLength(2);
  });
});

describe('size limits', () => {
  it('keeps a long, many-sourced answer within Teams limits: 20 Teams citations, the rest named in the text', async () => {
    const index = await openIndex(env.settings.INDEX_DIR, env.settings);
    const longest = [...index.paragraphs].sort((a, b) => b.text.length - a.text.length).slice(0, 25);
    const citations = longest.map((p) => cite(p, 'zh'));
    const answer: Answer = {
      question: QUESTION,
      language: 'zh',
      kind: 'answer',
      abstained: false,
      statements: citations.map((_, i) => ({ text: `第${i + 1}点。`, cites: [i] })),
      citations,
      related: [],
      retrieved: [],
      mode: 'offline',
    };

    const reply = teamsAnswerActivity(answer);
    expect(Buffer.byteLength(JSON.stringify(reply))).toBeLessThanOrEqual(TEAMS_MESSAGE_BYTES);
    const claims = citationEntity(reply).citation;
    expect(claims).toHaveLength(MAX_TEAMS_CITATIONS);
    claims.forEach((claim: any, i: number) => {
      expect(claim.appearance.name).toBe(citations[i].ref);
      expect(claim.appearance.url).toBe(citations[i].url);
      expect(reply.text).toContain(`第${i + 1}点。[${i + 1}]`);
    });
    for (const i of [20, 21, 22, 23, 24]) expect(reply.text).toContain(`第${i + 1}点。（${citations[i].ref}）`);

    const card = answerCard(answer);
    const json = JSON.stringify(card);
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(DEFAULT_CARD_BYTES);
    citations.forEach((c, i) => expect(json).toContain(`[${i + 1}] [${c.ref}](${c.url})`));
  });
});

describe('Teams app package', () => {
  it('zips the manifest with the bot id and both icons', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'app-package-'));
    try {
      await cp(resolve(import.meta.dirname, '..', 'appPackage'), dir, { recursive: true, filter: (source) => !source.includes('build') });
      const appId = '3f1c2a4b-1111-4222-8333-444455556666';
      const zip = new AdmZip(await packageTeamsApp(appId, dir));
      const manifest = JSON.parse(zip.readAsText('manifest.json'));
      expect(manifest.id).toBe(appId);
      expect(manifest.bots[0].botId).toBe(appId);
      expect(manifest.bots[0].commandLists[0].commands.map((c: { title: string }) => c.title)).toEqual(['help', 'sources']);
      const size = (name: string) => {
        const png = zip.readFile(name)!;
        return [png.readUInt32BE(16), png.readUInt32BE(20)];
      };
      expect(size('color.png')).toEqual([192, 192]);
      expect(size('outline.png')).toEqual([32, 32]);
      await expect(packageTeamsApp(undefined, dir)).rejects.toThrow(/MICROSOFT_APP_ID/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
