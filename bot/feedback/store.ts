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
  /** Every recorded entry, oldest first. */
  list(): Promise<FeedbackEntry[]>;
}

export const feedbackEntrySchema = z.object({
  question: z.string(),
  answer: z.string(),
  citations: z.array(z.object({ symbol: z.string(), paragraph: z.string() })),
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

  async list(): Promise<FeedbackEntry[]> {
    await this.queue;
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const entries: FeedbackEntry[] = [];
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      if (!line.trim()) return;
      // A crash in the middle of a write can leave the last line cut short; that one line is skipped, not the file.
      const isLast = lines.slice(i + 1).every((rest) => !rest.trim());
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        if (isLast) return;
        throw new FeedbackError(`${this.file}:${i + 1}: not a JSON line`);
      }
      const parsed = feedbackEntrySchema.safeParse(value);
      if (!parsed.success) throw new FeedbackError(`${this.file}:${i + 1}: not a feedback entry (${parsed.error.issues[0]?.message})`);
      entries.push(parsed.data);
    });
    return entries;
  }

  private async append(line: Buffer): Promise<void> {
    await mkdir(dirname(this.file), { recursive: true });
    const handle = await open(this.file, 'a');
    try {
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
