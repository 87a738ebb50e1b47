import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Storage, StoreItem, StoreItems } from 'botbuilder';

/**
 * botbuilder `Storage` kept as one JSON file per key, so that conversation state survives a restart
 * on a single machine. Writes go through a temporary file and a rename, so a crash never leaves a
 * half-written item; operations on the same key are serialised within the process, so concurrent
 * turns cannot interleave a read-check-write. eTags follow botbuilder's MemoryStorage semantics.
 */
export class FileStorage implements Storage {
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(private readonly dir: string) {}

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {};
    await Promise.all(
      keys.map((key) =>
        this.exclusive(key, async () => {
          const item = await this.load(key);
          if (item !== undefined) items[key] = item;
        }),
      ),
    );
    return items;
  }

  async write(changes: StoreItems): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await Promise.all(
      Object.entries(changes).map(([key, change]) =>
        this.exclusive(key, async () => {
          const next = change as StoreItem;
          if (next.eTag && next.eTag !== '*') {
            const current = await this.load(key);
            if (current && current.eTag !== next.eTag) throw new Error(`Storage: error writing "${key}" due to eTag conflict.`);
          }
          const stored = { ...next, eTag: randomUUID() };
          const file = this.fileFor(key);
          const temporary = `${file}.${process.pid}.${randomUUID()}.tmp`;
          await writeFile(temporary, JSON.stringify({ key, item: stored }), 'utf8');
          await rename(temporary, file);
        }),
      ),
    );
  }

  async delete(keys: string[]): Promise<void> {
    await Promise.all(keys.map((key) => this.exclusive(key, () => rm(this.fileFor(key), { force: true }))));
  }

  private async load(key: string): Promise<StoreItem | undefined> {
    let raw: string;
    try {
      raw = await readFile(this.fileFor(key), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    return (JSON.parse(raw) as { item: StoreItem }).item;
  }

  // Keys are arbitrary strings (conversation ids carry ':' and '/'); a hash makes a safe, fixed-length name.
  private fileFor(key: string): string {
    return join(this.dir, `${createHash('sha256').update(key).digest('hex')}.json`);
  }

  private exclusive<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(key) ?? Promise.resolve();
    const run = previous.then(work, work);
    const settled = run.catch(() => undefined);
    this.queues.set(key, settled);
    void settled.then(() => {
      if (this.queues.get(key) === settled) this.queues.delete(key);
    });
    return run;
  }
}
