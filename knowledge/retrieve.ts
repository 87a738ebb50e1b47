import type { DocumentInterface } from '@langchain/core/documents';
import type { EmbeddingsInterface } from '@langchain/core/embeddings';
import { type DocumentMeta, type LabelKind, labelKind, type Paragraph } from '../core/paragraph.ts';
import type { ScoredParagraph } from '../core/answer.ts';
import type { SearchOptions } from '../index/knowledge-index.ts';
import { analyzeQuery, type LexicalIndex } from '../index/lexical/bm25.ts';
import { sentences } from './extractive.ts';
import { intentsOf, showsIntent, withoutAsking } from './question/intent.ts';
import { coverage, questionTerms, termStats, type TermStats } from './question/terms.ts';
import type { HnswVectorStore } from '../index/vector-store.ts';

/**
 * Hybrid retrieval over paragraphs: BM25 (jieba words, Han bigrams, section context) and the dense
 * index, fused by reciprocal rank fusion, then re-ranked by what the question says about documents —
 * a year ("2003年的报告"), a kind ("决议", "report") or a symbol ("A/58/227") — because questions
 * name documents by date and kind far more often than by symbol.
 */

export interface RetrieverParts {
  paragraphs: Paragraph[];
  documents: DocumentMeta[];
  lexical: LexicalIndex;
  /** The dense side; without it retrieval is lexical only. */
  vectors?: { store: HnswVectorStore; embeddings: EmbeddingsInterface };
}

export interface RetrieverTuning {
  /** Reciprocal rank fusion constant. */
  rrfK: number;
  /** Weight of the dense ranking against the lexical one (0 turns it off). */
  denseWeight: number;
  /** How many dense neighbours enter the fusion. */
  denseDepth: number;
  /** Multiplier for paragraphs of a document that the question points at. */
  documentBoost: number;
  /** Multiplier for paragraphs of a kind the question names (summary, footnote, box, preamble). */
  partBoost: number;
  /**
   * How many of the fused candidates the second stage re-ranks (0 turns it off). Re-ranking the top 5
   * only reorders them: deeper (10–30) it lifts R@1 further but pushes gold paragraphs out of the top 5.
   */
  rerankDepth: number;
  /** Weight of the coverage ranking against the first-stage ranking in the second stage. */
  rerankWeight: number;
  /**
   * Multiplier for leading paragraphs that answer in the form the question asks for (a definition,
   * a reason, a state of affairs, an operative request; see question/intent.ts).
   */
  intentBoost: number;
  /** How many of the leaders the intent boost may lift. */
  intentDepth: number;
}

export const DEFAULT_TUNING: RetrieverTuning = { rrfK: 60, denseWeight: 1, denseDepth: 50, documentBoost: 1, partBoost: 1, rerankDepth: 5, rerankWeight: 1, intentBoost: 0.15, intentDepth: 20 };

/**
 * The offline (LSA) vectors make the dev-set figures worse, not better (Chinese recall@5 / MRR:
 * BM25 alone 0.935 / 0.874; fused with dense weight 0.5, 0.881 / 0.826; weight 1, 0.845 / 0.778),
 * so offline retrieval is lexical; model embeddings take part in the fusion at full weight.
 */
export const OFFLINE_TUNING: RetrieverTuning = { ...DEFAULT_TUNING, denseWeight: 0 };

/** What a question says about which documents and which part of them it means. */
export interface DocumentHints {
  years: string[];
  kind?: DocumentMeta['kind'];
  symbols: string[];
  /** Years tied to the kind named after them ("2013年的大会决议"); when present they decide which documents are meant. */
  pairs: { year: string; kind: DocumentMeta['kind'] }[];
  /** Kinds of paragraph named: "摘要" → summary, "脚注" → footnote, "方框" → box, "序言" → preambular. */
  labelKinds: LabelKind[];
  /** A paragraph named by number ("第45段", "第13(c)段", "序言部分第3段", "para 13 (c)"), as a label. */
  label?: string;
  /** The question without the words that only point at documents, for matching content. */
  content: string;
}

