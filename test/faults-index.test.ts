import { spawnSync } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileSource } from '../knowledge/index-source.ts';
import { SwappableAssistant, watchIndex, type IndexReloader } from '../bot/index-reloader.ts';
import { loadSettings, type Settings } from '../config/settings.ts';
import { ingestCorpus } from '../ingest/build.ts';
import { createAssistant } from '../knowledge/assistant.ts';
import { ingestedIndex } from './support/bundled-index.ts';

const ROOT = resolve(import.meta.dirname, '..');
const NEW_SYMBOL = 'A/RES/99/321';
const NEW_QUESTION = '联合国与南极企鹅保护基金会的伙伴关系应多久审查一次？';
const NEW_DOCUMENT = `## 大会

Distr.: General
2 January 2031

## 2030 年 12 月 20 日大会决议

## 99/321. 与南极企鹅保护基金会的伙伴关系

大会，

1. 决定联合国与南极企鹅保护基金会的伙伴关系应每年审查一次，审查结果提交大会；

2. 请秘书长在第一百届会议上报告本决议的执行情况。
`;

let dir: string;
let settings: Settings;
let served: SwappableAssistant;
let reloader: IndexReloader;
const logs: Record<string, any>[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'faults-index-'));
  await cp(join(ROOT, 'corpus'), join(dir, 'corpus'), { recursive: true });
  settings = loadSettings({ CORPUS_DIR: join(dir, 'corpus'), INDEX_DIR: join(dir, 'index'), DATA_DIR: join(dir, 'data'), LOG_LEVEL: 'silent' });
  const index = await ingestedIndex(settings.CORPUS_DIR, settings.INDEX_DIR, settings);
  served = new SwappableAssistant(createAssistant(index));
  const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _e, done) => (logs.push(JSON.parse(String(chunk))), done()) }));
  reloader = watchIndex({ source: fileSource(settings), index, target: served, assistantFor: (next) => createAssistant(next), logger, intervalMs: 0 });
}, 90_000);

afterAll(async () => {
  reloader?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function addNewDocument(): Promise<void> {
  await writeFile(join(dir, 'corpus', 'new.txt'), NEW_DOCUMENT);
  const manifest = JSON.parse(await readFile(join(dir, 'corpus', 'manifest.json'), 'utf8'));
  manifest.documents.push({ file: 'new.txt', symbol: NEW_SYMBOL, kind: 'resolution', language: 'zh', date: '2030-12-20', title: '与南极企鹅保护基金会的伙伴关系' });
  await writeFile(join(dir, 'corpus', 'manifest.json'), JSON.stringify(manifest, null, 2));
}

const cited = async () => (await served.ask(NEW_QUESTION)).citations.map((c) => c.paragraph.symbol);

describe('a new index while serving', () => {
  it('an interrupted ingest leaves the live index served and untouched', async () => {
    await addNewDocument();
    const manifestBefore = await readFile(join(settings.INDEX_DIR, 'current', 'manifest.json'), 'utf8');
    await expect(
      ingestCorpus({
        corpusDir: settings.CORPUS_DIR,
        indexDir: settings.INDEX_DIR,
        settings,
        onProgress: (event) => {
          if (event.stage === 'index') throw new Error('killed mid-ingest');
        },
      }),
    ).rejects.toThrow(/killed mid-ingest/);
    expect(await readFile(join(settings.INDEX_DIR, 'current', 'manifest.json'), 'utf8')).toBe(manifestBefore);
    expect(await reloader.check()).toBe(false);
    expect(served.documents().map((d) => d.symbol)).not.toContain(NEW_SYMBOL);
  });

  it('a completed ingest is swapped in without a restart, and its new paragraphs are answered', async () => {
    expect(await cited()).not.toContain(NEW_SYMBOL);
    await ingestCorpus({ corpusDir: settings.CORPUS_DIR, indexDir: settings.INDEX_DIR, settings });
    expect(await reloader.check()).toBe(true);
    expect(served.documents().map((d) => d.symbol)).toContain(NEW_SYMBOL);
    expect(await cited()).toContain(NEW_SYMBOL);
    expect(logs.some((l) => l.msg === 'new index swapped in')).toBe(true);
  }, 60_000);

  it('a new index that cannot be opened is logged and the one being served is kept', async () => {
    const manifestPath = join(settings.INDEX_DIR, 'current', 'manifest.json');
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8'));
    await writeFile(join(settings.INDEX_DIR, 'current', 'paragraphs.utf16le.jsonl'), '{"broken": ');
    await writeFile(manifestPath, JSON.stringify({ ...manifest, builtAt: new Date(Date.now() + 60_000).toISOString() }));
    expect(await reloader.check()).toBe(false);
    expect(logs.some((l) => l.level === 50 && /cannot be opened/.test(l.msg))).toBe(true);
    expect(await cited()).toContain(NEW_SYMBOL);
  });
});

describe('starting on a bad index', () => {
  const start = (env: Record<string, string>) =>
    spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'cli', 'serve.ts')], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', LOG_LEVEL: 'warn', CORPUS_DIR: join(dir, 'corpus'), DATA_DIR: join(dir, 'data'), ...env },
      encoding: 'utf8',
      timeout: 30_000,
    });

  it('refuses to start on a corrupt index and says what to run', () => {
    // The index left corrupt by the test above.
    const result = start({ INDEX_DIR: settings.INDEX_DIR, AUTO_INGEST: 'true' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/damaged \(paragraphs\.utf16le\.jsonl does not match its checksum\).*npm run ingest/);
  }, 40_000);

  it('refuses to start without an index when AUTO_INGEST=false, saying what to run', () => {
    const result = start({ INDEX_DIR: join(dir, 'no-index'), AUTO_INGEST: 'false' });
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/No index at .*npm run ingest/);
  }, 40_000);
});
