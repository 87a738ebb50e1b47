import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { pino } from 'pino';
import restify from 'restify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFeedbackStore, type FeedbackStore } from '../bot/feedback/store.ts';
import { toAskJson } from '../bot/render/json.ts';
import { renderSlackAnswer, SLACK_LIMITS } from '../bot/render/slack-blocks.ts';
import { decodeFeedbackValue, encodeFeedbackValue } from '../bot/slack/feedback-value.ts';
import { ConversationService } from '../bot/conversation-service.ts';
import { createRateLimits } from '../bot/rate-limit.ts';
import { createServer } from '../bot/server.ts';
import { mountSlack } from '../bot/slack/mount.ts';
import { questionFromSlackText } from '../bot/slack/question-text.ts';
import { ConversationMemory } from '../bot/state/conversation-memory.ts';
import { createStorage } from '../bot/state/create-storage.ts';
import { loadSettings, type Settings } from '../config/settings.ts';
import type { Paragraph } from '../core/paragraph.ts';
import type { Answer, Assistant } from '../core/answer.ts';
import { createAssistant } from '../knowledge/assistant.ts';
import { cite, formatReference } from '../knowledge/citation.ts';
import { BOT_ID, BOT_USER_ID, FakeSlackApi, type SlackCall } from './support/fake-slack-api.ts';
import { ingestedIndex } from './support/bundled-index.ts';

const SECRET = 'test-signing-secret';
const QUESTION = '联合国与企业合作时在尽职调查方面有什么要求？';
const DM_QUESTION = '私营部门伙伴应遵守哪些原则？';

let dataDir: string;
let slack: FakeSlackApi;
let settings: Settings;
let assistant: Assistant;
/** What the server passed to the assistant, to see the conversation memory it used. */
const asked: { question: string; history: string[] }[] = [];
let feedback: FeedbackStore;
let server: restify.Server;
let eventsUrl: string;
/** The question message the rated answer replied to. */
let slackMentionTs: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'slack-'));
  slack = await new FakeSlackApi().start();
  settings = loadSettings({
    INDEX_DIR: join(dataDir, 'index'),
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    SLACK_BOT_TOKEN: 'xoxb-test-token',
    SLACK_SIGNING_SECRET: SECRET,
    SLACK_API_URL: slack.apiUrl,
  });
  const real = createAssistant(await ingestedIndex(settings.CORPUS_DIR, settings.INDEX_DIR, settings));
  assistant = {
    documents: () => real.documents(),
    ask: (question, options) => (asked.push({ question, history: (options?.history ?? []).map((turn) => turn.question) }), real.ask(question, options)),
  };
  const storage = createStorage(settings);
  feedback = createFeedbackStore(settings);
  server = createServer({ settings, assistant, storage, memory: new ConversationMemory(storage), feedback, logger: pino({ level: 'silent' }) });
  eventsUrl = await listen(server);
});

