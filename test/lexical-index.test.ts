import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../config/settings.ts';
import type { Paragraph } from '../core/paragraph.ts';
import { ingestCorpus } from '../ingest/build.ts';
import { buildLexicalParts } from '../index/build-parts.ts';
import { readDocumentsFile, readParagraphsFile, servedIndexDir } from '../index/layout.ts';
import { analyzeQuery, K1, LexicalIndex, type LexicalQuery, weightedTerms } from '../index/lexical/bm25.ts';
import { benchQueries } from '../bench/queries.ts';
import { syntheticCorpus } from '../bench/synthetic-corpus.ts';
import { seedBundledIndex } from './support/bundled-index.ts';

/**
 * The lexical index of a corpus large enough to be segmented on worker threads and for block-max
 * MaxScore to skip most postings (its common terms span dozens of blocks of 128): it must score exactly
 * as walking every posting does, whichever way it was built.
 */

let root: string;
let paragraphs: Paragraph[];
let titleOf: (symbol: string) => string;
let threaded: LexicalIndex;
let queries: string[];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lexical-index-'));
  await seedBundledIndex(join(root, 'bundled'));
  await ingestCorpus({ corpusDir: 'corpus', indexDir: join(root, 'bundled'), settings: loadSettings({}) });
  const bundled = await servedIndexDir(join(root, 'bundled'));
  const source = { paragraphs: await readParagraphsFile(bundled), documents: (await readDocumentsFile(bundled)).documents.map((d) => d.meta) };
  const corpus = syntheticCorpus(source, 6_000);
  paragraphs = corpus.paragraphs;
  const titles = new Map(corpus.documents.map((d) => [d.symbol, d.title]));
  titleOf = (symbol) => titles.get(symbol) ?? '';
  threaded = (await buildLexicalParts(paragraphs, titleOf, { threads: 2 })).lexical;
  queries = benchQueries(source.paragraphs, 40, 7);
}, 120_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const ranked = (scores: Map<number, number>) => [...scores].sort((a, b) => b[1] - a[1] || a[0] - b[0]);

/** BM25 by walking every posting of the query's terms, with no pruning: what the index must agree with. */
function everyMatch(index: LexicalIndex, query: LexicalQuery): [number, number][] {
  const scores = new Map<number, number>();
  for (const { field, term, weight } of weightedTerms(query)) {
    const f = index.exportField(field);
    const t = f.terms.indexOf(term);
    if (t < 0) continue;
    const w = weight * index.idf(field, term);
    for (let i = f.offsets[t]; i < f.offsets[t + 1]; i++) {
      const tf = f.tfs[i];
      scores.set(f.docs[i], (scores.get(f.docs[i]) ?? 0) + (w * tf * (K1 + 1)) / (tf + f.norms[f.docs[i]]));
    }
  }
  return ranked(scores);
}

describe('building on worker threads', () => {
  it('writes the same index, byte for byte, as segmenting on the calling thread', async () => {
    const single = (await buildLexicalParts(paragraphs, titleOf, { threads: 0 })).lexical;
    await threaded.save(join(root, 'threaded'));
    await single.save(join(root, 'single'));
    const files = (await readdir(join(root, 'single'))).sort();
    expect(files).toEqual((await readdir(join(root, 'threaded'))).sort());
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) expect((await readFile(join(root, 'threaded', file))).equals(await readFile(join(root, 'single', file))), file).toBe(true);
  });
});

