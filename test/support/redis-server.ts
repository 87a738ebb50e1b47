import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, printed, stopChild } from '../../scripts/server-process.ts';

/** A throwaway Debian `redis-server` on 127.0.0.1, in a temp dir, with no persistence. */
export interface TestRedis {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const INSTALL_HINT =
  'These tests need a real redis-server (Debian package "redis-server"), and none is on PATH.\n' +
  'Install it with: apt-get install -y redis-server   (.ci/run installs it before the tests).';

export async function startRedisServer(): Promise<TestRedis> {
  if (spawnSync('redis-server', ['--version']).error) throw new Error(INSTALL_HINT);
  const dir = await mkdtemp(join(tmpdir(), 'redis-test-'));
  // The free-port probe and redis-server's bind can race with another process; a few tries settle it.
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    const child = spawn('redis-server', ['--bind', '127.0.0.1', '--port', String(port), '--dir', dir, '--save', '', '--appendonly', 'no', '--protected-mode', 'yes'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      await printed(child, 'redis-server', 'Ready to accept connections', 10_000);
      return {
        url: `redis://127.0.0.1:${port}`,
        port,
        async stop() {
          await stopChild(child, 'SIGTERM');
          await rm(dir, { recursive: true, force: true });
        },
      };
    } catch (error) {
      await stopChild(child, 'SIGTERM');
      if (attempt >= 3) {
        await rm(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
}
