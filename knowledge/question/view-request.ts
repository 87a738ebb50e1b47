import type { Turn } from '../../core/answer.ts';
import type { DocumentMeta } from '../../core/paragraph.ts';
import type { ViewRequest } from '../../index/knowledge-index.ts';
import { readQuestion, type QuestionFrame } from './frame.ts';

/**
 * What a question reads before it searches: its own words and those of the turns it may continue, the
 * documents and paragraph labels it names, and the documents the conversation cited (a follow-up's
 * "第13段" or "第二点" refers to them). What a search finds joins the view as it is found.
 */
export function viewRequest(frame: QuestionFrame, history: Turn[], documents: DocumentMeta[]): ViewRequest {
  const cited = history.flatMap((turn) => [...turn.answer.citations.map((c) => c.paragraph.symbol), ...(turn.answer.check ?? []).flatMap((c) => (c.cited ? [c.cited.symbol] : []))]);
  return {
    texts: [frame.question, frame.content, ...history.flatMap((turn) => [turn.question, readQuestion(turn.question, documents).content])],
    documents: [...new Set([...frame.documents.flatMap((d) => d.symbols), ...frame.paragraphs.flatMap((p) => (p.symbol ? [p.symbol] : [])), ...cited])],
    labels: [...new Set(frame.paragraphs.map((p) => p.label))],
  };
}
