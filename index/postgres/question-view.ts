import { LRUCache } from 'lru-cache';
import type pg from 'pg';
import type { ScoredParagraph } from '../../core/answer.ts';
import { type DocumentMeta, leadInOf, type Paragraph } from '../../core/paragraph.ts';
import { type IndexView, type SearchOptions, type ViewRequest, ViewMiss } from '../knowledge-index.ts';
import { idfOf } from '../lexical/bm25.ts';
import { bigrams, normalizeForSearch, words } from '../lexical/tokenize.ts';
import type { Lexicon } from '../lexicon/lexicon.ts';
import { FIELD_NUMBER } from './schema.ts';

/**
 * A replica on PostgreSQL holds no paragraphs and no term statistics: each question's view fetches the
 * documents, labels and term frequencies it reads, in a few round trips, from the generation the
 * replica opened. A bounded cache per replica keeps what recent questions read, so that the documents
 * and words every question touches cost one fetch, not one per question.
 */

/**
 * Paragraphs kept in the replica's cache (whole documents; a UN document has tens to hundreds), and
 * paragraphs whose words are kept cut: enough for the documents a stream of questions keeps coming back
 * to. Measured at 100k paragraphs (`npm run bench`), 50,000 of each and 200,000 terms left a replica at
 * 724 MB after the bench's questions; these bounds, 625 MB.
 */
const CACHED_PARAGRAPHS = 20_000;
const CUT_PARAGRAPHS = 5_000;
/** Term frequencies kept in the replica's cache. */
const CACHED_TERMS = 100_000;
/**
 * A question's words are weighed after its frame cuts it into parts, and jieba may cut a part otherwise
 * than the whole: every run of Han characters up to this length is fetched with the question, so that any
 * word a part can be cut into is there (dictionary words longer than this are cut as in the whole text).
 */
const LONGEST_WORD = 8;
/** The term that stands for "a word the index lacks" (answer/reading.ts weighs it); PostgreSQL text cannot hold it. */
const UNSEEN = '\u0000';

const key = (field: 'words' | 'bigrams', term: string) => `${FIELD_NUMBER[field]}\t${term}`;

/** What the replica reads from one generation, with its bounded caches. */
export class GenerationReader {
  private readonly documentCache = new LRUCache<string, Paragraph[]>({ maxSize: CACHED_PARAGRAPHS, sizeCalculation: (paragraphs) => Math.max(1, paragraphs.length) });
  private readonly termCache = new LRUCache<string, number>({ max: CACHED_TERMS });
  private readonly wordCache = new LRUCache<string, string[]>({ max: CUT_PARAGRAPHS });

  /** The generation's documents, looked up by symbol by every view. */
  readonly symbols: ReadonlySet<string>;

  constructor(
    private readonly pool: pg.Pool,
    private readonly generation: number,
    readonly size: number,
    documents: DocumentMeta[],
  ) {
    this.symbols = new Set(documents.map((d) => d.symbol));
  }

  /** Each document's paragraphs in position order. */
  async documents(symbols: string[]): Promise<Map<string, Paragraph[]>> {
    const out = new Map<string, Paragraph[]>();
    const missing: string[] = [];
    for (const symbol of symbols) {
      const cached = this.documentCache.get(symbol);
      if (cached) out.set(symbol, cached);
      else missing.push(symbol);
    }
    if (missing.length === 0) return out;
    const { rows } = await this.pool.query<{ paragraph: Paragraph }>(
      'SELECT paragraph FROM pa_paragraphs WHERE generation = $1 AND symbol = ANY ($2::text[]) ORDER BY position',
      [this.generation, missing],
    );
    const fetched = new Map<string, Paragraph[]>(missing.map((s) => [s, []]));
    for (const { paragraph } of rows) fetched.get(paragraph.symbol)!.push(paragraph);
    for (const [symbol, paragraphs] of fetched) {
      this.documentCache.set(symbol, paragraphs);
      out.set(symbol, paragraphs);
    }
    return out;
  }

