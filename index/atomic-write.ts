import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readlink, rename, rm, symlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CURRENT_LINK, INDEX_FILES } from './layout.ts';

/**
 * An index directory holds versions of the index, each in a directory of its own (`v-…`), and `current`,
 * a symbolic link to the version being served. A new index is written into a new version and put in
 * service by renaming a fresh link over `current`: one atomic step, so a process killed at any point
 * leaves `current` on one complete index, the previous one or the new one. What a killed ingest leaves
 * behind (an unfinished version, a link not yet renamed) and versions no longer current are removed by
 * the next one.
 */

const VERSION_PREFIX = 'v-';
const LINK_PREFIX = `${CURRENT_LINK}.tmp-`;
/** Versions this process is writing now; another process's are recognised by its id in their name. */
const building = new Set<string>();

export interface ReplaceResult {
  /** What could not be cleaned up after the new index was put in service (it is served all the same). */
  warnings: string[];
}

/**
 * Runs `build` on a new, empty version directory, then serves it. Throws, leaving the previous index
 * served and unchanged, if `build` or the switch fails; once switched, failures to remove what the new
 * index replaced are only warnings.
 */
export async function replaceIndexAtomically(indexDir: string, build: (versionDir: string) => Promise<void>): Promise<ReplaceResult> {
  const root = resolve(indexDir);
  await mkdir(root, { recursive: true });
  const suffix = `${Date.now().toString(36)}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const version = `${VERSION_PREFIX}${suffix}`;
  const link = join(root, `${LINK_PREFIX}${suffix}`);
  building.add(version);
  try {
    await mkdir(join(root, version));
    await build(join(root, version));
    await symlink(version, link);
    await rename(link, join(root, CURRENT_LINK));
  } catch (error) {
    await rm(link, { force: true }).catch(() => undefined);
    await rm(join(root, version), { recursive: true, force: true }).catch(() => undefined);
    throw error;
  } finally {
    building.delete(version);
  }
  return { warnings: await removeLeftovers(root) };
}

/**
 * Removes what is not the served index: versions other than the current one (except those another live
 * process is still writing), links left by a killed swap, and the files of the single-directory layout
 * that versioned directories replaced. Returns what could not be removed.
 */
export async function removeLeftovers(indexDir: string): Promise<string[]> {
  const root = resolve(indexDir);
  const entries = await readdir(root).catch(() => [] as string[]);
  const current = await readlink(join(root, CURRENT_LINK)).catch(() => undefined);
  const legacy = new Set<string>(Object.values(INDEX_FILES));
  const leftovers = entries.filter((name) => {
    if (name.startsWith(LINK_PREFIX)) return !writerAlive(name.slice(LINK_PREFIX.length));
    if (name.startsWith(VERSION_PREFIX)) return name !== current && !building.has(name) && !writerAlive(name.slice(VERSION_PREFIX.length));
    return current !== undefined && legacy.has(name);
  });
  const warnings: string[] = [];
  for (const name of leftovers) {
    await rm(join(root, name), { recursive: true, force: true }).catch((error: NodeJS.ErrnoException) =>
      warnings.push(`could not remove ${join(root, name)} (${error.code ?? error.message}); the next ingest tries again`),
    );
  }
  return warnings;
}

/** Whether the process named in a version or link suffix ("<time>-<pid>-<random>") other than this one still runs. */
function writerAlive(suffix: string): boolean {
  const pid = Number(suffix.split('-')[1]);
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
