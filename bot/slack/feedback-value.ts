import { z } from 'zod';
import type { Answer } from '../../core/answer.ts';
import { SLACK_LIMITS } from '../render/slack-blocks.ts';
import { answerText } from '../render/text.ts';
import { truncate } from '../render/truncate.ts';

/**
 * What a 👍/👎 button carries so that a click can be recorded without any server-side state: the
 * question, the cited paragraphs and as much of the answer text as fits in Slack's button value.
 * Clicks may come days later, after restarts and re-ingests; the message itself is the record.
 */
export interface FeedbackValue {
  question: string;
  answer: string;
  citations: { symbol: string; paragraph: string }[];
}

const QUESTION_CHARS = 300;

const compact = z.object({
  q: z.string(),
  a: z.string(),
  c: z.array(z.tuple([z.string(), z.string()])),
});

export function encodeFeedbackValue(answer: Answer): string {
  const c = answer.citations.map((citation) => [citation.paragraph.symbol, citation.paragraph.label] as [string, string]);
  const q = truncate(answer.question, QUESTION_CHARS);
  let a = answerText(answer);
  let encoded = JSON.stringify({ q, a, c });
  // JSON escaping can lengthen the text, so shrink by the measured overshoot until it fits.
  while (encoded.length > SLACK_LIMITS.buttonValue && a.length > 0) {
    a = truncate(a, Math.max(0, Array.from(a).length - (encoded.length - SLACK_LIMITS.buttonValue) - 1));
    encoded = JSON.stringify({ q, a, c });
  }
  while (encoded.length > SLACK_LIMITS.buttonValue && c.length > 0) {
    c.pop();
    encoded = JSON.stringify({ q, a, c });
  }
  return encoded;
}

/** Throws when the value is not one that encodeFeedbackValue produced. */
export function decodeFeedbackValue(value: string): FeedbackValue {
  const { q, a, c } = compact.parse(JSON.parse(value));
  return { question: q, answer: a, citations: c.map(([symbol, paragraph]) => ({ symbol, paragraph })) };
}
