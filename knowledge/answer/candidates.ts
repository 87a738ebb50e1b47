import type { Paragraph } from '../../core/paragraph.ts';
import type { IndexView } from '../../index/knowledge-index.ts';
import type { QuestionFrame } from '../question/frame.ts';

/**
 * Step 2 of the pipeline (frame → candidates → rank → decide → compose): the paragraphs the ranker
 * chooses among. A question that points at documents (by symbol, by year or kind) is answered from
 * them: on the labelled questions the gold paragraphs lay in the documents pointed at every time
 * (41 of 41 pointers), so the pointed-at documents together are searched instead of the whole index,
 * and each of them on its own as well, so that every document a comparison names has candidates.
 */

export interface Candidate {
  paragraph: Paragraph;
  /** 0-based rank in the search of the whole index, or of all pointed-at documents (GLOBAL_DEPTH when it was not among them). */
  globalRank: number;
  /** Best 0-based rank in a search restricted to a pointed-at document (SCOPED_DEPTH when none). */
  scopedRank: number;
  /** Fused first-stage score in the global search, relative to that search's best (0–1). */
  relativeScore: number;
  /** Score margin to the next candidate of the global search, relative to the best. */
  margin: number;
}

export const GLOBAL_DEPTH = 30;
export const SCOPED_DEPTH = 15;

/**
 * A term that the documents use everywhere ("伙伴关系") ranks its definition nowhere: a question asking
 * what it means searches for it in the forms that define a term as well, whose bigrams ("系是", "的定",
 * "是指") single out the defining sentence.
 */
function definingQuery(query: string): string {
  const subject = query.replace(/[^\p{L}\p{N}]+/gu, '');
  return [query, `${subject}的定义`, `${subject}是指`, `所谓${subject}`, `${subject}是`].join(' ');
}

export async function findCandidates(index: IndexView, frame: QuestionFrame, plainQuery: string): Promise<Candidate[]> {
  const query = frame.meaning && frame.language === 'zh' ? definingQuery(plainQuery) : plainQuery;
  const pointed = new Set(frame.documents.flatMap((d) => d.symbols));
  // Model embeddings read the question as asked, whatever language the lexical query was put into.
  const semanticQuery = frame.language === 'en' ? frame.question : undefined;
  const global = await index.search(query, { k: GLOBAL_DEPTH, documents: pointed.size ? [...pointed] : undefined, semanticQuery });
  // With one pointer, its own search is the search above: the same documents, the same query.
  const scoped =
    frame.documents.length === 1
      ? [global.slice(0, SCOPED_DEPTH)]
      : await Promise.all(frame.documents.map((pointer) => index.search(query, { k: SCOPED_DEPTH, documents: [...new Set(pointer.symbols)], semanticQuery })));
  const top = global[0]?.score || 1;
  const byId = new Map<string, Candidate>();
  global.forEach((r, rank) => {
    const next = global[rank + 1]?.score ?? 0;
    byId.set(r.paragraph.id, { paragraph: r.paragraph, globalRank: rank, scopedRank: SCOPED_DEPTH, relativeScore: r.score / top, margin: (r.score - next) / top });
  });
  for (const list of scoped) {
    list.forEach((r, rank) => {
      const known = byId.get(r.paragraph.id);
      if (known) known.scopedRank = Math.min(known.scopedRank, rank);
      else byId.set(r.paragraph.id, { paragraph: r.paragraph, globalRank: GLOBAL_DEPTH, scopedRank: rank, relativeScore: 0, margin: 0 });
    });
  }
  return [...byId.values()];
}
