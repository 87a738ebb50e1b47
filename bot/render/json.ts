import type { Answer, ClaimCheck } from '../../core/answer.ts';
import { answerText } from './text.ts';

/** The ask JSON object, shared by `npm run ask -- --json` and the JSON API. Labels as in SCHEME.md. */

export interface AskJson {
  id?: string;
  answer: string;
  abstained: boolean;
  citations: Array<{ symbol: string; paragraph: string; text: string; url: string }>;
  retrieved: Array<{ symbol: string; paragraph: string; text: string; score: number }>;
  /** For a message that asks whether a paragraph says something: the first (usually only) citation's check. */
  check?: CheckJson;
  /** Every citation's check, when the message had several. */
  checks?: CheckJson[];
}

export interface CheckJson {
  verdict: ClaimCheck['verdict'];
  cited: { symbol: string; paragraph: string } | null;
  evidence: Array<{ symbol: string; paragraph: string; text: string }>;
  claim: string;
  differences: ClaimCheck['differences'];
}

export function checkJson(check: ClaimCheck): CheckJson {
  return {
    verdict: check.verdict,
    cited: check.cited && { symbol: check.cited.symbol, paragraph: check.cited.label },
    evidence: check.evidence.map((e) => ({ symbol: e.citation.paragraph.symbol, paragraph: e.citation.paragraph.label, text: e.citation.paragraph.text })),
    claim: check.claim,
    differences: check.differences,
  };
}

export function toAskJson(answer: Answer, id?: string): AskJson {
  return {
    ...(id === undefined ? {} : { id }),
    answer: answerText(answer),
    abstained: answer.abstained,
    citations: answer.citations.map((c) => ({ symbol: c.paragraph.symbol, paragraph: c.paragraph.label, text: c.paragraph.text, url: c.url })),
    retrieved: answer.retrieved.slice(0, 10).map((r) => ({ symbol: r.paragraph.symbol, paragraph: r.paragraph.label, text: r.paragraph.text, score: r.score })),
    ...(answer.check?.length ? { check: checkJson(answer.check[0]) } : {}),
    ...(answer.check && answer.check.length > 1 ? { checks: answer.check.map(checkJson) } : {}),
  };
}
