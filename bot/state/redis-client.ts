import { Redis } from 'ioredis';
import type { Settings } from '../../config/settings.ts';

/**
 * One Redis connection per process, shared by conversation state, feedback and rate limits
 * (STATE_STORE=redis), so that a replica holds a single socket to Redis however many stores use it.
 */

let shared: { url: string; client: Redis } | undefined;

/** Prefix of every key this product writes, so that a Redis shared with other applications stays tidy. */
export const REDIS_KEY_PREFIX = 'partnership-assistant:';

/** The process's Redis connection for `settings.REDIS_URL`, opened on first use. */
export function sharedRedis(settings: Pick<Settings, 'REDIS_URL'>): Redis {
  if (shared && shared.url !== settings.REDIS_URL) {
    throw new Error(`Redis is already connected to ${redactUrl(shared.url)}; one process uses one REDIS_URL.`);
  }
  if (!shared) shared = { url: settings.REDIS_URL, client: connectRedis(settings.REDIS_URL) };
  return shared.client;
}

/** A new connection; callers that own it must `quit()` it. */
export function connectRedis(url: string): Redis {
  // A few retries per command, then an error, rather than ioredis's default of queueing a user's turn
  // for as long as Redis is away; reconnection itself goes on in the background.
  return new Redis(url, { maxRetriesPerRequest: 2, connectTimeout: 5_000 });
}

/** Closes the shared connection (on shutdown), letting queued commands finish first. */
export async function closeSharedRedis(): Promise<void> {
  const current = shared;
  shared = undefined;
  if (!current) return;
  try {
    await current.client.quit();
  } catch {
    current.client.disconnect();
  }
}

/** The URL without its password, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparseable REDIS_URL)';
  }
}
