import type { Activity } from 'botbuilder';
import type { Answer, Citation } from '../../core/answer.ts';
import { ADAPTIVE_CARD_CONTENT_TYPE, paragraphCard } from '../render/adaptive-card.ts';
import { catalogue } from '../catalogue/catalogue.ts';
import { jsonBytes, truncate } from '../render/truncate.ts';

/**
 * Answer → a Teams message with Teams' own citations: "[n]" markers in the text and one schema.org
 * Message entity whose Claims carry, for each n, the reference, an abstract and the whole paragraph as an
 * Adaptive Card (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/bot-messages-ai-generated-content).
 * The abstract, which the pop-up shows first, is the sentence of the paragraph that the answer quotes,
 * not the paragraph's opening words; the pop-up's title opens the whole paragraph card.
 * Teams shows at most 20 citations; a statement that leans on a later one names it in the text instead,
 * so no claim is ever left without its source. To stay within Teams' message size (~28 KB), the
 * paragraph cards are shortened first, never the references.
 */

export const MAX_TEAMS_CITATIONS = 20;
export const TEAMS_MESSAGE_BYTES = 26_000;
const NAME_CHARS = 80;
const ABSTRACT_CHARS = 160;
/** Ever smaller citations, tried in turn until the message fits: the whole paragraph first, then less of it. */
const LEVELS: Level[] = [
  { paragraphChars: Number.POSITIVE_INFINITY, section: true, abstractChars: ABSTRACT_CHARS },
  { paragraphChars: 1_500, section: true, abstractChars: ABSTRACT_CHARS },
  { paragraphChars: 800, section: true, abstractChars: ABSTRACT_CHARS },
  { paragraphChars: 400, section: true, abstractChars: ABSTRACT_CHARS },
  { paragraphChars: 160, section: false, abstractChars: ABSTRACT_CHARS },
  { paragraphChars: 80, section: false, abstractChars: 100 },
  { paragraphChars: 0, section: false, abstractChars: 60 },
];

interface Level {
  paragraphChars: number;
  section: boolean;
  abstractChars: number;
}

export interface ClientCitation {
  '@type': 'Claim';
  position: number;
  appearance: {
    '@type': 'DigitalDocument';
    name: string;
    abstract: string;
    url: string;
    text: string;
    encodingFormat: typeof ADAPTIVE_CARD_CONTENT_TYPE;
  };
}

export interface AIMessageEntity {
  type: 'https://schema.org/Message';
  '@type': 'Message';
  '@context': 'https://schema.org';
  '@id': '';
  additionalType: ['AIGeneratedContent'];
  citation: ClientCitation[];
}

export function teamsAnswerActivity(answer: Answer, maxBytes = TEAMS_MESSAGE_BYTES): Partial<Activity> {
  let activity = build(answer, LEVELS[0]);
  for (const level of LEVELS.slice(1)) {
    if (jsonBytes(activity) <= maxBytes) break;
    activity = build(answer, level);
  }
  return activity;
}

function build(answer: Answer, level: Level): Partial<Activity> {
  const shown = answer.citations.slice(0, MAX_TEAMS_CITATIONS);
  const entity: AIMessageEntity = {
    type: 'https://schema.org/Message',
    '@type': 'Message',
    '@context': 'https://schema.org',
    '@id': '',
    additionalType: ['AIGeneratedContent'],
    citation: shown.map((citation, i) => claim(citation, i + 1, answer, level)),
  };
  return {
    type: 'message',
    text: teamsText(answer),
    entities: [entity],
    channelData: { feedbackLoop: { type: 'default' } },
  };
}

function teamsText(answer: Answer): string {
  const marker = (i: number) => (i < MAX_TEAMS_CITATIONS ? `[${i + 1}]` : answer.language === 'zh' ? `（${answer.citations[i].ref}）` : ` (${answer.citations[i].ref})`);
  const parts: string[] = [];
  if (answer.lead) parts.push(answer.lead);
  for (const statement of answer.statements) parts.push(`${statement.text}${statement.cites.map(marker).join('')}`);
  if (answer.note) parts.push(answer.note);
  if (answer.related.length) {
    parts.push([`${catalogue(answer.language).related}${answer.language === 'zh' ? '：' : ':'}`, ...answer.related.map((c) => `- [${c.ref}](${c.url})`)].join('\n'));
  }
  return parts.join('\n\n');
}

function claim(citation: Citation, position: number, answer: Answer, level: Level): ClientCitation {
  return {
    '@type': 'Claim',
    position,
    appearance: {
      '@type': 'DigitalDocument',
      name: truncate(citation.ref, NAME_CHARS),
      abstract: truncate(quotedSentence(citation, position - 1, answer), level.abstractChars),
      url: citation.url,
      text: JSON.stringify(paragraphCard(citation, answer.language, { maxChars: level.paragraphChars, section: level.section })),
      encodingFormat: ADAPTIVE_CARD_CONTENT_TYPE,
    },
  };
}

/**
 * The sentence of the cited paragraph that the answer leans on: the first part of a statement citing it
 * that the paragraph contains word for word (extractive answers quote, joining sentences with "…"), else
 * the paragraph's sentence sharing most character pairs with those statements (a model's paraphrase),
 * else the paragraph's start.
 */
export function quotedSentence(citation: Citation, index: number, answer: Answer): string {
  const text = citation.paragraph.text;
  const citing = answer.statements.filter((statement) => statement.cites.includes(index)).map((statement) => statement.text);
  for (const statement of citing) {
    for (const part of statement.split('…').map((p) => p.trim())) {
      if (part.length >= MIN_QUOTE_CHARS && text.includes(part)) return part;
    }
  }
  const wanted = pairs(citing.join(' '));
  let best = { sentence: text, shared: 0 };
  for (const sentence of sentencesOf(text)) {
    const shared = [...pairs(sentence)].filter((pair) => wanted.has(pair)).length;
    if (shared > best.shared) best = { sentence, shared };
  }
  return best.sentence;
}

const MIN_QUOTE_CHARS = 8;

function sentencesOf(text: string): string[] {
  return text.match(/[^。！？；.!?;]+[。！？；.!?;]?/g)?.map((s) => s.trim()).filter(Boolean) ?? [text];
}

function pairs(text: string): Set<string> {
  const chars = Array.from(text.replace(/\s+/g, ''));
  const found = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i++) found.add(chars[i] + chars[i + 1]);
  return found;
}
