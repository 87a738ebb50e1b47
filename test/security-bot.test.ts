import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { AppCredentials } from 'botframework-connector';
import { pino } from 'pino';
import type restify from 'restify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFeedbackStore } from '../bot/feedback/store.ts';
import { createServer } from '../bot/server.ts';
import { ConversationMemory } from '../bot/state/conversation-memory.ts';
import { createStorage } from '../bot/state/create-storage.ts';
import { loadSettings, type Settings } from '../config/settings.ts';
import type { Assistant } from '../core/answer.ts';
import { buildTestAssistant } from './support/assistant-server.ts';
import { FakeConnector } from './support/fake-connector.ts';
import { OpenIdServer, signJwt } from './support/openid-server.ts';

const APP_ID = '11111111-2222-3333-4444-555555555555';
const ALLOWED_TENANT = 'aaaaaaaa-0000-0000-0000-00000000000a';
const BOT = { id: '28:bot', name: '伙伴关系助手' };
const QUESTION = '私营部门伙伴应遵守哪些原则？';

let env: Awaited<ReturnType<typeof buildTestAssistant>>;
let connector: FakeConnector;
let openId: OpenIdServer;
const asked: string[] = [];
let assistant: Assistant;
const servers: restify.Server[] = [];
/** Log lines of the servers, to see that no turn failed. */
const logs: Record<string, any>[] = [];

beforeAll(async () => {
  env = await buildTestAssistant();
  assistant = { documents: () => env.assistant.documents(), ask: (q, o) => (asked.push(q), env.assistant.ask(q, o)) };
  connector = await new FakeConnector().start();
  openId = await new OpenIdServer().start(['msteams', 'webchat']);
}, 60_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => new Promise<void>((done) => s.close(() => done()))));
  await connector?.stop();
  await openId?.stop();
  await env?.cleanup();
});

async function serve(extra: Record<string, string>): Promise<{ url: string; settings: Settings }> {
  const settings = loadSettings({ ...process.env, CORPUS_DIR: env.settings.CORPUS_DIR, INDEX_DIR: env.settings.INDEX_DIR, DATA_DIR: `${env.dir}/data-${servers.length}`, LOG_LEVEL: 'info', ...extra });
  const sink = new Writable({ write: (chunk, _enc, done) => (logs.push(JSON.parse(String(chunk))), done()) });
  const storage = createStorage(settings);
  const server = createServer({ settings, assistant, storage, memory: new ConversationMemory(storage), feedback: createFeedbackStore(settings), logger: pino({ level: 'info' }, sink) });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  servers.push(server);
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, settings };
}

let sequence = 0;
function activity(fields: Record<string, unknown>): Record<string, any> {
  const n = ++sequence;
  return {
    id: `in-${n}`,
    channelId: 'msteams',
    serviceUrl: connector.serviceUrl,
    from: { id: `29:user-${n}`, name: 'Ana' },
    recipient: BOT,
    conversation: { id: `conv-${n}`, conversationType: 'personal', tenantId: ALLOWED_TENANT },
    channelData: { tenant: { id: ALLOWED_TENANT } },
    locale: 'zh-CN',
    type: 'message',
    text: QUESTION,
    ...fields,
  };
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return { status: response.status, text: await response.text() };
}

function claims(overrides: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return { iss: 'https://api.botframework.com', aud: APP_ID, serviceurl: connector.serviceUrl, nbf: now - 60, exp: now + 3600, ...overrides };
}

function bearer(token: string) {
  return { authorization: `Bearer ${token}` };
}

