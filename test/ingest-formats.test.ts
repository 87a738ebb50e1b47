import { runInNewContext } from 'node:vm';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labelKind, type DocumentMeta, type ParsedDocument } from '../core/paragraph.ts';
import { parseDocument } from '../ingest/parse.ts';
import { readDocument } from '../ingest/readers/index.ts';
import { testDocumentFrom } from './support/document-from-parse.ts';
import { makeDocx } from './support/make-docx.ts';
import { makeHtml } from './support/make-html.ts';
import { makePdf } from './support/make-pdf.ts';

const manifest: { documents: (Partial<DocumentMeta> & { file: string })[] } = JSON.parse(readFileSync('corpus/manifest.json', 'utf8'));
const DOCUMENTS = [
  { file: '000_52d58775c2830094.txt', jobNumber: '13-45262' },
  { file: '004_fe9f55b023482873.txt', jobNumber: '21-12974' },
];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ingest-formats-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Paragraphs as compared across formats: the body in order, then the footnotes in order, since where
 * footnotes fall among the body (page foot, end of document) is layout. DOCX and HTML keep every line
 * break of a multi-line paragraph (a box's title and body), so they must match character for character.
 * In a PDF, where the text version's paragraph spans several lines, whether the break survives is the
 * parser's reading of the layout, so those are compared without whitespace (`lineBreaksKept` false).
 */
function comparable(parsed: ParsedDocument, reference: ParsedDocument, lineBreaksKept = true): { label: string; text: string }[] {
  const multiline = new Set(
    reference.paragraphs.filter((paragraph) => !lineBreaksKept && paragraph.text.includes('\n')).map((paragraph) => paragraph.label),
  );
  const entries = parsed.paragraphs.map(({ label, text }) => ({ label, text: multiline.has(label) ? text.replace(/\s+/g, '') : text }));
  const isNote = (entry: { label: string }) => labelKind(entry.label) === 'footnote';
  return [...entries.filter((entry) => !isNote(entry)), ...entries.filter(isNote)];
}

describe.each(DOCUMENTS)('$file as PDF, DOCX and HTML', ({ file, jobNumber }) => {
  const entry = manifest.documents.find((document) => document.file === file)!;
  const sourceText = readFileSync(join('corpus', file), 'utf8');
  const reference = parseDocument({ text: sourceText, file, format: 'txt' }, entry);
  const content = testDocumentFrom(reference, sourceText, jobNumber);
  const numbered = reference.paragraphs.filter((paragraph) => /^\d+$/.test(paragraph.label)).map((paragraph) => paragraph.label);
  const base = file.replace(/\.txt$/, '');

  it('reads the PDF without running headers and footers, with every paragraph number', async () => {
    const path = join(dir, `${base}.pdf`);
    await makePdf(content, path);
    const { text, format } = await readDocument(path);
    expect(format).toBe('pdf');
    const pages = text.split('\f');
    expect(pages.length).toBeGreaterThan(2);
    expect(text).not.toContain(entry.symbol);
    expect(text).not.toContain(jobNumber);
    expect(text).not.toMatch(/^\d+\/\d+$/m);
    const lines = text.split(/[\n\f]/);
    for (const label of numbered) expect(lines.some((line) => line.startsWith(`${label}. `))).toBe(true);
    expect(lines.filter((line) => /^\d+$/.test(line)).length).toBeGreaterThan(0); // footnote markers stand on lines of their own
  });

  it('leaves the native JSON functions in place after reading a PDF (pdf.js polyfills would slow the whole server)', async () => {
    const path = join(dir, `${base}.pdf`);
    await makePdf(content, path);
    await readDocument(path);
    // Read each function's source through another realm's toString: core-js disguises its own.
    const sourceOf = runInNewContext('Function.prototype.toString') as (this: unknown) => string;
    expect(sourceOf.call(JSON.parse)).toContain('[native code]');
    expect(sourceOf.call(JSON.stringify)).toContain('[native code]');
  });

  it('yields the same paragraphs from the PDF as from the text version', async () => {
    const parsed = parseDocument(await readDocument(join(dir, `${base}.pdf`)), entry);
    expect(comparable(parsed, reference, false)).toEqual(comparable(reference, reference, false));
  });

  it('yields the same paragraphs from the DOCX as from the text version', async () => {
    const path = join(dir, `${base}.docx`);
    await makeDocx(content, path);
    const source = await readDocument(path);
    expect(source.format).toBe('docx');
    expect(source.text).not.toContain(jobNumber);
    expect(comparable(parseDocument(source, entry), reference)).toEqual(comparable(reference, reference));
  });

  it('yields the same paragraphs from the HTML as from the text version', async () => {
    const path = join(dir, `${base}.html`);
    await makeHtml(content, path);
    const source = await readDocument(path);
    expect(source.format).toBe('html');
    expect(source.text).not.toContain('analytics');
    expect(comparable(parseDocument(source, entry), reference)).toEqual(comparable(reference, reference));
  });
});

describe('inline formatting', () => {
  it('marks bold verbs and footnote markers in the resolution read from each format', async () => {
    const file = DOCUMENTS[0].file;
    const base = join(dir, 'marks');
    const sourceText = readFileSync(join('corpus', file), 'utf8');
    const content = testDocumentFrom(parseDocument({ text: sourceText, file, format: 'txt' }), sourceText, '13-45262');
    await Promise.all([makePdf(content, `${base}.pdf`), makeDocx(content, `${base}.docx`), makeHtml(content, `${base}.html`)]);

    const pdf = (await readDocument(`${base}.pdf`)).text;
    expect(pdf).toMatch(/^\*\*回顾\*\*其 2000 年/m);
    expect(pdf).not.toMatch(/回顾回顾/);
    for (const format of ['docx', 'html']) {
      const text = (await readDocument(`${base}.${format}`)).text;
      expect(text).toMatch(/^\*\*回顾\*\*其 2000 年/m);
      expect(text).toContain('成果文件<sup>1</sup>和');
      expect(text).toMatch(/^<sup>1<\/sup> 第 66\/288 号决议，附件。$/m);
    }
  });
});
