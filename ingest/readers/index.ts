import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import type { SourceFormat, SourceText } from '../parse.ts';
import { decodeText } from './decode-text.ts';
import { readDocx } from './docx.ts';
import { readHtml } from './html.ts';
import { readPdf } from './pdf.ts';
import { ReadFailure, UnreadableDocumentError } from './unreadable.ts';

export { UnreadableDocumentError } from './unreadable.ts';

const FORMATS: Record<string, SourceFormat> = {
  '.txt': 'txt',
  '.md': 'md',
  '.pdf': 'pdf',
  '.docx': 'docx',
  '.html': 'html',
  '.htm': 'html',
};

export const SUPPORTED_EXTENSIONS: readonly string[] = Object.keys(FORMATS);

const READERS: Record<SourceFormat, (bytes: Uint8Array) => Promise<string> | string> = {
  txt: (bytes) => decodeText(bytes),
  md: (bytes) => decodeText(bytes),
  pdf: readPdf,
  docx: readDocx,
  html: readHtml,
};

/**
 * Reads a document of any supported format and encoding into the text the parser reads.
 * Throws UnreadableDocumentError, naming the file and a plain reason, for anything that is not a readable document.
 */
export async function readDocument(path: string): Promise<SourceText> {
  const file = basename(path);
  const extension = extname(file).toLowerCase();
  const format = FORMATS[extension];
  if (!format) throw new UnreadableDocumentError(file, `unsupported extension ${extension || '(none)'}`);

  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new UnreadableDocumentError(file, `cannot read the file: ${fileErrorReason(error)}`);
  }
  if (bytes.length === 0) throw new UnreadableDocumentError(file, 'empty file');

  try {
    return { text: await READERS[format](bytes), file, format };
  } catch (error) {
    if (error instanceof ReadFailure) throw new UnreadableDocumentError(file, error.message);
    throw new UnreadableDocumentError(file, `cannot read ${format.toUpperCase()}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function fileErrorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a folder';
  return error instanceof Error ? error.message : String(error);
}
