import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDocument, SUPPORTED_EXTENSIONS, UnreadableDocumentError } from '../ingest/readers/index.ts';
import { makeDocx } from './support/make-docx.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ingest-bad-input-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function failure(name: string, bytes: Uint8Array | string): Promise<UnreadableDocumentError> {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  const error = await readDocument(path).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(UnreadableDocumentError);
  return error as UnreadableDocumentError;
}

describe('files that are not readable documents', () => {
  it('names the file and says it is empty', async () => {
    const error = await failure('empty.txt', '');
    expect(error.file).toBe('empty.txt');
    expect(error.reason).toBe('empty file');
    expect(error.message).toBe('empty.txt: empty file');
  });

  it('treats a file of blank lines as empty', async () => {
    expect((await failure('blank.md', '\n  \n\t\n')).reason).toBe('empty file');
  });

  it('rejects random bytes named .txt as binary', async () => {
    expect((await failure('random.txt', randomBytes(4096))).reason).toBe('binary content, not text');
  });

  it('rejects text with NUL bytes as binary', async () => {
    expect((await failure('nul.txt', Buffer.concat([Buffer.from('联合国伙伴关系'), Buffer.alloc(16), Buffer.from('决议')]))).reason).toBe(
      'binary content, not text',
    );
  });

  it('reports a corrupt PDF', async () => {
    const error = await failure('broken.pdf', '%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage without xref or trailer');
    expect(error.file).toBe('broken.pdf');
    expect(error.reason).toMatch(/^corrupt PDF: /);
  });

  it('reports a PDF whose pages carry no text', async () => {
    const error = await failure('image-only.pdf', minimalPdfWithoutText());
    expect(error.reason).toBe('no text layer in the PDF (a scanned image?)');
  });

  it('reports a corrupt DOCX', async () => {
    const error = await failure('broken.docx', randomBytes(2048));
    expect(error.reason).toMatch(/^corrupt DOCX: /);
  });

  it('reports a DOCX cut short in transfer', async () => {
    const path = join(dir, 'whole.docx');
    await makeDocx({ symbol: 'A/68/326', jobNumber: '13-43240', blocks: [{ kind: 'paragraph', runs: [{ text: '1. 联合国伙伴关系' }] }] }, path);
    const bytes = (await import('node:fs')).readFileSync(path);
    expect((await failure('truncated.docx', bytes.subarray(0, bytes.length / 2))).reason).toMatch(/^corrupt DOCX: /);
  });

  it('refuses an unsupported extension', async () => {
    expect(SUPPORTED_EXTENSIONS).toEqual(['.txt', '.md', '.pdf', '.docx', '.html', '.htm']);
    expect((await failure('table.xyz', '1. 联合国')).reason).toBe('unsupported extension .xyz');
  });

  it('reports a file it may not read', async () => {
    if (process.getuid?.() === 0) {
      // root reads everything; a folder in the file's place gives the same path through the reader
      const error = await readDocument(dir + '/').catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(UnreadableDocumentError);
      return;
    }
    const path = join(dir, 'secret.txt');
    writeFileSync(path, '联合国伙伴关系');
    chmodSync(path, 0o000);
    const error = await readDocument(path).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(UnreadableDocumentError);
    expect((error as UnreadableDocumentError).reason).toBe('cannot read the file: permission denied');
  });

  it('reports a file that is gone', async () => {
    const error = await readDocument(join(dir, 'missing.txt')).catch((thrown: unknown) => thrown);
    expect((error as UnreadableDocumentError).reason).toBe('cannot read the file: no such file');
  });
});

/** A well-formed one-page PDF with nothing on the page, as a scan without OCR looks to a text reader. */
function minimalPdfWithoutText(): string {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>',
    '<< /Length 0 >>\nstream\n\nendstream',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(body.length);
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return body;
}
