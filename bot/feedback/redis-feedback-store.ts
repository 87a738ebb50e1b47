import type { Redis } from 'ioredis';
import { REDIS_KEY_PREFIX } from '../state/redis-client.ts';
import { FeedbackError, feedbackEntrySchema, type FeedbackEntry, type FeedbackStore } from './store.ts';

/**
 * Feedback on a Redis list, so that a rating given through any replica is listed by every other.
 * RPUSH is atomic, so concurrent ratings from several replicas never interleave or overwrite each other,
 * and the list's order is the order in which Redis received them.
 */
export class RedisFeedbackStore implements FeedbackStore {
  readonly key: string;

  constructor(
    private readonly redis: Redis,
    options: { key?: string } = {},
  ) {
    this.key = options.key ?? `${REDIS_KEY_PREFIX}feedback`;
  }

  async record(entry: FeedbackEntry): Promise<void> {
    const parsed = feedbackEntrySchema.safeParse(entry);
    if (!parsed.success) {
      throw new FeedbackError(`Invalid feedback entry: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    await this.redis.rpush(this.key, JSON.stringify(parsed.data));
  }

  async list(onDamaged: (problem: string) => void = () => {}): Promise<FeedbackEntry[]> {
    const lines = await this.redis.lrange(this.key, 0, -1);
    const entries: FeedbackEntry[] = [];
    lines.forEach((line, i) => {
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        onDamaged(`Redis ${this.key}[${i}]: not JSON; skipped`);
        return;
      }
      const parsed = feedbackEntrySchema.safeParse(value);
      if (parsed.success) entries.push(parsed.data);
      else onDamaged(`Redis ${this.key}[${i}]: not a feedback entry (${parsed.error.issues[0]?.message}); skipped`);
    });
    return entries;
  }
}
