import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSettings, type Settings } from '../../config/settings.ts';
import { ingestCorpus } from '../../ingest/build.ts';
import type { MemoryIndex } from '../../index/knowledge-index.ts';
import { openIndex } from '../../knowledge/open-index.ts';

/** The bundled corpus ingested into `dir`/index, a directory of the suite's own, opened as the server opens it. */
export async function bundledIndex(name: string): Promise<{ index: MemoryIndex; settings: Settings; dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `${name}-`));
  const settings = loadSettings({ CORPUS_DIR: 'corpus' });
  await ingestCorpus({ corpusDir: 'corpus', indexDir: join(dir, 'index'), settings });
  return { index: await openIndex(join(dir, 'index'), settings), settings, dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
