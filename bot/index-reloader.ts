import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { Settings } from '../config/settings.ts';
import type { Assistant } from '../core/answer.ts';
import type { KnowledgeIndex } from '../index/knowledge-index.ts';
import { INDEX_FILES, servedIndexDir } from '../index/layout.ts';
import { openIndex } from '../knowledge/open-index.ts';

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
  settings: Pick<Settings, 'INDEX_DIR'> & Settings;
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

/**
 * Gives a running server the index that `npm run ingest` builds, without a restart. Ingest switches the
 * index directory's `current` link only once the new index is complete (index/atomic-write.ts), so a
 * changed manifest there means a finished index; an interrupted ingest changes nothing here. The new
 * index is opened fully, its files checked against their checksums, before the swap, and opening yields
 * to the event loop throughout, so questions keep being answered from the old index meanwhile; one that
 * fails to open is logged and the one being served stays. Polling (rather than fs.watch) survives the
 * link being replaced.
 */
export function watchIndex(options: IndexReloaderOptions): IndexReloader {
  const { settings, logger } = options;
  let served = fingerprint(options.index.manifest);
  let rejected: string | undefined;
  let running: Promise<boolean> | undefined;

  const look = async (): Promise<boolean> => {
    let seen: string;
    try {
      seen = fingerprint(JSON.parse(await readFile(join(await servedIndexDir(settings.INDEX_DIR), INDEX_FILES.manifest), 'utf8')));
    } catch {
      // Mid-swap (or mid-write) the manifest can be missing or partial for a moment: look again later.
      return false;
    }
    if (seen === served || seen === rejected) return false;
    try {
      const index = await openIndex(settings.INDEX_DIR, settings);
      options.target.swap(options.assistantFor(index));
      served = fingerprint(index.manifest);
      logger.info({ documents: index.documents.length, paragraphs: index.manifest.paragraphs, builtAt: index.manifest.builtAt }, 'new index swapped in');
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
  return { check, stop: () => clearInterval(timer) };
}

function fingerprint(manifest: { builtAt?: unknown; corpusHash?: unknown }): string {
  return `${String(manifest.builtAt)}|${String(manifest.corpusHash)}`;
}
