import { describe, expect, it } from 'vitest';
import type { Paragraph } from '../core/paragraph.ts';
import { cite, formatReference, undocsUrl } from '../knowledge/citation.ts';

const cases: Array<[string, string, string, string]> = [
  ['A/RES/68/234', '13', 'A/RES/68/234，第13段', 'A/RES/68/234, para. 13'],
  ['A/RES/68/234', '13(c)', 'A/RES/68/234，第13(c)段', 'A/RES/68/234, para. 13 (c)'],
  ['A/RES/68/234', 'PP5', 'A/RES/68/234，序言部分第5段', 'A/RES/68/234, preambular para. 5'],
  ['A/68/326', 'summary', 'A/68/326，摘要', 'A/68/326, summary'],
  ['A/68/326', 'fn1', 'A/68/326，脚注1', 'A/68/326, footnote 1'],
  ['A/68/326', 'box3', 'A/68/326，方框3', 'A/68/326, box 3'],
  ['A/68/326', 'annex', 'A/68/326，附件', 'A/68/326, annex'],
];

describe('citation references', () => {
  it.each(cases)('%s %s reads the same way a focal point writes it', (symbol, label, zh, en) => {
    expect(formatReference(symbol, label, 'zh')).toBe(zh);
    expect(formatReference(symbol, label, 'en')).toBe(en);
  });

  it('links to undocs.org in the form the documents use: ch for Chinese, en for English, over https', () => {
    expect(undocsUrl('A/RES/66/223', 'zh')).toBe('https://undocs.org/ch/A/RES/66/223');
    expect(undocsUrl('A/68/326', 'en')).toBe('https://undocs.org/en/A/68/326');
  });

  it('builds a citation from a paragraph in the answer language', () => {
    const paragraph: Paragraph = {
      id: 'A/RES/68/234#13(c)',
      symbol: 'A/RES/68/234',
      kind: 'resolution',
      date: '2013-12-20',
      language: 'zh',
      label: '13(c)',
      section: [],
      text: '……',
      position: 20,
    };
    expect(cite(paragraph, 'zh')).toEqual({ paragraph, ref: 'A/RES/68/234，第13(c)段', url: 'https://undocs.org/ch/A/RES/68/234' });
    expect(cite(paragraph, 'en').ref).toBe('A/RES/68/234, para. 13 (c)');
  });
});
