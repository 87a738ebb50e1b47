import type { Logger } from 'pino';
import type { Assistant } from '../core/answer.ts';
import { fingerprint, type KnowledgeIndex } from '../index/knowledge-index.ts';
import type { IndexSource } from '../knowledge/index-source.ts';

/** An Assistant whose underlying assistant can be replaced while it serves; each question uses one, whole. */
export class SwappableAssistant implements Assistant {
  constructor(private current: Assistant) {}

  ask: Assistant['ask'] = (question, options) => this.current.ask(question, options);
  documents: Assistant['documents'] = () => this.current.documents();

  swap(next: Assistant): void {
    this.current = next;
  }
}

export interface IndexReloaderOptions {
  source: IndexSource;
  /** The index being served now. */
  index: KnowledgeIndex;
  target: SwappableAssistant;
  /** Builds the assistant for a newly opened index, as at start. */
  assistantFor: (index: KnowledgeIndex) => Assistant;
  logger: Logger;
  intervalMs: number;
}

export interface IndexReloader {
  /** Looks once for a new index and swaps it in; resolves to whether it did. */
  check(): Promise<boolean>;
  stop(): void;
}

/** Questions under way on a replaced index finish on it before it lets go of its database connections. */
const RETIRE_AFTER_MS = 60_000;

/**
 * Gives a running server the index that `npm run ingest` builds or publishes, without a restart. The new
 * index is opened fully before the swap, and opening yields to the event loop throughout, so questions
 * keep being answered from the old index meanwhile; one that fails to open is logged and the one being
 * served stays (and is not tried again until something newer is published).
 */
export function watchIndex(options: IndexReloaderOptions): IndexReloader {
  const { source, logger } = options;
  let index = options.index;
  let rejected: string | undefined;
  let running: Promise<boolean> | undefined;

  const look = async (): Promise<boolean> => {
    const seen = await source.published();
    if (seen === undefined || seen === fingerprint(index.manifest) || seen === rejected) return false;
    try {
      const next = await source.open();
      options.target.swap(options.assistantFor(next));
      const old = index;
      setTimeout(() => void old.close(), RETIRE_AFTER_MS).unref();
      index = next;
      logger.info({ documents: next.documents.length, paragraphs: next.manifest.paragraphs, builtAt: next.manifest.builtAt }, 'new index swapped in');
      return true;
    } catch (error) {
      rejected = seen;
      logger.error({ err: error }, 'a new index appeared but cannot be opened; still serving the previous one');
      return false;
    }
  };

  const check = () => (running ??= look().finally(() => (running = undefined)));
  const timer = options.intervalMs > 0 ? setInterval(() => void check(), options.intervalMs) : undefined;
  timer?.unref();
  return {
    check,
    stop: () => {
      clearInterval(timer);
      source.stop();
    },
  };
}
