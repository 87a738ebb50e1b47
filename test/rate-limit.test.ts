import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Redis } from 'ioredis';
import { createRateLimits } from '../bot/rate-limit.ts';
import { connectRedis } from '../bot/state/redis-client.ts';
import { startRedisServer, type TestRedis } from './support/redis-server.ts';

async function consumeTimes(limits: ReturnType<typeof createRateLimits>, user: string, times: number) {
  const decisions = [];
  for (let i = 0; i < times; i++) decisions.push(await limits.consume(user));
  return decisions;
}

describe('rate limits in one process', () => {
  it('refuses a user past the per-user limit, with a retry-after, while others still get through', async () => {
    const limits = createRateLimits({ RATE_LIMIT_USER_PER_MINUTE: 3, RATE_LIMIT_GLOBAL_PER_MINUTE: 100 });
    const decisions = await consumeTimes(limits, 'alice', 4);
    expect(decisions.slice(0, 3).every((d) => d.allowed)).toBe(true);
    expect(decisions[3]).toMatchObject({ allowed: false, scope: 'user' });
    expect(decisions[3].retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(decisions[3].retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(await limits.consume('bob')).toEqual({ allowed: true });
  });

  it('refuses everyone past the global limit, without charging the refused user', async () => {
    const limits = createRateLimits({ RATE_LIMIT_USER_PER_MINUTE: 2, RATE_LIMIT_GLOBAL_PER_MINUTE: 3 });
    expect((await consumeTimes(limits, 'alice', 2)).every((d) => d.allowed)).toBe(true);
    expect(await limits.consume('bob')).toEqual({ allowed: true });
    const refused = await limits.consume('carol');
    expect(refused).toMatchObject({ allowed: false, scope: 'global' });
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    // Had carol been charged for the refused question, her own limit would refuse her next one as 'user'.
    expect(await limits.consume('carol')).toMatchObject({ allowed: false, scope: 'global' });
  });
});

describe('rate limits shared through Redis', () => {
  let server: TestRedis;
  let replicaA: Redis;
  let replicaB: Redis;

  beforeAll(async () => {
    server = await startRedisServer();
    replicaA = connectRedis(server.url);
    replicaB = connectRedis(server.url);
  });

  afterAll(async () => {
    await Promise.all([replicaA?.quit(), replicaB?.quit()]);
    await server?.stop();
  });

  it('counts a user across two replicas as one', async () => {
    const settings = { RATE_LIMIT_USER_PER_MINUTE: 4, RATE_LIMIT_GLOBAL_PER_MINUTE: 100 };
    const onA = createRateLimits(settings, replicaA);
    const onB = createRateLimits(settings, replicaB);
    const decisions = [await onA.consume('dave'), await onB.consume('dave'), await onA.consume('dave'), await onB.consume('dave'), await onA.consume('dave')];
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, true, false]);
    expect(decisions[4]).toMatchObject({ scope: 'user' });
    expect(await onB.consume('dave')).toMatchObject({ allowed: false, scope: 'user' });
    expect(await onB.consume('erin')).toEqual({ allowed: true });
  });

  it('counts the global limit across two replicas as one', async () => {
    const settings = { RATE_LIMIT_USER_PER_MINUTE: 10, RATE_LIMIT_GLOBAL_PER_MINUTE: 3 };
    await replicaA.flushall();
    const onA = createRateLimits(settings, replicaA);
    const onB = createRateLimits(settings, replicaB);
    expect(await onA.consume('u1')).toEqual({ allowed: true });
    expect(await onB.consume('u2')).toEqual({ allowed: true });
    expect(await onA.consume('u3')).toEqual({ allowed: true });
    const refused = await onB.consume('u4');
    expect(refused).toMatchObject({ allowed: false, scope: 'global' });
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
  });
});
