import type { Turn } from '../../core/answer.ts';
import type { DocumentMeta } from '../../core/paragraph.ts';
import { readQuestion, type QuestionFrame } from './frame.ts';
import { termsOf, type TermWeights } from './terms.ts';

/**
 * Offline follow-ups, read from the frames of this question and the last one: "那2021年的报告呢？"
 * names new documents and no subject, so it takes the earlier subject; "那利益冲突呢？" names a new
 * subject and no documents, so it keeps the earlier documents. A question with its own subject and
 * documents stands alone.
 */

const CONTINUATION_WORDS = /^\s*(?:那么?|那个|那在|还有|另外|再问|此外|and|what about|how about)\s*|呢\s*(?=[？?。]?\s*$)/gi;

export function standaloneQuestion(frame: QuestionFrame, history: Turn[], documents: DocumentMeta[], weights: TermWeights): string {
  if (history.length === 0) return frame.question;
  const ownTerms = termsOf(frame.content, weights).length;
  if (!frame.continues && ownTerms > 1) return frame.question;
  const earlierText = standaloneQuestion(readQuestion(history[history.length - 1].question, documents), history.slice(0, -1), documents, weights);
  const earlier = readQuestion(earlierText, documents);
  const rest = frame.question.replace(CONTINUATION_WORDS, ' ').trim();
  const pointsAnew = frame.documents.length > 0 || frame.years.length > 0 || frame.latest;
  if (pointsAnew && ownTerms <= 1) return `${rest} ${earlier.content}`.trim();
  const earlierPointers = [...earlier.documents.map((d) => d.written), ...earlier.years.map((y) => `${y}年`), ...(earlier.latest ? ['最新'] : [])];
  return `${earlierPointers.join(' ')} ${rest}`.trim();
}
