import type { Answer, ClaimCheck, Citation, Language, ModelAnswerer, Statement, Turn } from '../../core/answer.ts';
import type { IndexView } from '../../index/knowledge-index.ts';
import { detectLanguage } from '../question/language.ts';
import { checkCitedClaim } from './check.ts';
import { citedClaims, hasSubstance, type CitedClaim } from './claims.ts';
import { asksToCheck } from './cues.ts';
import { BADGE, differencesLine, pointerLine, verdictLine, WORDS } from './wording.ts';

/**
 * The assistant's entry to claim checks: a message that asks whether cited paragraphs say something
 * (or a pasted passage with several citations) gets an Answer of kind "check" with one ClaimCheck per
 * citation; any other message gets undefined and is answered as a question.
 */

/** A message is a chat turn: a longer list of citations is a draft, for `npm run check`. */
export const MAX_MESSAGE_CHECKS = 12;

/** `history`: a citation without a document ("第13段说…，对吗？") refers to the document last cited in the conversation. */
export async function checkClaim(question: string, index: IndexView, model?: ModelAnswerer, history: Turn[] = []): Promise<Answer | undefined> {
  const text = question.trim();
  const claims = claimsToCheck(text, index, lastCited(history));
  if (!claims) return undefined;
  const language = detectLanguage(text);
  const outcomes = [];
  for (const claim of claims.slice(0, MAX_MESSAGE_CHECKS)) outcomes.push(await checkCitedClaim(claim, { index, model }, language));
  const left = claims.length - outcomes.length;
  return checkAnswer(text, language, outcomes.map((o) => o.check), { modelFailed: outcomes.some((o) => o.modelFailed), left });
}

/** The claims of a message that asks for a check; undefined for any other message. */
export function claimsToCheck(text: string, index: { documents: IndexView['documents'] }, document?: string): CitedClaim[] | undefined {
  const sentences = citedClaims(text, index.documents, { document }).filter(hasSubstance);
  const distinct = new Set(sentences.map((c) => c.sentence));
  if (distinct.size >= 2) return sentences;
  if (!asksToCheck(text, detectLanguage(text))) return undefined;
  const whole = citedClaims(text, index.documents, { whole: true, document }).filter(hasSubstance);
  return whole.length ? whole : undefined;
}

/** The checks as an Answer that every channel can show, with `check` for the channels that show more. */
export function checkAnswer(question: string, language: Language, checks: ClaimCheck[], options: { modelFailed?: boolean; left?: number } = {}): Answer {
  const citations: Citation[] = [];
  const indexOf = (citation: Citation) => {
    const at = citations.findIndex((c) => c.paragraph.id === citation.paragraph.id);
    return at >= 0 ? at : citations.push(citation) - 1;
  };
  const statements: Statement[] = [];
  const several = checks.length > 1;
  for (const check of checks) {
    statements.push({ text: `${BADGE[language][check.verdict]}${language === 'zh' ? '：' : ': '}${several ? (language === 'zh' ? `“${check.claim}”——` : `"${check.claim}" — `) : ''}${verdictLine(check, language)}`, cites: [] });
    const shown = check.verdict === 'supported' ? check.evidence : check.paragraph ? [check.paragraph] : [];
    // One claim is verified by reading the cited paragraph whole, its sentence in context; a passage's
    // several checks show the sentences alone, to stay readable. Cards and Slack quote the sentence either way.
    for (const q of shown) statements.push({ text: several ? q.quote : q.citation.paragraph.text, cites: [indexOf(q.citation)] });
    const differs = differencesLine(check, language);
    if (differs) statements.push({ text: differs, cites: [] });
    const pointer = pointerLine(check, language);
    if (pointer) {
      statements.push({ text: pointer, cites: [] });
      for (const q of check.located) statements.push({ text: q.quote, cites: [indexOf(q.citation)] });
    }
  }
  const problems = checks.filter((c) => c.verdict !== 'supported').length;
  const words = WORDS[language];
  const notes = [several ? words.report(checks.length, problems) : undefined, options.left ? words.notChecked(options.left) : undefined, options.modelFailed ? words.modelUnavailable : undefined].filter(Boolean);
  return {
    question,
    language,
    kind: 'check',
    abstained: false,
    statements,
    ...(notes.length ? { note: notes.join(' ') } : {}),
    citations,
    related: [],
    // What the checks read, cited paragraphs first: the same `retrieved` contract as every answer.
    retrieved: citations.slice(0, 10).map((c) => ({ paragraph: c.paragraph, score: 1 })),
    mode: checks.some((c) => c.judgedBy === 'model') ? 'model' : 'offline',
    check: checks,
  };
}

function lastCited(history: Turn[]): string | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const answer = history[i].answer;
    const symbol = answer.check?.at(-1)?.cited?.symbol ?? answer.citations[0]?.paragraph.symbol;
    if (symbol) return symbol;
  }
  return undefined;
}
