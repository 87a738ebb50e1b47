/**
 * The unit everywhere: ingestion produces paragraphs, the index stores them, retrieval returns them,
 * answers cite them and channels render them. Labels follow ../shared/eval/SCHEME.md.
 */

export type DocumentKind = 'resolution' | 'report' | 'guideline' | 'other';

export interface DocumentMeta {
  /** UN document symbol, e.g. "A/RES/68/234", "A/68/326". */
  symbol: string;
  kind: DocumentKind;
  /** BCP-47-ish language of the text: "zh", "en", … */
  language: string;
  /** ISO date, as precise as known: "2013-12-20" or "2013". */
  date: string;
  title: string;
  titleEn?: string;
  /** File name inside the corpus folder that the document came from. */
  file: string;
}

/** "numbered" 13 · "sub" 13(c) · "preambular" PP5 · "summary" · "footnote" fn1 · "box" box3 · "annex" */
export type LabelKind = 'numbered' | 'sub' | 'preambular' | 'summary' | 'footnote' | 'box' | 'annex';

export interface Paragraph {
  /** Stable across re-ingests of the same document: `${symbol}#${label}`. */
  id: string;
  symbol: string;
  kind: DocumentKind;
  date: string;
  language: string;
  /** Label as in SCHEME.md: "13", "13(c)", "PP5", "summary", "fn1", "box3", "annex". */
  label: string;
  /** Section headings from the outermost in, e.g. ["三. 廉洁措施", "A. 尽职调查"]; [] before the first heading. */
  section: string[];
  /** The paragraph's exact text, cleaned of extraction artifacts, without its own number ("13.") prefix. */
  text: string;
  /** 0-based order of the paragraph within its document. */
  position: number;
}

export interface ParsedDocument {
  meta: DocumentMeta;
  paragraphs: Paragraph[];
  /** Human-readable problems found while parsing: what could not be determined, what looked odd. */
  warnings: string[];
}

export function labelKind(label: string): LabelKind {
  if (/^\d+$/.test(label)) return 'numbered';
  if (/^\d+\([a-z]+\)$/.test(label)) return 'sub';
  if (/^PP\d+$/.test(label)) return 'preambular';
  if (label === 'summary') return 'summary';
  if (/^fn\d+$/.test(label)) return 'footnote';
  if (/^box\d+$/.test(label)) return 'box';
  return 'annex';
}

/** The numbered paragraph a sub-paragraph belongs to ("13" for "13(c)"); undefined for any other label. */
export function leadInOf(label: string): string | undefined {
  return /^(\d+)\([a-z]+\)$/.exec(label)?.[1];
}

/** The most recent of the documents (of `kind`, when given); the first listed among equally dated ones. */
export function newestDocument(documents: readonly DocumentMeta[], kind?: DocumentKind): DocumentMeta | undefined {
  return documents.filter((d) => !kind || d.kind === kind).sort((a, b) => b.date.localeCompare(a.date))[0];
}

export function paragraphId(symbol: string, label: string): string {
  return `${symbol}#${label}`;
}
