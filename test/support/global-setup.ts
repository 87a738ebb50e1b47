import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The bundled corpus's offline index, built once per run: suites copy it (bundled-index.ts) rather than each segmenting the corpus again. */
    bundledIndexDir: string;
  }
}

/** Builds in its own Node process: vitest's module runner has no `import.meta.resolve`, which finds the dictionary's data. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = await mkdtemp(join(tmpdir(), 'bundled-index-'));
  const indexDir = join(dir, 'index');
  await promisify(execFile)(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'build-bundled-index.ts'), indexDir], { cwd: join(import.meta.dirname, '..', '..') });
  project.provide('bundledIndexDir', indexDir);
  return () => rm(dir, { recursive: true, force: true });
}