afterAll(async () => {
  server?.close();
  await slack?.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function listen(s: restify.Server): Promise<string> {
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}/slack/events`;
}

function signed(body: string, timestamp = Math.floor(Date.now() / 1000), secret = SECRET): Record<string, string> {
  const signature = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { 'x-slack-signature': signature, 'x-slack-request-timestamp': String(timestamp) };
}

function postJson(payload: unknown, headers: (body: string) => Record<string, string> = (body) => signed(body)): Promise<Response> {
  const body = JSON.stringify(payload);
  return fetch(eventsUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers(body) }, body });
}

function postForm(fields: Record<string, string>): Promise<Response> {
  const body = new URLSearchParams(fields).toString();
  return fetch(eventsUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...signed(body) }, body });
}

let counter = 0;
function eventCallback(event: Record<string, unknown>): Record<string, unknown> {
  counter += 1;
  return {
    token: 'unused',
    team_id: 'T0001',
    api_app_id: 'A0001',
    type: 'event_callback',
    event_id: `Ev${counter}`,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: 'T0001', user_id: BOT_USER_ID, is_bot: true }],
    event: { event_ts: event.ts, ...event },
  };
}

function nextTs(): string {
  counter += 1;
  return `1700001000.${String(counter).padStart(6, '0')}`;
}

/** The `n`th message the bot posts to a DM channel (1-based). */
const inDm = (channel: string, n: number) => (call: SlackCall) =>
  call.method === 'chat.postMessage' && call.body.channel === channel && slack.callsTo('chat.postMessage').filter((c) => c.body.channel === channel).indexOf(call) === n - 1;
const posted = (channel: string, threadTs: string) => (call: SlackCall) => call.method === 'chat.postMessage' && call.body.channel === channel && call.body.thread_ts === threadTs;

/** The sources as the blocks show them: position, reference and link of each numbered context block. */
function sources(blocks: any[]): { ref: string; url: string }[] {
  return blocks
    .filter((b) => b.type === 'context')
    .map((b) => /^\*\[\d+\]\* <([^|>]+)\|([^>]+)>/.exec(b.elements[0].text))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => ({ url: m[1], ref: m[2] }));
}

/** The same sources from the ask JSON for the same question. */
async function expectedSources(question: string): Promise<{ ref: string; url: string }[]> {
  const json = toAskJson(await assistant.ask(question));
  return json.citations.map((c) => ({ ref: formatReference(c.symbol, c.paragraph, 'zh'), url: c.url }));
}

function feedbackButtons(blocks: any[]): any[] {
  return blocks.find((b) => b.type === 'actions')?.elements ?? [];
}

describe('Slack events', () => {
  let mention: SlackCall;
  const mentionTs = nextTs();
  slackMentionTs = mentionTs;

  it('answers a mention in the thread of the question, with the sources the ask JSON cites', async () => {
    const response = await postJson(eventCallback({ type: 'app_mention', user: 'U0USER', text: `<@${BOT_USER_ID}> ${QUESTION}`, ts: mentionTs, channel: 'C0CHAN' }));
    expect(response.status).toBe(200);
    mention = await slack.waitFor(posted('C0CHAN', mentionTs));

    const expected = await expectedSources(QUESTION);
    expect(expected.length).toBeGreaterThan(0);
    expect(sources(mention.body.blocks)).toEqual(expected);
    expect(mention.authorization).toBe('Bearer xoxb-test-token');
    expect(mention.body.blocks[0]).toMatchObject({ type: 'section', text: { type: 'mrkdwn' } });
    expect(mention.body.blocks[0].text.text).toContain(`<${expected[0].url}|${expected[0].ref}>`);
    expect(mention.body.text).toBe(toAskJson(await assistant.ask(QUESTION)).answer);
    expect(feedbackButtons(mention.body.blocks).map((b) => b.action_id)).toEqual(['feedback_up', 'feedback_down']);
  });

  it('answers a mention inside a thread in that thread', async () => {
    const parent = nextTs();
    await postJson(eventCallback({ type: 'app_mention', user: 'U0USER', text: `<@${BOT_USER_ID}> ${DM_QUESTION}`, ts: nextTs(), thread_ts: parent, channel: 'C0CHAN' }));
    const reply = await slack.waitFor(posted('C0CHAN', parent));
    expect(sources(reply.body.blocks)).toEqual(await expectedSources(DM_QUESTION));
  });

  it('answers a direct message in the DM itself, and ignores the bot’s own messages, edits and other subtypes', async () => {
    const own = nextTs();
    const edit = nextTs();
    const ignoredResponses = await Promise.all([
      postJson(eventCallback({ type: 'message', channel_type: 'im', subtype: 'bot_message', bot_id: BOT_ID, text: DM_QUESTION, ts: own, channel: 'D0DM' })),
      postJson(eventCallback({ type: 'message', channel_type: 'im', bot_id: BOT_ID, user: BOT_USER_ID, text: DM_QUESTION, ts: own, channel: 'D0DM' })),
      postJson(eventCallback({ type: 'message', channel_type: 'im', subtype: 'message_changed', message: { text: DM_QUESTION }, ts: edit, channel: 'D0DM' })),
    ]);
    expect(ignoredResponses.map((r) => r.status)).toEqual([200, 200, 200]);

    await postJson(eventCallback({ type: 'message', channel_type: 'im', user: 'U0USER', text: DM_QUESTION, ts: nextTs(), channel: 'D0DM' }));
    const reply = await slack.waitFor(inDm('D0DM', 1));
    expect(reply.body.thread_ts).toBeUndefined();
    expect(sources(reply.body.blocks)).toEqual(await expectedSources(DM_QUESTION));
    expect(slack.callsTo('chat.postMessage').filter((c) => c.body.channel === 'D0DM')).toHaveLength(1);
  });

  it('carries a DM follow-up typed as a new message on from the earlier question, in the DM', async () => {
    await postJson(eventCallback({ type: 'message', channel_type: 'im', user: 'U0FOLLOW', text: QUESTION, ts: nextTs(), channel: 'D0FOLLOW' }));
    await slack.waitFor(inDm('D0FOLLOW', 1));
    const followUp = '那2021年的报告呢？';
    await postJson(eventCallback({ type: 'message', channel_type: 'im', user: 'U0FOLLOW', text: followUp, ts: nextTs(), channel: 'D0FOLLOW' }));
    const reply = await slack.waitFor(inDm('D0FOLLOW', 2));
    expect(reply.body.thread_ts).toBeUndefined();
    expect(asked.find((a) => a.question === followUp)?.history).toEqual([QUESTION]);
  });

  it('keeps a reply inside a DM thread in that thread, as its own conversation', async () => {
    const parent = nextTs();
    await postJson(eventCallback({ type: 'message', channel_type: 'im', user: 'U0THREAD', text: DM_QUESTION, ts: nextTs(), thread_ts: parent, channel: 'D0THREAD' }));
    const reply = await slack.waitFor(posted('D0THREAD', parent));
    expect(sources(reply.body.blocks)).toEqual(await expectedSources(DM_QUESTION));
    expect(asked.find((a) => a.question === DM_QUESTION && a.history.length === 0)).toBeDefined();
  });

  it('treats `@bot help` and `@bot sources` as the commands, without asking the assistant', async () => {
    const before = asked.length;
    const helpTs = nextTs();
    const sourcesTs = nextTs();
    await postJson(eventCallback({ type: 'app_mention', user: 'U0USER', text: `<@${BOT_USER_ID}> help`, ts: helpTs, channel: 'C0CMD' }));
    await postJson(eventCallback({ type: 'app_mention', user: 'U0USER', text: `<@${BOT_USER_ID}> 来源`, ts: sourcesTs, channel: 'C0CMD' }));
    const help = await slack.waitFor(posted('C0CMD', helpTs));
    const list = await slack.waitFor(posted('C0CMD', sourcesTs));
    expect(asked.length).toBe(before);
    expect(help.body.text).toContain('/ask');
    expect(help.body.text).toMatch(/Partnership Assistant/);
    for (const document of assistant.documents()) {
      expect(list.body.text).toContain(`*${document.symbol}*（${document.date}）${document.title}`);
      expect(help.body.text).toContain(document.symbol);
    }
    expect(feedbackButtons(help.body.blocks)).toEqual([]);
  });

  it('answers a redelivered event once', async () => {
    const event = eventCallback({ type: 'message', channel_type: 'im', user: 'U0USER', text: DM_QUESTION, ts: nextTs(), channel: 'D0REDELIVER' });
    await postJson(event);
    await postJson(event, (body) => ({ ...signed(body), 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' }));
    await slack.waitFor(inDm('D0REDELIVER', 1));
    await postJson(eventCallback({ type: 'message', channel_type: 'im', user: 'U0USER', text: DM_QUESTION, ts: nextTs(), channel: 'D0REDELIVER' }));
    await slack.waitFor(inDm('D0REDELIVER', 2));
    expect(slack.callsTo('chat.postMessage').filter((c) => c.body.channel === 'D0REDELIVER')).toHaveLength(2);
  });

  it('answers the URL verification challenge', async () => {
    const response = await postJson({ token: 'unused', type: 'url_verification', challenge: 'challenge-3eZbrw1aBm' });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ challenge: 'challenge-3eZbrw1aBm' });
  });

  it('refuses a bad signature or a stale timestamp with 401 and posts nothing', async () => {
    const badTs = nextTs();
    const staleTs = nextTs();
    const bad = await postJson(eventCallback({ type: 'app_mention', user: 'U0USER', text: `<@${BOT_USER_ID}> ${QUESTION}`, ts: badTs, channel: 'C0BAD' }), (body) =>
      signed(body, undefined, 'not-the-secret'),
    );
    const stale = await postJson(eventCallback({ type: 'app_mention', user: 'U0USER', text: `<@${BOT_USER_ID}> ${QUESTION}`, ts: staleTs, channel: 'C0BAD' }), (body) =>
      signed(body, Math.floor(Date.now() / 1000) - 6 * 60),
    );
    const unsigned = await fetch(eventsUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"type":"url_verification","challenge":"x"}' });
    expect([bad.status, stale.status, unsigned.status]).toEqual([401, 401, 401]);

    // A signed event afterwards is answered; the refused ones never are.
    const ts = nextTs();
    await postJson(eventCallback({ type: 'app_mention', user: 'U0USER', text: `<@${BOT_USER_ID}> ${QUESTION}`, ts, channel: 'C0BAD' }));
    await slack.waitFor(posted('C0BAD', ts));
    expect(slack.calls.filter((c) => c.body.channel === 'C0BAD').map((c) => c.body.thread_ts)).toEqual([ts]);
  });

  it('acknowledges /ask at once and answers through its response_url', async () => {
    const response = await postForm({
      token: 'unused',
      team_id: 'T0001',
      channel_id: 'C0CHAN',
      user_id: 'U0USER',
      command: '/ask',
      text: QUESTION,
      response_url: slack.responseUrl('command-1'),
      trigger_id: 'trigger-1',
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ response_type: 'ephemeral', text: `🔎 正在查找：${QUESTION}` });

    const answer = await slack.waitFor((c) => c.method === 'response:command-1');
    expect(answer.body.response_type).toBe('ephemeral');
    expect(sources(answer.body.blocks)).toEqual(await expectedSources(QUESTION));
  });

  it('counts questions against the signed team and user: the same user id in another workspace has its own allowance', async () => {
    const limitedSettings = { ...settings, RATE_LIMIT_USER_PER_MINUTE: 1, DATA_DIR: join(dataDir, 'limited') };
    const storage = createStorage(limitedSettings);
    const limited = createServer({ settings: limitedSettings, assistant, storage, memory: new ConversationMemory(storage), feedback, logger: pino({ level: 'silent' }) });
    const url = await listen(limited);
    try {
      const mention = async (team: string, channel: string) => {
        const ts = nextTs();
        const payload = { ...eventCallback({ type: 'app_mention', user: 'U0SAME', text: `<@${BOT_USER_ID}> ${QUESTION}`, ts, channel }), team_id: team, authorizations: [{ team_id: team, user_id: BOT_USER_ID, is_bot: true }] };
        const body = JSON.stringify(payload);
        await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...signed(body) }, body });
        return (await slack.waitFor(posted(channel, ts))).body.text as string;
      };
      expect(await mention('T0001', 'C0TEAM1')).not.toMatch(/太频繁/);
      expect(await mention('T0002', 'C0TEAM2')).not.toMatch(/太频繁/);
      expect(await mention('T0001', 'C0TEAM1')).toMatch(/太频繁/);
    } finally {
      limited.close();
    }
  });

  it('acknowledges /ask without echoing the asker’s markup: no @channel, no links, no user mentions', async () => {
    const response = await postForm({
      token: 'unused',
      team_id: 'T0001',
      channel_id: 'C0CHAN',
      user_id: 'U0USER',
      command: '/ask',
      text: `&lt;!channel&gt; ${QUESTION} &lt;https://evil.example/login|门户&gt; &lt;@U0OTHER&gt; &amp;`,
      response_url: slack.responseUrl('command-echo'),
      trigger_id: 'trigger-echo',
    });
    expect(response.status).toBe(200);
    const { text } = await response.json();
    expect(text).toContain(QUESTION);
    expect(text).not.toMatch(/<!channel>|<https?:|<@U0OTHER>/);
    expect(text).toContain('&lt;!channel&gt;');
    await slack.waitFor((c) => c.method === 'response:command-echo');
  });

  it('records a 👎 click with the question, answer and citations, shows the rating on the message, and `npm run feedback` lists it', async () => {
    const clicked = await click(mention.body.blocks, mention.body.text, 'feedback_down', 'U0RATER', 'action-1');
    expect(clicked.body).toMatchObject({ replace_original: true, text: mention.body.text });
    expect(ratingLine(clicked.body.blocks)).toBe('👎 已记录 <@U0RATER> 的评价，再点一次可以更改。');
    expect(feedbackButtons(clicked.body.blocks).map((b) => [b.action_id, b.style])).toEqual([
      ['feedback_up', undefined],
      ['feedback_down', 'danger'],
    ]);
    // The answer itself is unchanged.
    expect(clicked.body.blocks.filter((b: any) => b.block_id !== 'feedback_rated' && b.type !== 'actions')).toEqual(mention.body.blocks.filter((b: any) => b.type !== 'actions'));

    const json = toAskJson(await assistant.ask(QUESTION));
    const [entry] = await feedback.list();
    expect(entry).toMatchObject({
      question: QUESTION,
      answer: json.answer,
      citations: json.citations.map((c) => ({ symbol: c.symbol, paragraph: c.paragraph })),
      answerId: `C0CHAN:${MESSAGE_TS}`,
      rating: 'down',
      channel: 'slack',
      conversationId: `C0CHAN:${mentionTs}`,
      userId: 'U0RATER',
    });
    expect(Date.now() - Date.parse(entry.time)).toBeLessThan(60_000);

    const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'feedback'], { env: { ...process.env, DATA_DIR: dataDir } });
    expect(stdout).toContain('👎 1');
    expect(stdout).toContain(`Q: ${QUESTION}`);
    expect(stdout).toContain(`Citations: ${json.citations.map((c) => `${c.symbol} ¶${c.paragraph}`).join('; ')}`);
  });

  it('keeps one rating per person and answer: a second click replaces the first, on the message and in `npm run feedback`', async () => {
    const first = await click(mention.body.blocks, mention.body.text, 'feedback_up', 'U0TWICE', 'twice-1');
    const second = await click(first.body.blocks, mention.body.text, 'feedback_down', 'U0TWICE', 'twice-2');
    expect(second.body.blocks.filter((b: any) => b.block_id === 'feedback_rated')).toHaveLength(1);
    expect(ratingLine(second.body.blocks)).toBe('👎 已记录 <@U0TWICE> 的评价，再点一次可以更改。');
    expect(feedbackButtons(second.body.blocks).map((b) => b.style)).toEqual([undefined, 'danger']);

    const { stdout } = await promisify(execFile)('npm', ['run', '--silent', 'feedback', '--', '--json'], { env: { ...process.env, DATA_DIR: dataDir } });
    const summary = JSON.parse(stdout);
    // U0RATER's 👎 from before and U0TWICE's last rating, a 👎: two ratings, none of them 👍.
    expect(summary.totals).toEqual({ up: 0, down: 2, total: 2 });
    expect(summary.down.map((e: { userId: string }) => e.userId).sort()).toEqual(['U0RATER', 'U0TWICE']);
  });
});

