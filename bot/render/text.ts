import type { Answer } from '../../core/answer.ts';
import { catalogue } from '../catalogue/catalogue.ts';
import { truncate } from './truncate.ts';

/**
 * An Answer as plain text for a person: each statement followed by its citations in brackets, then the
 * sources with their links. Nothing is re-decided here; the text only places what the answer says.
 */

/** The answer itself — lead, cited statements, note — without the list of sources. */
export function answerText(answer: Answer): string {
  const lines: string[] = [];
  if (answer.lead) lines.push(answer.lead);
  for (const statement of answer.statements) {
    const refs = statement.cites.map((i) => answer.citations[i]?.ref).filter((r): r is string => Boolean(r));
    lines.push(`${statement.text}${catalogue(answer.language).inlineReferences(refs)}`);
  }
  if (answer.note) lines.push(answer.note);
  return lines.join('\n');
}

const EXCERPT = 60;

function excerpt(text: string): string {
  return truncate(text, EXCERPT + 1);
}

export function renderText(answer: Answer): string {
  const words = catalogue(answer.language);
  const colon = answer.language === 'zh' ? '：' : ': ';
  const blocks = [answerText(answer)];
  if (answer.related.length > 0) {
    blocks.push([`${words.related}${colon.trimEnd()}`, ...answer.related.map((c) => `- ${c.ref}${colon}${excerpt(c.paragraph.text)} ${c.url}`)].join('\n'));
  }
  if (answer.citations.length > 0) {
    blocks.push([`${words.sources}${colon.trimEnd()}`, ...answer.citations.map((c, i) => `${i + 1}. ${c.ref} ${c.url}`)].join('\n'));
  }
  return blocks.filter(Boolean).join('\n\n');
}
