import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Storage, StoreItem, StoreItems } from 'botbuilder';

/**
 * botbuilder `Storage` for one machine: every item lives in memory, and every change is appended to a
 * journal file before the call returns, as one line written with one write(2). A turn that was
 * acknowledged has therefore reached the operating system and survives the process being killed (kill -9);
 * nothing is rewritten or renamed per turn. When the journal has grown past `compactBytes`, and when the
 * store is opened, the items are written to a snapshot (temporary file, fsync, rename) and the journal is
 * emptied. Replaying a journal over a snapshot is idempotent, so a crash at any point of a compaction
 * loses nothing. A last line cut short by a crash is a change that was never acknowledged, and is skipped.
 *
 * One process owns a directory at a time (STATE_STORE=file is for one machine; replicas use Redis).
 * eTags follow botbuilder's MemoryStorage semantics.
 */

const SNAPSHOT = 'state.json';
const JOURNAL = 'state.journal';
const DEFAULT_COMPACT_BYTES = 64 * 2 ** 20;
const LEGACY_ITEM_FILE = /^[0-9a-f]{64}\.json$/;

interface Change {
  k: string;
  /** The stored item, or null for a deletion. */
  v: StoreItem | null;
}

/** An item as JSON, its eTag alongside: a read parses a private copy, a write serialises once for memory and journal alike. */
interface Held {
  json: string;
  eTag: string;
}

export class JournalStorage implements Storage {
  private readonly items = new Map<string, Held>();
  private journal: number;
  private journalBytes = 0;
  private readonly legacyFiles: string[] = [];

  constructor(
    private readonly dir: string,
    private readonly compactBytes = DEFAULT_COMPACT_BYTES,
  ) {
    mkdirSync(dir, { recursive: true });
    this.load();
    this.journal = openSync(join(dir, JOURNAL), 'a');
    this.compact();
  }

  async read(keys: string[]): Promise<StoreItems> {
    const found: StoreItems = {};
    for (const key of keys) {
      const held = this.items.get(key);
      if (held !== undefined) found[key] = JSON.parse(held.json);
    }
    return found;
  }

  async write(changes: StoreItems): Promise<void> {
    const entries = Object.entries(changes);
    for (const [key, change] of entries) {
      const expected = (change as StoreItem).eTag;
      const current = this.items.get(key);
      if (expected && expected !== '*' && current && current.eTag !== expected) throw new Error(`Storage: error writing "${key}" due to eTag conflict.`);
    }
    const stored = entries.map(([key, change]) => {
      const eTag = randomUUID();
      return { key, held: { json: JSON.stringify({ ...(change as StoreItem), eTag }), eTag } };
    });
    this.append(stored.map(({ key, held }) => `{"k":${JSON.stringify(key)},"v":${held.json}}\n`));
    for (const { key, held } of stored) this.items.set(key, held);
  }

  async delete(keys: string[]): Promise<void> {
    const present = keys.filter((key) => this.items.has(key));
    if (present.length === 0) return;
    this.append(present.map((k) => `${JSON.stringify({ k, v: null } satisfies Change)}\n`));
    for (const key of present) this.items.delete(key);
  }

  /** Writes the last snapshot and closes the journal; the store cannot be used afterwards. */
  close(): void {
    this.compact();
    closeSync(this.journal);
  }

  private append(lines: string[]): void {
    const line = Buffer.from(lines.join(''), 'utf8');
    let written = 0;
    while (written < line.length) written += writeSync(this.journal, line, written);
    this.journalBytes += line.length;
    if (this.journalBytes >= this.compactBytes) this.compact();
  }

  private load(): void {
    const snapshot = join(this.dir, SNAPSHOT);
    if (existsSync(snapshot)) {
      const items = JSON.parse(readFileSync(snapshot, 'utf8')) as Record<string, StoreItem>;
      for (const [key, item] of Object.entries(items)) this.hold(key, item);
    } else {
      this.importItemFiles();
    }
    const journal = join(this.dir, JOURNAL);
    if (!existsSync(journal)) return;
    const lines = readFileSync(journal, 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (!line) return;
      let change: Change;
      try {
        change = JSON.parse(line) as Change;
      } catch (error) {
        if (i === lines.length - 1) return;
        throw new Error(`${journal}:${i + 1}: not a journal line (${(error as Error).message}); the state directory is damaged`);
      }
      if (change.v === null) this.items.delete(change.k);
      else this.hold(change.k, change.v);
    });
  }

  // Earlier versions kept one `<sha256>.json` file ({key, item}) per item in the same directory. They are
  // read once, when there is no snapshot yet, and removed once the first snapshot holds them.
  private importItemFiles(): void {
    for (const name of readdirSync(this.dir).filter((n) => LEGACY_ITEM_FILE.test(n))) {
      const { key, item } = JSON.parse(readFileSync(join(this.dir, name), 'utf8')) as { key: string; item: StoreItem };
      this.hold(key, item);
      this.legacyFiles.push(name);
    }
  }

  private hold(key: string, item: StoreItem): void {
    this.items.set(key, { json: JSON.stringify(item), eTag: item.eTag ?? '' });
  }

  private compact(): void {
    const snapshot = join(this.dir, SNAPSHOT);
    const temporary = `${snapshot}.${process.pid}.tmp`;
    const fd = openSync(temporary, 'w');
    try {
      writeSync(fd, `{${[...this.items].map(([key, held]) => `${JSON.stringify(key)}:${held.json}`).join(',')}}`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, snapshot);
    ftruncateSync(this.journal, 0);
    this.journalBytes = 0;
    for (const name of this.legacyFiles.splice(0)) rmSync(join(this.dir, name), { force: true });
  }
}
