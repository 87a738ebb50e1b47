/**
 * Evaluation against a gold file (../shared/eval/SCHEME.md): retrieval recall and MRR, whether answers
 * cite the right paragraphs, abstain when they should, and quote looked-up paragraphs exactly.
 */

export type QuestionType = 'fact' | 'lookup' | 'multi' | 'temporal' | 'abstain';

export interface GoldEntry {
  doc: string;
  para: string;
  snippet: string;
}

export interface GoldQuestion {
  id: string;
  q: string;
  lang: string;
  type: QuestionType;
  gold: GoldEntry[];
  answer?: string;
}

export interface CitedParagraph {
  symbol: string;
  paragraph: string;
  text: string;
}

/** What the assistant produced for one question: the fields of the ask JSON object that metrics read. */
export interface Prediction {
  id?: string;
  answer: string;
  abstained: boolean;
  citations: CitedParagraph[];
  retrieved: CitedParagraph[];
}

export interface Metrics {
  questions: number;
  answerable: number;
  recallAt1: number | null;
  recallAt5: number | null;
  recallAt10: number | null;
  mrr: number | null;
  citationHitRate: number | null;
  citationPrecision: number | null;
  multiCoverage: number | null;
  abstentionAccuracy: number | null;
  falseAbstentionRate: number | null;
  lookupExactness: number | null;
}

export interface Report {
  overall: Metrics;
  byType: Record<string, Metrics>;
  byLanguage: Record<string, Metrics>;
}

const paragraphLevel = (label: string) => label.replace(/\([a-z]+\)$/, '');
const squash = (text: string) => text.normalize('NFKC').replace(/\s+/g, '');

/** SCHEME.md: same symbol, and the label matches at paragraph level or the text contains the snippet. */
export function hits(entry: GoldEntry, cited: CitedParagraph): boolean {
  if (cited.symbol !== entry.doc) return false;
  return paragraphLevel(cited.paragraph) === paragraphLevel(entry.para) || squash(cited.text).includes(squash(entry.snippet));
}

const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);

function recallAt(gold: GoldEntry[], retrieved: CitedParagraph[], k: number): number {
  const top = retrieved.slice(0, k);
  return gold.filter((g) => top.some((r) => hits(g, r))).length / gold.length;
}

function reciprocalRank(gold: GoldEntry[], retrieved: CitedParagraph[]): number {
  const rank = retrieved.findIndex((r) => gold.some((g) => hits(g, r)));
  return rank < 0 ? 0 : 1 / (rank + 1);
}

export function computeMetrics(pairs: Array<{ gold: GoldQuestion; prediction: Prediction }>): Metrics {
  const answerable = pairs.filter((p) => p.gold.type !== 'abstain' && p.gold.gold.length > 0);
  const abstain = pairs.filter((p) => p.gold.type === 'abstain');
  const multi = answerable.filter((p) => p.gold.type === 'multi');
  const lookups = answerable.filter((p) => p.gold.type === 'lookup');
  const citations = answerable.flatMap((p) => p.prediction.citations.map((c) => p.gold.gold.some((g) => hits(g, c))));
  return {
    questions: pairs.length,
    answerable: answerable.length,
    recallAt1: mean(answerable.map((p) => recallAt(p.gold.gold, p.prediction.retrieved, 1))),
    recallAt5: mean(answerable.map((p) => recallAt(p.gold.gold, p.prediction.retrieved, 5))),
    recallAt10: mean(answerable.map((p) => recallAt(p.gold.gold, p.prediction.retrieved, 10))),
    mrr: mean(answerable.map((p) => reciprocalRank(p.gold.gold, p.prediction.retrieved))),
    citationHitRate: mean(answerable.map((p) => (p.prediction.citations.some((c) => p.gold.gold.some((g) => hits(g, c))) ? 1 : 0))),
    citationPrecision: citations.length ? citations.filter(Boolean).length / citations.length : answerable.length ? 0 : null,
    multiCoverage: mean(multi.map((p) => p.gold.gold.filter((g) => p.prediction.citations.some((c) => hits(g, c))).length / p.gold.gold.length)),
    abstentionAccuracy: mean(abstain.map((p) => (p.prediction.abstained ? 1 : 0))),
    falseAbstentionRate: mean(answerable.map((p) => (p.prediction.abstained ? 1 : 0))),
    lookupExactness: mean(
      lookups.map((p) => {
        const first = p.prediction.citations[0];
        const gold = p.gold.gold[0];
        return first && first.symbol === gold.doc && first.paragraph === gold.para && squash(p.prediction.answer).includes(squash(first.text)) ? 1 : 0;
      }),
    ),
  };
}

function groupBy<T>(items: T[], key: (item: T) => string): Record<string, T[]> {
  const groups: Record<string, T[]> = {};
  for (const item of items) (groups[key(item)] ??= []).push(item);
  return groups;
}

export function evaluate(pairs: Array<{ gold: GoldQuestion; prediction: Prediction }>): Report {
  const map = (groups: Record<string, typeof pairs>) => Object.fromEntries(Object.entries(groups).map(([k, v]) => [k, computeMetrics(v)]));
  return {
    overall: computeMetrics(pairs),
    byType: map(groupBy(pairs, (p) => p.gold.type)),
    byLanguage: map(groupBy(pairs, (p) => p.gold.lang)),
  };
}

/** Parses a gold JSONL file's text; throws naming the first bad line. */
export function parseGold(text: string): GoldQuestion[] {
  return text
    .split('\n')
    .map((line, i) => ({ line: line.trim(), n: i + 1 }))
    .filter(({ line }) => line)
    .map(({ line, n }) => {
      let value: GoldQuestion;
      try {
        value = JSON.parse(line) as GoldQuestion;
      } catch {
        throw new Error(`gold line ${n}: not valid JSON`);
      }
      if (typeof value.id !== 'string' || typeof value.q !== 'string' || !Array.isArray(value.gold) || typeof value.type !== 'string') {
        throw new Error(`gold line ${n}: needs "id", "q", "type" and "gold"`);
      }
      return { ...value, lang: value.lang ?? 'zh' };
    });
}
