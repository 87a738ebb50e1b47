import type { Answer } from '../../core/answer.ts';
import { answerText } from './text.ts';

/** The ask JSON object, shared by `npm run ask -- --json` and the JSON API. Labels as in SCHEME.md. */

export interface AskJson {
  id?: string;
  answer: string;
  abstained: boolean;
  citations: Array<{ symbol: string; paragraph: string; text: string; url: string }>;
  retrieved: Array<{ symbol: string; paragraph: string; text: string; score: number }>;
}

export function toAskJson(answer: Answer, id?: string): AskJson {
  return {
    ...(id === undefined ? {} : { id }),
    answer: answerText(answer),
    abstained: answer.abstained,
    citations: answer.citations.map((c) => ({ symbol: c.paragraph.symbol, paragraph: c.paragraph.label, text: c.paragraph.text, url: c.url })),
    retrieved: answer.retrieved.slice(0, 10).map((r) => ({ symbol: r.paragraph.symbol, paragraph: r.paragraph.label, text: r.paragraph.text, score: r.score })),
  };
}
