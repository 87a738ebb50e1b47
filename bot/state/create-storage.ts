import { join } from 'node:path';
import type { Storage } from 'botbuilder';
import type { Settings } from '../../config/settings.ts';
import { JournalStorage } from './journal-storage.ts';
import { sharedRedis } from './redis-client.ts';
import { RedisStorage } from './redis-storage.ts';

/** The conversation-state store the settings select: `file` under DATA_DIR/state (one machine), or Redis (replicas). */
export function createStorage(settings: Pick<Settings, 'STATE_STORE' | 'DATA_DIR' | 'REDIS_URL'>): Storage {
  switch (settings.STATE_STORE) {
    case 'file':
      return new JournalStorage(join(settings.DATA_DIR, 'state'));
    case 'redis':
      return new RedisStorage(sharedRedis(settings));
  }
}
