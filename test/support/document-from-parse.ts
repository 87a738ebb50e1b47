import { labelKind, type ParsedDocument } from '../../core/paragraph.ts';
import type { Block, Inline, TestDocument } from './test-document.ts';

/**
 * The content of a parsed text version, laid out again as a formatted document would carry it: the
 * front matter as it stands, section headings, "13." and "(a)" numbers, bold leading verbs (where the
 * text version marks them), footnotes referenced from the paragraph before them, "方框 n" boxes and the annex.
 * Writing formats from this and parsing them back tests the readers against the text version.
 */
export function testDocumentFrom(parsed: ParsedDocument, sourceText: string, jobNumber: string): TestDocument {
  const source = sourceText.split('\n').map(cleanSourceLine);
  const firstLine = source.findIndex((line) => line.replace(/\s/g, '').includes(parsed.paragraphs[0].text.replace(/\s/g, '').slice(0, 8)));
  const blocks: Block[] = source
    .slice(0, firstLine)
    .filter((line) => line !== '' && !/^\*/.test(line) && !/^https?:/.test(line))
    .map((line) => ({ kind: 'paragraph', runs: [{ text: line }] }));
  const bolds = [...sourceText.matchAll(/\*\*([^*\n]+?)\*\*/g)].map((match) => match[1].trim()).sort((a, b) => b.length - a.length);

  let section: string[] = [];
  const written: ParagraphBlock[] = [];
  for (const paragraph of parsed.paragraphs) {
    const kind = labelKind(paragraph.label);
    if (kind !== 'footnote' && paragraph.section.join('\n') !== section.join('\n')) {
      const common = section.findIndex((heading, index) => paragraph.section[index] !== heading);
      for (const heading of paragraph.section.slice(common === -1 ? section.length : common)) blocks.push({ kind: 'heading', text: heading });
      section = paragraph.section;
    }
    const lines = paragraph.text.split('\n');
    if (kind === 'footnote') {
      const number = paragraph.label.slice(2);
      placeMarker(written, number, referenceContext(sourceText, number));
      blocks.push({ kind: 'footnote', number, text: paragraph.text.replace(/\n/g, ' ') });
      continue;
    }
    if (kind === 'box') blocks.push({ kind: 'paragraph', runs: [{ text: `方框 ${paragraph.label.slice(3)}` }] });
    if (kind === 'annex') blocks.push({ kind: 'paragraph', runs: [{ text: '附件' }] });
    const prefix = kind === 'numbered' ? `${paragraph.label}. ` : kind === 'sub' ? `${/\(([a-z]+)\)/.exec(paragraph.label)![1].replace(/^/, '(')}) ` : '';
    lines.forEach((line, index) => {
      const block: ParagraphBlock = { kind: 'paragraph', runs: [...(index === 0 && prefix ? [{ text: prefix }] : []), ...leadingBold(line, bolds)], indent: kind === 'sub' };
      blocks.push(block);
      written.push(block);
    });
  }
  return { symbol: parsed.meta.symbol, jobNumber, blocks };
}

type ParagraphBlock = Extract<Block, { kind: 'paragraph' }>;

/** The few characters before footnote marker `number` in the text version, where it marks the reference. */
function referenceContext(sourceText: string, number: string): string | undefined {
  const line = sourceText.split('\n').find((text) => text.includes(`<sup>${number}</sup>`) && !text.trim().startsWith(`<sup>${number}</sup>`));
  if (!line) return undefined;
  const before = cleanSourceLine(line.slice(0, line.indexOf(`<sup>${number}</sup>`)));
  return before.length >= 4 ? before.slice(-8) : undefined;
}

/** Puts the footnote marker where the text version has it, or else at the end of the last paragraph. */
function placeMarker(written: ParagraphBlock[], number: string, context: string | undefined): void {
  const marker: Inline = { text: number, sup: true };
  for (const block of context ? [...written].reverse() : []) {
    for (const [index, run] of block.runs.entries()) {
      const at = run.sup ? -1 : run.text.indexOf(context!);
      if (at === -1) continue;
      const end = at + context!.length;
      block.runs.splice(index, 1, { ...run, text: run.text.slice(0, end) }, marker, { ...run, text: run.text.slice(end) });
      return;
    }
  }
  written[written.length - 1]?.runs.push(marker);
}

function cleanSourceLine(line: string): string {
  return line.replace(/\*\*/g, '').replace(/^#+\s*/, '').replace(/<sup>\d+<\/sup>/g, '').trim();
}

function leadingBold(text: string, bolds: string[]): Inline[] {
  const verb = bolds.find((bold) => text.startsWith(bold));
  return verb ? [{ text: verb, bold: true }, { text: text.slice(verb.length) }] : [{ text }];
}
