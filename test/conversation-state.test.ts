import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConversationMemory } from '../bot/state/conversation-memory.ts';
import { JournalStorage } from '../bot/state/journal-storage.ts';
import { buildTestAssistant } from './support/assistant-server.ts';

const ROOT = resolve(import.meta.dirname, '..');

let env: Awaited<ReturnType<typeof buildTestAssistant>>;
let dir: string;

beforeAll(async () => {
  env = await buildTestAssistant();
  dir = await mkdtemp(join(tmpdir(), 'state-'));
}, 60_000);

afterAll(async () => {
  await env?.cleanup();
  await rm(dir, { recursive: true, force: true });
});

describe('conversation state on one machine', () => {
  it('keeps every turn the server acknowledged when the process is killed with SIGKILL mid-load', async () => {
    const dataDir = join(dir, 'killed');
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'cli', 'serve.ts')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', INDEX_DIR: env.settings.INDEX_DIR, DATA_DIR: dataDir, CORPUS_DIR: env.settings.CORPUS_DIR, PORT: '0', LOG_LEVEL: 'info', INDEX_RELOAD_INTERVAL_MS: '0', RATE_LIMIT_USER_PER_MINUTE: '100000', RATE_LIMIT_GLOBAL_PER_MINUTE: '100000' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise((done) => child.once('exit', done));
    try {
      const url = await new Promise<string>((done, fail) => {
        createInterface({ input: child.stdout! }).on('line', (line) => {
          const entry = JSON.parse(line);
          if (entry.url) done(entry.url);
        });
        child.once('exit', () => fail(new Error('server exited before listening')));
      });
      const acknowledged: { conversationId: string; question: string }[] = [];
      const ask = async (i: number) => {
        const turn = { conversationId: `c${i % 20}`, question: `私营部门伙伴应遵守哪些原则？（第${i}问）` };
        try {
          const response = await fetch(`${url}/api/ask`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(turn) });
          if (response.status === 200) acknowledged.push(turn);
        } catch {
          // Cut off by the kill: never acknowledged.
        }
      };
      // Three questions per conversation at most, within the five turns a conversation keeps.
      const load = Array.from({ length: 60 }, (_, i) => ask(i));
      while (acknowledged.length < 20) await new Promise((r) => setTimeout(r, 5));
      child.kill('SIGKILL');
      await Promise.all(load);
      await exited;
      expect(acknowledged.length).toBeGreaterThanOrEqual(20);

      const memory = new ConversationMemory(new JournalStorage(join(dataDir, 'state')), 1_000);
      for (let c = 0; c < 20; c++) {
        const kept = (await memory.history(`c${c}`)).map((turn) => turn.question);
        for (const turn of acknowledged.filter((t) => t.conversationId === `c${c}`)) expect(kept).toContain(turn.question);
      }
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60_000);

  it('skips a last line cut short by a crash, and names the file and line of damage elsewhere', async () => {
    const stateDir = join(dir, 'torn');
    const storage = new JournalStorage(stateDir, Number.POSITIVE_INFINITY);
    await storage.write({ a: { n: 1 }, b: { n: 2 } });
    await storage.write({ c: { n: 3 } });
    appendFileSync(join(stateDir, 'state.journal'), '{"k":"d","v":{"n":');
    expect(Object.keys(await new JournalStorage(stateDir).read(['a', 'b', 'c', 'd'])).sort()).toEqual(['a', 'b', 'c']);

    const damaged = join(dir, 'damaged');
    mkdirSync(damaged);
    writeFileSync(join(damaged, 'state.journal'), '{"k":"a","v":{"n":1}}\nnot json\n{"k":"b","v":{"n":2}}\n');
    expect(() => new JournalStorage(damaged)).toThrow(/state\.journal:2: not a journal line/);
  });

  it('compacts a grown journal into an atomically written snapshot, losing nothing', async () => {
    const stateDir = join(dir, 'compacted');
    const storage = new JournalStorage(stateDir, 4_096);
    for (let i = 0; i < 200; i++) await storage.write({ [`k${i % 20}`]: { i, text: '伙伴关系'.repeat(10) } });
    await storage.delete(['k3']);
    expect(statSync(join(stateDir, 'state.journal')).size).toBeLessThan(4_096);
    expect(readdirSync(stateDir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    const reopened = await new JournalStorage(stateDir).read(Array.from({ length: 20 }, (_, i) => `k${i}`));
    expect(Object.keys(reopened)).toHaveLength(19);
    expect(reopened.k3).toBeUndefined();
    expect(reopened.k19).toMatchObject({ i: 199 });
  });

  it('refuses a write against an outdated eTag, as botbuilder’s MemoryStorage does', async () => {
    const storage = new JournalStorage(join(dir, 'etags'));
    await storage.write({ item: { n: 1 } });
    const { item } = await storage.read(['item']);
    await storage.write({ item: { ...item, n: 2 } });
    await expect(storage.write({ item: { ...item, n: 3 } })).rejects.toThrow(/eTag conflict/);
    await storage.write({ item: { n: 4, eTag: '*' } });
    expect((await storage.read(['item'])).item).toMatchObject({ n: 4 });
  });

  it('takes over the one-file-per-item state of earlier versions', async () => {
    const stateDir = join(dir, 'legacy');
    mkdirSync(stateDir);
    const file = join(stateDir, `${createHash('sha256').update('memory/old').digest('hex')}.json`);
    writeFileSync(file, JSON.stringify({ key: 'memory/old', item: { turns: [{ question: '早先的问题', answer: {} }], eTag: 'x' } }));
    const history = await new ConversationMemory(new JournalStorage(stateDir)).history('memory/old'.slice('memory/'.length));
    expect(history.map((turn) => turn.question)).toEqual(['早先的问题']);
    expect(existsSync(file)).toBe(false);
    expect((await new JournalStorage(stateDir).read(['memory/old']))['memory/old']).toBeDefined();
  });
});
