import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import type { Settings } from '../config/settings.ts';
import { fingerprint, type IndexManifest, type KnowledgeIndex } from '../index/knowledge-index.ts';
import { INDEX_FILES, servedIndexDir } from '../index/layout.ts';
import { openIndex } from './open-index.ts';
import { openPostgresIndex } from './open-postgres-index.ts';

/** Where the served index is published, and how to open what is published there. */
export interface IndexSource {
  /** The fingerprint of the index published now; undefined while it cannot be read (mid-swap, database down). */
  published(): Promise<string | undefined>;
  open(): Promise<KnowledgeIndex>;
  /** Lets go of what the source itself holds. */
  stop(): void;
}

/**
 * The file index in INDEX_DIR. Ingest switches the directory's `current` link only once the new index is
 * complete (index/atomic-write.ts), so a changed manifest there means a finished index; an interrupted
 * ingest changes nothing here. The new index's files are checked against their checksums as it opens.
 * Polling (rather than fs.watch) survives the link being replaced.
 */
export function fileSource(settings: Settings): IndexSource {
  return {
    published: async () => {
      try {
        return fingerprint(JSON.parse(await readFile(join(await servedIndexDir(settings.INDEX_DIR), INDEX_FILES.manifest), 'utf8')));
      } catch {
        // Mid-swap (or mid-write) the manifest can be missing or partial for a moment: look again later.
        return undefined;
      }
    },
    open: () => openIndex(settings.INDEX_DIR, settings),
    stop: () => {},
  };
}

/**
 * The index in PostgreSQL: `pa_state` names the generation an ingest published last. A replica keeps no
 * paragraphs, so taking the new generation costs what opening one costs (the document list and lexicon).
 */
export function postgresSource(url: string, settings: Settings): IndexSource {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  pool.on('error', () => {});
  return {
    published: async () => {
      try {
        const { rows } = await pool.query<{ manifest: IndexManifest }>('SELECT g.manifest FROM pa_state s JOIN pa_generations g USING (generation)');
        return rows[0] && fingerprint(rows[0].manifest);
      } catch {
        return undefined;
      }
    },
    open: () => openPostgresIndex(url, settings),
    stop: () => void pool.end(),
  };
}