const MESSAGE_TS = '1700000000.000001';

/** A click on one of the feedback buttons of a message showing `blocks`; resolves with what the app sent to its response_url. */
async function click(blocks: any[], text: string, actionId: string, user: string, responseId: string): Promise<SlackCall> {
  const button = feedbackButtons(blocks).find((b) => b.action_id === actionId);
  const payload = {
    type: 'block_actions',
    team: { id: 'T0001' },
    user: { id: user },
    api_app_id: 'A0001',
    channel: { id: 'C0CHAN' },
    container: { type: 'message', message_ts: MESSAGE_TS, channel_id: 'C0CHAN' },
    message: { type: 'message', ts: MESSAGE_TS, thread_ts: slackMentionTs, text, blocks },
    response_url: slack.responseUrl(responseId),
    trigger_id: `trigger-${responseId}`,
    actions: [{ type: 'button', block_id: 'feedback', action_id: actionId, value: button.value, action_ts: '1700000001.000001' }],
  };
  const response = await postForm({ payload: JSON.stringify(payload) });
  expect(response.status).toBe(200);
  return slack.waitFor((c) => c.method === `response:${responseId}`);
}

function ratingLine(blocks: any[]): string | undefined {
  return blocks.find((b) => b.block_id === 'feedback_rated')?.elements[0].text;
}

