import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Embeddings } from '@langchain/core/embeddings';
import { bigrams, words } from '../lexical/tokenize.ts';
import { type SparseRow, truncatedSvdProjection } from './lsa.ts';

/**
 * The offline embedder: latent semantic analysis fitted to the corpus at ingest time. TF-IDF over
 * jieba words and Han bigrams, reduced by a seeded truncated SVD; everything it needs is saved with
 * the index, so questions are embedded with no model and no network.
 */

export const OFFLINE_PROVIDER = 'offline';
export const OFFLINE_MODEL = 'lsa-tfidf-v1';

const MODEL_FILE = 'offline-embedder.json';
const PROJECTION_FILE = 'offline-embedder.f32';
const DEFAULT_DIMENSION = 64;
const SEED = 20131220;
/** Bigrams repeat what the words say at a finer grain; they count for less. */
const BIGRAM_WEIGHT = 0.5;

interface ModelFile {
  model: string;
  dimension: number;
  terms: string[];
  idf: number[];
}

function features(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const w of words(text)) counts.set(`w:${w}`, (counts.get(`w:${w}`) ?? 0) + 1);
  for (const g of bigrams(text)) counts.set(`b:${g}`, (counts.get(`b:${g}`) ?? 0) + BIGRAM_WEIGHT);
  return counts;
}

export class OfflineEmbeddings extends Embeddings {
  private readonly termIndex: Map<string, number>;

  private constructor(
    private readonly terms: string[],
    private readonly idf: Float64Array,
    private readonly projection: Float32Array,
    readonly dimension: number,
  ) {
    super({});
    this.termIndex = new Map(terms.map((t, i) => [t, i]));
  }

  /** Fits the vocabulary, IDF weights and latent projection to the given texts (deterministic). */
  static fit(texts: string[], dimension = DEFAULT_DIMENSION): OfflineEmbeddings {
    const docs = texts.map(features);
    const termIndex = new Map<string, number>();
    const df: number[] = [];
    for (const doc of docs) {
      for (const term of doc.keys()) {
        let index = termIndex.get(term);
        if (index === undefined) {
          index = df.length;
          termIndex.set(term, index);
          df.push(0);
        }
        df[index]++;
      }
    }
    const n = Math.max(1, texts.length);
    const idf = Float64Array.from(df, (d) => Math.log((1 + n) / (1 + d)) + 1);
    const terms = [...termIndex.keys()];
    const rows = docs.map((doc) => weigh(doc, termIndex, idf));
    const { projection, dimension: kept } = truncatedSvdProjection(rows, terms.length, dimension, SEED);
    return new OfflineEmbeddings(terms, idf, projection, kept);
  }

  async embedDocuments(documents: string[]): Promise<number[][]> {
    return documents.map((d) => this.embed(d));
  }

  async embedQuery(document: string): Promise<number[]> {
    return this.embed(document);
  }

  /** Synchronous embedding: a few hundred multiply-adds, no reason to wait on anything. */
  embed(text: string): number[] {
    const row = weigh(features(text), this.termIndex, this.idf);
    const out = new Array<number>(this.dimension).fill(0);
    for (let i = 0; i < row.terms.length; i++) {
      const base = row.terms[i] * this.dimension;
      const v = row.values[i];
      for (let j = 0; j < this.dimension; j++) out[j] += v * this.projection[base + j];
    }
    const norm = Math.hypot(...out);
    return norm > 0 ? out.map((x) => x / norm) : out;
  }

  async save(directory: string): Promise<void> {
    const model: ModelFile = { model: OFFLINE_MODEL, dimension: this.dimension, terms: this.terms, idf: [...this.idf] };
    await writeFile(join(directory, MODEL_FILE), JSON.stringify(model));
    await writeFile(join(directory, PROJECTION_FILE), new Uint8Array(this.projection.buffer, this.projection.byteOffset, this.projection.byteLength));
  }

  static async load(directory: string): Promise<OfflineEmbeddings> {
    const model = JSON.parse(await readFile(join(directory, MODEL_FILE), 'utf8')) as ModelFile;
    if (model.model !== OFFLINE_MODEL || !Array.isArray(model.terms) || !Array.isArray(model.idf) || model.terms.length !== model.idf.length) {
      throw new Error(`${MODEL_FILE} is not a ${OFFLINE_MODEL} model`);
    }
    const bytes = await readFile(join(directory, PROJECTION_FILE));
    const projection = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    if (projection.length !== model.terms.length * model.dimension) throw new Error(`${PROJECTION_FILE} does not match ${MODEL_FILE}`);
    return new OfflineEmbeddings(model.terms, Float64Array.from(model.idf), projection, model.dimension);
  }
}

/** Sublinear TF × IDF, L2-normalized, so long paragraphs do not dominate the latent space. */
function weigh(counts: Map<string, number>, termIndex: Map<string, number>, idf: Float64Array): SparseRow {
  const terms: number[] = [];
  const values: number[] = [];
  for (const [term, tf] of counts) {
    const index = termIndex.get(term);
    if (index === undefined) continue;
    terms.push(index);
    values.push((tf >= 1 ? 1 + Math.log(tf) : tf) * idf[index]);
  }
  const norm = Math.hypot(...values);
  return { terms, values: norm > 0 ? values.map((v) => v / norm) : values };
}
