import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Document, type DocumentInterface } from '@langchain/core/documents';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { SaveableVectorStore } from '@langchain/core/vectorstores';
import hnswlib from 'hnswlib-node';

/**
 * LangChain's VectorStore over an hnswlib-node cosine index. Documents carry the paragraph id in their
 * metadata; the index label of a vector is the document's position in the docstore.
 */

const INDEX_FILE = 'hnsw.bin';
const DOCSTORE_FILE = 'docstore.json';
const M = 16;
const EF_CONSTRUCTION = 200;
const SEED = 100;

interface Docstore {
  dimension: number;
  documents: { pageContent: string; metadata: Record<string, unknown> }[];
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
    const dimension = vectors[0].length;
    if (this.dimension !== undefined && dimension !== this.dimension) throw new Error(`vectors of dimension ${dimension} added to an index of dimension ${this.dimension}`);
    if (!this.index) {
      this.dimension = dimension;
      this.index = new hnswlib.HierarchicalNSW('cosine', dimension);
      this.index.initIndex(vectors.length, M, EF_CONSTRUCTION, SEED);
    } else {
      this.index.resizeIndex(this.documents.length + vectors.length);
    }
    vectors.forEach((vector, i) => {
      this.index!.addPoint(vector, this.documents.length);
      this.documents.push(documents[i]);
    });
  }

  async similaritySearchVectorWithScore(query: number[], k: number, filter?: this['FilterType']): Promise<[DocumentInterface, number][]> {
    return this.searchVector(query, k, filter);
  }

  /** Best first, with cosine similarity (1 − hnswlib's cosine distance) as the score. */
  searchVector(query: number[], k: number, filter?: (document: DocumentInterface) => boolean): [DocumentInterface, number][] {
    if (!this.index || this.documents.length === 0) return [];
    if (query.length !== this.dimension) throw new Error(`query of dimension ${query.length} for an index of dimension ${this.dimension}`);
    const count = Math.min(k, this.documents.length);
    // A high ef makes the small graphs of this product effectively exact.
    this.index.setEf(Math.max(count, 200));
    const result = this.index.searchKnn(query, count, filter ? (label: number) => filter(this.documents[label]) : undefined);
    return result.neighbors.map((label, i) => [this.documents[label], 1 - result.distances[i]]);
  }

  async save(directory: string): Promise<void> {
    await mkdir(directory, { recursive: true });
    if (this.index) await this.index.writeIndex(join(directory, INDEX_FILE));
    const docstore: Docstore = {
      dimension: this.dimension ?? 0,
      documents: this.documents.map((d) => ({ pageContent: d.pageContent, metadata: d.metadata })),
    };
    await writeFile(join(directory, DOCSTORE_FILE), JSON.stringify(docstore));
  }

  static override async load(directory: string, embeddings: EmbeddingsInterface): Promise<HnswVectorStore> {
    const docstore = JSON.parse(await readFile(join(directory, DOCSTORE_FILE), 'utf8')) as Docstore;
    if (!Array.isArray(docstore.documents) || typeof docstore.dimension !== 'number') throw new Error(`${DOCSTORE_FILE} has an unknown shape`);
    const store = new HnswVectorStore(embeddings);
    if (docstore.documents.length === 0) return store;
    store.dimension = docstore.dimension;
    store.index = new hnswlib.HierarchicalNSW('cosine', docstore.dimension);
    await store.index.readIndex(join(directory, INDEX_FILE));
    if (store.index.getCurrentCount() !== docstore.documents.length) throw new Error(`${INDEX_FILE} holds ${store.index.getCurrentCount()} vectors for ${docstore.documents.length} documents`);
    for (const d of docstore.documents) store.documents.push(new Document(d));
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
