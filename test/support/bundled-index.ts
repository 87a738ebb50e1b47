import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { loadSettings, type Settings } from '../../config/settings.ts';
import { ingestCorpus } from '../../ingest/build.ts';
import type { MemoryIndex } from '../../index/knowledge-index.ts';
import { openIndex } from '../../knowledge/open-index.ts';

/**
 * Puts a copy of the run's bundled index (global-setup.ts) at `indexDir`, so that the suite's own
 * ingest of the bundled corpus finds it up to date instead of building it again: the ingest still
 * runs and still decides, so different settings (model embeddings) or a changed corpus rebuild.
 */
export async function seedBundledIndex(indexDir: string): Promise<void> {
  await cp(inject('bundledIndexDir'), indexDir, { recursive: true, verbatimSymlinks: true });
}

/** `corpusDir` ingested into `indexDir` over a copy of the bundled index, and opened as the server opens it. */
export async function ingestedIndex(corpusDir: string, indexDir: string, settings: Settings = loadSettings({})): Promise<MemoryIndex> {
  await seedBundledIndex(indexDir);
  await ingestCorpus({ corpusDir, indexDir, settings });
  return openIndex(indexDir, settings);
}

/** The bundled corpus ingested into `dir`/index, a directory of the suite's own, opened as the server opens it. */
export async function bundledIndex(name: string): Promise<{ index: MemoryIndex; settings: Settings; dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `${name}-`));
  const settings = loadSettings({ CORPUS_DIR: 'corpus' });
  return { index: await ingestedIndex('corpus', join(dir, 'index'), settings), settings, dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
