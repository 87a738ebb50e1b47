import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';

/**
 * Replaces an index directory as a whole: the new index is built in a sibling temporary directory and
 * swapped in by rename only once complete, so a failed or killed ingest leaves the previous index
 * exactly as it was and readers never see a half-written one.
 */

const TEMP_MARK = '.building-';
const OLD_MARK = '.replaced-';

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Cleans up after an ingest that was killed: removes abandoned temporary builds and, if the process
 * died between the two renames of a swap, puts the previous index back.
 */
export async function recoverIndexDirectory(indexDir: string): Promise<void> {
  const target = resolve(indexDir);
  const parent = dirname(target);
  const name = basename(target);
  let entries: string[];
  try {
    entries = await readdir(parent);
  } catch {
    return;
  }
  const old = entries.filter((e) => e.startsWith(name + OLD_MARK));
  if (!(await exists(target)) && old.length) await rename(join(parent, old.sort().at(-1)!), target);
  for (const e of entries) {
    if (e.startsWith(name + TEMP_MARK) || (e.startsWith(name + OLD_MARK) && (await exists(join(parent, e))))) {
      await rm(join(parent, e), { recursive: true, force: true });
    }
  }
}

/** Runs `build` on an empty temporary directory, then swaps it in for `indexDir`. */
export async function replaceDirectoryAtomically(indexDir: string, build: (tempDir: string) => Promise<void>): Promise<void> {
  const target = resolve(indexDir);
  const parent = dirname(target);
  await mkdir(parent, { recursive: true });
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const temp = join(parent, `${basename(target)}${TEMP_MARK}${suffix}`);
  await mkdir(temp);
  try {
    await build(temp);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
  const old = join(parent, `${basename(target)}${OLD_MARK}${suffix}`);
  const hadOld = await exists(target);
  if (hadOld) await rename(target, old);
  try {
    await rename(temp, target);
  } catch (error) {
    if (hadOld) await rename(old, target);
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
  if (hadOld) await rm(old, { recursive: true, force: true });
}
