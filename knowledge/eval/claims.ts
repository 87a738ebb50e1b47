import type { CheckJson } from '../../bot/render/json.ts';

/**
 * Claim checks against a labelled file (../shared/eval/claims-dev.jsonl): one JSON object per line with
 * "q", "kind" (true | wrong_label | wrong_document | distorted | missing_paragraph), "cited" {doc, para},
 * "verdict" and "evidence" [{doc, para, snippet}].
 */

export interface ClaimCase {
  id: string;
  q: string;
  lang: string;
  kind: string;
  cited: { doc: string; para: string };
  verdict: 'supported' | 'not_supported' | 'no_such_paragraph';
  evidence: Array<{ doc: string; para: string; snippet: string }>;
}

export interface ClaimMetrics {
  cases: number;
  /** Share of cases whose verdict is the labelled one ("cannot_tell" is never right). */
  accuracy: number | null;
  /** Of the cases that are not supported, the share called "supported": the worst error. */
  falseSupported: number | null;
  /** Of the supported cases, the share called "supported". */
  trueSupported: number | null;
  /** Share whose `cited` is the labelled document and label. */
  citedResolved: number | null;
  /** Of wrong labels and wrong documents, the share whose evidence names where the content really is. */
  locationFound: number | null;
  cannotTell: number;
}

const squash = (text: string) => text.normalize('NFKC').replace(/\s+/g, '');
const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : null);

export function locates(gold: ClaimCase['evidence'][number], got: CheckJson['evidence'][number]): boolean {
  return got.symbol === gold.doc && (got.paragraph === gold.para || squash(got.text).includes(squash(gold.snippet)));
}

export function claimMetrics(pairs: Array<{ gold: ClaimCase; check: CheckJson | undefined }>): ClaimMetrics {
  const verdictOf = (p: (typeof pairs)[number]) => p.check?.verdict;
  const unsupported = pairs.filter((p) => p.gold.verdict !== 'supported');
  const supported = pairs.filter((p) => p.gold.verdict === 'supported');
  const misplaced = pairs.filter((p) => p.gold.kind === 'wrong_label' || p.gold.kind === 'wrong_document');
  return {
    cases: pairs.length,
    accuracy: mean(pairs.map((p) => (verdictOf(p) === p.gold.verdict ? 1 : 0))),
    falseSupported: mean(unsupported.map((p) => (verdictOf(p) === 'supported' ? 1 : 0))),
    trueSupported: mean(supported.map((p) => (verdictOf(p) === 'supported' ? 1 : 0))),
    citedResolved: mean(pairs.map((p) => (p.check?.cited?.symbol === p.gold.cited.doc && p.check.cited.paragraph === p.gold.cited.para ? 1 : 0))),
    locationFound: mean(misplaced.map((p) => (p.gold.evidence.every((g) => p.check?.evidence.some((e) => locates(g, e))) ? 1 : 0))),
    cannotTell: pairs.filter((p) => verdictOf(p) === 'cannot_tell').length,
  };
}

export function claimReport(pairs: Array<{ gold: ClaimCase; check: CheckJson | undefined }>): { overall: ClaimMetrics; byKind: Record<string, ClaimMetrics>; byLanguage: Record<string, ClaimMetrics> } {
  const group = (key: (p: (typeof pairs)[number]) => string) => {
    const groups: Record<string, typeof pairs> = {};
    for (const p of pairs) (groups[key(p)] ??= []).push(p);
    return Object.fromEntries(Object.entries(groups).map(([k, v]) => [k, claimMetrics(v)]));
  };
  return { overall: claimMetrics(pairs), byKind: group((p) => p.gold.kind), byLanguage: group((p) => p.gold.lang) };
}

/** Parses a claims JSONL file's text; throws naming the first bad line. */
export function parseClaimCases(text: string): ClaimCase[] {
  return text
    .split('\n')
    .map((line, i) => ({ line: line.trim(), n: i + 1 }))
    .filter(({ line }) => line)
    .map(({ line, n }) => {
      let value: ClaimCase;
      try {
        value = JSON.parse(line) as ClaimCase;
      } catch {
        throw new Error(`claims line ${n}: not valid JSON`);
      }
      const ok = typeof value.id === 'string' && typeof value.q === 'string' && typeof value.verdict === 'string' && typeof value.cited?.doc === 'string' && Array.isArray(value.evidence);
      if (!ok) throw new Error(`claims line ${n}: needs "id", "q", "cited", "verdict" and "evidence"`);
      return { ...value, lang: value.lang ?? 'zh', kind: value.kind ?? 'unknown' };
    });
}
