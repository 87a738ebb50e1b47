import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildFromParagraphs } from '../bench/build-from-paragraphs.ts';
import { syntheticCorpus } from '../bench/synthetic-corpus.ts';
import { fileSource } from '../knowledge/index-source.ts';
import { SwappableAssistant, watchIndex } from '../bot/index-reloader.ts';
import { loadSettings, type Settings } from '../config/settings.ts';
import { ingestCorpus } from '../ingest/build.ts';
import { IndexError } from '../index/knowledge-index.ts';
import { createAssistant } from '../knowledge/assistant.ts';
import { openIndex } from '../knowledge/open-index.ts';

const ROOT = resolve(import.meta.dirname, '..');
/** Two small documents to start from, and a third that a re-ingest adds. */
const FIRST = ['000_52d58775c2830094.txt'];
const ADDED = '001_d0725b75a9399080.txt';

let dir: string;
let corpus: string;
let settings: Settings;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'index-integrity-'));
  corpus = join(dir, 'corpus');
  await mkdir(corpus);
  for (const file of [...FIRST, 'manifest.json']) await cp(join(ROOT, 'corpus', file), join(corpus, file));
  settings = loadSettings({ CORPUS_DIR: corpus, INDEX_DIR: join(dir, 'index'), DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'silent' });
  await ingestCorpus({ corpusDir: corpus, indexDir: settings.INDEX_DIR, settings });
}, 60_000);

afterAll(() => rm(dir, { recursive: true, force: true }));

/** A file of the index being served under `indexDir`, wherever the layout keeps it. */
function served(indexDir: string, file: string): string {
  const current = join(indexDir, 'current');
  return existsSync(current) ? join(current, file) : join(indexDir, file);
}

async function copyIndex(name: string): Promise<string> {
  const copy = join(dir, name);
  await cp(settings.INDEX_DIR, copy, { recursive: true, verbatimSymlinks: true });
  return copy;
}

async function flipByte(path: string, at: number): Promise<void> {
  const bytes = await readFile(path);
  bytes[at % bytes.length] ^= 0x5a;
  await writeFile(path, bytes);
}

describe('a damaged index', () => {
  it.each(['lexical/words.docs', 'lexical/words.tfs', 'lexical/words.norms', 'lexical/bigrams.maxima', 'paragraphs.utf16le.jsonl', 'lexicon.json'])(
    'is refused on load when %s has a flipped byte, naming the file and what to run',
    async (file) => {
      const copy = await copyIndex(`damaged-${file.replace(/\W/g, '-')}`);
      const path = served(copy, file);
      if (!existsSync(path)) throw new Error(`the index has no ${file}`);
      await flipByte(path, 37);
      const error = await openIndex(copy, settings).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IndexError);
      expect((error as Error).message).toMatch(new RegExp(`damaged.*${file.replace(/[./]/g, '\\$&')}.*npm run ingest`));
    },
  );

  it('is refused when a file is missing', async () => {
    const copy = await copyIndex('missing-file');
    await rm(served(copy, 'lexical/bigrams.tfs'));
    await expect(openIndex(copy, settings)).rejects.toThrow(/damaged.*lexical\/bigrams\.tfs.*npm run ingest/);
  });

  it('is called corrupt, not damaged, when a file matches its checksum but cannot be read as what it should be', async () => {
    const copy = await copyIndex('corrupt-but-intact');
    const documents = served(copy, 'documents.json');
    await writeFile(documents, '{"parserHash": ');
    const manifest = JSON.parse(await readFile(served(copy, 'manifest.json'), 'utf8'));
    manifest.files['documents.json'] = createHash('sha256').update(await readFile(documents)).digest('hex');
    await writeFile(served(copy, 'manifest.json'), JSON.stringify(manifest));
    await expect(openIndex(copy, settings)).rejects.toThrow(/is corrupt \(.*JSON.*npm run ingest/);
    // A damaged file beside it is what is named, whichever failed first: it explains the rest.
    await flipByte(served(copy, 'lexicon.json'), 37);
    await expect(openIndex(copy, settings)).rejects.toThrow(/damaged \(lexicon\.json does not match its checksum\).*npm run ingest/);
  });

  it('is not swapped in while serving: the index being served stays', async () => {
    const copy = await copyIndex('hot-damaged');
    const local = { ...settings, INDEX_DIR: copy };
    const index = await openIndex(copy, local);
    const target = new SwappableAssistant(createAssistant(index));
    const logs: Record<string, any>[] = [];
    const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _e, done) => (logs.push(JSON.parse(String(chunk))), done()) }));
    const reloader = watchIndex({ source: fileSource(local), index, target, assistantFor: createAssistant, logger, intervalMs: 0 });
    // A new build that is then damaged on disk, as a bad sector or a half-copied backup would.
    const manifest = JSON.parse(await readFile(served(copy, 'manifest.json'), 'utf8'));
    await writeFile(served(copy, 'manifest.json'), JSON.stringify({ ...manifest, builtAt: new Date(Date.now() + 60_000).toISOString() }));
    await flipByte(served(copy, 'lexical/words.tfs'), 11);
    expect(await reloader.check()).toBe(false);
    expect(logs.some((l) => l.level === 50 && /damaged/.test(l.err?.message ?? ''))).toBe(true);
    reloader.stop();
  });
});

