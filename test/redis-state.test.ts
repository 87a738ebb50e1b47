import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { loadSettings } from '../config/settings.ts';
import type { Paragraph } from '../core/paragraph.ts';
import type { Answer } from '../core/answer.ts';
import { RedisFeedbackStore } from '../bot/feedback/redis-feedback-store.ts';
import { createFeedbackStore, FeedbackError, type FeedbackEntry } from '../bot/feedback/store.ts';
import { ConversationMemory } from '../bot/state/conversation-memory.ts';
import { createStorage } from '../bot/state/create-storage.ts';
import { closeSharedRedis, connectRedis } from '../bot/state/redis-client.ts';
import { RedisStorage, StorageConflictError } from '../bot/state/redis-storage.ts';
import { startRedisServer, type TestRedis } from './support/redis-server.ts';

let server: TestRedis;
// Two connections stand for two replicas: nothing is shared between them but the Redis server.
let replicaA: Redis;
let replicaB: Redis;

beforeAll(async () => {
  server = await startRedisServer();
  replicaA = connectRedis(server.url);
  replicaB = connectRedis(server.url);
});

afterAll(async () => {
  await Promise.all([replicaA?.quit(), replicaB?.quit(), closeSharedRedis()]);
  await server?.stop();
});

beforeEach(async () => {
  await replicaA.flushall();
});

const paragraph: Paragraph = {
  id: 'A/RES/68/234#13(c)',
  symbol: 'A/RES/68/234',
  kind: 'resolution',
  date: '2013-12-20',
  language: 'zh',
  label: '13(c)',
  section: [],
  text: '确保伙伴关系符合联合国的宗旨和原则。',
  position: 20,
};

function answerTo(question: string): Answer {
  return {
    question,
    language: 'zh',
    kind: 'answer',
    abstained: false,
    statements: [{ text: paragraph.text, cites: [0] }],
    citations: [{ paragraph, ref: 'A/RES/68/234，第13(c)段', url: 'https://undocs.org/zh/A/RES/68/234' }],
    related: [],
    retrieved: [{ paragraph, score: 1 }],
    mode: 'offline',
  };
}

describe('RedisStorage', () => {
  it('reads back what was written, with a fresh eTag, and forgets deleted keys', async () => {
    const storage = new RedisStorage(replicaA);
    await storage.write({ a: { turns: [1, 2] }, b: { name: '伙伴' } });
    const items = await storage.read(['a', 'b', 'missing']);
    expect(items.a).toMatchObject({ turns: [1, 2] });
    expect(items.b).toMatchObject({ name: '伙伴' });
    expect(items.a.eTag).toEqual(expect.any(String));
    expect(items.a.eTag).not.toBe(items.b.eTag);
    expect(items).not.toHaveProperty('missing');

    await storage.delete(['a']);
    expect(Object.keys(await storage.read(['a', 'b']))).toEqual(['b']);
  });

  it('refuses a write carrying a stale eTag, from another replica, and writes nothing of that call', async () => {
    const onA = new RedisStorage(replicaA);
    const onB = new RedisStorage(replicaB);
    await onA.write({ conv: { n: 1 } });
    const seenByA = (await onA.read(['conv'])).conv;
    const seenByB = (await onB.read(['conv'])).conv;

    await onB.write({ conv: { ...seenByB, n: 2 } });
    await expect(onA.write({ conv: { ...seenByA, n: 3 }, other: { x: 1 } })).rejects.toThrow(StorageConflictError);
    await expect(onA.write({ conv: { ...seenByA, n: 3 } })).rejects.toThrow('Storage: error writing "conv" due to eTag conflict.');

    const now = await onA.read(['conv', 'other']);
    expect(now.conv.n).toBe(2);
    expect(now).not.toHaveProperty('other');
  });

  it('accepts the current eTag, "*" and no eTag, like MemoryStorage', async () => {
    const storage = new RedisStorage(replicaA);
    await storage.write({ k: { v: 1 } });
    const current = (await storage.read(['k'])).k;
    await storage.write({ k: { ...current, v: 2 } });
    await storage.write({ k: { v: 3, eTag: '*' } });
    await storage.write({ k: { v: 4 } });
    // A stale eTag on a key that does not exist yet is no conflict: there is nothing to overwrite.
    await storage.write({ fresh: { v: 1, eTag: 'stale' } });
    const items = await storage.read(['k', 'fresh']);
    expect(items.k.v).toBe(4);
    expect(items.fresh.v).toBe(1);
  });

  it('keeps its keys under the product prefix, so a shared Redis stays tidy', async () => {
    await new RedisStorage(replicaA).write({ 'memory/c1': { turns: [] } });
    expect(await replicaA.keys('*')).toEqual(['partnership-assistant:state:memory/c1']);
  });
});

