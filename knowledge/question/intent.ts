import { labelKind, type Paragraph } from '../../core/paragraph.ts';
import { normalizeForSearch } from '../../index/lexical/tokenize.ts';

/**
 * What kind of answer a question wants, beyond its subject: a reason ("为什么…"), a definition
 * ("怎样给X下定义", "什么是X"), a state of affairs ("处于什么状态"), or what the Assembly asks of
 * someone ("大会提出了哪些要求"). Documents answer these in their own words — a reason as "动机",
 * "原因", "由于"; a definition as "X是…", "所谓X"; a request as an operative paragraph — so the
 * words that ask are not content to be matched, and the paragraph that shows the matching form is
 * preferred among those that cover the subject about equally well.
 */

export type Intent = 'reason' | 'definition' | 'status' | 'request';

interface IntentRule {
  intent: Intent;
  asks: RegExp;
  /** The words that ask; they name no subject and are left out of the content terms. */
  asking: RegExp;
  /** Whether a paragraph answers in the form asked for; `subject` are the question's content terms. */
  shows: (paragraph: Paragraph, text: string, subject: string[]) => boolean;
}

// Reason nouns, not connectives: "由于", "为了" open clauses in paragraphs about anything.
const REASON_CUES = /动机|原因|理由|缘由|之所以|为什么/;
const DEFINITION_CUES = /定义|界定|系指|是指|指的是|一词|所谓|即是/;
// What is under way or not yet done, not any past-tense statement: reports describe the past throughout.
const STATUS_CUES = /目前|正在进行|尚未|仍在|有待/;

const RULES: IntentRule[] = [
  {
    intent: 'reason',
    asks: /为什么|为何|何以|什么原因|出于什么|动机|\bwhy\b/i,
    asking: /为什么|为何|何以|什么原因|出于什么/g,
    shows: (_p, text) => REASON_CUES.test(text),
  },
  {
    intent: 'definition',
    asks: /下定义|定义|界定|是指|指的是|什么是|何谓|含义|概念|\bdefin(?:e|ition)\b|\bwhat is meant\b/i,
    asking: /下定义|定义|界定|是指什么|指的是什么|指什么|什么是|何谓|的含义|含义|的概念/g,
    shows: (_p, text, subject) =>
      DEFINITION_CUES.test(text) || subject.some((term) => new RegExp(`${escape(term)}[，,]?(?:是|指|即)`).test(text)),
  },
  {
    intent: 'status',
    asks: /什么状态|什么状况|现状|进展如何|进展情况|什么阶段|处于什么/,
    asking: /处于|状态|状况|现状|进展如何|进展情况|阶段/g,
    shows: (_p, text) => STATUS_CUES.test(text),
  },
  {
    // "大会又对它提出了哪些要求", "决议要求…做什么": what a resolution asks for is in its operative part;
    // the preamble only recalls and recognises.
    intent: 'request',
    asks: /(?:提出|有)(?:了)?(?:哪些|什么)(?:要求|请求)|要求(?:了)?(?:哪些|什么)|呼吁(?:了)?(?:哪些|什么)|请(?:了)?(?:谁|哪些)/,
    asking: /要求|请求|呼吁/g,
    shows: (p) => p.kind === 'resolution' && labelKind(p.label) !== 'preambular',
  },
];

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The intents a question shows. */
export function intentsOf(question: string): Intent[] {
  const text = question.normalize('NFKC');
  return RULES.filter((r) => r.asks.test(text)).map((r) => r.intent);
}

/** The question without the words that only say what kind of answer is wanted. */
export function withoutAsking(question: string, intents: Intent[]): string {
  let text = question.normalize('NFKC');
  for (const rule of RULES) if (intents.includes(rule.intent)) text = text.replace(rule.asking, ' ');
  return text;
}

/** Whether the paragraph answers in the form each of the question's intents asks for (false when it has none). */
export function showsIntent(intents: Intent[], paragraph: Paragraph, subject: string[]): boolean {
  if (intents.length === 0) return false;
  const text = normalizeForSearch(paragraph.text);
  return RULES.filter((r) => intents.includes(r.intent)).every((r) => r.shows(paragraph, text, subject));
}
