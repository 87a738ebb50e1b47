import { labelKind } from '../../core/paragraph.ts';
import type { Language } from '../../core/answer.ts';

/**
 * What a document holds, for the message about a paragraph that does not exist: "第1至78段，序言部分第1至17段，
 * 摘要，脚注1至12，方框1至5" / "paras. 1 to 78, …".
 */
export function describeLabels(labels: string[], language: Language): string {
  const numbers = (pattern: RegExp) =>
    labels
      .map((l) => pattern.exec(l)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number);
  const span = (values: number[]) => (values.length ? [Math.min(...values), Math.max(...values)] : undefined);
  const numbered = span(numbers(/^(\d+)(?:\([a-z]+\))?$/));
  const preambular = span(numbers(/^PP(\d+)$/));
  const footnotes = span(numbers(/^fn(\d+)$/));
  const boxes = span(numbers(/^box(\d+)$/));
  const hasSummary = labels.includes('summary');
  const hasAnnex = labels.some((l) => labelKind(l) === 'annex');
  const zh = language === 'zh';
  const range = ([a, b]: number[]) => (a === b ? `${a}` : zh ? `${a}至${b}` : `${a} to ${b}`);
  const parts: string[] = [];
  if (numbered) parts.push(zh ? `第${range(numbered)}段` : `paras. ${range(numbered)}`);
  if (preambular) parts.push(zh ? `序言部分第${range(preambular)}段` : `preambular paras. ${range(preambular)}`);
  if (hasSummary) parts.push(zh ? '摘要' : 'a summary');
  if (footnotes) parts.push(zh ? `脚注${range(footnotes)}` : `footnotes ${range(footnotes)}`);
  if (boxes) parts.push(zh ? `方框${range(boxes)}` : `boxes ${range(boxes)}`);
  if (hasAnnex) parts.push(zh ? '附件' : 'an annex');
  return parts.join(zh ? '，' : ', ');
}
