import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../config/settings.ts';
import { ingestCorpus } from '../ingest/build.ts';
import type { KnowledgeIndex } from '../index/knowledge-index.ts';
import { readDocumentsFile, readLexicalFile, readLexiconData, readManifestFile, readParagraphsFile, servedIndexDir } from '../index/layout.ts';
import { analyzeQuery } from '../index/lexical/bm25.ts';
import { PostgresLexicalScorer } from '../index/postgres/lexical-scorer.ts';
import { publishDirectory } from '../index/postgres/publish-directory.ts';
import { publishIndex } from '../index/postgres/publish.ts';
import { createAssistant } from '../knowledge/assistant.ts';
import { openIndex } from '../knowledge/open-index.ts';
import { openPostgresIndex, type PostgresIndex } from '../knowledge/open-postgres-index.ts';
import { startPostgresServer, type TestPostgres } from './support/postgres-server.ts';

/** The same index in a real PostgreSQL server (Debian's) and in files must retrieve and answer the same. */

const settings = loadSettings({});
let server: TestPostgres;
let root: string;
let files: KnowledgeIndex;
let database: PostgresIndex;

// Topics asked in the test's own words, with and without a document restriction.
const QUESTIONS = [
  '公司和联合国合作时要守哪些规矩',
  '伙伴关系怎样做到公开透明并且能被问责',
  '全球契约办公室负责什么',
  '小企业在穷国能得到什么帮助',
  '网络和电脑技术方面的合作',
  '难民机构找企业要钱',
  '联合国的名字和标志能不能给企业用',
  '怎么挑选合作的公司',
  '私人基金会捐了多少',
  '合作的效果如何评估',
];

beforeAll(async () => {
  server = await startPostgresServer();
  root = await mkdtemp(join(tmpdir(), 'postgres-backend-'));
  await cp('corpus', join(root, 'corpus'), { recursive: true });
  await ingestCorpus({ corpusDir: join(root, 'corpus'), indexDir: join(root, 'index'), settings });
  expect((await publishDirectory(join(root, 'index'), server.url, settings)).published).toBe(true);
  files = await openIndex(join(root, 'index'), settings);
  database = await openPostgresIndex(server.url, settings);
}, 120_000);

afterAll(async () => {
  await database?.close();
  await server?.stop();
  await rm(root, { recursive: true, force: true });
});

describe('the PostgreSQL backend', () => {
  it('holds the same documents and paragraphs as the file index', () => {
    expect(database.documents).toEqual(files.documents);
    expect(database.paragraphs).toEqual(files.paragraphs);
    expect(database.manifest).toEqual(files.manifest);
  });

  it('scores BM25 in SQL as the in-memory index does', async () => {
    const lexical = await readLexicalFile(await servedIndexDir(join(root, 'index')));
    const pool = new pg.Pool({ connectionString: server.url, max: 1 });
    pool.on('error', () => {});
    const scorer = new PostgresLexicalScorer(pool, database.generation, lexical.size, { words: new Map(), bigrams: new Map() });
    try {
      for (const question of QUESTIONS) {
        const query = analyzeQuery(question);
        const expected = [...lexical.score(query)].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
        const got = [...(await scorer.score(query))].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
        expect(got.length, question).toBe(expected.length);
        expect(got.length).toBeGreaterThan(0);
        got.forEach(([doc, score], i) => {
          expect(Math.abs(score - expected[i][1])).toBeLessThan(1e-9 * score);
          // Only paragraphs with equal scores (to the last bits, summed in another order) may swap places.
          if (doc !== expected[i][0]) expect(Math.abs(expected.find(([d]) => d === doc)![1] - score)).toBeLessThan(1e-9 * score);
        });
      }
    } finally {
      await pool.end();
    }
  });

  it('weighs question terms by the same document frequencies', () => {
    const terms = QUESTIONS.flatMap((q) => analyzeQuery(q).words);
    expect(terms.length).toBeGreaterThan(20);
    for (const term of terms) expect(database.idf(term), term).toBe(files.idf(term));
    for (const gram of QUESTIONS.flatMap((q) => analyzeQuery(q).bigrams)) expect(database.idf(gram, 'bigrams'), gram).toBe(files.idf(gram, 'bigrams'));
  });

  it('retrieves the same top 10 for every question, restricted to documents or not', async () => {
    for (const question of QUESTIONS) {
      const ids = async (index: KnowledgeIndex, documents?: string[]) => (await index.search(question, { k: 10, documents })).map((r) => r.paragraph.id);
      const expected = await ids(files);
      expect(expected, question).toHaveLength(10);
      expect(await ids(database), question).toEqual(expected);
      expect(await ids(database, ['A/58/227', 'A/RES/56/76']), question).toEqual(await ids(files, ['A/58/227', 'A/RES/56/76']));
    }
  });

  it('gives the same answers', async () => {
    const fromFiles = createAssistant(files);
    const fromDatabase = createAssistant(database);
    for (const question of QUESTIONS.slice(0, 5)) {
      const a = await fromFiles.ask(question);
      const b = await fromDatabase.ask(question);
      expect(b.statements, question).toEqual(a.statements);
      expect(b.citations).toEqual(a.citations);
    }
  });
});