const YEAR = /(?<!\d)((?:19|20)\d{2})(?!\d)\s*年?/g;
const SYMBOL = /(?:A\s*\/\s*(?:RES\s*\/\s*)?)?(\d{2,3})\s*\/\s*(\d{1,4})(?:\s*号)?/gi;
const PARAGRAPH_REF =
  /(序言部分|执行部分)?\s*第\s*(\d{1,3})\s*(?:\(?\s*([a-z])\s*\)?)?\s*段(?:\s*\(?\s*([a-z])\s*\)?\s*项)?|\b(preambular\s+)?(?:para(?:graph)?s?\.?|§)\s*(\d{1,3})\s*(?:\(\s*([a-z])\s*\))?/gi;
const DOCUMENT_WORDS = /秘书长(?:的)?(?:报告)?|大会(?:的)?决议|决议|大会|报告|那份|这份|该份|文件|resolution|report/gi;
const PART_WORDS: [RegExp, LabelKind][] = [
  [/摘要|summary/i, 'summary'],
  [/脚注|footnote/i, 'footnote'],
  [/方框|专栏|box/i, 'box'],
  [/序言|preambular|preamble/i, 'preambular'],
  [/附件|annex/i, 'annex'],
];

export function documentHints(query: string, documents: DocumentMeta[]): DocumentHints {
  let text = query.normalize('NFKC');
  let label: string | undefined;
  for (const m of text.matchAll(PARAGRAPH_REF)) {
    const preambular = Boolean(m[1]?.startsWith('序言') || m[5]);
    const number = m[2] ?? m[6];
    const letter = (m[3] ?? m[4] ?? m[7])?.toLowerCase();
    label ??= preambular ? `PP${number}` : letter ? `${number}(${letter})` : number;
  }
  text = text.replace(PARAGRAPH_REF, ' ');
  const symbols = new Set<string>();
  for (const m of text.matchAll(SYMBOL)) {
    const tail = `${m[1]}/${m[2]}`;
    for (const d of documents) if (d.symbol.replace(/^A\/(RES\/)?/i, '') === tail) symbols.add(d.symbol);
  }
  text = text.replace(SYMBOL, ' ');
  const documentYears = new Set(documents.map((d) => d.date.slice(0, 4)));
  const years = [...new Set([...text.matchAll(YEAR)].map((m) => m[1]))];
  // A year that dates a document points at it; any other year is content ("2014-2015两年期").
  const content = text.replace(YEAR, (whole, year: string) => (documentYears.has(year) ? ' ' : whole));
  // "2003年的秘书长报告和2013年的大会决议": each year goes with the kind named right after it.
  // "2013年和2021年的报告": a year takes the first kind named after it in the same sentence.
  const pairs: DocumentHints['pairs'] = [];
  for (const m of text.matchAll(YEAR)) {
    const rest = text.slice(m.index + m[0].length).split(/[。？！?!；;]/)[0];
    const named = /决议|resolution|报告|report/i.exec(rest);
    if (named) pairs.push({ year: m[1], kind: /决议|resolution/i.test(named[0]) ? 'resolution' : 'report' });
  }
  // "大会认为…" / "大会定下的…" speaks of what the Assembly decided: its resolutions.
  const resolution = /决议|resolution|大会|general assembly/i.test(text);
  const report = /报告|report/i.test(text);
  const kind = resolution !== report ? (resolution ? 'resolution' : 'report') : undefined;
  const labelKinds = PART_WORDS.filter(([re]) => re.test(text)).map(([, k]) => k);
  return { years, kind, pairs, symbols: [...symbols], labelKinds, label, content: content.replace(DOCUMENT_WORDS, ' ') };
}

