import { writeFile } from 'node:fs/promises';
import { Document, FootnoteReferenceRun, Footer, Header, HeadingLevel, Packer, Paragraph, TextRun } from 'docx';
import type { Inline, TestDocument } from './test-document.ts';

/**
 * Writes a test document as Word: headings as heading paragraphs, bold runs, footnotes as real Word
 * footnotes referenced from the text, and the symbol and job number as page header and footer.
 */
export async function makeDocx(document: TestDocument, path: string): Promise<void> {
  const footnotes: Record<number, { children: Paragraph[] }> = {};
  for (const block of document.blocks) {
    if (block.kind === 'footnote') footnotes[Number(block.number)] = { children: [new Paragraph(block.text)] };
  }
  const children = document.blocks.flatMap((block) => {
    if (block.kind === 'heading') return [new Paragraph({ text: block.text, heading: HeadingLevel.HEADING_2 })];
    if (block.kind === 'paragraph') return [new Paragraph({ children: block.runs.map(run), indent: block.indent ? { left: 480 } : undefined })];
    return [];
  });
  const docx = new Document({
    footnotes,
    sections: [
      {
        headers: { default: new Header({ children: [new Paragraph(document.symbol)] }) },
        footers: { default: new Footer({ children: [new Paragraph(document.jobNumber)] }) },
        children,
      },
    ],
  });
  await writeFile(path, await Packer.toBuffer(docx));
}

function run(inline: Inline): TextRun | FootnoteReferenceRun {
  if (inline.sup) return new FootnoteReferenceRun(Number(inline.text));
  return new TextRun({ text: inline.text, bold: inline.bold });
}