describe('publishing a new generation', () => {
  it('switches readers over whole: an open index keeps its generation, a reopened one sees the new', async () => {
    const file = join(root, 'corpus', '001_d0725b75a9399080.txt');
    const original = await readFile(file, 'utf8');
    await writeFile(file, original.replace('联合国的政府间性质', '联合国的政府间性质和珊瑚礁保护'));
    try {
      await ingestCorpus({ corpusDir: join(root, 'corpus'), indexDir: join(root, 'index'), settings });
      const { generation, published } = await publishDirectory(join(root, 'index'), server.url, settings);
      expect(published).toBe(true);
      expect(generation).toBeGreaterThan(database.generation);
      expect((await database.search('珊瑚礁保护'))[0]?.paragraph.text ?? '').not.toContain('珊瑚礁保护');
      const reopened = await openPostgresIndex(server.url, settings);
      try {
        expect(reopened.generation).toBe(generation);
        expect((await reopened.search('珊瑚礁保护'))[0].paragraph.text).toContain('珊瑚礁保护');
      } finally {
        await reopened.close();
      }
      expect((await publishDirectory(join(root, 'index'), server.url, settings)).published).toBe(false);
    } finally {
      await writeFile(file, original);
    }
  });

  it('leaves the current generation in use, and nothing of the new one, when writing fails midway', async () => {
    const dir = await servedIndexDir(join(root, 'index'));
    const pool = new pg.Pool({ connectionString: server.url, max: 1 });
    pool.on('error', () => {});
    try {
      const before = await pool.query('SELECT generation FROM pa_state');
      const generations = (await pool.query('SELECT count(*)::int AS n FROM pa_generations')).rows[0].n;
      const paragraphs = await readParagraphsFile(dir);
      const broken = [...paragraphs.slice(0, -1), { ...paragraphs.at(-1)!, symbol: null as unknown as string }];
      await expect(
        publishIndex(pool, { manifest: await readManifestFile(dir), documents: await readDocumentsFile(dir), paragraphs: broken, lexical: await readLexicalFile(dir), lexicon: await readLexiconData(dir) }),
      ).rejects.toThrow(/null value/);
      expect((await pool.query('SELECT generation FROM pa_state')).rows).toEqual(before.rows);
      expect((await pool.query('SELECT count(*)::int AS n FROM pa_generations')).rows[0].n).toBe(generations);
    } finally {
      await pool.end();
    }
  });

  it('says what to run when the database holds no index', async () => {
    const pool = new pg.Pool({ connectionString: server.url, max: 1 });
    pool.on('error', () => {});
    await pool.query('CREATE DATABASE empty_index');
    await pool.end();
    const url = server.url.replace(/\/postgres$/, '/empty_index');
    await expect(openPostgresIndex(url, settings)).rejects.toThrow(/empty: run `npm run ingest` with DATABASE_URL/);
  });
});
