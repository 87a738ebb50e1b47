import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Settings } from '../config/settings.ts';
import { REDIS_KEY_PREFIX, sharedRedis } from './state/redis-client.ts';

export interface RateLimitDecision {
  allowed: boolean;
  /** When refused: whole seconds until a question will be accepted again (at least 1). */
  retryAfterSeconds?: number;
  /** When refused: whether this user asked too often, or everyone together did. */
  scope?: 'user' | 'global';
}

export interface RateLimits {
  /** Counts one question from `userKey` against both limits. */
  consume(userKey: string): Promise<RateLimitDecision>;
}

const WINDOW_SECONDS = 60;

/**
 * Per-user and global limits on questions per minute. With STATE_STORE=file the counters live in this process
 * (one machine); with STATE_STORE=redis (on the process's shared connection, or on `redis` when given) they
 * are shared, so N replicas together allow what one would.
 * If Redis becomes unreachable, each replica falls back to counting in memory rather than refusing everyone
 * or letting everyone through.
 */
export function createRateLimits(
  settings: Pick<Settings, 'RATE_LIMIT_USER_PER_MINUTE' | 'RATE_LIMIT_GLOBAL_PER_MINUTE'> & Partial<Pick<Settings, 'STATE_STORE' | 'REDIS_URL'>>,
  redis: Redis | undefined = settings.STATE_STORE === 'redis' && settings.REDIS_URL ? sharedRedis({ REDIS_URL: settings.REDIS_URL }) : undefined,
): RateLimits {
  const user = limiter('user', settings.RATE_LIMIT_USER_PER_MINUTE, redis);
  const global = limiter('global', settings.RATE_LIMIT_GLOBAL_PER_MINUTE, redis);
  return {
    async consume(userKey) {
      // The user's own limit first, so that one person hammering the bot does not use up everyone's budget.
      const refusedUser = await refusal(user.consume(userKey));
      if (refusedUser) return { allowed: false, retryAfterSeconds: refusedUser, scope: 'user' };
      const refusedGlobal = await refusal(global.consume('all'));
      if (refusedGlobal) {
        // Turned away for everyone's sake: this question should not count against the user's own minute.
        await user.reward(userKey).catch(() => undefined);
        return { allowed: false, retryAfterSeconds: refusedGlobal, scope: 'global' };
      }
      return { allowed: true };
    },
  };
}

function limiter(scope: 'user' | 'global', points: number, redis: Redis | undefined): RateLimiterAbstract {
  const options = { points, duration: WINDOW_SECONDS, keyPrefix: `${REDIS_KEY_PREFIX}rate:${scope}` };
  if (!redis) return new RateLimiterMemory(options);
  return new RateLimiterRedis({ ...options, storeClient: redis, insuranceLimiter: new RateLimiterMemory(options) });
}

/** Seconds to wait when the consumption was refused; undefined when it was allowed. */
async function refusal(consumption: Promise<RateLimiterRes>): Promise<number | undefined> {
  try {
    await consumption;
    return undefined;
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
    throw rejection;
  }
}
