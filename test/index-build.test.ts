import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../config/settings.ts';
import { ingestCorpus, IngestError, type IngestReport } from '../ingest/build.ts';
import { IndexError } from '../index/knowledge-index.ts';
import type { Paragraph } from '../core/paragraph.ts';
import { INDEX_FILES, readLexicalFile, readLexiconData, readParagraphsFile, servedIndexDir, writeJsonLines } from '../index/layout.ts';
import { openIndex } from '../knowledge/open-index.ts';
import { analyzeQuery } from '../index/lexical/bm25.ts';

const settings = loadSettings({});
let root: string;
let corpus: string;
let index: string;
let first: IngestReport;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'index-build-'));
  corpus = join(root, 'corpus');
  index = join(root, 'index');
  await cp('corpus', corpus, { recursive: true });
  first = await ingestCorpus({ corpusDir: corpus, indexDir: index, settings });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function manifestText(): Promise<string> {
  return readFile(join(index, 'current', 'manifest.json'), 'utf8');
}

describe('a first ingest of the bundled corpus', () => {
  it('indexes every document and records how the index was made', async () => {
    expect(first.upToDate).toBe(false);
    expect(first.documents).toBe(5);
    expect(first.parsed).toHaveLength(5);
    expect(first.byLabelKind.numbered).toBeGreaterThanOrEqual(27 + 7 + 78 + 93 + 43);
    expect(first.byLabelKind.preambular).toBeGreaterThanOrEqual(19 + 12);
    const loaded = await openIndex(index, settings);
    expect(loaded.manifest.formatVersion).toBeGreaterThan(0);
    // Without a model nothing is embedded: retrieval is lexical and the index holds no vectors.
    expect(loaded.manifest.embeddings).toEqual({ provider: 'offline', model: 'lexical', dimension: 0 });
    expect(await readdir(await servedIndexDir(index))).not.toContain('vectors');
    expect(loaded.manifest.paragraphs).toBe(loaded.paragraphs.length);
    expect(loaded.documents.map((d) => d.symbol)).toEqual(['A/RES/68/234', 'A/RES/56/76', 'A/68/326', 'A/58/227', 'A/76/319']);
    expect(loaded.paragraph('A/RES/68/234', '13(c)')?.text).toBeTruthy();
  });

  it('re-running over an unchanged corpus parses nothing and keeps the index as it is', async () => {
    const before = await manifestText();
    const again = await ingestCorpus({ corpusDir: corpus, indexDir: index, settings });
    expect(again.upToDate).toBe(true);
    expect(again.parsed).toEqual([]);
    expect(again.paragraphs).toBe(first.paragraphs);
    expect(again.durationMs).toBeLessThan(1000);
    expect(await manifestText()).toBe(before);
  });
});

describe('the stored lexical index', () => {
  it('returns the best matches of a bounded depth exactly as scoring every match ranks them', async () => {
    const lexical = await readLexicalFile(join(index, 'current'));
    const query = analyzeQuery('联合国与私营部门的伙伴关系应遵守哪些原则');
    const ranked = (scores: Map<number, number>) => [...scores].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    const all = ranked(lexical.score(query, { depth: Infinity }));
    expect(all.length).toBeGreaterThan(50);
    expect(ranked(lexical.score(query, { depth: 7 }))).toEqual(all.slice(0, 7));
    expect(ranked(lexical.score(query, { depth: 5, ranges: [[0, 40]] }))).toEqual(all.filter(([i]) => i < 40).slice(0, 5));
  });
});

describe('the stored paragraphs', () => {
  it('read back exactly as written, whatever their text holds and wherever the file is cut into chunks', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'paragraphs-'));
    const paragraph = (position: number, text: string): Paragraph => ({
      id: `A/1#${position}`, symbol: 'A/1', kind: 'report', date: '2013', language: 'zh', label: String(position), section: ['一. 引言'], text, position,
    });
    const written = [
      paragraph(0, '第一行\n第二行\r\n"引号"\\ 与 \u2028 分隔'),
      paragraph(1, '𠀀𠀁 astral 字 and a lone surrogate \ud800 in the middle'),
      paragraph(2, ''),
      // Lines longer than the 64 KiB chunks the file is streamed in.
      paragraph(3, '伙伴关系𠀀'.repeat(20_000)),
      paragraph(4, 'y'.repeat(70_000)),
      paragraph(5, 'the end'),
    ];
    try {
      await writeJsonLines(join(dir, INDEX_FILES.paragraphs), written, 'utf16le');
      expect(await readParagraphsFile(dir)).toEqual(written);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the stored lexicon', () => {
  it('is written by the ingest from the index words and loaded with the index', async () => {
    const served = await servedIndexDir(index);
    expect((await readdir(served)).sort()).toContain('lexicon.json');
    const data = await readLexiconData(served);
    const indexWords = (await readLexicalFile(served)).documentFrequencies('words');
    expect(data.words.length).toBeGreaterThan(1000);
    expect(data.words.every((w) => indexWords.has(w))).toBe(true);
    const loaded = await openIndex(index, settings);
    expect(loaded.lexicon.size).toBe(data.words.length);
    const found = loaded.lexicon.translate('human rights and the environment');
    expect(found.map((f) => f.word)).toEqual(expect.arrayContaining(['人权', '环境']));
    for (const { word } of [...found, ...loaded.lexicon.synonyms('公司')]) expect(indexWords.has(word)).toBe(true);
  });

  it('makes an index whose lexicon file is damaged fail to open with a clear error', async () => {
    const copy = join(root, 'damaged-lexicon');
    await cp(await servedIndexDir(index), copy, { recursive: true });
    await writeFile(join(copy, 'lexicon.json'), '{"version": 1, "words"');
    const error = await openIndex(copy, settings).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IndexError);
    expect((error as Error).message).toMatch(/(?:damaged|corrupt).*lexicon\.json.*npm run ingest/);
    await rm(copy, { recursive: true, force: true });
  });
});

