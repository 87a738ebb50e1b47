import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Assistant } from '../core/answer.ts';
import { buildTestAssistant, startServer, type RunningServer } from './support/assistant-server.ts';

let env: Awaited<ReturnType<typeof buildTestAssistant>>;
const servers: RunningServer[] = [];

beforeAll(async () => {
  env = await buildTestAssistant();
}, 60_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  await env?.cleanup();
});

async function serve(assistant: Assistant): Promise<RunningServer> {
  const running = await startServer(env.settings, assistant);
  servers.push(running);
  return running;
}

describe('health probes', () => {
  it('are alive and ready once the index answers a trial question', async () => {
    const { url } = await serve(env.assistant);
    const health = await fetch(`${url}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', documents: env.assistant.documents().length });
  });

  it('report not ready (503, with a reason that does not repeat the error) while the assistant cannot answer, and ready once it can', async () => {
    let failing = true;
    const flaky: Assistant = {
      documents: () => env.assistant.documents(),
      ask: (question, options) => (failing ? Promise.reject(new Error('index still loading')) : env.assistant.ask(question, options)),
    };
    const { url } = await serve(flaky);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const notReady = await fetch(`${url}/readyz`);
    expect(notReady.status).toBe(503);
    const { reason } = await notReady.json();
    expect(reason).toMatch(/trial question failed/);
    expect(reason).not.toContain('index still loading');

    failing = false;
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
  });

  it('report not ready with an index that holds no documents', async () => {
    const empty: Assistant = { documents: () => [], ask: (question, options) => env.assistant.ask(question, options) };
    const { url } = await serve(empty);
    const response = await fetch(`${url}/readyz`);
    expect(response.status).toBe(503);
    expect((await response.json()).reason).toMatch(/no documents/);
  });
});