/** 0–1: how well a document matches what the question says about documents. */
function documentMatch(meta: DocumentMeta, hints: DocumentHints): number {
  if (hints.symbols.length) return hints.symbols.includes(meta.symbol) ? 1 : 0;
  const year = meta.date.slice(0, 4);
  if (hints.pairs.length) return hints.pairs.some((p) => p.year === year && p.kind === meta.kind) ? 1 : hints.years.includes(year) ? 0.3 : 0;
  const yearOk = hints.years.includes(year);
  const kindOk = hints.kind !== undefined && meta.kind === hints.kind;
  if (hints.years.length && hints.kind) return (yearOk ? 0.6 : 0) + (kindOk ? 0.4 : 0);
  if (hints.years.length) return yearOk ? 1 : 0;
  if (hints.kind) return kindOk ? 0.5 : 0;
  return 0;
}

export class HybridRetriever {
  private readonly position = new Map<string, number>();
  private readonly byLabel = new Map<string, number>();

  constructor(
    private readonly parts: RetrieverParts,
    private readonly tuning: RetrieverTuning = DEFAULT_TUNING,
  ) {
    parts.paragraphs.forEach((p, i) => {
      this.position.set(p.id, i);
      this.byLabel.set(`${p.symbol}\u0000${p.label}`, i);
    });
  }

  async search(query: string, options: SearchOptions = {}): Promise<ScoredParagraph[]> {
    const k = options.k ?? 10;
    const { paragraphs } = this.parts;
    const allowed = options.filter ? (i: number) => options.filter!(paragraphs[i]) : () => true;
    const hints = documentHints(query, this.parts.documents);

    const fused = new Map<number, number>();
    const add = (ranking: number[], weight: number) =>
      ranking.forEach((index, rank) => fused.set(index, (fused.get(index) ?? 0) + weight / (this.tuning.rrfK + rank + 1)));

    // Filtering inside the scorer keeps a restricted search (one document, a follow-up) from losing its
    // matches to the scorer's depth cut at large corpus sizes.
    const lexical = [...this.parts.lexical.score(analyzeQuery(hints.content), options.filter ? { filter: allowed } : undefined)]
      .sort((a, b) => b[1] - a[1] || a[0] - b[0])
      .map(([i]) => i);
    add(lexical, 1);
    if (this.parts.vectors && this.tuning.denseWeight > 0) add(await this.dense(hints.content, allowed), this.tuning.denseWeight);

    this.rerank(fused, hints.content);

    const matchOf = new Map(this.parts.documents.map((d) => [d.symbol, documentMatch(d, hints)]));
    const ranked: { index: number; score: number }[] = [];
    for (const [index, score] of fused) {
      const p = paragraphs[index];
      const documentBoost = 1 + this.tuning.documentBoost * (matchOf.get(p.symbol) ?? 0);
      const partBoost = hints.labelKinds.includes(labelKind(p.label)) ? 1 + this.tuning.partBoost : 1;
      ranked.push({ index, score: score * documentBoost * partBoost });
    }
    ranked.sort((a, b) => b.score - a.score || a.index - b.index);
    this.boostIntent(ranked, hints.content);
    const ordered = this.pinReferenced(this.interleaveDocuments(ranked, hints), hints, allowed);
    return ordered.slice(0, k).map(({ index, score }) => ({ paragraph: paragraphs[index], score }));
  }

