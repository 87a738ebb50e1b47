import { rm } from 'node:fs/promises';
import type { DocumentMeta, Paragraph } from '../core/paragraph.ts';
import { buildLexicalParts } from '../index/build-parts.ts';
import { OFFLINE_MODEL, OFFLINE_PROVIDER } from '../index/embeddings/factory.ts';
import { FORMAT_VERSION, writeIndexFiles } from '../index/layout.ts';
import { buildLexicon } from '../index/lexicon/build.ts';

/**
 * The index build for paragraphs that are already parsed (synthetic corpora), made of the same parts
 * ingestCorpus uses — buildLexicalParts, the lexicon and the index layout — and timed stage by stage.
 */

/** Milliseconds per stage. */
export type BuildStages = { segment: number; finish: number; lexicon: number; write: number };

export async function buildFromParagraphs(dir: string, documents: DocumentMeta[], paragraphs: Paragraph[]): Promise<BuildStages> {
  const titles = new Map(documents.map((d) => [d.symbol, d.title]));
  const { lexical, stages } = await buildLexicalParts(paragraphs, (symbol) => titles.get(symbol) ?? '');
  let started = performance.now();
  const lexicon = buildLexicon(lexical.documentFrequencies('words'));
  const lexiconMs = Math.round(performance.now() - started);
  started = performance.now();
  await rm(dir, { recursive: true, force: true });
  await writeIndexFiles(dir, {
    manifest: {
      formatVersion: FORMAT_VERSION,
      corpusHash: `synthetic-${paragraphs.length}`,
      embeddings: { provider: OFFLINE_PROVIDER, model: OFFLINE_MODEL, dimension: 0 },
      builtAt: new Date().toISOString(),
      documents: documents.length,
      paragraphs: paragraphs.length,
    },
    documents: { parserHash: 'synthetic', documents: documents.map((meta) => ({ meta, sourceHash: 'synthetic', warnings: [] })), failures: [] },
    paragraphs,
    lexical,
    lexicon,
  });
  return { ...stages, lexicon: lexiconMs, write: Math.round(performance.now() - started) };
}
