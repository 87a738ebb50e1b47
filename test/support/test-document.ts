/** A document's content, independent of format, from which the tests write PDF, DOCX and HTML files. */
export interface TestDocument {
  /** Running header of every PDF page, e.g. "A/68/326". */
  symbol: string;
  /** Running footer of every PDF page, e.g. "13-43240"; the first page says "13-43240 (C)". */
  jobNumber: string;
  blocks: Block[];
}

export interface Inline {
  text: string;
  bold?: boolean;
  /** A superscript footnote marker; its text is the footnote number. */
  sup?: boolean;
}

export type Block =
  | { kind: 'heading'; text: string }
  | { kind: 'paragraph'; runs: Inline[]; indent?: boolean }
  /** Typeset at the bottom of the page that refers to it (PDF), as a Word footnote (DOCX), or as a line (HTML). */
  | { kind: 'footnote'; number: string; text: string };

export function plain(text: string): Inline[] {
  return [{ text }];
}
