import type { ActionsBlock, ContextBlock, KnownBlock, SectionBlock } from '@slack/types';
import type { Answer, Citation, Language, Statement } from '../../core/answer.ts';
import { catalogue } from '../catalogue/catalogue.ts';
import { answerText } from './text.ts';
import { truncate } from './truncate.ts';

/**
 * An answer as a Slack message: the answer in mrkdwn with its references inline as links, each source
 * as a context block (reference linked to undocs.org, a short quote), and 👍/👎 buttons. Everything that
 * Slack would reject or cut is bounded here: 50 blocks, 3000 characters per text object, 2000 per button value.
 */

export const SLACK_LIMITS = { blocks: 50, sectionText: 3000, contextElements: 10, buttonValue: 2000, fallbackText: 3000 };
export const FEEDBACK_ACTIONS = { up: 'feedback_up', down: 'feedback_down' } as const;

const QUOTE_CHARS = 140;

export interface SlackMessage {
  /** Plain text: notifications, screen readers and clients without Block Kit. */
  text: string;
  blocks: KnownBlock[];
}

export interface SlackRenderOptions {
  /** Value carried by both feedback buttons; no buttons without it. */
  feedbackValue?: string;
}


export function renderSlackAnswer(answer: Answer, options: SlackRenderOptions = {}): SlackMessage {
  const words = catalogue(answer.language);
  const body = answerMrkdwn(answer);
  const sections: SectionBlock[] = splitText(body, SLACK_LIMITS.sectionText).map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } }));
  const sourceList = answer.citations.length > 0 ? answer.citations : answer.related;
  const heading = answer.citations.length > 0 ? words.sources : words.related;
  const actions = options.feedbackValue === undefined ? [] : [feedbackButtons(options.feedbackValue, answer.language)];

  // Room left for sources once the answer, the divider, the heading, a possible "more" line and the buttons are placed.
  const room = SLACK_LIMITS.blocks - sections.length - actions.length - 3;
  const shown = sourceList.slice(0, Math.max(0, room));
  const sources: KnownBlock[] = [];
  if (shown.length > 0) {
    sources.push({ type: 'divider' }, context(`*${heading}*`), ...shown.map((c, i) => sourceBlock(c, answer.citations.length > 0 ? i + 1 : undefined)));
  }
  if (shown.length < sourceList.length && room > 0) sources.push(context(escapeMrkdwn(words.moreSources(sourceList.length - shown.length))));

  const blocks = [...sections, ...sources, ...actions].slice(0, SLACK_LIMITS.blocks);
  return { text: truncate(answerText(answer), SLACK_LIMITS.fallbackText), blocks };
}

/** A short reply that is not an answer (help, errors), as a message. */
export function renderSlackNotice(text: string): SlackMessage {
  const shown = truncate(text, SLACK_LIMITS.sectionText);
  return { text: shown, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(shown) } }] };
}

/** As ./text.ts places them, but each inline reference is a link to its document. */
function answerMrkdwn(answer: Answer): string {
  const lines: string[] = [];
  if (answer.lead) lines.push(escapeMrkdwn(answer.lead));
  for (const statement of answer.statements) lines.push(escapeMrkdwn(statement.text) + references(statement, answer));
  if (answer.note) lines.push(escapeMrkdwn(answer.note));
  return lines.join('\n');
}

function references(statement: Statement, answer: Answer): string {
  const cited = statement.cites.map((i) => answer.citations[i]).filter((c): c is Citation => c !== undefined);
  return catalogue(answer.language).inlineReferences(cited.map((c) => `<${c.url}|${linkLabel(c.ref)}>`));
}

function sourceBlock(citation: Citation, position: number | undefined): ContextBlock {
  const marker = position === undefined ? '' : `*[${position}]* `;
  const section = citation.paragraph.section.at(-1);
  const where = section ? `  ·  ${escapeMrkdwn(section)}` : '';
  return context(`${marker}<${citation.url}|${linkLabel(citation.ref)}>${where}\n“${escapeMrkdwn(truncate(citation.paragraph.text, QUOTE_CHARS))}”`);
}

export function feedbackButtons(value: string, language: Language): ActionsBlock {
  if (value.length > SLACK_LIMITS.buttonValue) throw new RangeError(`Slack button values are limited to ${SLACK_LIMITS.buttonValue} characters (got ${value.length})`);
  const words = catalogue(language);
  return {
    type: 'actions',
    block_id: 'feedback',
    elements: [
      { type: 'button', action_id: FEEDBACK_ACTIONS.up, text: { type: 'plain_text', text: words.helpful, emoji: true }, value },
      { type: 'button', action_id: FEEDBACK_ACTIONS.down, text: { type: 'plain_text', text: words.notHelpful, emoji: true }, value },
    ],
  };
}

function context(text: string): ContextBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(text, SLACK_LIMITS.sectionText) }] };
}

/** Slack mrkdwn treats only these three as control characters in text. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A link label ends at "|" or ">"; references never contain them, but a label must not break the link. */
function linkLabel(text: string): string {
  return escapeMrkdwn(text).replace(/\|/g, '¦');
}

/** Splits at line breaks where possible, so that a reference link is never cut in half. */
function splitText(text: string, limit: number): string[] {
  const chunks: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    const candidate = current ? `${current}\n${line}` : line;
    if (candidate.length <= limit) {
      current = candidate;
      continue;
    }
    if (current) chunks.push(current);
    current = line;
    while (current.length > limit) {
      chunks.push(current.slice(0, limit));
      current = current.slice(limit);
    }
  }
  if (current || chunks.length === 0) chunks.push(current || ' ');
  return chunks;
}