describe('conversation memory across replicas', () => {
  it('reads on replica B the turns remembered on replica A', async () => {
    const memoryA = new ConversationMemory(new RedisStorage(replicaA));
    const memoryB = new ConversationMemory(new RedisStorage(replicaB));
    await memoryA.remember('conv-1', { question: '私营部门伙伴应遵守哪些原则？', answer: answerTo('私营部门伙伴应遵守哪些原则？') });

    const history = await memoryB.history('conv-1');
    expect(history).toHaveLength(1);
    expect(history[0].question).toBe('私营部门伙伴应遵守哪些原则？');
    expect(history[0].answer.citations[0].ref).toBe('A/RES/68/234，第13(c)段');
    expect(await memoryB.history('conv-2')).toEqual([]);

    await memoryB.remember('conv-1', { question: '第二个问题', answer: answerTo('第二个问题') });
    expect((await memoryA.history('conv-1')).map((t) => t.question)).toEqual(['私营部门伙伴应遵守哪些原则？', '第二个问题']);
  });

  it('is what createStorage gives with STATE_STORE=redis', async () => {
    const settings = loadSettings({ STATE_STORE: 'redis', REDIS_URL: server.url });
    const storage = createStorage(settings);
    expect(storage).toBeInstanceOf(RedisStorage);
    await new ConversationMemory(storage).remember('conv-3', { question: '问', answer: answerTo('问') });
    expect(await new ConversationMemory(new RedisStorage(replicaB)).history('conv-3')).toHaveLength(1);
  });
});

describe('feedback across replicas', () => {
  const entry = (rating: 'up' | 'down', question: string): FeedbackEntry => ({
    question,
    answer: '确保伙伴关系符合联合国的宗旨和原则。（A/RES/68/234，第13(c)段）',
    citations: [{ symbol: 'A/RES/68/234', paragraph: '13(c)' }],
    rating,
    channel: 'webchat',
    conversationId: 'conv-1',
    time: '2024-05-01T10:00:00.000Z',
  });

  it('lists on replica B, in order, the ratings recorded on A and B', async () => {
    const onA = new RedisFeedbackStore(replicaA);
    const onB = new RedisFeedbackStore(replicaB);
    await onA.record(entry('up', '问题一'));
    await onB.record(entry('down', '问题二'));
    expect((await onB.list()).map((e) => [e.rating, e.question])).toEqual([
      ['up', '问题一'],
      ['down', '问题二'],
    ]);
    expect(await onA.list()).toEqual(await onB.list());
  });

  it('refuses an invalid entry with a clear error and stores nothing', async () => {
    const store = new RedisFeedbackStore(replicaA);
    await expect(store.record({ ...entry('up', '问'), rating: 'meh' as 'up' })).rejects.toThrow(FeedbackError);
    expect(await store.list()).toEqual([]);
  });

  it('is what createFeedbackStore gives with STATE_STORE=redis', async () => {
    const settings = loadSettings({ STATE_STORE: 'redis', REDIS_URL: server.url });
    await createFeedbackStore(settings).record(entry('up', '问题三'));
    expect((await new RedisFeedbackStore(replicaB).list()).map((e) => e.question)).toEqual(['问题三']);
  });
});
