import type { Answer, Citation, Language, ScoredParagraph, Statement } from '../../core/answer.ts';
import type { DocumentMeta, Paragraph } from '../../core/paragraph.ts';
import { cite } from '../citation.ts';
import type { WeightedTerm } from '../question/terms.ts';
import type { Decision } from './decide.ts';
import { messages } from './messages.ts';
import { quote, subParagraphs } from './quote.ts';

/**
 * Step 5: the Answer. Each chosen paragraph becomes a statement quoting it verbatim, cited; a
 * paragraph that leads in to lettered sub-paragraphs ("请秘书长…协作：") brings them along, each
 * cited in its own right, because the lead-in alone says nothing. Abstentions name the closest
 * paragraphs as related, never as the answer.
 */

const RETRIEVED = 10;
const RELATED = 3;

export type Lookup = (symbol: string, label: string) => Paragraph | undefined;

export function baseAnswer(question: string, language: Language): Omit<Answer, 'kind' | 'abstained' | 'statements'> {
  return { question, language, citations: [], related: [], retrieved: [], mode: 'offline' };
}

export function notice(question: string, language: Language, message: string, retrieved: ScoredParagraph[] = []): Answer {
  return { ...baseAnswer(question, language), kind: 'notice', abstained: true, lead: message, statements: [], retrieved };
}

/** A lead-in ends with a colon and announces what follows. */
function leadsIn(paragraph: Paragraph): boolean {
  return /[：:]\s*$/.test(paragraph.text);
}

/** Statements and citations for paragraphs shown whole or quoted, each with the sub-paragraphs it leads in to. */
function statementsFor(paragraphs: Paragraph[], lookup: Lookup, language: Language, show: (p: Paragraph) => string): { statements: Statement[]; citations: Citation[] } {
  const statements: Statement[] = [];
  const citations: Citation[] = [];
  const citeOnce = (p: Paragraph) => {
    const at = citations.findIndex((c) => c.paragraph.id === p.id);
    return at >= 0 ? at : citations.push(cite(p, language)) - 1;
  };
  for (const p of paragraphs) {
    if (citations.some((c) => c.paragraph.id === p.id)) continue;
    statements.push({ text: show(p), cites: [citeOnce(p)] });
    if (leadsIn(p)) for (const sub of subParagraphs(p, lookup)) statements.push({ text: sub.text, cites: [citeOnce(sub)] });
  }
  return { statements, citations };
}

/** Named paragraphs, quoted whole. */
export function quotedAnswer(question: string, language: Language, paragraphs: Paragraph[], lookup: Lookup, lead?: string): Answer {
  const { statements, citations } = statementsFor(paragraphs, lookup, language, (p) => p.text);
  return {
    ...baseAnswer(question, language),
    kind: 'lookup',
    abstained: false,
    lead,
    statements,
    citations,
    retrieved: paragraphs.map((paragraph) => ({ paragraph, score: 1 })),
  };
}

export function composeAnswer(question: string, language: Language, decision: Decision, terms: WeightedTerm[], lookup: Lookup, documents: DocumentMeta[]): Answer {
  const retrieved = decision.ranked.slice(0, RETRIEVED).map((r) => ({ paragraph: r.candidate.paragraph, score: r.probability }));
  const t = messages(language);
  if (decision.picks.length === 0) {
    const related = retrieved.slice(0, RELATED).map((r) => cite(r.paragraph, language));
    return { ...baseAnswer(question, language), kind: 'abstain', abstained: true, lead: t.notInDocuments, statements: [], related, retrieved };
  }
  const chosen = decision.picks.map((p) => p.candidate.paragraph);
  const { statements, citations } = statementsFor(chosen, lookup, language, (p) => quote(p, terms));
  return { ...baseAnswer(question, language), kind: 'answer', abstained: false, statements, citations, note: mostRecentNote(chosen, documents, language), retrieved };
}

/** When an answer quotes documents of different years, which is the most recent. */
function mostRecentNote(paragraphs: Paragraph[], documents: DocumentMeta[], language: Language): string | undefined {
  const cited = documents.filter((d) => paragraphs.some((p) => p.symbol === d.symbol));
  if (new Set(cited.map((d) => d.date.slice(0, 4))).size < 2) return undefined;
  const latest = [...cited].sort((a, b) => b.date.localeCompare(a.date))[0];
  return messages(language).mostRecent(latest.symbol, latest.date.slice(0, 4));
}
