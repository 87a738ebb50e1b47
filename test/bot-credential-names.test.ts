import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import AdmZip from 'adm-zip';
import { AppCredentials } from 'botframework-connector';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageTeamsApp } from '../cli/package-teams.ts';
import { loadSettings, SettingsError } from '../config/settings.ts';
import { buildTestAssistant, postJson, startServer, type RunningServer } from './support/assistant-server.ts';
import { FakeConnector } from './support/fake-connector.ts';
import { OpenIdServer, signJwt } from './support/openid-server.ts';

const APP_ID = '6b1d2c3e-aaaa-4bbb-8ccc-0123456789ab';
const OTHER_ID = '0f0e0d0c-1111-4222-8333-444455556666';
const ROOT = resolve(import.meta.dirname, '..');

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadSettings({ LOG_LEVEL: 'silent', ...env });
  } catch (error) {
    if (error instanceof SettingsError) return error.problems;
    throw error;
  }
  return [];
}

describe('Bot Framework credentials under Azure’s names', () => {
  it('takes MicrosoftAppId, MicrosoftAppPassword, MicrosoftAppType and MicrosoftAppTenantId as the MICROSOFT_APP_* settings', () => {
    const settings = loadSettings({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'secret', MicrosoftAppType: 'singletenant', MicrosoftAppTenantId: 'tenant-7' });
    expect(settings).toMatchObject({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'secret', MICROSOFT_APP_TYPE: 'SingleTenant', MICROSOFT_APP_TENANT_ID: 'tenant-7' });
  });

  it('accepts both spellings with the same value, and refuses two different values naming both', () => {
    expect(loadSettings({ MicrosoftAppId: APP_ID, MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 'secret' }).MICROSOFT_APP_ID).toBe(APP_ID);
    const problems = problemsOf({ MicrosoftAppId: APP_ID, MICROSOFT_APP_ID: OTHER_ID, MicrosoftAppPassword: 'a', MICROSOFT_APP_PASSWORD: 'b' });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/MICROSOFT_APP_ID and MicrosoftAppId are both set, to different values/);
    expect(problems[1]).toMatch(/MICROSOFT_APP_PASSWORD and MicrosoftAppPassword are both set/);
    expect(problems.join('\n')).not.toContain('secret');
  });

  it('never starts unauthenticated while a credential-looking setting is present without an app id', () => {
    const cases: Record<string, string>[] = [
      { MicrosoftAppPassword: 'secret' },
      { MICROSOFT_APP_PASSWORD: 'secret' },
      { MicrosoftAppTenantId: 'tenant-7' },
      { MicrosoftAppType: 'UserAssignedMSI' },
      { MicrosoftAppID: APP_ID },
      { MICROSOFT_APP_CERT_THUMBPRINT: 'AB12', MICROSOFT_APP_CERT_KEY_FILE: '/nowhere.pem' },
    ];
    for (const env of cases) {
      const problems = problemsOf(env);
      expect(problems.some((p) => /^MICROSOFT_APP_ID \(or MicrosoftAppId\): required because .* set/.test(p)), JSON.stringify(env)).toBe(true);
    }
    expect(problemsOf({ MICROSOFT_APP_TYPE: 'MultiTenant', MicrosoftAppPassword: '' })).toEqual([]);
  });

  it('`npm start` and `npm run package:teams` refuse to run on a password without an app id, and the package takes MicrosoftAppId', async () => {
    const env = { ...process.env, MicrosoftAppPassword: 'secret', DATA_DIR: join(tmpdir(), 'never-used'), LOG_LEVEL: 'silent' };
    for (const script of ['cli/serve.ts', 'cli/package-teams.ts']) {
      const run = promisify(execFile)(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, env });
      await expect(run, script).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/MICROSOFT_APP_ID \(or MicrosoftAppId\): required because MicrosoftAppPassword is set/) });
    }
    const dir = await mkdtemp(join(tmpdir(), 'app-package-'));
    try {
      await cp(join(ROOT, 'appPackage'), dir, { recursive: true, filter: (source) => !source.includes('build') });
      const settings = loadSettings({ MicrosoftAppId: APP_ID, MicrosoftAppPassword: 'secret' });
      const manifest = JSON.parse(new AdmZip(await packageTeamsApp(settings.MICROSOFT_APP_ID, dir)).readAsText('manifest.json'));
      expect(manifest.bots[0].botId).toBe(APP_ID);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('a server configured with Azure’s names', () => {
  let env: Awaited<ReturnType<typeof buildTestAssistant>>;
  let connector: FakeConnector;
  let openId: OpenIdServer;
  let running: RunningServer;

  beforeAll(async () => {
    connector = await new FakeConnector().start();
    openId = await new OpenIdServer().start(['msteams']);
    env = await buildTestAssistant();
    const settings = loadSettings({
      CORPUS_DIR: env.settings.CORPUS_DIR,
      INDEX_DIR: env.settings.INDEX_DIR,
      DATA_DIR: env.settings.DATA_DIR,
      LOG_LEVEL: 'silent',
      MicrosoftAppId: APP_ID,
      MicrosoftAppPassword: 'app-password-not-real',
      BOT_OPENID_METADATA_URL: openId.metadataUrl,
    });
    running = await startServer(settings, env.assistant);
    (AppCredentials as unknown as { cache: Map<string, unknown> }).cache.set(`${APP_ID}https://api.botframework.com-cache`, { accessToken: 'outgoing-test-token', expiresOn: new Date(Date.now() + 3_600_000) });
  }, 60_000);

  afterAll(async () => {
    await running?.close();
    await connector?.stop();
    await openId?.stop();
    await env?.cleanup();
  });

  const activity = (conversationId: string) => ({
    type: 'message',
    id: `in-${conversationId}`,
    channelId: 'msteams',
    serviceUrl: connector.serviceUrl,
    from: { id: '29:user', name: 'Ana' },
    recipient: { id: '28:bot', name: 'bot' },
    conversation: { id: conversationId, conversationType: 'personal' },
    text: '私营部门伙伴应遵守哪些原则？',
  });

  it('refuses an unsigned request with 401 and replies to nothing', async () => {
    const response = await postJson(`${running.url}/api/messages`, activity('conv-unsigned'));
    expect(response.status).toBe(401);
    expect(connector.sent('conv-unsigned')).toHaveLength(0);
  });

  it('answers a signed request', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = signJwt({ iss: 'https://api.botframework.com', aud: APP_ID, serviceurl: connector.serviceUrl, nbf: now - 60, exp: now + 3600 }, openId.keys.privateKey, openId.kid);
    const response = await fetch(`${running.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(activity('conv-signed')),
    });
    expect(response.status).toBe(200);
    expect(connector.sent('conv-signed', 'message')).toHaveLength(1);
  });
});
