import { join } from 'node:path';
import pg from 'pg';
import type { Settings } from '../../config/settings.ts';
import { createModelEmbeddings } from '../embeddings/factory.ts';
import { fingerprint } from '../knowledge-index.ts';
import { checkedFiles, INDEX_FILES, readDocumentsFile, readLexicalFile, readLexiconData, readManifestFile, readParagraphsFile, servedIndexDir } from '../layout.ts';
import { publishIndex } from './publish.ts';

/**
 * With DATABASE_URL the ingest builds the index as always (INDEX_DIR keeps the parse cache that makes
 * re-ingests incremental) and then publishes it to PostgreSQL as a new generation, unless the current
 * generation already is this build.
 */
export async function publishDirectory(indexDir: string, url: string, settings: Settings): Promise<{ generation: number; published: boolean }> {
  // Resolved once: an ingest swapping in the next version meanwhile cannot mix two into one generation.
  const dir = await servedIndexDir(indexDir);
  const manifest = await readManifestFile(dir);
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  pool.on('error', () => {});
  try {
    const current = await pool
      .query<{ generation: string; builtAt: string; corpusHash: string }>(
        `SELECT g.generation, g.manifest->>'builtAt' AS "builtAt", g.manifest->>'corpusHash' AS "corpusHash" FROM pa_state JOIN pa_generations g USING (generation)`,
      )
      .catch(() => ({ rows: [] }));
    const row = current.rows[0];
    if (row && fingerprint(row) === fingerprint(manifest)) return { generation: Number(row.generation), published: false };
    // Each file is checked against its checksum as it is read, once, and all before anything is written.
    const files = checkedFiles(dir, manifest);
    const [documents, paragraphs, lexical, lexicon] = await Promise.all([
      readDocumentsFile(dir, files),
      readParagraphsFile(dir, files),
      readLexicalFile(dir, files),
      readLexiconData(dir, files),
    ]);
    // The files no reader above took (the vectors) are checked before hnswlib parses them.
    await files.rest();
    const vectors = manifest.embeddings.dimension > 0 ? await readVectors(dir, settings) : undefined;
    return { generation: await publishIndex(pool, { manifest, documents, paragraphs, lexical, lexicon, vectors }), published: true };
  } finally {
    await pool.end();
  }
}

/** The build's vectors in paragraph order (the order the ingest added them in). */
async function readVectors(dir: string, settings: Settings): Promise<number[][]> {
  const embeddings = await createModelEmbeddings(settings);
  if (!embeddings) throw new Error('the index holds model vectors, but the settings select no embedding model');
  const { HnswVectorStore } = await import('../vector-store.ts');
  const store = await HnswVectorStore.load(join(dir, INDEX_FILES.vectors), embeddings);
  return Array.from({ length: store.size }, (_, i) => store.vectorAt(i)!);
}
