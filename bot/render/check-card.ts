import type { Answer, ClaimCheck, Language, Quoted, Verdict } from '../../core/answer.ts';
import { BADGE, differencesLine, pointerLine, verdictLine } from '../../knowledge/check/wording.ts';
import type { AdaptiveCard, AdaptiveElement } from './adaptive-card.ts';
import { truncate } from './truncate.ts';

/**
 * A claim check as an Adaptive Card: for each citation, the verdict as a coloured badge, the claim, the
 * quote with its reference linked to undocs.org, what differs and where the content really is. `marker`
 * gives each quoted paragraph its Teams citation marker ("[1]"), numbered as in `answer.citations`.
 */

const COLOR: Record<Verdict, string> = { supported: 'Good', not_supported: 'Attention', no_such_paragraph: 'Warning', cannot_tell: 'Default' };
const QUOTE_CHARS = 400;
const LABELS = {
  zh: { claim: '说法', quote: '原文', where: '实际出处' },
  en: { claim: 'Claim', quote: 'The paragraph says', where: 'Where it is said' },
};

export function checkCard(answer: Answer, marker: (citationIndex: number) => string = (i) => `[${i + 1}]`): AdaptiveCard {
  const language = answer.language;
  const body: AdaptiveElement[] = [];
  (answer.check ?? []).forEach((check, i) => body.push(...checkItems(check, language, answer, marker, i > 0)));
  if (answer.note) body.push({ type: 'TextBlock', text: answer.note, wrap: true, isSubtle: true, separator: true });
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    msteams: { width: 'Full' },
  };
}

function checkItems(check: ClaimCheck, language: Language, answer: Answer, marker: (i: number) => string, separated: boolean): AdaptiveElement[] {
  const words = LABELS[language];
  const items: AdaptiveElement[] = [
    { type: 'TextBlock', text: BADGE[language][check.verdict], weight: 'Bolder', size: 'Medium', color: COLOR[check.verdict], wrap: true, separator: separated, spacing: separated ? 'Large' : 'Default' },
    { type: 'TextBlock', text: `${words.claim}${language === 'zh' ? '：' : ': '}${check.claim}`, wrap: true },
    { type: 'TextBlock', text: verdictLine(check, language), wrap: true },
  ];
  const quoted = check.verdict === 'supported' ? check.evidence : check.paragraph ? [check.paragraph] : [];
  for (const q of quoted) items.push(quoteBlock(q, answer, marker));
  const differs = differencesLine(check, language);
  if (differs) items.push({ type: 'TextBlock', text: differs, wrap: true, color: 'Attention' });
  const pointer = pointerLine(check, language);
  if (pointer) {
    items.push({ type: 'TextBlock', text: pointer, wrap: true, weight: 'Bolder' });
    for (const q of check.located) items.push(quoteBlock(q, answer, marker));
  }
  return items;
}

function quoteBlock(q: Quoted, answer: Answer, marker: (i: number) => string): AdaptiveElement {
  const at = answer.citations.findIndex((c) => c.paragraph.id === q.citation.paragraph.id);
  return {
    type: 'Container',
    style: 'emphasis',
    items: [
      { type: 'TextBlock', text: `${at >= 0 ? `${marker(at)} ` : ''}[${q.citation.ref}](${q.citation.url})`, wrap: true, size: 'Small' },
      { type: 'TextBlock', text: `“${truncate(q.quote, QUOTE_CHARS)}”`, wrap: true },
    ],
  };
}
