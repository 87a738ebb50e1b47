import type { Answer, ClaimCheck, Language, Quoted, Verdict } from '../../core/answer.ts';
import { BADGE, differencesLine, pointerLine, verdictLine, WORDS } from '../../knowledge/check/wording.ts';
import type { AdaptiveCard, AdaptiveElement } from './adaptive-card.ts';
import { jsonBytes, truncate } from './truncate.ts';

/**
 * A claim check as an Adaptive Card: for each citation, the verdict as a coloured badge, the claim, the
 * quote with its reference linked to undocs.org, what differs and where the content really is. Each
 * quoted paragraph carries its citation marker ("[1]"), numbered as in `answer.citations`; quotes are
 * shortened until the card fits `maxBytes`, references never are.
 */

const COLOR: Record<Verdict, string> = { supported: 'Good', not_supported: 'Attention', no_such_paragraph: 'Warning', cannot_tell: 'Default' };
/** Ever shorter quotes, tried in turn until the card fits its budget. */
const QUOTE_STEPS = [400, 200, 100, 40];
/** Half of what a Teams message may carry: the citation entity with its paragraph cards needs the rest. */
export const CHECK_CARD_BYTES = 12_000;

export function checkCard(answer: Answer, maxBytes = CHECK_CARD_BYTES): AdaptiveCard {
  let card = buildCard(answer, QUOTE_STEPS[0]);
  for (const quoteChars of QUOTE_STEPS.slice(1)) {
    if (jsonBytes(card) <= maxBytes) break;
    card = buildCard(answer, quoteChars);
  }
  return card;
}

function buildCard(answer: Answer, quoteChars: number): AdaptiveCard {
  const language = answer.language;
  const body: AdaptiveElement[] = [];
  (answer.check ?? []).forEach((check, i) => body.push(...checkItems(check, language, answer, quoteChars, i > 0)));
  if (answer.note) body.push({ type: 'TextBlock', text: answer.note, wrap: true, isSubtle: true, separator: true });
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    msteams: { width: 'Full' },
  };
}

function checkItems(check: ClaimCheck, language: Language, answer: Answer, quoteChars: number, separated: boolean): AdaptiveElement[] {
  const items: AdaptiveElement[] = [
    { type: 'TextBlock', text: BADGE[language][check.verdict], weight: 'Bolder', size: 'Medium', color: COLOR[check.verdict], wrap: true, separator: separated, spacing: separated ? 'Large' : 'Default' },
    { type: 'TextBlock', text: `${WORDS[language].claim}${language === 'zh' ? '：' : ': '}${check.claim}`, wrap: true },
    { type: 'TextBlock', text: verdictLine(check, language), wrap: true },
  ];
  const quoted = check.verdict === 'supported' ? check.evidence : check.paragraph ? [check.paragraph] : [];
  for (const q of quoted) items.push(quoteBlock(q, answer, quoteChars));
  const differs = differencesLine(check, language);
  if (differs) items.push({ type: 'TextBlock', text: differs, wrap: true, color: 'Attention' });
  const pointer = pointerLine(check, language);
  if (pointer) {
    items.push({ type: 'TextBlock', text: pointer, wrap: true, weight: 'Bolder' });
    for (const q of check.located) items.push(quoteBlock(q, answer, quoteChars));
  }
  return items;
}

function quoteBlock(q: Quoted, answer: Answer, quoteChars: number): AdaptiveElement {
  const at = answer.citations.findIndex((c) => c.paragraph.id === q.citation.paragraph.id);
  return {
    type: 'Container',
    style: 'emphasis',
    items: [
      { type: 'TextBlock', text: `${at >= 0 ? `[${at + 1}] ` : ''}[${q.citation.ref}](${q.citation.url})`, wrap: true, size: 'Small' },
      { type: 'TextBlock', text: `“${truncate(q.quote, quoteChars)}”`, wrap: true },
    ],
  };
}
