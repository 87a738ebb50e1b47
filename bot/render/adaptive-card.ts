import type { Answer, Citation, Language } from '../../core/answer.ts';
import { catalogue } from '../catalogue/catalogue.ts';
import { jsonBytes, truncate } from './truncate.ts';

/**
 * Answer → Adaptive Card, for Bot Framework channels other than Teams (Web Chat, Direct Line, the
 * Emulator): the answer with [n] markers, then each source with its reference, a quote and a link.
 * Quotes are shortened until the card fits the size budget; references and links never are, and the
 * marker numbers always match the source list.
 */

export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';
/** 1.5 renders in Teams (desktop, web, mobile) and in Web Chat. */
const CARD_VERSION = '1.5';
/** Room left for the activity's plain-text fallback and envelope inside a channel's ~28 KB limit. */
export const DEFAULT_CARD_BYTES = 20_000;
const QUOTE_STEPS = [280, 160, 80, 40, 0];

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: string;
  version: string;
  body: AdaptiveElement[];
  actions?: AdaptiveElement[];
  msteams?: { width: 'Full' };
}
export type AdaptiveElement = Record<string, unknown>;

/** The answer as a card no larger than `maxBytes` of JSON (quotes shortened as needed). */
export function answerCard(answer: Answer, maxBytes = DEFAULT_CARD_BYTES): AdaptiveCard {
  let card = buildAnswerCard(answer, QUOTE_STEPS[0]);
  for (const quoteChars of QUOTE_STEPS.slice(1)) {
    if (jsonBytes(card) <= maxBytes) break;
    card = buildAnswerCard(answer, quoteChars);
  }
  return card;
}

/**
 * One paragraph with its reference, section and link: Teams shows it when a citation is opened. Whole by
 * default; `maxChars` and `section: false` shorten it when a message would otherwise be too large.
 */
export function paragraphCard(citation: Citation, language: Language, options: { maxChars?: number; section?: boolean } = {}): AdaptiveCard {
  const { paragraph } = citation;
  const { maxChars = Number.POSITIVE_INFINITY, section = true } = options;
  const body: AdaptiveElement[] = [{ type: 'TextBlock', text: citation.ref, weight: 'Bolder', wrap: true }];
  if (section && paragraph.section.length) body.push({ type: 'TextBlock', text: paragraph.section.join(' › '), isSubtle: true, size: 'Small', wrap: true, spacing: 'None' });
  if (maxChars > 0) body.push({ type: 'TextBlock', text: truncate(paragraph.text, maxChars), wrap: true });
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: CARD_VERSION,
    body,
    actions: [{ type: 'Action.OpenUrl', title: catalogue(language).openDocument, url: citation.url }],
  };
}

/** The answer's sentences with "[n]" after each, n being the 1-based position in `answer.citations`. */
export function markedStatements(answer: Answer, marker: (index: number) => string = (i) => `[${i + 1}]`): string[] {
  return answer.statements.map((statement) => `${statement.text}${statement.cites.map(marker).join('')}`);
}

function buildAnswerCard(answer: Answer, quoteChars: number): AdaptiveCard {
  const text = catalogue(answer.language);
  const body: AdaptiveElement[] = [];
  if (answer.lead) body.push({ type: 'TextBlock', text: answer.lead, wrap: true });
  for (const line of markedStatements(answer)) body.push({ type: 'TextBlock', text: line, wrap: true });
  if (answer.note) body.push({ type: 'TextBlock', text: answer.note, wrap: true, isSubtle: true });
  if (answer.citations.length) {
    body.push(heading(text.sources));
    answer.citations.forEach((citation, i) => body.push(source(citation, `[${i + 1}]`, quoteChars)));
  }
  if (answer.related.length) {
    body.push(heading(text.related));
    for (const citation of answer.related) body.push(source(citation, '•', quoteChars));
  }
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: CARD_VERSION,
    body,
    msteams: { width: 'Full' },
  };
}

function heading(text: string): AdaptiveElement {
  return { type: 'TextBlock', text, weight: 'Bolder', separator: true, spacing: 'Medium', wrap: true };
}

function source(citation: Citation, marker: string, quoteChars: number): AdaptiveElement {
  const items: AdaptiveElement[] = [{ type: 'TextBlock', text: `${marker} [${citation.ref}](${citation.url})`, wrap: true }];
  if (quoteChars > 0) items.push({ type: 'TextBlock', text: truncate(citation.paragraph.text, quoteChars), wrap: true, isSubtle: true, size: 'Small', spacing: 'None' });
  return { type: 'Container', items, spacing: 'Small' };
}
