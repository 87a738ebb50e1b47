import type { Answer } from '../../core/answer.ts';
import { truncate } from './truncate.ts';

/**
 * An Answer as plain text for a person: each statement followed by its citations in brackets, then the
 * sources with their links. Nothing is re-decided here; the text only places what the answer says.
 */

function inline(answer: Answer, refs: string[]): string {
  if (refs.length === 0) return '';
  return answer.language === 'zh' ? `（${refs.join('；')}）` : ` (${refs.join('; ')})`;
}

/** The answer itself — lead, cited statements, note — without the list of sources. */
export function answerText(answer: Answer): string {
  const lines: string[] = [];
  if (answer.lead) lines.push(answer.lead);
  for (const statement of answer.statements) {
    const refs = statement.cites.map((i) => answer.citations[i]?.ref).filter((r): r is string => Boolean(r));
    lines.push(`${statement.text}${inline(answer, refs)}`);
  }
  if (answer.note) lines.push(answer.note);
  return lines.join('\n');
}

const EXCERPT = 60;

function excerpt(text: string): string {
  return truncate(text, EXCERPT + 1);
}

export function renderText(answer: Answer): string {
  const zh = answer.language === 'zh';
  const blocks = [answerText(answer)];
  if (answer.related.length > 0) {
    const heading = zh ? '相关段落（仅供参考，并非答案）：' : 'Related paragraphs (for reference, not an answer):';
    blocks.push([heading, ...answer.related.map((c) => `- ${c.ref}${zh ? '：' : ': '}${excerpt(c.paragraph.text)} ${c.url}`)].join('\n'));
  }
  if (answer.citations.length > 0) {
    const heading = zh ? '来源：' : 'Sources:';
    blocks.push([heading, ...answer.citations.map((c, i) => `${i + 1}. ${c.ref} ${c.url}`)].join('\n'));
  }
  return blocks.filter(Boolean).join('\n\n');
}
