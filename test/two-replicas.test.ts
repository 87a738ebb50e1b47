import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import type restify from 'restify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { RedisFeedbackStore } from '../bot/feedback/redis-feedback-store.ts';
import { createRateLimits } from '../bot/rate-limit.ts';
import { createServer } from '../bot/server.ts';
import { ConversationMemory } from '../bot/state/conversation-memory.ts';
import { connectRedis } from '../bot/state/redis-client.ts';
import { RedisStorage } from '../bot/state/redis-storage.ts';
import { loadSettings, type Settings } from '../config/settings.ts';
import { createAssistant } from '../knowledge/assistant.ts';
import { openIndex } from '../knowledge/open-index.ts';
import { buildTestAssistant, postJson } from './support/assistant-server.ts';
import { startRedisServer, type TestRedis } from './support/redis-server.ts';

/**
 * Two replicas of the server behind an imaginary load balancer: each loads the same index directory
 * read-only and has its own Redis connection; nothing else is shared. A conversation started on one
 * continues on the other.
 */

interface Replica {
  url: string;
  server: restify.Server;
  redis: Redis;
}

let redis: TestRedis;
let env: Awaited<ReturnType<typeof buildTestAssistant>>;
let replicas: Replica[] = [];

async function startReplica(settings: Settings): Promise<Replica> {
  const connection = connectRedis(settings.REDIS_URL);
  const storage = new RedisStorage(connection);
  const server = createServer({
    settings,
    assistant: createAssistant(await openIndex(settings.INDEX_DIR, settings)),
    storage,
    memory: new ConversationMemory(storage),
    feedback: new RedisFeedbackStore(connection),
    rateLimits: createRateLimits(settings, connection),
    logger: pino({ level: 'silent' }),
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, redis: connection };
}

beforeAll(async () => {
  redis = await startRedisServer();
  env = await buildTestAssistant();
  const settings = loadSettings({
    CORPUS_DIR: env.settings.CORPUS_DIR,
    INDEX_DIR: env.settings.INDEX_DIR,
    DATA_DIR: env.settings.DATA_DIR,
    LOG_LEVEL: 'silent',
    STATE_STORE: 'redis',
    REDIS_URL: redis.url,
    RATE_LIMIT_USER_PER_MINUTE: '1000',
  });
  replicas = [await startReplica(settings), await startReplica(settings)];
}, 60_000);

afterAll(async () => {
  for (const r of replicas) {
    await new Promise<void>((done) => r.server.close(() => done()));
    await r.redis.quit();
  }
  await env?.cleanup();
  await redis?.stop();
});

describe('two replicas sharing Redis', () => {
  it('answers a follow-up on replica B from the turn asked on replica A', async () => {
    const [a, b] = replicas;
    const first = await postJson(`${a.url}/api/ask`, { question: 'A/RES/68/234第13段说了什么？', conversationId: 'carried-over' });
    expect(first.status).toBe(200);
    expect(JSON.stringify(first.json)).toContain('A/RES/68/234');

    const followUp = await postJson(`${b.url}/api/ask`, { question: '那第14段呢？', conversationId: 'carried-over' });
    expect(followUp.status).toBe(200);
    const cited = JSON.stringify(followUp.json.citations);
    expect(cited).toContain('A/RES/68/234');
    expect(cited).toMatch(/14/);

    // The same follow-up in a conversation replica B has never seen cannot know which document is meant.
    const cold = await postJson(`${b.url}/api/ask`, { question: '那第14段呢？', conversationId: 'never-started' });
    expect(JSON.stringify(cold.json.citations ?? [])).not.toContain('A/RES/68/234');
  });
});
