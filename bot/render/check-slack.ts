import type { ContextBlock, KnownBlock, SectionBlock } from '@slack/types';
import type { Answer, ClaimCheck, Language, Quoted } from '../../core/answer.ts';
import { BADGE, differencesLine, pointerLine, verdictLine, WORDS } from '../../knowledge/check/wording.ts';
import { answerText } from './text.ts';
import { escapeMrkdwn, feedbackButtons, SLACK_LIMITS, type SlackMessage, type SlackRenderOptions } from './slack-blocks.ts';
import { truncate } from './truncate.ts';

/**
 * A claim check as a Slack message: for each citation the verdict in bold, the claim, the quote with its
 * reference linked to undocs.org, what differs and where the content really is; a passage with several
 * citations is one message. Bounded by Slack's limits as answers are.
 */

const QUOTE_CHARS = 300;

export function renderSlackCheck(answer: Answer, options: SlackRenderOptions = {}): SlackMessage {
  const language = answer.language;
  const blocks: KnownBlock[] = [];
  (answer.check ?? []).forEach((check, i) => {
    if (i > 0) blocks.push({ type: 'divider' });
    blocks.push(...checkBlocks(check, language));
  });
  if (answer.note) blocks.push(context(escapeMrkdwn(answer.note)));
  const buttons = options.feedbackValue === undefined ? undefined : feedbackButtons(options.feedbackValue, language);
  const room = SLACK_LIMITS.blocks - (buttons ? 1 : 0);
  return { text: truncate(answerText(answer), SLACK_LIMITS.fallbackText), blocks: [...blocks.slice(0, room), ...(buttons ? [buttons] : [])] };
}

function checkBlocks(check: ClaimCheck, language: Language): KnownBlock[] {
  const colon = language === 'zh' ? '：' : ': ';
  const head: SectionBlock = {
    type: 'section',
    text: { type: 'mrkdwn', text: truncate(`*${escapeMrkdwn(BADGE[language][check.verdict])}*\n${WORDS[language].claim}${colon}${escapeMrkdwn(check.claim)}\n${escapeMrkdwn(verdictLine(check, language))}`, SLACK_LIMITS.sectionText) },
  };
  const blocks: KnownBlock[] = [head];
  const quoted = check.verdict === 'supported' ? check.evidence : check.paragraph ? [check.paragraph] : [];
  for (const q of quoted) blocks.push(quoteBlock(q));
  const differs = differencesLine(check, language);
  if (differs) blocks.push(context(escapeMrkdwn(differs)));
  const pointer = pointerLine(check, language);
  if (pointer) {
    blocks.push(context(`*${escapeMrkdwn(pointer)}*`));
    for (const q of check.located) blocks.push(quoteBlock(q));
  }
  return blocks;
}

function quoteBlock(q: Quoted): ContextBlock {
  return context(`<${q.citation.url}|${escapeMrkdwn(q.citation.ref).replace(/\|/g, '¦')}>\n“${escapeMrkdwn(truncate(q.quote, QUOTE_CHARS))}”`);
}

function context(text: string): ContextBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: truncate(text, SLACK_LIMITS.sectionText) }] };
}