describe('block-max MaxScore retrieval', () => {
  it('scores every match, with no depth, as walking every posting does', () => {
    for (const q of queries) {
      const query = analyzeQuery(q);
      expect(ranked(threaded.score(query, { depth: Infinity }))).toEqual(everyMatch(threaded, query));
    }
  });

  it.each([1, 10, 100, 1000])('returns the best %i exactly as scoring every match does', (depth) => {
    let pruned = 0;
    for (const q of queries) {
      const query = analyzeQuery(q);
      const all = everyMatch(threaded, query);
      expect(ranked(threaded.score(query, { depth }))).toEqual(all.slice(0, depth));
      if (all.length > depth) pruned++;
    }
    // The corpus is large enough that most queries match more paragraphs than are kept.
    expect(pruned).toBeGreaterThan(queries.length / 2);
  });

  /**
   * Stand-in near-synonyms from the index's own words, the same for a word every time: two of its
   * forty commonest, whose long lists are the ones pruning must skip, and four from anywhere.
   */
  function synonymsIn(index: LexicalIndex): (word: string) => string[] {
    const byFrequency = [...index.documentFrequencies('words')].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([term]) => term);
    return (word) => {
      let hash = 0;
      for (const c of word) hash = (hash * 31 + c.codePointAt(0)!) >>> 0;
      return [0, 1, 2, 3, 4, 5].map((k) => byFrequency[k < 2 ? (hash + 7 * k) % 40 : (hash * (k + 1) + 101 * k) % byFrequency.length]);
    };
  }

  it.each([1, 10, 100, 1000])('with near-synonyms of the question words, returns the best %i exactly as scoring every match does', (depth) => {
    const expand = synonymsIn(threaded);
    let pruned = 0;
    for (const q of queries) {
      const query = analyzeQuery(q, expand);
      expect(query.expansions.length).toBeGreaterThan(query.words.length);
      const all = everyMatch(threaded, query);
      expect(ranked(threaded.score(query, { depth }))).toEqual(all.slice(0, depth));
      if (all.length > depth) pruned++;
    }
    expect(pruned).toBeGreaterThan(queries.length / 2);
  });

  /** Whether position i lies in one of the ranges: the restriction as the walk applies it, one paragraph at a time. */
  const within = (ranges: [number, number][], i: number) => ranges.some(([start, end]) => i >= start && i < end);

  /** The [start, end) ranges of the documents `pick` accepts, from the paragraphs' symbols. */
  function documentRanges(pick: (symbol: string) => boolean): [number, number][] {
    const ranges: [number, number][] = [];
    for (let i = 0; i < paragraphs.length; i++) {
      if (!pick(paragraphs[i].symbol)) continue;
      const last = ranges.at(-1);
      if (last && last[1] === i && paragraphs[i - 1].symbol === paragraphs[i].symbol) last[1] = i + 1;
      else ranges.push([i, i + 1]);
    }
    return ranges;
  }

  function expectRestricted(ranges: [number, number][], depth: number, count = queries.length): void {
    for (const q of queries.slice(0, count)) {
      const query = analyzeQuery(q);
      const all = everyMatch(threaded, query).filter(([i]) => within(ranges, i));
      expect(ranked(threaded.score(query, { depth, ranges }))).toEqual(all.slice(0, depth));
    }
  }

  it.each([1, 10, 50])('restricted to many documents, returns their best %i exactly as the walk does', (depth) => {
    const ranges = documentRanges((symbol) => symbol.endsWith('3') || symbol.endsWith('7'));
    expect(ranges.length).toBeGreaterThan(10);
    expectRestricted(ranges, depth);
  });

  it('restricted to ranges among empty ones, to ranges one paragraph apart, and to ranges at both ends of the index', () => {
    const size = paragraphs.length;
    expectRestricted(Array.from({ length: 1500 }, (_, i): [number, number] => [2 * i, 2 * i + 1]), 10);
    expectRestricted([[0, 0], [120, 120], [500, 1300], [1300, 1300], [2000, 2050], [size, size]], 10);
    expectRestricted([[0, 250], [size - 250, size]], 10);
    expectRestricted([[0, 1], [size - 1, size]], 10);
  });

  it('restricted to fewer paragraphs than the depth, returns every match among them', () => {
    const [one] = documentRanges((symbol) => symbol === paragraphs[3000].symbol);
    let matched = 0;
    for (const q of queries) {
      const query = analyzeQuery(q);
      const all = everyMatch(threaded, query).filter(([i]) => within([one], i));
      expect(ranked(threaded.score(query, { depth: 1000, ranges: [one] }))).toEqual(all);
      if (all.length > 0) matched++;
    }
    expect(one[1] - one[0]).toBeLessThan(1000);
    expect(matched).toBeGreaterThan(0);
  });

  it('restricted to no ranges, scores nothing; refuses ranges that are unsorted, overlapping or reversed', () => {
    const query = analyzeQuery(queries[0]);
    expect(threaded.score(query, { ranges: [] }).size).toBe(0);
    for (const ranges of [[[100, 200], [0, 50]], [[0, 100], [50, 150]], [[20, 10]], [[-5, 10]]] as [number, number][][]) {
      expect(() => threaded.score(query, { ranges })).toThrow(RangeError);
    }
  });

  it('survives a reload unchanged', async () => {
    await threaded.save(join(root, 'reload'));
    const loaded = await LexicalIndex.load((file) => readFile(join(root, 'reload', file)));
    for (const q of queries.slice(0, 10)) expect(ranked(loaded.score(analyzeQuery(q)))).toEqual(ranked(threaded.score(analyzeQuery(q))));
  });
});
