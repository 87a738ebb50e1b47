import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import PDFDocument from 'pdfkit';
import { findCjkFont, type CjkFont } from './cjk-font.ts';
import type { Inline, TestDocument } from './test-document.ts';

/**
 * Typesets a test document as a UN-style PDF: lines wrapped by the layout (mid-sentence, mid-word where
 * the width runs out), the symbol as running header, job number and "n/N" page numbers as running footer,
 * footnotes at the bottom of the page that refers to them under a rule, superscript markers, and bold
 * drawn the way UN PDFs fake it: the same text overprinted at a hair's offset.
 */
export async function makePdf(document: TestDocument, path: string, font: CjkFont = findCjkFont()): Promise<void> {
  const pdf = new PDFDocument({ size: 'A4', margin: 0, autoFirstPage: false });
  const done = finished(pdf.pipe(createWriteStream(path)));
  pdf.registerFont('cjk', font.path, font.family);
  const pages = layout(document, (text, size) => pdf.font('cjk').fontSize(size).widthOfString(text));
  pages.forEach((page, index) => drawPage(pdf, page, index + 1, pages.length, document));
  pdf.end();
  await done;
}

const LEFT = 72;
const RIGHT = 523;
const BODY_TOP = 110;
const FOOTNOTE_BOTTOM = 770;
const BODY_SIZE = 11;
const BODY_LEADING = 16;
const NOTE_SIZE = 9;
const NOTE_LEADING = 12;
const NOTE_INDENT = 18;
const SUB_INDENT = 24;

interface Atom extends Inline {
  width: number;
}
interface PlacedLine {
  atoms: Atom[];
  x: number;
  baseline: number;
  size: number;
}
interface Note {
  number: string;
  lines: Atom[][];
}
interface Page {
  lines: PlacedLine[];
  notes: Note[];
}

type Measure = (text: string, size: number) => number;

function layout(document: TestDocument, measure: Measure): Page[] {
  const notes = new Map<string, Note>();
  for (const block of document.blocks) {
    if (block.kind === 'footnote') {
      notes.set(block.number, { number: block.number, lines: wrap([{ text: block.text }], RIGHT - LEFT - NOTE_INDENT, NOTE_SIZE, measure) });
    }
  }
  const referenced = new Set(
    document.blocks.flatMap((block) => (block.kind === 'paragraph' ? block.runs.filter((run) => run.sup).map((run) => run.text) : [])),
  );

  const pages: Page[] = [{ lines: [], notes: [] }];
  let y = BODY_TOP;
  const page = () => pages[pages.length - 1];
  const notesHeight = (list: Note[]) =>
    list.length === 0 ? 0 : 30 + list.reduce((sum, note) => sum + note.lines.length * NOTE_LEADING + 2, 0);
  const place = (atoms: Atom[], x: number, extraNotes: Note[]) => {
    if (y + notesHeight([...page().notes, ...extraNotes]) > FOOTNOTE_BOTTOM) {
      pages.push({ lines: [], notes: [] });
      y = BODY_TOP;
    }
    page().lines.push({ atoms, x, baseline: y, size: BODY_SIZE });
    page().notes.push(...extraNotes);
    y += BODY_LEADING;
  };

  for (const block of document.blocks) {
    if (block.kind === 'footnote') {
      // A note nothing refers to sits at the foot of the page the text has reached.
      if (!referenced.has(block.number)) page().notes.push(notes.get(block.number)!);
      continue;
    }
    y += block.kind === 'heading' ? 10 : 6;
    const runs = block.kind === 'heading' ? [{ text: block.text, bold: true }] : block.runs;
    const x = block.kind === 'paragraph' && block.indent ? LEFT + SUB_INDENT : LEFT;
    for (const line of wrap(runs, RIGHT - x, BODY_SIZE, measure)) {
      const lineNotes = line.filter((atom) => atom.sup).map((atom) => notes.get(atom.text)).filter((note) => note !== undefined);
      place(line, x, lineNotes);
    }
  }
  return pages;
}

