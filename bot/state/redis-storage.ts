import { randomUUID } from 'node:crypto';
import type { Storage, StoreItems } from 'botbuilder';
import type { Redis } from 'ioredis';
import { REDIS_KEY_PREFIX } from './redis-client.ts';

/**
 * Bot Framework `Storage` on Redis, so that every replica behind a load balancer sees the same
 * conversation state. Semantics follow botbuilder's MemoryStorage: a write carrying the eTag of an older
 * version is refused ("last writer loses"), a missing eTag or "*" overwrites, and every write gets a new eTag.
 * Each item is a hash {eTag, item}; the check and the writes of one `write` call happen in one Lua script,
 * so two replicas writing the same conversation at once cannot both succeed, and a refused call writes nothing.
 */

// KEYS: the items' keys. ARGV: for each key, the expected eTag ('' or '*' for none), the new eTag, the item's JSON.
const WRITE_IF_UNCHANGED = `
for i, key in ipairs(KEYS) do
  local expected = ARGV[i * 3 - 2]
  if expected ~= '' and expected ~= '*' then
    local current = redis.call('HGET', key, 'eTag')
    if current and current ~= expected then return key end
  end
end
for i, key in ipairs(KEYS) do
  redis.call('HSET', key, 'eTag', ARGV[i * 3 - 1], 'item', ARGV[i * 3])
end
return false
`;

export class StorageConflictError extends Error {
  constructor(readonly key: string) {
    super(`Storage: error writing "${key}" due to eTag conflict.`);
    this.name = 'StorageConflictError';
  }
}

export class RedisStorage implements Storage {
  private readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    options: { namespace?: string } = {},
  ) {
    this.prefix = `${REDIS_KEY_PREFIX}${options.namespace ?? 'state'}:`;
  }

  async read(keys: string[]): Promise<StoreItems> {
    if (!keys) throw new ReferenceError('Keys are required when reading.');
    if (keys.length === 0) return {};
    const pipeline = this.redis.pipeline();
    for (const key of keys) pipeline.hmget(this.prefix + key, 'eTag', 'item');
    const replies = (await pipeline.exec()) ?? [];
    const items: StoreItems = {};
    replies.forEach(([error, reply], i) => {
      if (error) throw error;
      const [eTag, item] = reply as [string | null, string | null];
      if (item === null) return;
      items[keys[i]] = { ...JSON.parse(item), eTag };
    });
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    if (!changes) throw new ReferenceError('Changes are required when writing.');
    const keys = Object.keys(changes);
    if (keys.length === 0) return;
    const args: string[] = [];
    for (const key of keys) {
      const { eTag, ...item } = (changes[key] ?? {}) as { eTag?: string };
      args.push(eTag ?? '', randomUUID(), JSON.stringify(item));
    }
    const conflict = (await this.redis.eval(WRITE_IF_UNCHANGED, keys.length, ...keys.map((k) => this.prefix + k), ...args)) as string | null;
    if (conflict) throw new StorageConflictError(conflict.slice(this.prefix.length));
  }

  async delete(keys: string[]): Promise<void> {
    if (!keys) throw new ReferenceError('Keys are required when deleting.');
    if (keys.length === 0) return;
    await this.redis.del(...keys.map((k) => this.prefix + k));
  }
}