  /** The paragraphs with these labels in any document, in corpus order. */
  async labelled(labels: string[]): Promise<Paragraph[]> {
    const { rows } = await this.pool.query<{ paragraph: Paragraph }>('SELECT paragraph FROM pa_paragraphs WHERE generation = $1 AND label = ANY ($2::text[]) ORDER BY position', [
      this.generation,
      labels,
    ]);
    return rows.map((r) => r.paragraph);
  }

  /** The paragraphs at these positions, in the order asked. */
  async at(positions: number[]): Promise<Paragraph[]> {
    if (positions.length === 0) return [];
    const { rows } = await this.pool.query<{ position: number; paragraph: Paragraph }>(
      'SELECT position, paragraph FROM pa_paragraphs WHERE generation = $1 AND position = ANY ($2::int[])',
      [this.generation, positions],
    );
    const byPosition = new Map(rows.map((r) => [r.position, r.paragraph]));
    return positions.map((p) => {
      const found = byPosition.get(p);
      if (!found) throw new Error(`generation ${this.generation} holds no paragraph at position ${p}`);
      return found;
    });
  }

  /** The terms a paragraph is weighed by (its gloss-space point weighs its words), cut once per replica. */
  wordsOf(paragraph: Paragraph): string[] {
    const cached = this.wordCache.get(paragraph.id);
    if (cached) return cached;
    const keys = [...new Set(words(paragraph.text))].map((w) => key('words', w));
    this.wordCache.set(paragraph.id, keys);
    return keys;
  }

  /** Document frequencies by key (field and term); a term the index lacks has 0. */
  async frequencies(keys: string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    const missing: string[] = [];
    for (const k of keys) {
      const cached = k.includes(UNSEEN) ? 0 : this.termCache.get(k);
      if (cached !== undefined) out.set(k, cached);
      else missing.push(k);
    }
    if (missing.length === 0) return out;
    const split = missing.map((k) => k.split('\t') as [string, string]);
    const { rows } = await this.pool.query<{ field: number; term: string; df: number }>(
      `SELECT q.field, q.term, t.df FROM unnest($2::smallint[], $3::text[]) AS q (field, term)
       JOIN pa_terms t ON t.generation = $1 AND t.field = q.field AND t.term = q.term`,
      [this.generation, split.map(([field]) => Number(field)), split.map(([, term]) => term)],
    );
    for (const k of missing) out.set(k, 0);
    for (const row of rows) out.set(`${row.field}\t${row.term}`, row.df);
    for (const k of missing) this.termCache.set(k, out.get(k)!);
    return out;
  }
}

/** One question's view of a generation in PostgreSQL. */
export class PostgresView implements IndexView {
  private readonly held = new Map<string, Paragraph[]>();
  private readonly byLabel = new Map<string, Paragraph[]>();
  private readonly frequency = new Map<string, number>();
  private readonly widenedTexts = new Set<string>();

  constructor(
    private readonly reader: GenerationReader,
    readonly documents: DocumentMeta[],
    readonly lexicon: Lexicon,
    private readonly searchIndex: (query: string, options?: SearchOptions) => Promise<ScoredParagraph[]>,
  ) {}

  paragraph = (symbol: string, label: string): Paragraph | undefined => {
    if (!this.reader.symbols.has(symbol)) return undefined;
    const document = this.held.get(symbol);
    if (document) return document.find((p) => p.label === label);
    const withLabel = this.byLabel.get(label);
    if (withLabel) return withLabel.find((p) => p.symbol === symbol);
    throw new ViewMiss(`${symbol} ${label}`);
  };

  paragraphAt(symbol: string, position: number): Paragraph | undefined {
    const document = this.paragraphsOf(symbol);
    const found = document[position];
    return found && found.position === position ? found : document.find((p) => p.position === position);
  }