describe('with Bot Framework credentials', () => {
  let url: string;
  beforeAll(async () => {
    ({ url } = await serve({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'app-password-not-real', BOT_OPENID_METADATA_URL: openId.metadataUrl, ALLOWED_TENANTS: ALLOWED_TENANT }));
    // Stands in for Azure AD: the token the bot attaches to its replies, as if already fetched and cached.
    (AppCredentials as unknown as { cache: Map<string, unknown> }).cache.set(`${APP_ID}https://api.botframework.com-cache`, { accessToken: 'outgoing-test-token', expiresOn: new Date(Date.now() + 3_600_000) });
  });

  it('refuses a request without a token: 401, no reply, nothing asked', async () => {
    const incoming = activity({});
    expect((await post(url, incoming)).status).toBe(401);
    expect(connector.sent(incoming.conversation.id)).toHaveLength(0);
    expect(asked).not.toContain(incoming.text);
  });

  it('refuses forged tokens with 401: another signing key, another audience, expired, garbage', async () => {
    const intruder = new OpenIdServer().keys.privateKey;
    const forged = [
      signJwt(claims(), intruder, openId.kid),
      signJwt(claims({ aud: 'some-other-bot' }), openId.keys.privateKey, openId.kid),
      signJwt(claims({ exp: Math.floor(Date.now() / 1000) - 3600 }), openId.keys.privateKey, openId.kid),
      signJwt(claims({ serviceurl: 'https://evil.example/' }), openId.keys.privateKey, openId.kid),
      'not.a.jwt',
    ];
    for (const token of forged) {
      const incoming = activity({ text: `forged ${token.slice(-8)}` });
      const response = await post(url, incoming, bearer(token));
      expect(response.status, token).toBe(401);
      expect(connector.sent(incoming.conversation.id)).toHaveLength(0);
      expect(asked).not.toContain(incoming.text);
    }
  });

  it('answers a request with a valid token, replying with the bot’s own credentials', async () => {
    const incoming = activity({});
    expect((await post(url, incoming, bearer(signJwt(claims(), openId.keys.privateKey, openId.kid)))).status).toBe(200);
    const replies = connector.sent(incoming.conversation.id, 'message');
    expect(replies).toHaveLength(1);
    expect(replies[0].activity.entities?.some((e: any) => e.type === 'https://schema.org/Message')).toBe(true);
  });

  it('refuses a tenant that is not allowed, politely, without answering', async () => {
    const foreign = 'bbbbbbbb-0000-0000-0000-00000000000b';
    const incoming = activity({ text: '外部租户的问题：私营部门伙伴应遵守哪些原则？', channelData: { tenant: { id: foreign } }, conversation: { id: 'conv-foreign', conversationType: 'personal', tenantId: foreign } });
    expect((await post(url, incoming, bearer(signJwt(claims(), openId.keys.privateKey, openId.kid)))).status).toBe(200);
    const replies = connector.sent('conv-foreign', 'message');
    expect(replies).toHaveLength(1);
    expect(replies[0].activity.text).toMatch(/仅供已获授权的组织使用/);
    expect(replies[0].activity.entities ?? []).toHaveLength(0);
    expect(asked).not.toContain(incoming.text);
  });
});

describe('odd and hostile activities (local trial, no credentials)', () => {
  let url: string;
  beforeAll(async () => {
    ({ url } = await serve({ MAX_QUESTION_CHARS: '300', RATE_LIMIT_USER_PER_MINUTE: '3' }));
  });

  it('handles every odd activity without an error', async () => {
    const odd = [
      activity({ type: 'messageReaction', text: undefined, reactionsAdded: [{ type: 'like' }] }),
      activity({ type: 'messageUpdate', text: '改过的问题' }),
      activity({ type: 'messageDelete', text: undefined }),
      activity({ type: 'conversationUpdate', text: undefined }),
      activity({ type: 'installationUpdate', action: 'add', text: undefined }),
      activity({ type: 'event', name: 'something', text: undefined }),
      activity({ type: 'typing', text: undefined }),
      activity({ type: 'no-such-type', text: undefined }),
      activity({ type: 'invoke', name: 'unknown/invoke', text: undefined }),
      activity({ text: undefined, attachments: [{ contentType: 'image/png', contentUrl: 'https://example.org/a.png' }] }),
      activity({ text: '' }),
      activity({ text: '   \u0000\u0007\u001b[31m\u202e  ' }),
      activity({ text: '🙂🤝 UN–私营部门 partnership? Ωμέγα привет مرحبا \u0000\u200b 伙伴原则？🎉' }),
      activity({ text: '\ud800 lone surrogate 伙伴' }),
    ];
    const failuresBefore = logs.filter((l) => l.msg === 'turn failed').length;
    for (const incoming of odd) {
      const response = await post(url, incoming);
      // An invoke nobody handles gets the protocol's 501; nothing may fail with 500.
      if (incoming.type === 'invoke') expect(response.status).toBe(501);
      else expect(response.status, incoming.type).toBeLessThan(300);
    }
    expect(logs.filter((l) => l.msg === 'turn failed').length).toBe(failuresBefore);
    // Every message got a reply (help or an answer), nothing else was answered.
    for (const incoming of odd.filter((a) => a.type === 'message')) expect(connector.sent(incoming.conversation.id, 'message').length).toBe(1);
  });

  it('answers a question that is too long with a friendly message instead', async () => {
    const incoming = activity({ text: `${QUESTION}${'请详细说明。'.repeat(80)}` });
    await post(url, incoming);
    const [reply] = connector.sent(incoming.conversation.id, 'message');
    expect(reply.activity.text).toMatch(/问题太长.*上限 300/);
    expect(asked).not.toContain(incoming.text);
  });

  it('counts everything from one address together: rotating from.id, aadObjectId or channelId buys no fresh allowance', async () => {
    const { url: limited } = await serve({ RATE_LIMIT_USER_PER_MINUTE: '3' });
    const rotated = [
      activity({ from: { id: '29:rotating-1', name: 'A' } }),
      activity({ from: { id: '29:rotating-2', aadObjectId: 'aad-rotating-2', name: 'B' } }),
      activity({ channelId: 'webchat', from: { id: 'rotating-3', name: 'C' } }),
      activity({ from: { id: '29:rotating-4', aadObjectId: 'aad-rotating-4', name: 'D' } }),
      activity({ channelId: 'emulator', from: { id: 'rotating-5', name: 'E' } }),
    ];
    for (const incoming of rotated) await post(limited, incoming);
    const texts = rotated.map((incoming) => connector.sent(incoming.conversation.id, 'message')[0]?.activity.text ?? '');
    expect(texts.slice(0, 3).every((text) => !/太频繁/.test(text))).toBe(true);
    expect(texts.slice(3).every((text) => /提问太频繁了，请 \d+ 秒后再试/.test(text))).toBe(true);
  });
});

