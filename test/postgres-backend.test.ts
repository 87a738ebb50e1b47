import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../config/settings.ts';
import type { Turn } from '../core/answer.ts';
import { ingestCorpus } from '../ingest/build.ts';
import { type KnowledgeIndex, type MemoryIndex, ViewMiss } from '../index/knowledge-index.ts';
import { readDocumentsFile, readLexicalFile, readLexiconData, readManifestFile, readParagraphsFile, servedIndexDir } from '../index/layout.ts';
import { analyzeQuery } from '../index/lexical/bm25.ts';
import { PostgresLexicalScorer } from '../index/postgres/lexical-scorer.ts';
import { publishDirectory } from '../index/postgres/publish-directory.ts';
import { publishIndex } from '../index/postgres/publish.ts';
import { createAssistant } from '../knowledge/assistant.ts';
import { openIndex } from '../knowledge/open-index.ts';
import { openPostgresIndex, type PostgresIndex } from '../knowledge/open-postgres-index.ts';
import { startPostgresServer, type TestPostgres } from './support/postgres-server.ts';
import { SwappableAssistant, watchIndex } from '../bot/index-reloader.ts';
import { postgresSource } from '../knowledge/index-source.ts';
import { pino } from 'pino';
import { Writable } from 'node:stream';
import { seedBundledIndex } from './support/bundled-index.ts';

/** The same index in a real PostgreSQL server (Debian's) and in files must retrieve and answer the same. */