describe('Slack settings', () => {
  it('answers 503 on /slack/events, naming what to set, when Slack is not configured', async () => {
    const bare = restify.createServer();
    mountSlack(bare, {
      settings: loadSettings({ LOG_LEVEL: 'silent' }),
      conversations: new ConversationService({
        assistant,
        memory: new ConversationMemory(createStorage(settings)),
        rateLimits: createRateLimits(settings),
        maxQuestionChars: settings.MAX_QUESTION_CHARS,
        logger: pino({ level: 'silent' }),
        logQuestions: false,
      }),
      feedback,
      logger: pino({ level: 'silent' }),
    });
    const url = await listen(bare);
    try {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      expect(response.status).toBe(503);
      expect((await response.json()).error).toMatch(/SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET/);
    } finally {
      bare.close();
    }
  });
});

describe('questions from Slack markup', () => {
  it('drops mentions and keeps what links and channel names showed, with &, < and > restored', () => {
    expect(questionFromSlackText(`<@${BOT_USER_ID}>  A/RES/68/234 &amp; <https://undocs.org/ch/A/68/326|A/68/326> 有何不同 &lt;简述&gt;？ <#C0CHAN|partners> <!here>`)).toBe(
      'A/RES/68/234 & A/68/326 有何不同 <简述>？ #partners',
    );
    expect(questionFromSlackText(`<@${BOT_USER_ID}|partnership-assistant>`)).toBe('');
  });
});

