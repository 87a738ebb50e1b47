import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import AdmZip from 'adm-zip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toAskJson, type AskJson } from '../bot/render/json.ts';
import { ADAPTIVE_CARD_CONTENT_TYPE, answerCard, DEFAULT_CARD_BYTES } from '../bot/render/adaptive-card.ts';
import { displayWidth, MAX_TITLE_WIDTH } from '../bot/onboarding.ts';
import { MAX_TEAMS_CITATIONS, quotedSentence, TEAMS_MESSAGE_BYTES, teamsAnswerActivity } from '../bot/teams/teams-answer.ts';
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
/** How long the assistant takes over each answer, to see the bot's behaviour with a slow answer. */
let answerDelayMs = 0;

beforeAll(async () => {
  env = await buildTestAssistant();
  assistant = {
    documents: () => env.assistant.documents(),
    ask: async (question, options) => {
      asked.push({ question, options });
      if (answerDelayMs) await new Promise((resolve) => setTimeout(resolve, answerDelayMs));
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
    // The pop-up opens on the sentence the answer quotes from this paragraph.
    const quoted = appearance.abstract.replace(/…$/, '');
    expect(source.text).toContain(quoted);
    const citing = (reply.text as string).split('\n\n').filter((part) => part.includes(`[${i + 1}]`));
    expect(citing.some((part) => part.includes(quoted))).toBe(true);
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

  it('answers a quick question with one post: [n] markers and the Teams citation entity matching the ask JSON, no typing', async () => {
    const response = await post(message(conversation, QUESTION));
    expect(response.status).toBe(200);

    const sent = connector.sent(conversation.id);
    expect(sent.map((call) => call.activity.type)).toEqual(['message']);
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

  it('shows typing while a slow answer is prepared, then the answer', async () => {
    const slow = { id: 'a:personal-slow', conversationType: 'personal', tenantId: 'tenant-1' };
    answerDelayMs = 1_500;
    try {
      await post(message(slow, QUESTION));
    } finally {
      answerDelayMs = 0;
    }
    const types = connector.sent(slow.id).map((call) => call.activity.type);
    expect(types[0]).toBe('typing');
    expect(types.at(-1)).toBe('message');
    expect(types.filter((type) => type === 'message')).toHaveLength(1);
  });

  it('records a rating without replyToId (as the Agents Playground sends it) for the conversation’s latest answer; a second rating by the same person replaces the first', async () => {
    const chat = { id: 'a:personal-playground', conversationType: 'personal', tenantId: 'tenant-1' };
    const rater = { id: '29:rater', name: 'Rater', aadObjectId: '00000000-0000-0000-0000-0000000000b2' };
    await post(message(chat, QUESTION, { from: rater }));
    const answered = connector.sent(chat.id, 'message').at(-1)!;
    const rate = (reaction: string, feedbackText: string) =>
      post(activity({ type: 'invoke', name: 'message/submitAction', conversation: chat, from: rater, value: { actionName: 'feedback', actionValue: { reaction, feedback: JSON.stringify({ feedbackText }) } } }));
    expect((await rate('like', '')).status).toBe(200);
    expect((await rate('dislike', '第二次评价')).status).toBe(200);

    const mine = (await running.feedback.list()).filter((entry) => entry.conversationId === chat.id);
    expect(mine).toHaveLength(2);
    for (const entry of mine) {
      expect(entry).toMatchObject({ question: QUESTION, answer: expected.answer, answerId: answered.id, userId: rater.aadObjectId });
      expect(entry.citations).toEqual(expected.citations.map((c) => ({ symbol: c.symbol, paragraph: c.paragraph })));
    }
    const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'feedback', '--', '--json'], { env: { ...process.env, DATA_DIR: env.settings.DATA_DIR } });
    const summary = JSON.parse(stdout);
    const counted = summary.down.filter((entry: { conversationId?: string }) => entry.conversationId === chat.id);
    expect(counted).toHaveLength(1);
    expect(counted[0].comment).toBe('第二次评价');
    expect(summary.byChannel.find((c: { channel: string }) => c.channel === 'msteams').counts.up).toBe(0);
  });

  it('never lists a rating of an answer it does not know as if it were an answer', async () => {
    const unknown = { id: 'a:personal-no-answers-yet', conversationType: 'personal', tenantId: 'tenant-1' };
    const response = await post(activity({ type: 'invoke', name: 'message/submitAction', conversation: unknown, value: { actionName: 'feedback', actionValue: { reaction: 'dislike' } } }));
    expect(response.status).toBe(200);
    const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'feedback'], { env: { ...process.env, DATA_DIR: env.settings.DATA_DIR } });
    const block = stdout.split('\n\n').find((part) => part.includes(unknown.id))!;
    expect(block).toMatch(/the rated answer was not found/);
    expect(block).not.toMatch(/Q: |A: /);
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
  it('welcomes a new member with the indexed documents, how to ask and 3–5 suggested questions whose buttons read whole', async () => {
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
      // A short title a 120 px button shows whole; the full question is what a click sends.
      expect(displayWidth(action.title), action.title).toBeLessThanOrEqual(MAX_TITLE_WIDTH);
      expect(action.value).toMatch(/[？?]$/);
      expect(displayWidth(action.value)).toBeGreaterThan(displayWidth(action.title));
    }

    // Each suggested question, sent as Teams sends it (the value) or as the Agents Playground does (the
    // title), asks the full question and gets an answer with its sources.
    for (const action of actions) {
      for (const sent of [action.value, action.title]) {
        await post(message(conversation, sent));
        expect(asked.at(-1)!.question).toBe(action.value);
        const reply = connector.sent(conversation.id, 'message').at(-1)!;
        expect(citationEntity(reply.activity).citation.length, sent).toBeGreaterThan(0);
      }
    }
  });

  it('does not welcome the bot itself when it is added', async () => {
    const conversation = { id: '19:new-team@thread.tacv2', conversationType: 'channel', tenantId: 'tenant-1' };
    await post(activity({ type: 'conversationUpdate', conversation, membersAdded: [BOT] }));
    expect(connector.sent(conversation.id)).toHaveLength(0);
  });
});

describe('the bot’s own words follow the user’s locale', () => {
  it('welcomes, helps and lists sources in English for an en-US user, the documents named by their English titles', async () => {
    const conversation = { id: 'a:personal-english', conversationType: 'personal', tenantId: 'tenant-1' };
    await post(activity({ type: 'conversationUpdate', conversation, locale: 'en-US', membersAdded: [{ id: '29:english' }] }));
    await post(message(conversation, 'help', { locale: 'en-US' }));
    await post(message(conversation, 'sources', { locale: 'en-US' }));
    const [welcome, suggestions, help, sources] = connector.sent(conversation.id, 'message').map((c) => c.activity);
    for (const text of [welcome.text, suggestions.text, help.text, sources.text]) expect(text).not.toMatch(/[\u3400-\u9fff]/);
    expect(welcome.text).toMatch(/^Hello! I am the \*\*Partnership Assistant\*\*/);
    expect(help.text).toMatch(/How to use the Partnership Assistant/);
    for (const document of assistant.documents()) expect(sources.text).toContain(`**${document.symbol}** (${document.date}) ${document.titleEn ?? document.title}`);
    for (const action of suggestions.suggestedActions.actions) {
      expect(displayWidth(action.title), action.title).toBeLessThanOrEqual(MAX_TITLE_WIDTH);
      expect(action.value).toMatch(/^[\x20-\x7e¶]+\?$/);
    }
  });

  it('welcomes in the locale of the installation when the conversationUpdate carries none, as the Agents Playground sends them', async () => {
    const conversation = { id: 'a:personal-installed', conversationType: 'personal', tenantId: 'tenant-1' };
    await post(activity({ type: 'installationUpdate', action: 'add', conversation, locale: undefined, entities: [{ type: 'clientInfo', locale: 'en-US' }] }));
    await post(activity({ type: 'conversationUpdate', conversation, locale: undefined, membersAdded: [{ id: '29:installer' }] }));
    const [welcome] = connector.sent(conversation.id, 'message').map((c) => c.activity);
    expect(welcome.text).toMatch(/^Hello! I am the \*\*Partnership Assistant\*\*/);

    const other = { id: 'a:personal-no-locale', conversationType: 'personal', tenantId: 'tenant-1' };
    await post(activity({ type: 'conversationUpdate', conversation: other, locale: undefined, membersAdded: [{ id: '29:someone' }] }));
    expect(connector.sent(other.id, 'message')[0].activity.text).toMatch(/^您好！我是\*\*伙伴关系助手\*\*/);
  });

  it('answers help in Chinese for a zh-CN user, and a Chinese command in Chinese whatever the locale', async () => {
    const conversation = { id: 'a:personal-locale-mix', conversationType: 'personal', tenantId: 'tenant-1' };
    await post(message(conversation, 'help', { locale: 'zh-CN' }));
    await post(message(conversation, '帮助', { locale: 'en-US' }));
    const [zhHelp, zhCommand] = connector.sent(conversation.id, 'message').map((c) => c.activity.text as string);
    expect(zhHelp).toMatch(/怎样使用伙伴关系助手/);
    expect(zhCommand).toMatch(/怎样使用伙伴关系助手/);
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

describe('the citation pop-up', () => {
  it('opens on the sentence the answer quotes, however deep in the paragraph, and keeps the whole paragraph in its card', async () => {
    const index = await openIndex(env.settings.INDEX_DIR, env.settings);
    const sentences = (text: string) => text.match(/[^。；]+[。；]/g) ?? [];
    const paragraph = index.paragraphs.find((p) => p.text.length > 300 && sentences(p.text).length >= 3)!;
    const deep = sentences(paragraph.text).at(-1)!.trim();
    const paraphrase = `据该段所述，${Array.from(deep).slice(2, -3).join('')}。`;
    expect(paragraph.text.indexOf(deep)).toBeGreaterThan(160);
    const citation = cite(paragraph, 'zh');
    const base: Answer = { question: QUESTION, language: 'zh', kind: 'answer', abstained: false, statements: [], citations: [citation], related: [], retrieved: [], mode: 'offline' };

    const quoting = teamsAnswerActivity({ ...base, statements: [{ text: `…${deep}`, cites: [0] }] });
    const [claim] = citationEntity(quoting).citation;
    const abstract = claim.appearance.abstract.replace(/…$/, '');
    expect(abstract.length).toBeGreaterThan(10);
    expect(deep.startsWith(abstract)).toBe(true);
    expect(JSON.parse(claim.appearance.text).body.map((b: { text: string }) => b.text)).toContain(paragraph.text);

    // A model's paraphrase of that sentence still opens on it.
    expect(quotedSentence(citation, 0, { ...base, statements: [{ text: paraphrase, cites: [0] }] })).toBe(deep);
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
