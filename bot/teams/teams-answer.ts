import type { Activity } from 'botbuilder';
import type { Answer, Citation } from '../../core/answer.ts';
import { ADAPTIVE_CARD_CONTENT_TYPE, paragraphCard } from '../render/adaptive-card.ts';
import { jsonBytes, truncate } from '../render/truncate.ts';

/**
 * Answer → a Teams message with Teams' own citations: "[n]" markers in the text and one schema.org
 * Message entity whose Claims carry, for each n, the reference, an abstract and the whole paragraph as an
 * Adaptive Card (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/bot-messages-ai-generated-content).
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
    const heading = answer.language === 'zh' ? '相关段落（仅供参考，并非答案）：' : 'Related paragraphs (for reference, not an answer):';
    parts.push([heading, ...answer.related.map((c) => `- [${c.ref}](${c.url})`)].join('\n'));
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
      abstract: truncate(citation.paragraph.text, level.abstractChars),
      url: citation.url,
      text: JSON.stringify(paragraphCard(citation, answer.language, { maxChars: level.paragraphChars, section: level.section })),
      encodingFormat: ADAPTIVE_CARD_CONTENT_TYPE,
    },
  };
}