const run = (args: string[], env: Record<string, string>) =>
  new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>((done) => {
    execFile(process.execPath, args, { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'silent', ...env }, encoding: 'utf8' }, (error, stdout, stderr) =>
      done({ code: error ? ((error as { code?: number }).code ?? null) : 0, signal: (error as { signal?: string } | null)?.signal ?? null, stdout, stderr }),
    );
  });

describe('replacing the index', { timeout: 120_000 }, () => {
  const symbols = async (indexDir: string) => (await openIndex(indexDir, settings)).documents.map((d) => d.symbol).sort();
  let before: string[];
  let after: string[];

  beforeAll(async () => {
    before = await symbols(settings.INDEX_DIR);
    await cp(join(ROOT, 'corpus', ADDED), join(corpus, ADDED));
    const both = join(dir, 'index-with-added');
    await ingestCorpus({ corpusDir: corpus, indexDir: both, settings });
    after = await symbols(both);
    expect(after.length).toBe(before.length + 1);
  });

  it('takes over a directory that holds a single index (a copy, an older layout): the new version is served and the old files go', async () => {
    const single = join(dir, 'single');
    await cp(served(settings.INDEX_DIR, ''), single, { recursive: true, dereference: true });
    expect(await symbols(single)).toEqual(before);
    await ingestCorpus({ corpusDir: corpus, indexDir: single, settings });
    expect(await symbols(single)).toEqual(after);
    const left = (await readdir(single)).sort();
    expect(left).toHaveLength(2);
    expect(left[0]).toBe('current');
  });

  /** Re-ingests (adding one document) in a child process killed just before its `n`th rename/symlink/rm/unlink. */
  async function killed(n: number) {
    const indexDir = await copyIndex(`swap-kill-${n}`);
    const result = await run(['--import', 'tsx', '--import', './test/support/fs-faults.mjs', 'cli/ingest.ts'], { CORPUS_DIR: corpus, INDEX_DIR: indexDir, FS_FAULT: `kill:${n}` });
    return { indexDir, result, reached: !result.stderr.includes('fs-fault: not reached') };
  }

  it('leaves exactly one complete index, old or new, wherever the ingest is killed, and the next ingest cleans up', async () => {
    let reachedEnd = false;
    for (let from = 1; from <= 12 && !reachedEnd; from += 4) {
      const runs = await Promise.all([0, 1, 2, 3].map((i) => killed(from + i)));
      for (const { indexDir, result, reached } of runs) {
        if (!reached) {
          reachedEnd = true;
          expect(result.code, result.stderr).toBe(0);
        } else expect(result.signal, result.stderr).toBe('SIGKILL');
        expect([before, after]).toContainEqual(await symbols(indexDir));
        await ingestCorpus({ corpusDir: corpus, indexDir, settings });
        expect(await symbols(indexDir)).toEqual(after);
        const left = await readdir(indexDir);
        expect(left.filter((name) => /tmp|building|replaced/.test(name)), left.join(' ')).toEqual([]);
        expect(left.length, left.join(' ')).toBeLessThanOrEqual(2);
      }
    }
    expect(reachedEnd).toBe(true);
  });

  it('fails only while the previous index is still served, and succeeds only once the new one is', async () => {
    const fs = (await import('node:fs')).promises as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    const { syncBuiltinESMExports } = await import('node:module');
    const names = ['rename', 'symlink', 'rm', 'unlink'];
    const originals = Object.fromEntries(names.map((name) => [name, fs[name]]));
    let reachedEnd = false;
    try {
      for (let n = 1; n <= 12 && !reachedEnd; n++) {
        const indexDir = await copyIndex(`swap-fail-${n}`);
        let calls = 0;
        for (const name of names) {
          fs[name] = async (...args: unknown[]) => {
            if (++calls === n) throw Object.assign(new Error(`EACCES: permission denied, ${name}`), { code: 'EACCES' });
            return originals[name](...args);
          };
        }
        syncBuiltinESMExports();
        const outcome = await ingestCorpus({ corpusDir: corpus, indexDir, settings }).then(
          (report) => ({ ok: true, report }),
          (error: unknown) => ({ ok: false, error }),
        );
        Object.assign(fs, originals);
        syncBuiltinESMExports();
        if (calls < n) reachedEnd = true;
        const now = await symbols(indexDir);
        expect(now, `${n}: ${JSON.stringify(outcome)}`).toEqual(outcome.ok ? after : before);
      }
    } finally {
      Object.assign(fs, originals);
      syncBuiltinESMExports();
    }
    expect(reachedEnd).toBe(true);
  });
});

