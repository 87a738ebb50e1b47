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
import { publishDirectory } from '../index/postgres/publish-directory.ts';
import { createAssistant } from '../knowledge/assistant.ts';
import { openPostgresIndex, type PostgresIndex } from '../knowledge/open-postgres-index.ts';
import { buildTestAssistant, postJson } from './support/assistant-server.ts';
import { startPostgresServer, type TestPostgres } from './support/postgres-server.ts';
import { startRedisServer, type TestRedis } from './support/redis-server.ts';

/**
 * Two replicas against one PostgreSQL index (each with its own connection pool, scoring in the
 * database) and one Redis: they answer the same, and a conversation started on one continues on the other.
 */

interface Replica {
  url: string;
  server: restify.Server;
  redis: Redis;
  index: PostgresIndex;
}

let redis: TestRedis;
let postgres: TestPostgres;
let env: Awaited<ReturnType<typeof buildTestAssistant>>;
let replicas: Replica[] = [];

async function startReplica(settings: Settings): Promise<Replica> {
  const connection = connectRedis(settings.REDIS_URL);
  const storage = new RedisStorage(connection);
  const index = await openPostgresIndex(settings.DATABASE_URL!, settings);
  const server = createServer({
    settings,
    assistant: createAssistant(index),
    storage,
    memory: new ConversationMemory(storage),
    feedback: new RedisFeedbackStore(connection),
    rateLimits: createRateLimits(settings, connection),
    logger: pino({ level: 'silent' }),
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, redis: connection, index };
}

beforeAll(async () => {
  [redis, postgres, env] = await Promise.all([startRedisServer(), startPostgresServer(), buildTestAssistant()]);
  await publishDirectory(env.settings.INDEX_DIR, postgres.url, env.settings);
  const settings = loadSettings({
    CORPUS_DIR: env.settings.CORPUS_DIR,
    INDEX_DIR: env.settings.INDEX_DIR,
    DATA_DIR: env.settings.DATA_DIR,
    LOG_LEVEL: 'silent',
    STATE_STORE: 'redis',
    REDIS_URL: redis.url,
    DATABASE_URL: postgres.url,
    RATE_LIMIT_USER_PER_MINUTE: '1000',
  });
  replicas = [await startReplica(settings), await startReplica(settings)];
}, 90_000);

afterAll(async () => {
  for (const r of replicas) {
    await new Promise<void>((done) => r.server.close(() => done()));
    await r.redis.quit();
    await r.index.close();
  }
  await env?.cleanup();
  await Promise.all([redis?.stop(), postgres?.stop()]);
});

describe('two replicas on one PostgreSQL index', () => {
  it('answer the same question the same', async () => {
    const [a, b] = replicas;
    const question = { question: '企业和联合国合作要守哪些原则？' };
    const fromA = await postJson(`${a.url}/api/ask`, question);
    const fromB = await postJson(`${b.url}/api/ask`, question);
    expect(fromA.status).toBe(200);
    expect(fromA.json.citations?.length).toBeGreaterThan(0);
    expect(fromB.json).toEqual(fromA.json);
  });

  it('carry a conversation from one replica to the other', async () => {
    const [a, b] = replicas;
    const first = await postJson(`${a.url}/api/ask`, { question: 'A/RES/68/234第13段说了什么？', conversationId: 'across-replicas' });
    expect(JSON.stringify(first.json)).toContain('A/RES/68/234');
    const followUp = await postJson(`${b.url}/api/ask`, { question: '那第14段呢？', conversationId: 'across-replicas' });
    const cited = JSON.stringify(followUp.json.citations);
    expect(cited).toContain('A/RES/68/234');
    expect(cited).toMatch(/14/);
  });
});
