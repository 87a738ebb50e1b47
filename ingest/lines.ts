/**
 * Prepares raw lines for the structure pass: markup and bold artifacts cleaned, layout facts kept
 * (trailing/leading whitespace, line width) because in hard-wrapped PDF text they are the only signal
 * of where a block ends.
 */
import {
  collapseBoldRepeats,
  collapseLetterSpacing,
  splitLines,
  startsEmphasised,
  stripMarkdown,
  stripReferenceMarkup,
  trimLine,
} from './clean.ts';

export interface Line {
  /** Cleaned text with <sup> markers still present (footnote lines need them). */
  marked: string;
  /** Trimmed text without bold markup, four-fold repeats, heading hashes or reference markup. */
  text: string;
  /** The source line ended in whitespace (PDF extraction puts it after a block's last line). */
  trailing: boolean;
  /** The source line started with whitespace (PDF indents a block's first line). */
  leading: boolean;
  /** The clause starts with emphasis: Markdown bold or a four-fold bold artifact. */
  emphasised: boolean;
}

export type Layout = 'wrapped' | 'blocks';

export interface PreparedText {
  lines: Line[];
  layout: Layout;
  /** Typical full-line width in a wrapped layout. */
  width: number;
}

/**
 * Title blocks sometimes arrive as one line of adjoining bold runs
 * ("建立全球伙伴关系**加强…合作****秘书长的报告****摘要**"); such a line is several lines.
 */
function splitAdjoiningBold(raw: string): string[] {
  const marks = raw.match(/\*\*/g)?.length ?? 0;
  if (marks < 4 || /[，。；]/.test(raw)) return [raw];
  return raw.split(/\*{2,}/).map((s) => s.trim()).filter(Boolean);
}

export function prepareLines(text: string): PreparedText {
  const lines: Line[] = [];
  for (const source of splitLines(text)) {
    for (const raw of splitAdjoiningBold(source)) {
      if (!trimLine(raw)) continue;
      const spaced = collapseLetterSpacing(raw);
      const bold = startsEmphasised(stripHeadingHashes(spaced));
      const repeated = collapseBoldRepeats(spaced);
      const marked = trimLine(stripMarkdown(repeated.text));
      if (!marked) continue;
      lines.push({
        marked,
        text: trimLine(stripReferenceMarkup(marked)),
        trailing: /[\s\u3000]$/.test(raw),
        leading: /^[\s\u3000]/.test(raw),
        emphasised: bold || repeated.emphasisedStart,
      });
    }
  }
  return { lines, ...measureLayout(lines) };
}

function stripHeadingHashes(line: string): string {
  return line.replace(/^[\s\u3000]*#{1,6}\s+/, '');
}

/**
 * Hard-wrapped text (PDF) breaks most long lines mid-sentence; block text (Markdown, DOCX, HTML, one
 * paragraph per line) ends nearly every line at punctuation.
 */
function measureLayout(lines: Line[]): { layout: Layout; width: number } {
  const long = lines.filter((l) => [...l.text].length > 15);
  if (long.length === 0) return { layout: 'blocks', width: 0 };
  const broken = long.filter((l) => !/[。！？；：，、,.;:!?）)”』」】\]]$/.test(l.text)).length;
  const lengths = long.map((l) => [...l.text].length).sort((a, b) => a - b);
  const width = lengths[Math.floor(lengths.length / 2)];
  return { layout: broken / long.length > 0.3 ? 'wrapped' : 'blocks', width };
}
