import type { DocumentKind, DocumentMeta } from '../../core/paragraph.ts';

/**
 * Finds a named document and paragraph in a question, in the forms staff actually type:
 * "第68/234号决议第13段(c)项", "68/234号决议执行部分第5段", "A/58/227 第45段", "A/58/227第14(d)段",
 * "A/RES/56/76 序言部分第3段", "resolution 68/234 para 13(c)", "A/68/326 摘要", "脚注1",
 * "2013年秘书长报告（A/68/326）第52段", "2003年报告第45段".
 */

export interface DocumentMention {
  /** What the question wrote, for messages: "A/RES/70/1", "第70/1号决议". */
  written: string;
  /** The indexed document it names; undefined when none is indexed under that name. */
  symbol?: string;
}

export interface ReferenceRequest {
  document?: DocumentMention;
  /** Label as in SCHEME.md ("13", "13(c)", "PP3", "summary", "fn1", "box3", "annex"). */
  label?: string;
  /** How the paragraph was written, for messages. */
  labelWritten?: string;
}

const SYMBOL = /\b([A-Z]{1,5}(?:\/[A-Z]{1,6})*(?:\/\d+(?:\.\d+)?)+(?:\/[A-Z0-9.]+)*)/;
const RESOLUTION_ZH = /(?:大会)?(?:第\s*)?(\d{2,3})\s*\/\s*(\d{1,4})\s*号\s*决议/;
const RESOLUTION_EN = /\bresolution\s+(?:A\/RES\/)?(\d{2,3})\s*\/\s*(\d{1,4})\b/i;
const BARE_NUMBER = /(?<![\d/])(\d{2,3})\s*\/\s*(\d{1,4})(?![\d/])/;
const YEAR_DOCUMENT_ZH = /((?:19|20)\d{2})\s*年\s*(?:的|那份|那个|那一份)?\s*(?:大会|秘书长)?\s*(报告|决议)/;
const YEAR_DOCUMENT_EN = /\b((?:19|20)\d{2})\s+(?:General Assembly\s+|Secretary-General(?:'s)?\s+)?(report|resolution)\b/i;

const SUB = String.raw`[(（]\s*([a-z])\s*[)）]`;
const PARAGRAPH_PATTERNS: Array<{ pattern: RegExp; label: (m: RegExpExecArray) => string }> = [
  { pattern: /序言(?:部分)?\s*第\s*(\d+)\s*段/, label: (m) => `PP${m[1]}` },
  { pattern: /\bpreambular\s+para(?:graph)?\.?\s*(\d+)/i, label: (m) => `PP${m[1]}` },
  { pattern: new RegExp(String.raw`第\s*(\d+)\s*段\s*${SUB}\s*(?:项|分段)?`), label: (m) => `${m[1]}(${m[2]})` },
  { pattern: new RegExp(String.raw`第\s*(\d+)\s*${SUB}\s*段`), label: (m) => `${m[1]}(${m[2]})` },
  { pattern: new RegExp(String.raw`第\s*(\d+)\s*段\s*第?\s*([a-z])\s*(?:项|分段)`), label: (m) => `${m[1]}(${m[2]})` },
  { pattern: /第\s*(\d+)\s*段/, label: (m) => m[1] },
  { pattern: new RegExp(String.raw`\b(?:operative\s+)?(?:para(?:graph)?s?\.?|§)\s*(\d+)\s*(?:${SUB})?`, 'i'), label: (m) => (m[2] ? `${m[1]}(${m[2]})` : m[1]) },
  { pattern: /脚注\s*(\d+)|\bfootnote\s*(\d+)/i, label: (m) => `fn${m[1] ?? m[2]}` },
  { pattern: /方框\s*(\d+)|\bbox\s*(\d+)/i, label: (m) => `box${m[1] ?? m[2]}` },
  { pattern: /摘要|\bsummary\b/i, label: () => 'summary' },
  { pattern: /附件|\bannex\b/i, label: () => 'annex' },
];

function symbolFor(documents: DocumentMeta[], session: string, number: string, kind?: DocumentKind): string | undefined {
  const tail = `/${Number(session)}/${Number(number)}`;
  const matches = documents.filter((d) => d.symbol.endsWith(tail) && (!kind || d.kind === kind));
  return matches.length === 1 ? matches[0].symbol : undefined;
}

function findDocument(text: string, documents: DocumentMeta[]): { mention: DocumentMention; span: string } | undefined {
  const symbol = SYMBOL.exec(text);
  if (symbol) {
    const written = symbol[1].replace(/[.。]+$/, '');
    const found = documents.find((d) => d.symbol.toUpperCase() === written.toUpperCase());
    return { mention: { written, symbol: found?.symbol }, span: symbol[0] };
  }
  for (const pattern of [RESOLUTION_ZH, RESOLUTION_EN]) {
    const m = pattern.exec(text);
    if (m) return { mention: { written: `A/RES/${Number(m[1])}/${Number(m[2])}`, symbol: symbolFor(documents, m[1], m[2], 'resolution') }, span: m[0] };
  }
  const bare = BARE_NUMBER.exec(text);
  if (bare) {
    const symbol = symbolFor(documents, bare[1], bare[2]);
    if (symbol) return { mention: { written: bare[0], symbol }, span: bare[0] };
  }
  for (const pattern of [YEAR_DOCUMENT_ZH, YEAR_DOCUMENT_EN]) {
    const m = pattern.exec(text);
    if (!m) continue;
    const kind: DocumentKind = /报告|report/i.test(m[2]) ? 'report' : 'resolution';
    const candidates = documents.filter((d) => d.kind === kind && d.date.startsWith(m[1]));
    if (candidates.length === 1) return { mention: { written: m[0], symbol: candidates[0].symbol }, span: m[0] };
  }
  return undefined;
}

function findParagraph(text: string): { label: string; written: string } | undefined {
  let best: { label: string; written: string; index: number } | undefined;
  for (const { pattern, label } of PARAGRAPH_PATTERNS) {
    const m = pattern.exec(text);
    // The earliest explicit paragraph wins; "摘要" and "附件" only count when nothing more precise is named.
    if (m && (!best || m.index < best.index)) {
      best = { label: label(m), written: m[0].trim(), index: m.index };
      if (best.label !== 'summary' && best.label !== 'annex') return best;
    }
  }
  return best;
}

/** What the question names; undefined when it names neither a document nor a paragraph. */
export function parseReference(question: string, documents: DocumentMeta[]): ReferenceRequest | undefined {
  const text = question.normalize('NFKC');
  const document = findDocument(text, documents);
  const rest = document ? text.replace(document.span, ' ') : text;
  const paragraph = findParagraph(rest);
  if (!document && !paragraph) return undefined;
  return { document: document?.mention, label: paragraph?.label, labelWritten: paragraph?.written };
}