describe('with credentials, a user is who the authenticated channel says', () => {
  it('keys Teams users by tenant and Entra object id: one user over the limit does not stop another', async () => {
    const { url } = await serve({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'app-password-not-real', BOT_OPENID_METADATA_URL: openId.metadataUrl, RATE_LIMIT_USER_PER_MINUTE: '2' });
    const token = () => bearer(signJwt(claims(), openId.keys.privateKey, openId.kid));
    const eager = { id: '29:eager', aadObjectId: 'aad-eager', name: 'Eager' };
    const conversation = { id: 'conv-teams-eager', conversationType: 'personal', tenantId: ALLOWED_TENANT };
    for (let i = 0; i < 3; i++) await post(url, activity({ from: eager, conversation, text: `${QUESTION}（${i}）` }), token());
    const replies = connector.sent('conv-teams-eager', 'message');
    expect(replies.map((r) => /太频繁/.test(r.activity.text))).toEqual([false, false, true]);
    const other = activity({ from: { id: '29:calm', aadObjectId: 'aad-calm', name: 'Calm' } });
    await post(url, other, token());
    expect(connector.sent(other.conversation.id, 'message')[0].activity.text).not.toMatch(/太频繁/);
  });

  it('refuses a request without a token before reading its body (401, not 413)', async () => {
    const { url } = await serve({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'app-password-not-real', BOT_OPENID_METADATA_URL: openId.metadataUrl, MAX_BODY_BYTES: '1024' });
    const response = await post(url, activity({ text: '问'.repeat(4000) }));
    expect(response.status).toBe(401);
  });
});

describe('forged tokens while the token service metadata cannot be reached', () => {
  it('get 401 (or 503) without any internal or upstream error text', async () => {
    const closed = await new OpenIdServer().start([]);
    const unreachable = closed.metadataUrl;
    await closed.stop();
    const { url } = await serve({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'app-password-not-real', BOT_OPENID_METADATA_URL: unreachable });
    const intruder = new OpenIdServer().keys.privateKey;
    for (const token of [signJwt(claims(), intruder, 'some-key'), signJwt(claims(), openId.keys.privateKey, openId.kid)]) {
      const incoming = activity({ text: `forged while offline ${token.slice(-6)}` });
      const response = await post(url, incoming, bearer(token));
      expect([401, 503]).toContain(response.status);
      expect(response.text).not.toMatch(/ECONNREFUSED|fetch|openid|metadata|127\.0\.0\.1|Error|\bat /);
      expect(JSON.parse(response.text).error).not.toMatch(/error|refused|connect|econn/i);
      expect(asked).not.toContain(incoming.text);
    }
  });
});

describe('where replies go (serviceUrl)', () => {
  let internal: FakeConnector;
  beforeAll(async () => {
    internal = await new FakeConnector().start();
  });
  afterAll(() => internal?.stop());

  it('without credentials, by default only addresses on this machine are answered: anything else → 403, nothing sent', async () => {
    const { url } = await serve({});
    for (const serviceUrl of ['http://192.0.2.10:4444/internal/', 'https://evil.example/', 'http://169.254.169.254/latest/', 'file:///etc/passwd']) {
      const incoming = activity({ serviceUrl, text: `外部地址 ${serviceUrl}` });
      const response = await fetch(`${url}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(incoming), signal: AbortSignal.timeout(10_000) });
      expect(response.status, serviceUrl).toBe(403);
      expect((await response.json()).error).toMatch(/serviceUrl/);
      expect(asked).not.toContain(incoming.text);
    }
  });

  it('without credentials and with ALLOWED_SERVICE_URLS, only those are answered: nothing is posted to another service on this machine', async () => {
    const { url } = await serve({ ALLOWED_SERVICE_URLS: `http://localhost:56150, ${connector.serviceUrl}` });
    const refused = activity({ serviceUrl: `${internal.serviceUrl}internal/` });
    expect((await post(url, refused)).status).toBe(403);
    expect(internal.calls).toHaveLength(0);
    const allowed = activity({});
    expect((await post(url, allowed)).status).toBe(200);
    expect(connector.sent(allowed.conversation.id, 'message')).toHaveLength(1);
  });

  it('with credentials, a serviceUrl that differs from the one the token endorses → 401, nothing sent', async () => {
    const { url } = await serve({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'app-password-not-real', BOT_OPENID_METADATA_URL: openId.metadataUrl });
    const incoming = activity({ serviceUrl: internal.serviceUrl });
    expect((await post(url, incoming, bearer(signJwt(claims(), openId.keys.privateKey, openId.kid)))).status).toBe(401);
    expect(internal.calls).toHaveLength(0);
  });
});
