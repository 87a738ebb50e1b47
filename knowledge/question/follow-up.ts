import type { Paragraph } from '../../core/paragraph.ts';
import type { Turn } from '../../core/answer.ts';
import { words } from '../../index/lexical/tokenize.ts';
import { withoutTimeCues } from './temporal.ts';

/**
 * Offline follow-ups: without a model to rewrite "那2021年的报告呢？", the earlier subject is carried
 * forward and merged with the new constraint; "第二点是什么意思？" points at the second cited statement
 * of the previous answer.
 */

export type FollowUp =
  | { kind: 'question'; question: string; carried: boolean }
  | { kind: 'point'; ordinal: number; paragraph: Paragraph }
  | { kind: 'no-such-point'; ordinal: number; available: number };

const NUMERALS: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };
const ORDINAL_ZH = /第\s*([一二两三四五六七八九十]|\d{1,2})\s*(?:点|条|项引文|个要点|处)/;
const ORDINAL_EN = /\b(?:the\s+)?(first|second|third|fourth|fifth|\d+(?:st|nd|rd|th))\s+(?:point|item|statement|one)\b|\bpoint\s+(\d+)\b/i;
const ORDINAL_WORDS: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4, fifth: 5 };
const CONTINUATION = /^\s*(?:那么?|那个|那在|还有|另外|再问|此外|and\b|what about\b|how about\b|and in\b)|呢\s*[？?。]?\s*$/i;
const TIME_OR_KIND = /(?<!\d)(?:19|20)\d{2}(?!\d)|最新|最近|目前|现在|latest|most recent|current|报告|决议|report|resolution/i;

function ordinalOf(question: string): number | undefined {
  const zh = ORDINAL_ZH.exec(question);
  if (zh) return NUMERALS[zh[1]] ?? Number(zh[1]);
  const en = ORDINAL_EN.exec(question);
  if (!en) return undefined;
  if (en[2]) return Number(en[2]);
  return ORDINAL_WORDS[en[1].toLowerCase()] ?? Number.parseInt(en[1], 10);
}

function stripContinuation(question: string): string {
  return question.replace(/^\s*(?:那么?|那个|那在|还有|另外|再问|此外|and|what about|how about)\s*/i, '').replace(/呢\s*([？?。]?)\s*$/, '$1');
}

function subjectWords(question: string): string[] {
  return words(withoutTimeCues(question)).filter((w) => !/^(?:报告|决议|report|resolution|意思|内容)$/i.test(w));
}

/** The standalone form of an earlier question, resolving its own follow-ups first. */
function standalone(history: Turn[], index: number): string {
  const turn = history[index];
  const resolved = carryForward(turn.question, history.slice(0, index));
  return resolved.kind === 'question' ? resolved.question : turn.question;
}

export function carryForward(question: string, history: Turn[] = []): FollowUp {
  if (history.length === 0) return { kind: 'question', question, carried: false };
  const previous = history[history.length - 1];

  const ordinal = ordinalOf(question);
  if (ordinal !== undefined) {
    const { statements, citations } = previous.answer;
    const cited = statements.length >= ordinal ? statements[ordinal - 1].cites[0] : citations.length >= ordinal ? ordinal - 1 : undefined;
    if (cited === undefined || !citations[cited]) return { kind: 'no-such-point', ordinal, available: Math.max(statements.length, citations.length) };
    return { kind: 'point', ordinal, paragraph: citations[cited].paragraph };
  }

  const ownSubject = subjectWords(stripContinuation(question));
  const continues = CONTINUATION.test(question) || ownSubject.length <= 1;
  if (!continues) return { kind: 'question', question, carried: false };

  const earlier = standalone(history, history.length - 1);
  const newTime = TIME_OR_KIND.test(question);
  const rest = stripContinuation(question).trim();
  if (newTime && ownSubject.length <= 1) return { kind: 'question', question: `${rest} ${withoutTimeCues(earlier)}`.trim(), carried: true };
  if (!newTime) {
    // A new subject in the earlier frame: keep the earlier question's years and document kinds.
    const frame = earlier.match(/(?<!\d)(?:19|20)\d{2}(?!\d)\s*年?\s*(?:的|那份)?\s*(?:大会|秘书长)?\s*(?:报告|决议)?|最新|目前/g) ?? [];
    return { kind: 'question', question: `${frame.join(' ')} ${rest}`.trim(), carried: frame.length > 0 };
  }
  return { kind: 'question', question: rest, carried: false };
}
