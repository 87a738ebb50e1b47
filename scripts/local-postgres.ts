import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, printed, stopChild } from './server-process.ts';

/**
 * A throwaway PostgreSQL server from the Debian `postgresql` package, on 127.0.0.1 in a temp dir: what
 * the tests and `npm run db:dev` run against. PostgreSQL refuses to run as root, so under root (CI
 * containers) it runs as the package's `postgres` user.
 */
export interface LocalPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const INSTALL_HINT =
  'This needs a real PostgreSQL server (Debian package "postgresql"), and no initdb/postgres was found.\n' +
  'Install it with: apt-get install -y postgresql   (scripts/install-system-packages.sh does, before the tests).';

function binDir(): string | undefined {
  const found = spawnSync('sh', ['-c', 'ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1'], { encoding: 'utf8' }).stdout.trim();
  if (found) return found;
  return spawnSync('pg_config', ['--bindir'], { encoding: 'utf8' }).stdout?.trim() || undefined;
}

function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) throw new Error('running as root, and there is no "postgres" user to run PostgreSQL as');
  return { uid, gid };
}

export async function startLocalPostgres(): Promise<LocalPostgres> {
  const bin = binDir();
  if (!bin) throw new Error(INSTALL_HINT);
  const user = runAs();
  const dir = await mkdtemp(join(tmpdir(), 'postgres-'));
  if (user) await chown(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  const init = spawnSync(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync'], { encoding: 'utf8', ...user });
  if (init.status !== 0) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${init.error?.message ?? init.stderr}`);
  }
  // The free-port probe and the server's bind can race with another process; a few tries settle it.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child = spawn(
      join(bin, 'postgres'),
      ['-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${dir}`, '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'],
      { stdio: ['ignore', 'pipe', 'pipe'], ...user },
    );
    // A test runner killed on a timeout must not leave the server behind: SIGQUIT is the immediate shutdown.
    const orphanGuard = () => child.kill('SIGQUIT');
    process.once('exit', orphanGuard);
    try {
      await printed(child, 'postgres', 'ready to accept connections', 20_000);
      return {
        url: `postgres://postgres@127.0.0.1:${port}/postgres`,
        port,
        async stop() {
          process.off('exit', orphanGuard);
          // SIGINT: PostgreSQL's fast shutdown (SIGTERM waits for clients to leave).
      await stopChild(child, 'SIGINT');
          await rm(dir, { recursive: true, force: true });
        },
      };
    } catch (error) {
      process.off('exit', orphanGuard);
      await stopChild(child, 'SIGINT');
      if (attempt >= 3) {
        await rm(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
}