  paragraphsOf(symbol: string): Paragraph[] {
    if (!this.reader.symbols.has(symbol)) return [];
    const document = this.held.get(symbol);
    if (!document) throw new ViewMiss(`the paragraphs of ${symbol}`);
    return document;
  }

  labelled(label: string): Paragraph[] {
    const found = this.byLabel.get(label);
    if (!found) throw new ViewMiss(`the paragraphs labelled ${label}`);
    return found;
  }

  idf(term: string, field: 'words' | 'bigrams' = 'words'): number {
    const df = this.frequency.get(key(field, term));
    if (df === undefined) throw new ViewMiss(`the frequency of ${field === 'words' ? 'the word' : 'the bigram'} "${term}"`);
    return idfOf(this.reader.size, df);
  }

  /** The paragraphs found join the view with their documents (neighbours, sub-paragraphs) and their words. */
  async search(query: string, options?: SearchOptions): Promise<ScoredParagraph[]> {
    const found = await this.searchIndex(query, options);
    await this.widen({ documents: found.map((r) => r.paragraph.symbol), paragraphs: found.map((r) => r.paragraph) });
    return found;
  }

  async widen(request: ViewRequest): Promise<void> {
    await Promise.all([this.fetchDocuments(request.documents ?? []), this.fetchLabels(request.labels ?? [])]);
    // A question's texts come back (the reading widens by what the request already held): cut and
    // translated once is enough.
    const texts = [...new Set(request.texts ?? [])].filter((text) => !this.widenedTexts.has(text));
    const keys = [...texts.flatMap((text) => questionKeys(text, this.lexicon)), ...(request.paragraphs ?? []).flatMap((p) => this.reader.wordsOf(p))];
    await this.fetchTerms(keys);
    for (const text of texts) this.widenedTexts.add(text);
  }

  private async fetchDocuments(symbols: string[]): Promise<void> {
    const missing = [...new Set(symbols)].filter((s) => this.reader.symbols.has(s) && !this.held.has(s));
    if (missing.length === 0) return;
    for (const [symbol, paragraphs] of await this.reader.documents(missing)) this.held.set(symbol, paragraphs);
  }

  /** A label comes with its lead-in ("13(c)" with "13"), which a claim about a sub-paragraph is read with. */
  private async fetchLabels(labels: string[]): Promise<void> {
    const wanted = [...new Set(labels.flatMap((l) => [l, leadInOf(l) ?? l]))].filter((l) => !this.byLabel.has(l));
    if (wanted.length === 0) return;
    const paragraphs = await this.reader.labelled(wanted);
    for (const label of wanted) this.byLabel.set(label, []);
    for (const p of paragraphs) this.byLabel.get(p.label)!.push(p);
  }

  private async fetchTerms(keys: string[]): Promise<void> {
    const missing = [...new Set(keys)].filter((k) => !this.frequency.has(k));
    if (missing.length === 0) return;
    for (const [k, df] of await this.reader.frequencies(missing)) this.frequency.set(k, df);
  }
}

/**
 * The terms a question's parts may be weighed by: its words and bigrams, every Han run up to
 * LONGEST_WORD, and the same of its translation (an English question is weighed in the documents' words).
 */
function questionKeys(text: string, lexicon: Lexicon): string[] {
  const variants = [text, ...lexicon.translate(text).map((w) => w.word)];
  const out = [key('words', UNSEEN)];
  for (const variant of variants) {
    for (const w of words(variant)) out.push(key('words', w));
    for (const g of bigrams(variant)) out.push(key('bigrams', g));
    for (const run of normalizeForSearch(variant).match(/\p{Script=Han}+/gu) ?? []) {
      for (let from = 0; from < run.length; from++) for (let length = 2; length <= LONGEST_WORD && from + length <= run.length; length++) out.push(key('words', run.slice(from, from + length)));
    }
  }
  return out;
}