describe('Block Kit limits', () => {
  const paragraph = (i: number): Paragraph => ({
    id: `A/RES/70/224#${i}`,
    symbol: 'A/RES/70/224',
    kind: 'resolution',
    date: '2015-12-22',
    language: 'zh',
    label: String(i),
    section: [],
    text: `第${i}段的文字 <b>&`.repeat(20),
    position: i,
  });
  const citations = Array.from({ length: 60 }, (_, i) => cite(paragraph(i + 1), 'zh'));
  const huge: Answer = {
    question: '很长的问题'.repeat(200),
    language: 'zh',
    kind: 'answer',
    abstained: false,
    statements: Array.from({ length: 40 }, (_, i) => ({ text: `陈述${i}：${'内容'.repeat(200)}`, cites: [i, i + 1] })),
    citations,
    related: [],
    retrieved: [],
    mode: 'offline',
  };

  it('keeps a very long answer within 50 blocks, 3000 characters per text and 2000 per button value', () => {
    const value = encodeFeedbackValue(huge);
    const message = renderSlackAnswer(huge, { feedbackValue: value });
    expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    for (const block of message.blocks as any[]) {
      if (block.type === 'section') expect(block.text.text.length).toBeLessThanOrEqual(3000);
      if (block.type === 'context') for (const element of block.elements) expect(element.text.length).toBeLessThanOrEqual(3000);
    }
    expect(message.blocks.at(-1)).toMatchObject({ type: 'actions' });
    expect(message.blocks.at(-2)).toMatchObject({ type: 'context', elements: [{ text: expect.stringMatching(/^另有 \d+ 条来源未列出。$/) }] });
    expect(value.length).toBeLessThanOrEqual(SLACK_LIMITS.buttonValue);
    expect(message.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fallbackText);
    expect(JSON.stringify(message.blocks)).toContain('&lt;b&gt;&amp;');

    const decoded = decodeFeedbackValue(value);
    expect(decoded.citations.slice(0, 3)).toEqual([
      { symbol: 'A/RES/70/224', paragraph: '1' },
      { symbol: 'A/RES/70/224', paragraph: '2' },
      { symbol: 'A/RES/70/224', paragraph: '3' },
    ]);
    expect(huge.question.startsWith(decoded.question.slice(0, -1))).toBe(true);
  });

  it('shows the paragraphs near an abstention as related, never as numbered sources', () => {
    const abstain: Answer = { ...huge, kind: 'abstain', abstained: true, statements: [{ text: '文件中没有相关信息。', cites: [] }], citations: [], related: citations.slice(0, 2) };
    const message = renderSlackAnswer(abstain);
    expect(sources(message.blocks)).toEqual([]);
    expect(JSON.stringify(message.blocks)).toContain('*相关段落（仅供参考，并非答案）*');
    expect(message.blocks.filter((b) => b.type === 'context')).toHaveLength(3);
    expect(message.blocks.some((b) => b.type === 'actions')).toBe(false);
  });
});