describe('an ingest that fails midway', () => {
  it('leaves the previous index intact and readable, with no temporary directory behind', async () => {
    const before = await manifestText();
    await writeFile(join(corpus, 'A_RES_70_1.txt'), '70/1. 一项新决议\n\n大会，\n\n回顾其以往的决议，\n\n1. 决定继续审议这个问题。\n');
    await expect(
      ingestCorpus({
        corpusDir: corpus,
        indexDir: index,
        settings,
        onProgress: (e) => {
          if (e.stage === 'write' && e.done === 0) throw new Error('disk full');
        },
      }),
    ).rejects.toThrow('disk full');
    expect(await manifestText()).toBe(before);
    const loaded = await openIndex(index, settings);
    expect(loaded.documents).toHaveLength(5);
    expect((await readdir(root)).sort()).toEqual(['corpus', 'index']);
    expect((await readdir(index)).filter((name) => name !== 'current')).toHaveLength(1);
    await rm(join(corpus, 'A_RES_70_1.txt'));
  });
});

describe('incremental re-ingest', { timeout: 90_000 }, () => {
  it('re-parses only a changed file and reflects its new text', async () => {
    const file = join(corpus, '001_d0725b75a9399080.txt');
    const original = await readFile(file, 'utf8');
    expect(original).toContain('联合国的政府间性质');
    await writeFile(file, original.replace('联合国的政府间性质', '联合国的政府间性质和珊瑚礁保护'));
    try {
      const report = await ingestCorpus({ corpusDir: corpus, indexDir: index, settings });
      expect(report.upToDate).toBe(false);
      expect(report.parsed).toEqual(['001_d0725b75a9399080.txt']);
      expect(report.reused).toHaveLength(4);
      const loaded = await openIndex(index, settings);
      expect(loaded.paragraphs.filter((p) => p.text.includes('珊瑚礁保护')).map((p) => p.symbol)).toEqual(['A/RES/56/76']);
      expect((await loaded.search('珊瑚礁保护'))[0].paragraph.symbol).toBe('A/RES/56/76');
    } finally {
      await writeFile(file, original);
    }
  });

  it('adds a new file and drops a deleted one', async () => {
    const added = join(corpus, 'A_RES_70_1.txt');
    await writeFile(added, '70/1. 一项新决议\n\n大会，\n\n回顾其以往关于海洋塑料污染的决议，\n\n1. 决定继续审议海洋塑料污染问题。\n');
    const withNew = await ingestCorpus({ corpusDir: corpus, indexDir: index, settings });
    expect(withNew.parsed).toContain('A_RES_70_1.txt');
    expect(withNew.documents).toBe(6);
    let loaded = await openIndex(index, settings);
    expect(loaded.documents.map((d) => d.symbol)).toContain('A/RES/70/1');
    expect((await loaded.search('海洋塑料污染'))[0].paragraph.symbol).toBe('A/RES/70/1');

    await rm(added);
    const without = await ingestCorpus({ corpusDir: corpus, indexDir: index, settings });
    expect(without.removed).toEqual(['A_RES_70_1.txt']);
    expect(without.parsed).toEqual([]);
    loaded = await openIndex(index, settings);
    expect(loaded.documents.map((d) => d.symbol)).not.toContain('A/RES/70/1');
    expect(loaded.paragraphs.some((p) => p.symbol === 'A/RES/70/1')).toBe(false);
  });
});

