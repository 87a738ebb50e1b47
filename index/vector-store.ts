import { createReadStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Document, type DocumentInterface } from '@langchain/core/documents';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { SaveableVectorStore } from '@langchain/core/vectorstores';
import hnswlib from 'hnswlib-node';
import { writeJsonLines } from './layout.ts';

/**
 * LangChain's VectorStore over an hnswlib-node cosine index. Documents carry the paragraph id in their
 * metadata; the index label of a vector is the document's position in the docstore.
 */

const INDEX_FILE = 'hnsw.bin';
/** A header line ({ dimension }) then one document per line: a million documents do not fit one string. */
const DOCSTORE_FILE = 'docstore.jsonl';
/** hnswlib's recommended graph for model embeddings (hundreds to thousands of dimensions, clustered). */
const M = 16;
const EF_CONSTRUCTION = 200;
const SEED = 100;
/** Search breadth: effectively exact at the product's sizes, a fraction of a millisecond per query. */
export const SEARCH_EF = 200;

interface StoredDocument {
  pageContent: string;
  metadata: Record<string, unknown>;
}

export class HnswVectorStore extends SaveableVectorStore {
  declare FilterType: (document: DocumentInterface) => boolean;
  private index: hnswlib.HierarchicalNSW | undefined;
  private readonly documents: DocumentInterface[] = [];
  private dimension: number | undefined;

  _vectorstoreType(): string {
    return 'hnswlib-node';
  }

  constructor(embeddings: EmbeddingsInterface) {
    super(embeddings, {});
  }

  get size(): number {
    return this.documents.length;
  }

  async addDocuments(documents: DocumentInterface[]): Promise<void> {
    const vectors = await this.embeddings.embedDocuments(documents.map((d) => d.pageContent));
    await this.addVectors(vectors, documents);
  }

  async addVectors(vectors: number[][], documents: DocumentInterface[]): Promise<void> {
    if (vectors.length !== documents.length) throw new Error(`${vectors.length} vectors for ${documents.length} documents`);
    if (vectors.length === 0) return;
    this.reserve(vectors[0].length, vectors.length);
    vectors.forEach((vector, i) => this.addOne(vector, documents[i]));
  }

  private reserve(dimension: number, more: number): void {
    if (this.dimension !== undefined && dimension !== this.dimension) throw new Error(`vectors of dimension ${dimension} added to an index of dimension ${this.dimension}`);
    if (!this.index) {
      this.dimension = dimension;
      this.index = new hnswlib.HierarchicalNSW('cosine', dimension);
      this.index.initIndex(more, M, EF_CONSTRUCTION, SEED);
    } else {
      this.index.resizeIndex(this.documents.length + more);
    }
  }

  private addOne(vector: number[], document: DocumentInterface): void {
    this.index!.addPoint(vector, this.documents.length);
    this.documents.push(document);
  }

  async similaritySearchVectorWithScore(query: number[], k: number, filter?: this['FilterType']): Promise<[DocumentInterface, number][]> {
    return this.searchVector(query, k, filter);
  }

  /** Best first, with cosine similarity (1 − hnswlib's cosine distance) as the score. */
  searchVector(query: number[], k: number, filter?: (document: DocumentInterface) => boolean): [DocumentInterface, number][] {
    const result = this.searchPositions(query, k, filter && ((position) => filter(this.documents[position])));
    return result.positions.map((position, i) => [this.documents[position], 1 - result.distances[i]]);
  }

  /** The nearest documents' positions in the store (the order they were added in), best first, with their cosine distances. */
  searchPositions(query: number[], k: number, filter?: (position: number) => boolean): { positions: number[]; distances: number[] } {
    if (!this.index || this.documents.length === 0) return { positions: [], distances: [] };
    if (query.length !== this.dimension) throw new Error(`query of dimension ${query.length} for an index of dimension ${this.dimension}`);
    const count = Math.min(k, this.documents.length);
    this.index.setEf(Math.max(count, SEARCH_EF));
    const result = this.index.searchKnn(query, count, filter);
    return { positions: result.neighbors, distances: result.distances };
  }

  async save(directory: string): Promise<void> {
    await mkdir(directory, { recursive: true });
    if (this.index) await this.index.writeIndex(join(directory, INDEX_FILE));
    const documents = this.documents.map((d): StoredDocument => ({ pageContent: d.pageContent, metadata: d.metadata }));
    await writeJsonLines(join(directory, DOCSTORE_FILE), [{ dimension: this.dimension ?? 0 }, ...documents]);
  }

  static override async load(directory: string, embeddings: EmbeddingsInterface): Promise<HnswVectorStore> {
    const store = new HnswVectorStore(embeddings);
    let dimension: number | undefined;
    for await (const line of createInterface({ input: createReadStream(join(directory, DOCSTORE_FILE), 'utf8'), crlfDelay: Infinity })) {
      if (line === '') continue;
      const value = JSON.parse(line) as { dimension?: unknown } & Partial<StoredDocument>;
      if (dimension === undefined) {
        if (typeof value.dimension !== 'number') throw new Error(`${DOCSTORE_FILE} has an unknown shape`);
        dimension = value.dimension;
      } else {
        if (typeof value.pageContent !== 'string' || typeof value.metadata !== 'object') throw new Error(`${DOCSTORE_FILE} has an unknown shape`);
        store.documents.push(new Document({ pageContent: value.pageContent, metadata: value.metadata ?? {} }));
      }
    }
    if (dimension === undefined) throw new Error(`${DOCSTORE_FILE} is empty`);
    if (store.documents.length === 0) return store;
    store.dimension = dimension;
    store.index = new hnswlib.HierarchicalNSW('cosine', dimension);
    await store.index.readIndex(join(directory, INDEX_FILE));
    if (store.index.getCurrentCount() !== store.documents.length) throw new Error(`${INDEX_FILE} holds ${store.index.getCurrentCount()} vectors for ${store.documents.length} documents`);
    return store;
  }

  /** The stored vector of the document at `position` (reused by incremental ingests). */
  vectorAt(position: number): number[] | undefined {
    return this.index && position < this.documents.length ? this.index.getPoint(position) : undefined;
  }

  documentAt(position: number): DocumentInterface | undefined {
    return this.documents[position];
  }
}
