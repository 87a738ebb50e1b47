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

  it.each([10, 50])('applies a filter before cutting to the best %i', (depth) => {
    const inSomeDocuments = (i: number) => paragraphs[i].symbol.endsWith('3') || paragraphs[i].symbol.endsWith('7');
    for (const q of queries.slice(0, 10)) {
      const query = analyzeQuery(q);
      const all = everyMatch(threaded, query).filter(([i]) => inSomeDocuments(i));
      expect(ranked(threaded.score(query, { depth, filter: inSomeDocuments }))).toEqual(all.slice(0, depth));
    }
  });

  it('survives a reload unchanged', async () => {
    await threaded.save(join(root, 'reload'));
    const loaded = await LexicalIndex.load(join(root, 'reload'));
    for (const q of queries.slice(0, 10)) expect(ranked(loaded.score(analyzeQuery(q)))).toEqual(ranked(threaded.score(analyzeQuery(q))));
  });
});