/** Latin words and numbers stay whole; every atom carries the spaces that follow it. */
const ATOM = /[\p{Script=Latin}\d.,;:!?'"()\/\-–%&*]+\s*|\s+|.\s*/gu;
const LATIN = /[\p{Script=Latin}\d.,;:!?'"()\/\-–%&*]/u;

/**
 * Lines break between Chinese characters, or at a space between Latin words — never where Chinese meets
 * Latin ("因COVID-19大流行", "(a) 摆脱"): whether a space stood there could not be told from the break,
 * so no reader could restore the text exactly.
 */
function breakable(before: Atom, after: Atom): boolean {
  if (after.sup) return false;
  const last = before.text.trimEnd().slice(-1);
  const first = after.text.charAt(0);
  return /\s$/.test(before.text) ? LATIN.test(last) && LATIN.test(first) : !LATIN.test(last) && !LATIN.test(first);
}

function wrap(runs: Inline[], width: number, size: number, measure: Measure): Atom[][] {
  const atoms = runs.flatMap((run) =>
    run.sup
      ? [{ ...run, width: measure(run.text, size * 0.6) }]
      : (run.text.match(ATOM) ?? []).map((text) => ({ ...run, text, width: measure(text, size) })),
  );
  const lines: Atom[][] = [];
  let line: Atom[] = [];
  const used = () => line.reduce((sum, atom) => sum + atom.width, 0);
  for (const atom of atoms) {
    const visible = atom.sup ? atom.width : measure(atom.text.trimEnd(), size);
    if (line.length > 0 && used() + visible > width) {
      let cut = line.length;
      while (cut > 1 && !breakable(line[cut - 1], cut === line.length ? atom : line[cut])) cut--;
      if (cut === 1 && !breakable(line[0], line[1] ?? atom)) cut = line.length;
      lines.push(line.slice(0, cut));
      line = line.slice(cut);
    }
    if (line.length === 0 && atom.text.trim() === '') continue;
    line.push(atom);
  }
  if (line.length > 0) lines.push(line);
  return lines;
}

function drawPage(pdf: PDFKit.PDFDocument, page: Page, number: number, total: number, document: TestDocument): void {
  pdf.addPage({ size: 'A4', margin: 0 });
  const even = number % 2 === 0;
  drawText(pdf, document.symbol, even ? LEFT : RIGHT - measureText(pdf, document.symbol, 10), 60, 10);
  const job = number === 1 ? `${document.jobNumber} (C)` : document.jobNumber;
  const folio = `${number}/${total}`;
  const [footLeft, footRight] = even ? [folio, job] : [job, folio];
  drawText(pdf, footLeft, LEFT, 800, 9);
  drawText(pdf, footRight, RIGHT - measureText(pdf, footRight, 9), 800, 9);

  for (const line of page.lines) drawAtoms(pdf, line.atoms, line.x, line.baseline, line.size);

  if (page.notes.length === 0) return;
  let y = FOOTNOTE_BOTTOM - page.notes.reduce((sum, note) => sum + note.lines.length * NOTE_LEADING + 2, 0);
  // UN PDFs set the footnote separator as a run of underscores, which text extraction keeps (see corpus/002).
  drawText(pdf, '__________________', LEFT, y - 12, NOTE_SIZE);
  for (const note of page.notes) {
    drawText(pdf, note.number, LEFT + 4, y - NOTE_SIZE * 0.4, NOTE_SIZE * 0.6);
    for (const line of note.lines) {
      drawAtoms(pdf, line, LEFT + NOTE_INDENT, y, NOTE_SIZE);
      y += NOTE_LEADING;
    }
    y += 2;
  }
}

function drawAtoms(pdf: PDFKit.PDFDocument, atoms: Atom[], x: number, baseline: number, size: number): void {
  let cursor = x;
  for (const segment of segments(atoms)) {
    if (segment.sup) drawText(pdf, segment.text, cursor, baseline - size * 0.38, size * 0.6);
    else for (const offset of segment.bold ? [0, 0.25, 0.5, 0.75] : [0]) drawText(pdf, segment.text, cursor + offset, baseline, size);
    cursor += segment.width;
  }
}

/** Consecutive atoms of one style are drawn as one string, as a typesetter would. */
function segments(atoms: Atom[]): Atom[] {
  const merged: Atom[] = [];
  for (const atom of atoms) {
    const last = merged[merged.length - 1];
    if (last && !last.sup && !atom.sup && !!last.bold === !!atom.bold) {
      last.text += atom.text;
      last.width += atom.width;
    } else merged.push({ ...atom });
  }
  return merged;
}

function drawText(pdf: PDFKit.PDFDocument, text: string, x: number, baseline: number, size: number): void {
  pdf.font('cjk').fontSize(size).text(text, x, baseline, { lineBreak: false, baseline: 'alphabetic' });
}

function measureText(pdf: PDFKit.PDFDocument, text: string, size: number): number {
  return pdf.font('cjk').fontSize(size).widthOfString(text);
}
