import type { ClaimCheck, Language } from '../../core/answer.ts';
import { formatReference } from '../../knowledge/citation.ts';
import { BADGE, differencesLine, pointerLine } from '../../knowledge/check/wording.ts';
import { truncate } from './truncate.ts';

/** A draft's check report for a person: one row per citation, then what differs and where it is said. */

const CLAIM_CHARS = 48;

function cited(check: ClaimCheck, language: Language): string {
  return check.cited ? formatReference(check.cited.symbol, check.cited.label, language) : '?';
}

/** Display width: Han and full-width characters take two columns. */
function width(text: string): number {
  let w = 0;
  for (const c of text) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|\p{Extended_Pictographic}/u.test(c) ? 2 : 1;
  return w;
}

const pad = (text: string, to: number) => text + ' '.repeat(Math.max(0, to - width(text)));

export function checkReportTable(checks: ClaimCheck[], language: Language): string {
  const zh = language === 'zh';
  const head = zh ? ['#', '结论', '引用', '说法'] : ['#', 'Verdict', 'Citation', 'Claim'];
  const rows = checks.map((c, i) => [String(i + 1), BADGE[language][c.verdict], cited(c, language), truncate(c.claim, CLAIM_CHARS)]);
  const widths = head.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i]))));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : pad(c, widths[i]))).join('  ').trimEnd();
  const notes = checks.flatMap((c, i) => {
    const parts = [differencesLine(c, language), pointerLine(c, language), c.verdict === 'no_such_paragraph' && c.range ? (zh ? `${c.cited!.symbol} 有${c.range}。` : `${c.cited!.symbol} has ${c.range}.`) : undefined].filter(Boolean);
    return parts.length ? [`${i + 1}. ${parts.join(' ')}`] : [];
  });
  const bad = checks.filter((c) => c.verdict !== 'supported').length;
  const summary = zh ? `共 ${checks.length} 处引用，${bad} 处有问题。` : `${checks.length} citations, ${bad} with problems.`;
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line), '', ...(notes.length ? [...notes, ''] : []), summary].join('\n');
}
