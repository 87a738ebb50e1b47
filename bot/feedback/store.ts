import { mkdir, open, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { Settings } from '../../config/settings.ts';
import { sharedRedis } from '../state/redis-client.ts';
import { RedisFeedbackStore } from './redis-feedback-store.ts';

/**
 * Every 👍/👎 a channel receives. The answer and its citations are copied in at the time of the rating,
 * so that the summary shows what the person actually saw even after the index has been rebuilt.
 */
export interface FeedbackEntry {
  question: string;
  answer: string;
  citations: { symbol: string; paragraph: string }[];
  /** The rated message as its channel names it (Teams reply id, Slack "channel:ts"): one rating per user and answer counts. */
  answerId?: string;
  rating: 'up' | 'down';
  comment?: string;
  /** "slack", "msteams", "webchat", … */
  channel: string;
  conversationId?: string;
  userId?: string;
  /** ISO timestamp of the rating. */
  time: string;
}

export interface FeedbackStore {
  record(entry: FeedbackEntry): Promise<void>;
  /** Every whole recorded entry, oldest first; each damaged record is skipped and described to `onDamaged`. */
  list(onDamaged?: (problem: string) => void): Promise<FeedbackEntry[]>;
}

export const feedbackEntrySchema = z.object({
  question: z.string(),
  answer: z.string(),
  citations: z.array(z.object({ symbol: z.string(), paragraph: z.string() })),
  answerId: z.string().optional(),
  rating: z.enum(['up', 'down']),
  comment: z.string().optional(),
  channel: z.string().min(1),
  conversationId: z.string().optional(),
  userId: z.string().optional(),
  time: z.string().min(1),
});

export class FeedbackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FeedbackError';
  }
}

/** The store the settings select. With STATE_STORE=file (the default): `${DATA_DIR}/feedback.jsonl`. */
export function createFeedbackStore(settings: Pick<Settings, 'DATA_DIR'> & Partial<Pick<Settings, 'STATE_STORE' | 'REDIS_URL'>>): FeedbackStore {
  if (settings.STATE_STORE === 'redis' && settings.REDIS_URL) return new RedisFeedbackStore(sharedRedis({ REDIS_URL: settings.REDIS_URL }));
  return new JsonlFeedbackStore(join(settings.DATA_DIR, 'feedback.jsonl'));
}

/**
 * One JSON line per rating, only ever appended. Each entry is written with a single write on a file opened
 * with O_APPEND, so concurrent writers (several requests, or a CLI next to the server) never interleave
 * inside a line; within this process writes are also queued so their order is the order of `record` calls.
 * A record is whole or absent: one cut short (a crash or a full disk mid-write) is ended with a line
 * break before the next is appended, so it stays a damaged line of its own, which the reader skips and
 * reports, and never swallows the next rating.
 */
export class JsonlFeedbackStore implements FeedbackStore {
  private queue: Promise<void> = Promise.resolve();

  constructor(readonly file: string) {}

  record(entry: FeedbackEntry): Promise<void> {
    const parsed = feedbackEntrySchema.safeParse(entry);
    if (!parsed.success) {
      return Promise.reject(new FeedbackError(`Invalid feedback entry: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`));
    }
    const line = Buffer.from(`${JSON.stringify(parsed.data)}\n`, 'utf8');
    const write = this.queue.then(() => this.append(line));
    this.queue = write.catch(() => undefined);
    return write;
  }

  async list(onDamaged: (problem: string) => void = () => {}): Promise<FeedbackEntry[]> {
    await this.queue;
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const entries: FeedbackEntry[] = [];
    text.split('\n').forEach((line, i) => {
      if (!line.trim()) return;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        onDamaged(`${this.file}:${i + 1}: not a JSON line (a record cut short?); skipped`);
        return;
      }
      const parsed = feedbackEntrySchema.safeParse(value);
      if (parsed.success) entries.push(parsed.data);
      else onDamaged(`${this.file}:${i + 1}: not a feedback entry (${parsed.error.issues[0]?.message}); skipped`);
    });
    return entries;
  }

  private async append(record: Buffer): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    const handle = await open(this.file, 'a+');
    try {
      const { size } = await handle.stat();
      const last = Buffer.alloc(1);
      if (size > 0) await handle.read(last, 0, 1, size - 1);
      // A previous write cut short left no line break: end that line first, in the same write.
      const line = size > 0 && last[0] !== 0x0a ? Buffer.concat([Buffer.from('\n'), record]) : record;
      let written = 0;
      while (written < line.length) {
        const { bytesWritten } = await handle.write(line, written);
        written += bytesWritten;
      }
    } finally {
      await handle.close();
    }
  }
}