  /**
   * Second stage over the first-stage leaders: BM25 rewards repeated and long matches, but a paragraph
   * answers when it holds most of what the question asks about, and holds it together. Each candidate
   * is scored by the IDF-weighted share of the question's content terms it contains (framing and
   * question words carry no weight, see terms.ts) plus the share its best sentence holds on its own;
   * that ranking joins the first-stage one by reciprocal rank fusion.
   */
  private rerank(fused: Map<number, number>, content: string): void {
    const { rerankDepth, rerankWeight, rrfK } = this.tuning;
    if (rerankDepth <= 0 || rerankWeight <= 0 || fused.size === 0) return;
    const terms = questionTerms(content, this.stats());
    if (terms.length < 2) return;
    const leaders = [...fused].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, rerankDepth);
    const scored = leaders.map(([index], rank) => {
      const p = this.parts.paragraphs[index];
      const whole = coverage(terms, [p.text, ...p.section].join(' '));
      const together = Math.max(0, ...sentences(p.text).map((s) => coverage(terms, s)));
      return { index, rank, score: whole + together };
    });
    scored.sort((a, b) => b.score - a.score || a.rank - b.rank);
    const below = rerankWeight / (rrfK + rerankDepth + 1);
    for (const [index, score] of fused) fused.set(index, score + below);
    scored.forEach(({ index }, rank) => fused.set(index, fused.get(index)! - below + rerankWeight / (rrfK + rank + 1)));
  }

  /** Lifts, among the leaders, the paragraphs that answer in the form asked for; the rest keep their order. */
  private boostIntent(ranked: { index: number; score: number }[], content: string): void {
    const { intentBoost, intentDepth } = this.tuning;
    const intents = intentsOf(content);
    if (intentBoost <= 0 || intents.length === 0) return;
    const subject = questionTerms(withoutAsking(content, intents), this.stats()).map((t) => t.term);
    const head = ranked.slice(0, intentDepth);
    for (const r of head) if (showsIntent(intents, this.parts.paragraphs[r.index], subject)) r.score *= 1 + intentBoost;
    head.sort((a, b) => b.score - a.score || a.index - b.index);
    ranked.splice(0, head.length, ...head);
  }

  private termStats?: TermStats;
  private stats(): TermStats {
    this.termStats ??= termStats(this.parts.paragraphs);
    return this.termStats;
  }

  /**
   * A paragraph the question names ("A/58/227 第45段", "2021年报告第37段") goes first, scored above
   * everything else, when the question identifies exactly one document that has it.
   */
  private pinReferenced(ranked: { index: number; score: number }[], hints: DocumentHints, allowed: (i: number) => boolean): { index: number; score: number }[] {
    if (!hints.label) return ranked;
    const candidates = this.parts.documents.filter((d) => documentMatch(d, hints) === 1);
    const documents = candidates.length ? candidates : this.parts.documents;
    const found = documents
      .map((d) => this.byLabel.get(`${d.symbol}\u0000${hints.label}`))
      .filter((i): i is number => i !== undefined && allowed(i));
    if (found.length !== 1) return ranked;
    const top = (ranked[0]?.score ?? 0) * 2 || 1;
    return [{ index: found[0], score: top }, ...ranked.filter((r) => r.index !== found[0])];
  }

  /**
   * A question that points at several documents ("2003年的报告和2013年的决议分别…") wants each of them
   * answered: the best paragraphs of each pointed-at document take turns at the top.
   */
  private interleaveDocuments(ranked: { index: number; score: number }[], hints: DocumentHints): { index: number; score: number }[] {
    const pointed = this.parts.documents.filter((d) => documentMatch(d, hints) >= 0.6).map((d) => d.symbol);
    if (pointed.length < 2) return ranked;
    const queues = pointed.map((symbol) => ranked.filter((r) => this.parts.paragraphs[r.index].symbol === symbol));
    const head: { index: number; score: number }[] = [];
    for (let round = 0; round < 2; round++) for (const q of queues) if (q[round]) head.push(q[round]);
    head.sort((a, b) => b.score - a.score);
    const taken = new Set(head.map((r) => r.index));
    return [...head, ...ranked.filter((r) => !taken.has(r.index))];
  }

  private async dense(query: string, allowed: (i: number) => boolean): Promise<number[]> {
    const { store, embeddings } = this.parts.vectors!;
    let vector: number[];
    try {
      vector = await embeddings.embedQuery(query);
    } catch {
      // A model embedding service that is down must not take retrieval with it: lexical still answers.
      return [];
    }
    const indexOf = (d: DocumentInterface) => this.position.get(String(d.metadata.id)) ?? -1;
    const hits = store.searchVector(vector, this.tuning.denseDepth, (d) => {
      const i = indexOf(d);
      return i >= 0 && allowed(i);
    });
    return hits.map(([d]) => indexOf(d));
  }
}
