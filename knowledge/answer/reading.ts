import type { Paragraph } from '../../core/paragraph.ts';
import type { IndexView } from '../../index/knowledge-index.ts';
import { readQuestion, type QuestionFrame } from '../question/frame.ts';
import { gramsOf, termsOf, type TermWeights, type WeightedTerm } from '../question/terms.ts';
import { words } from '../../index/lexical/tokenize.ts';
import { findCandidates, type Candidate } from './candidates.ts';
import type { FeatureContext } from './features.ts';
import { cosine, glossOfParagraph, glossOfText } from './gloss.ts';

/**
 * Frame → candidates: everything the ranker and the decision need about one question, made once.
 * A question of several clauses also gets a context per clause, over the same candidates plus the
 * clause's own, so that each part can be answered by the paragraph that answers it.
 */

export interface Reading {
  frame: QuestionFrame;
  /** What was searched: the frame's content, translated for an English question offline. */
  query: string;
  candidates: Candidate[];
  context: FeatureContext;
  /** One per clause when the question has several; empty otherwise. */
  clauses: FeatureContext[];
}

/** Turns an English question's content into the documents' Chinese words; undefined when nothing translates. */
export type Translate = (content: string) => string | undefined;

/**
 * English questions search the Chinese documents with their words translated by the lexicon (CC-CEDICT);
 * Chinese ones as they are. On the folds the lexicon found the right paragraph for 9 of 18 English
 * questions where the hand-written glossary it replaces found 5.
 */
/**
 * Translations weaker than this (one sense of a word with several, one word of a longer gloss) stay
 * out of the search: on the folds, keeping all found the right paragraph for 7 of 18 English
 * questions, this cut 10, a stricter 0.7 cut 9.
 */
const TRANSLATION_WEIGHT = 0.5;

export function translatorFor(frame: QuestionFrame, index: IndexView): Translate | undefined {
  if (frame.language !== 'en') return undefined;
  const unseen = index.idf('\u0000');
  return (content) => {
    // What the documents print in Latin letters (names, web addresses, English titles of cited works) is
    // searched as written too: on 4 fold splits of train + dev it raised English recall@5 from 0.735 to 0.765.
    const kept = words(content).filter((w) => /[a-z]/.test(w) && index.idf(w) < unseen);
    const translated = index.lexicon.translate(content).filter((w) => w.weight >= TRANSLATION_WEIGHT).map((w) => w.word);
    const all = [...new Set([...kept, ...translated])];
    return all.length ? all.join(' ') : undefined;
  };
}

export function termWeights(index: IndexView): TermWeights {
  return { idf: (term, field) => index.idf(term, field), related: (term) => index.lexicon.synonyms(term) };
}

export async function readFrame(index: IndexView, frame: QuestionFrame): Promise<Reading | undefined> {
  const translate = translatorFor(frame, index);
  const weights = termWeights(index);
  const toQuery = (content: string) => (translate ? translate(content) : content);
  // Every text weighed below joins the view first: cut apart from its question, a part may be cut otherwise.
  await index.widen({ texts: [frame.content, frame.focus] });
  const query = toQuery(frame.content);
  if (!query) return undefined;
  await index.widen({ texts: [query] });
  const candidates = await findCandidates(index, frame, query);
  const context = contextFor(frame, query, candidates, index, weights);
  const clauses: FeatureContext[] = [];
  if (frame.clauses.length > 1) {
    const subject = readQuestion(frame.clauses[0], index.documents).content;
    for (const clause of frame.clauses) {
      // A clause keeps what the whole question points at ("…为何设立？会员国怎么看？" still means those
      // documents), and one that names too little to search by itself ("它", "这一做法") its subject too.
      const own = readQuestion(clause, index.documents);
      const clauseFrame = own.documents.length ? own : { ...own, documents: frame.documents, years: frame.years };
      const alone = `${own.content} ${subject}`;
      await index.widen({ texts: [own.content, own.focus, alone] });
      const clauseQuery = toQuery(termsOf(own.content, weights).length < 2 ? alone : own.content);
      if (!clauseQuery) continue;
      await index.widen({ texts: [clauseQuery] });
      clauses.push(contextFor(clauseFrame, clauseQuery, await findCandidates(index, clauseFrame, clauseQuery), index, weights));
    }
  }
  const seen = new Set(candidates.map((c) => c.paragraph.id));
  const extra = clauses.flatMap((c) => c.candidates).filter((c) => !seen.has(c.paragraph.id) && seen.add(c.paragraph.id));
  return { frame, query, candidates: [...candidates, ...extra], context, clauses };
}

function contextFor(frame: QuestionFrame, query: string, candidates: Candidate[], index: IndexView, weights: TermWeights): FeatureContext {
  const terms: WeightedTerm[] = termsOf(query, weights);
  const neighbours = (p: Paragraph) => [index.paragraphAt(p.symbol, p.position - 1), index.paragraphAt(p.symbol, p.position + 1)].filter((n): n is Paragraph => n !== undefined);
  // Offline English has no focus to read: its words are not the documents'.
  const focus = frame.language === 'zh' ? termsOf(frame.focus, weights) : [];
  const asked = frame.language === 'en' ? index.lexicon.englishVector(frame.content) : glossOfText(index, query);
  // The ranking and its per-question summary both ask for each candidate's similarity: work it out once.
  const similarities = new Map<string, number>();
  const glossSimilarity = (p: Paragraph) => similarities.get(p.id) ?? similarities.set(p.id, cosine(asked, glossOfParagraph(index, p))).get(p.id)!;
  return { frame, terms, grams: gramsOf(query, weights), candidates, documents: index.documents, focus, neighbours, glossSimilarity, unseenWeight: weights.idf('\u0000') - 1e-9 };
}