describe('bad input', () => {
  it('reports each unusable file by name with the reason and ingests the rest', async () => {
    const dir = join(root, 'bad-corpus');
    await cp(join(corpus, '001_d0725b75a9399080.txt'), join(dir, 'A_RES_56_76.txt'));
    await writeFile(join(dir, 'empty.txt'), '');
    await writeFile(join(dir, 'broken.pdf'), Buffer.from([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x37, 0x0a, 0xff, 0x00, 0x13]));
    await writeFile(join(dir, 'garbage.docx'), Buffer.from('PK\u0003\u0004 this is not a zip archive'));
    await writeFile(join(dir, 'binary.txt'), Buffer.from(Array.from({ length: 512 }, (_, i) => (i * 37) % 256)));
    const badIndex = join(root, 'bad-index');
    try {
      const report = await ingestCorpus({ corpusDir: dir, indexDir: badIndex, settings });
      expect(report.documents).toBe(1);
      const failed = Object.fromEntries(report.failures.map((f) => [f.file, f.message]));
      expect(Object.keys(failed).sort()).toEqual(['binary.txt', 'broken.pdf', 'empty.txt', 'garbage.docx']);
      expect(failed['empty.txt']).toMatch(/empty/);
      for (const reason of Object.values(failed)) expect(reason.length).toBeGreaterThan(3);
      expect((await openIndex(badIndex, settings)).documents.map((d) => d.symbol)).toEqual(['A/RES/56/76']);
    } finally {
      await rm(dir, { recursive: true, force: true });
      await rm(badIndex, { recursive: true, force: true });
    }
  });

  it('refuses to replace an index when nothing could be ingested', async () => {
    const dir = join(root, 'empty-corpus');
    await writeFile(join(root, 'placeholder'), '');
    await cp(join(root, 'placeholder'), join(dir, 'empty.txt'));
    const before = await manifestText();
    try {
      const error = await ingestCorpus({ corpusDir: dir, indexDir: index, settings }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IngestError);
      expect((error as IngestError).report.failures.map((f) => f.file)).toEqual(['empty.txt']);
      expect(await manifestText()).toBe(before);
    } finally {
      await rm(dir, { recursive: true, force: true });
      await rm(join(root, 'placeholder'));
    }
  });
});

describe('openIndex', () => {
  it('says to run ingest when there is no index', async () => {
    await expect(openIndex(join(root, 'nowhere'), settings)).rejects.toThrow(/No index at .*nowhere: run `npm run ingest`/);
  });

  it('rejects a corrupt manifest with a clear error', async () => {
    const copy = join(root, 'corrupt');
    await cp(join(index, 'current'), copy, { recursive: true, dereference: true });
    await writeFile(join(copy, 'manifest.json'), '{"formatVersion": 1, "corpus');
    const error = await openIndex(copy, settings).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IndexError);
    expect((error as Error).message).toMatch(/corrupt.*npm run ingest/);
    await rm(copy, { recursive: true, force: true });
  });

  it('rejects an index of another format version', async () => {
    const copy = join(root, 'old-format');
    await cp(join(index, 'current'), copy, { recursive: true, dereference: true });
    const manifest = JSON.parse(await readFile(join(copy, 'manifest.json'), 'utf8'));
    await writeFile(join(copy, 'manifest.json'), JSON.stringify({ ...manifest, formatVersion: 0 }));
    await expect(openIndex(copy, settings)).rejects.toThrow(/format version 0.*npm run ingest/);
    await rm(copy, { recursive: true, force: true });
  });

  it('rejects vectors made by another embedding provider than the settings select', async () => {
    const withModel = loadSettings({ OPENAI_API_KEY: 'sk-test' });
    const error = await openIndex(index, withModel).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IndexError);
    expect((error as Error).message).toMatch(/offline:.*openai:text-embedding-3-small.*re-ingest/);
  });
});

describe('an ingest over a damaged index', () => {
  it('parses every file again and carries nothing of the damaged paragraphs over', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'index-build-damaged-'));
    try {
      const damaged = join(dir, 'index');
      await cp(index, damaged, { recursive: true, verbatimSymlinks: true });
      const file = join(await servedIndexDir(damaged), INDEX_FILES.paragraphs);
      const text = (await readFile(file)).toString('utf16le');
      const original = (await readParagraphsFile(await servedIndexDir(damaged))).find((p) => p.text.length > 20)!.text;
      const altered = `${original.slice(0, 10)}改${original.slice(11)}`;
      await writeFile(file, Buffer.from(text.replace(original, altered), 'utf16le'));
      const report = await ingestCorpus({ corpusDir: corpus, indexDir: damaged, settings });
      expect(report.upToDate).toBe(false);
      expect(report.parsed).toHaveLength(report.documents);
      const texts = (await openIndex(damaged, settings)).paragraphs.map((p) => p.text);
      expect(texts).toContain(original);
      expect(texts).not.toContain(altered);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
