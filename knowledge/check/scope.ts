import { labelKind, leadInOf, type Paragraph } from '../../core/paragraph.ts';
import type { IndexView } from '../../index/knowledge-index.ts';

/**
 * What a cited label covers: "13" is the lead-in and its sub-paragraphs (a claim about ¶13 may be about
 * any of them); "13(c)" is the sub-paragraph, read with the lead-in that gives it its actor and verb.
 * And the paragraphs a citation is most often confused with: the lettered siblings, the neighbours, the
 * preambular paragraph of the same number (PP5 for 5, and 5 for PP5), the same label in other documents.
 */

export interface CitedScope {
  paragraph: Paragraph;
  /** Text compared with the claim. */
  own: string;
  /** The lead-in of a sub-paragraph. */
  context: string;
  /** Paragraphs the scope is made of. */
  members: Paragraph[];
}

function subsOf(index: IndexView, paragraph: Paragraph): Paragraph[] {
  return index.paragraphsOf(paragraph.symbol).filter((p) => leadInOf(p.label) === paragraph.label);
}

export function scopeOf(index: IndexView, paragraph: Paragraph): CitedScope {
  const parent = leadInOf(paragraph.label);
  if (parent) {
    const lead = index.paragraph(paragraph.symbol, parent);
    return { paragraph, own: paragraph.text, context: lead?.text ?? '', members: [paragraph] };
  }
  const subs = subsOf(index, paragraph);
  return { paragraph, own: [paragraph.text, ...subs.map((s) => s.text)].join('\n'), context: '', members: [paragraph, ...subs] };
}

/** The paragraphs a citation of `paragraph` (or of `label` in `symbol`) is likely to have meant. */
export function confusable(index: IndexView, symbol: string, label: string, paragraph?: Paragraph): Paragraph[] {
  const out: Paragraph[] = [];
  const add = (p: Paragraph | undefined) => {
    if (p && !out.some((o) => o.id === p.id)) out.push(p);
  };
  const inDocument = index.paragraphsOf(symbol);
  const kind = labelKind(label);
  const number = /\d+/.exec(label)?.[0];
  if (number && (kind === 'numbered' || kind === 'sub' || kind === 'preambular')) {
    add(index.paragraph(symbol, kind === 'preambular' ? number : `PP${number}`));
    const parent = leadInOf(label) ?? number;
    for (const p of inDocument) if (leadInOf(p.label) === parent || p.label === parent) add(p);
  }
  if (paragraph) {
    for (const p of inDocument) if (Math.abs(p.position - paragraph.position) <= 2 && p.id !== paragraph.id) add(p);
  }
  for (const p of index.labelled(label)) if (p.symbol !== symbol) add(p);
  return out;
}

/** The text and lead-in of any paragraph, as scopeOf reads the cited one. */
export function contextOf(index: IndexView, paragraph: Paragraph): string {
  const parent = leadInOf(paragraph.label);
  return parent ? (index.paragraph(paragraph.symbol, parent)?.text ?? '') : '';
}