describe('a hot swap of a large index', () => {
  it('keeps the event loop serving while the new index loads and is prepared', async () => {
    const indexDir = join(dir, 'swap-large');
    const local = { ...settings, INDEX_DIR: indexDir };
    await ingestCorpus({ corpusDir: corpus, indexDir, settings: local });
    const small = await openIndex(indexDir, local);
    const target = new SwappableAssistant(createAssistant(small));
    const reloader = watchIndex({ source: fileSource(local), index: small, target, assistantFor: createAssistant, logger: pino({ level: 'silent' }), intervalMs: 0 });
    // Large enough that reading it, not the lexicon's fixed cost (one JSON parse of a few megabytes, ~50 ms), is most of the swap.
    const large = syntheticCorpus({ documents: small.documents, paragraphs: small.paragraphs }, 40_000);
    await rm(indexDir, { recursive: true, force: true });
    await buildFromParagraphs(indexDir, large.documents, large.paragraphs);

    let last = performance.now();
    let longest = 0;
    const probe = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
    }, 5);
    const started = performance.now();
    expect(await reloader.check()).toBe(true);
    await new Promise((done) => setTimeout(done, 20));
    const took = performance.now() - started;
    clearInterval(probe);
    reloader.stop();
    expect(target.documents().length).toBe(large.documents.length);
    expect((await target.ask('私营部门伙伴应遵守哪些原则？')).question).toBeTruthy();
    // Relative to the whole swap, so that a slow machine does not decide the outcome: no single stretch
    // without a turn for other requests may take a third of it (a swap that parses in one go takes most).
    expect(longest, `longest stall ${Math.round(longest)} ms of ${Math.round(took)} ms`).toBeLessThan(took / 3);
  }, 90_000);
});
