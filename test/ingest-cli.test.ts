import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../config/settings.ts';
import { openIndex } from '../knowledge/open-index.ts';

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a CLI the way npm scripts do (tsx), in its own process group, with a clean environment apart from `env`. */
function run(script: string, args: string[], env: Record<string, string> = {}, killOn?: RegExp): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn('node_modules/.bin/tsx', [script, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => {
      stderr += d;
      // tsx runs the script in a child process: kill the whole group, as a terminal's Ctrl-C or an OOM would.
      if (killOn?.test(stderr) && child.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

let root: string;
let corpus: string;
let index: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'ingest-cli-'));
  corpus = join(root, 'corpus');
  index = join(root, 'index');
  await cp('corpus', corpus, { recursive: true });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('npm run ingest', { timeout: 90_000 }, () => {
  it('ingests with plain progress lines off a terminal and ends with a summary', async () => {
    const result = await run('cli/ingest.ts', ['--corpus', corpus, '--index', index]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Indexed 5 documents, \d+ paragraphs/);
    expect(result.stdout).toMatch(/paragraphs by kind: numbered \d+, sub \d+, preambular \d+, summary \d+/);
    expect(result.stderr).toMatch(/^parse 1\/5 000_52d58775c2830094\.txt$/m);
    expect(result.stderr).not.toMatch(/\u001b\[/);
  });

  it('says so when the corpus is unchanged', async () => {
    const result = await run('cli/ingest.ts', [], { CORPUS_DIR: corpus, INDEX_DIR: index });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/is up to date: nothing changed/);
  });

  it('keeps the previous index when the ingest process is killed', async () => {
    const before = await readFile(join(index, 'current', 'manifest.json'), 'utf8');
    await writeFile(join(corpus, 'extra.md'), '# A/RES/70/1\n\n70/1. 新决议\n\n大会，\n\n回顾其以往的决议，\n\n1. 决定继续审议这个问题。\n');
    try {
      const result = await run('cli/ingest.ts', ['--corpus', corpus, '--index', index], {}, /^indexing/m);
      expect(result.signal).toBe('SIGKILL');
      expect(await readFile(join(index, 'current', 'manifest.json'), 'utf8')).toBe(before);
      expect((await openIndex(index, loadSettings({}))).documents).toHaveLength(5);
    } finally {
      await rm(join(corpus, 'extra.md'));
    }
  });

  it('reports unreadable files, and fails only with --strict', async () => {
    const mixed = join(root, 'mixed');
    await mkdir(mixed);
    await cp(join(corpus, '001_d0725b75a9399080.txt'), join(mixed, 'A_RES_56_76.txt'));
    await writeFile(join(mixed, 'empty.txt'), '');
    const mixedIndex = join(root, 'mixed-index');
    const lenient = await run('cli/ingest.ts', ['--corpus', mixed, '--index', mixedIndex]);
    expect(lenient.code).toBe(0);
    expect(lenient.stdout).toMatch(/Indexed 1 documents/);
    expect(lenient.stdout).toMatch(/Not ingested \(1\):\n {2}empty\.txt: .*empty/);
    const strict = await run('cli/ingest.ts', ['--corpus', mixed, '--index', mixedIndex, '--strict']);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/empty\.txt/);
  });

  it('fails when nothing could be ingested', async () => {
    const nothing = join(root, 'nothing');
    await mkdir(nothing);
    await writeFile(join(nothing, 'empty.txt'), '');
    const result = await run('cli/ingest.ts', ['--corpus', nothing, '--index', join(root, 'nothing-index')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Nothing could be ingested/);
  });

  it('exits 2 with a clear message on invalid settings', async () => {
    const result = await run('cli/ingest.ts', [], { PORT: 'eighty', INDEX_DIR: index });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/PORT/);
  });
});

describe('npm run paragraphs', { timeout: 90_000 }, () => {
  it('prints one JSON object per paragraph and nothing else', async () => {
    const result = await run('cli/paragraphs.ts', ['--json'], { INDEX_DIR: index });
    expect(result.code).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    const rows = lines.map((line) => JSON.parse(line));
    const loaded = await openIndex(index, loadSettings({}));
    expect(rows).toHaveLength(loaded.paragraphs.length);
    for (const row of rows) expect(Object.keys(row)).toEqual(['symbol', 'paragraph', 'section', 'text', 'date', 'kind']);
    const sub = rows.find((r) => r.symbol === 'A/RES/68/234' && r.paragraph === '13(c)');
    expect(sub).toMatchObject({ date: '2013-12-20', kind: 'resolution' });
    const sectioned = loaded.paragraphs.find((p) => p.section.length > 1);
    if (sectioned) expect(rows.find((r) => r.symbol === sectioned.symbol && r.paragraph === sectioned.label).section).toBe(sectioned.section.join(' / '));
  });

  it('filters by document, and names the indexed documents for an unknown one', async () => {
    const one = await run('cli/paragraphs.ts', ['--json', '--doc', 'A/RES/56/76'], { INDEX_DIR: index });
    const rows = one.stdout.trimEnd().split('\n').map((line) => JSON.parse(line));
    expect(new Set(rows.map((r) => r.symbol))).toEqual(new Set(['A/RES/56/76']));
    expect(rows.filter((r) => /^PP\d+$/.test(r.paragraph))).toHaveLength(12);

    const unknown = await run('cli/paragraphs.ts', ['--json', '--doc', 'A/RES/1/1'], { INDEX_DIR: index });
    expect(unknown.code).toBe(1);
    expect(unknown.stdout).toBe('');
    expect(unknown.stderr).toMatch(/No document A\/RES\/1\/1.*A\/RES\/68\/234, A\/RES\/56\/76, A\/68\/326, A\/58\/227, A\/76\/319/);
  });

  it('prints a readable listing without --json, and says to ingest when there is no index', async () => {
    const listing = await run('cli/paragraphs.ts', ['--doc', 'A/RES/68/234'], { INDEX_DIR: index });
    expect(listing.code).toBe(0);
    expect(listing.stdout).toMatch(/== A\/RES\/68\/234 \(resolution, 2013-12-20\) ==/);
    expect(listing.stdout).toMatch(/^ {2}13\(c\) {3}/m);

    const missing = await run('cli/paragraphs.ts', ['--json'], { INDEX_DIR: join(root, 'no-index') });
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(missing.stderr).toMatch(/No index at .*no-index: run `npm run ingest`/);
  });
});