const settings = loadSettings({});
let server: TestPostgres;
let root: string;
let files: MemoryIndex;
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
  await seedBundledIndex(join(root, 'index'));
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
  it('holds the same documents and paragraphs as the file index', async () => {
    expect(database.documents).toEqual(files.documents);
    expect(database.manifest).toEqual(files.manifest);
    const symbols = files.documents.map((d) => d.symbol);
    const view = await database.view({ documents: symbols, labels: ['5', '13(c)', 'fn1'] });
    expect(symbols.flatMap((s) => view.paragraphsOf(s))).toEqual(files.paragraphs);
    for (const label of ['5', '13', '13(c)', 'fn1']) expect(view.labelled(label), label).toEqual(files.labelled(label));
    expect(view.paragraphAt('A/58/227', 3)).toEqual(files.paragraphAt('A/58/227', 3));
    expect(view.paragraph('A/RES/68/234', '13(c)')).toEqual(files.paragraph('A/RES/68/234', '13(c)'));
  });

  it('keeps no paragraph or term in the replica: a view holds what its question asked for and refuses the rest', async () => {
    const view = await database.view({ documents: ['A/76/319'], texts: ['尽职调查'] });
    expect(view.paragraphsOf('A/76/319').length).toBeGreaterThan(10);
    expect(view.paragraphsOf('A/RES/99/999')).toEqual([]);
    expect(() => view.paragraphsOf('A/58/227')).toThrow(ViewMiss);
    expect(() => view.labelled('7')).toThrow(ViewMiss);
    expect(view.idf('尽职调查')).toBe(files.idf('尽职调查'));
    expect(() => view.idf('珊瑚礁')).toThrow(ViewMiss);
    await view.widen({ documents: ['A/58/227'], texts: ['珊瑚礁'] });
    expect(view.paragraphsOf('A/58/227')).toEqual(files.paragraphsOf('A/58/227'));
    expect(view.idf('珊瑚礁')).toBe(files.idf('珊瑚礁'));
  });

  it('reads paragraphs from the database when a question needs them, not when the replica opens', async () => {
    const replica = await openPostgresIndex(server.url, settings);
    const where = [database.generation, 'A/RES/68/234', '14'];
    const text = "(SELECT paragraph->>'text' FROM pa_paragraphs WHERE generation = $1 AND symbol = $2 AND label = $3)";
    const pool = new pg.Pool({ connectionString: server.url, max: 1 });
    pool.on('error', () => {});
    try {
      await pool.query(`UPDATE pa_paragraphs SET paragraph = jsonb_set(paragraph, '{text}', to_jsonb(${text} || '（改动于打开之后）')) WHERE generation = $1 AND symbol = $2 AND label = $3`, where);
      const answer = await createAssistant(replica).ask('A/RES/68/234 第14段');
      expect(answer.citations[0].paragraph.text).toContain('（改动于打开之后）');
    } finally {
      await pool.query(`UPDATE pa_paragraphs SET paragraph = jsonb_set(paragraph, '{text}', to_jsonb(replace(${text}, '（改动于打开之后）', ''))) WHERE generation = $1 AND symbol = $2 AND label = $3`, where);
      await pool.end();
      await replica.close();
    }
  });

  it('scores BM25 in SQL as the in-memory index does', async () => {
    const lexical = await readLexicalFile(await servedIndexDir(join(root, 'index')));
    const pool = new pg.Pool({ connectionString: server.url, max: 1 });
    pool.on('error', () => {});
    const scorer = new PostgresLexicalScorer(pool, database.generation, lexical.size);
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

  it('weighs question terms by the same document frequencies', async () => {
    const view = await database.view({ texts: QUESTIONS });
    const terms = QUESTIONS.flatMap((q) => analyzeQuery(q).words);
    expect(terms.length).toBeGreaterThan(20);
    for (const term of terms) expect(view.idf(term), term).toBe(files.idf(term));
    for (const gram of QUESTIONS.flatMap((q) => analyzeQuery(q).bigrams)) expect(view.idf(gram, 'bigrams'), gram).toBe(files.idf(gram, 'bigrams'));
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

  it('gives the same answers, to questions and conversations of every form', async () => {
    const fromFiles = createAssistant(files);
    const fromDatabase = createAssistant(database);
    // Each list is a conversation: later questions follow up on the earlier answers.
    const conversations = [
      ...QUESTIONS.map((q) => [q]),
      ['A/RES/68/234 第13段', 'A/58/227 第9段和第10段', '第4段', 'A/RES/56/76 第99段'],
      ['A/RES/68/234 第13(c)段的意思是要和企业一起想办法筹钱，对吗？', 'A/76/319 第30段说所有企业都必须签约，对吗？'],
      ['最新的文件是哪一份'],
      ['What must companies do before they can work with the UN?', 'How are partnerships reported to Member States?'],
      ['2021年的报告怎么说尽职调查', '那2013年的呢？', '第二点'],
      ['企业用联合国标志要注意什么？公司捐款有没有上限？'],
    ];
    for (const conversation of conversations) {
      const histories: Record<'files' | 'database', Turn[]> = { files: [], database: [] };
      for (const question of conversation) {
        const a = await fromFiles.ask(question, { history: histories.files });
        const b = await fromDatabase.ask(question, { history: histories.database });
        expect({ ...b, retrieved: b.retrieved.map((r) => r.paragraph.id) }, question).toEqual({ ...a, retrieved: a.retrieved.map((r) => r.paragraph.id) });
        histories.files.push({ question, answer: a });
        histories.database.push({ question, answer: b });
      }
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

  it('is taken by a serving replica without a restart', async () => {
    const replica = await openPostgresIndex(server.url, settings);
    const target = new SwappableAssistant(createAssistant(replica));
    const logs: string[] = [];
    const logger = pino({ level: 'info' }, new Writable({ write: (chunk, _e, done) => (logs.push(JSON.parse(String(chunk)).msg), done()) }));
    const reloader = watchIndex({ source: postgresSource(server.url, settings), index: replica, target, assistantFor: createAssistant, logger, intervalMs: 0 });
    const file = join(root, 'corpus', '001_d0725b75a9399080.txt');
    const original = await readFile(file, 'utf8');
    try {
      expect(await reloader.check()).toBe(false);
      await writeFile(file, original.replace('联合国的政府间性质', '联合国的政府间性质和高山冰川监测'));
      await ingestCorpus({ corpusDir: join(root, 'corpus'), indexDir: join(root, 'index'), settings });
      await publishDirectory(join(root, 'index'), server.url, settings);
      expect((await target.ask('高山冰川监测')).citations.map((c) => c.paragraph.text).join('')).not.toContain('高山冰川监测');
      expect(await reloader.check()).toBe(true);
      expect((await target.ask('高山冰川监测')).citations[0].paragraph.text).toContain('高山冰川监测');
      expect(await reloader.check()).toBe(false);
      expect(logs).toContain('new index swapped in');
    } finally {
      reloader.stop();
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

  /** An empty database of its own on the test server, for a test that must not touch the shared one. */
  async function newDatabase(name: string): Promise<string> {
    const pool = new pg.Pool({ connectionString: server.url, max: 1 });
    pool.on('error', () => {});
    await pool.query(`CREATE DATABASE ${name}`);
    await pool.end();
    return server.url.replace(/\/postgres$/, `/${name}`);
  }

  it('says what to run when the database holds no index', async () => {
    const url = await newDatabase('empty_index');
    await expect(openPostgresIndex(url, settings)).rejects.toThrow(/empty: run `npm run ingest` with DATABASE_URL/);
  });

  it('refuses to publish a damaged build, and writes nothing of it', async () => {
    const url = await newDatabase('damaged_build');
    const copy = join(root, 'damaged-index');
    await cp(await servedIndexDir(join(root, 'index')), copy, { recursive: true });
    const tfs = await readFile(join(copy, 'lexical', 'words.tfs'));
    tfs[tfs.length - 1] ^= 1;
    await writeFile(join(copy, 'lexical', 'words.tfs'), tfs);
    await expect(publishDirectory(copy, url, settings)).rejects.toThrow(/lexical\/words\.tfs does not match its checksum/);
    await expect(openPostgresIndex(url, settings)).rejects.toThrow(/empty: run `npm run ingest`/);
  });

  it('is refused by a replica of another index format, which would not find its postings', async () => {
    const url = await newDatabase('other_format');
    await publishDirectory(join(root, 'index'), url, settings);
    const other = new pg.Pool({ connectionString: url, max: 1 });
    try {
      await other.query(`UPDATE pa_generations SET manifest = jsonb_set(manifest, '{formatVersion}', '6')`);
    } finally {
      await other.end();
    }
    await expect(openPostgresIndex(url, settings)).rejects.toThrow(/format version 6, this version reads \d+: run `npm run ingest`/);
  });
});
