import type { Language } from '../../core/answer.ts';
import type { DocumentMeta } from '../../core/paragraph.ts';
import { findReferences, type ParagraphReference } from '../question/references.ts';
import { detectLanguage } from '../question/language.ts';
import { withoutCues } from './cues.ts';

/**
 * The claims a text makes about cited paragraphs: for each paragraph reference, the sentence it belongs
 * to (a citation standing alone after a full stop, "。（A/RES/68/234，第16段）", belongs to the sentence
 * before it) and that sentence's content without its references and the words that ask for a check.
 */

export interface CitedClaim {
  /** The sentence as written. */
  sentence: string;
  /** What the sentence asserts: without references and cue words. */
  content: string;
  language: Language;
  reference: ParagraphReference;
  /** The indexed document the citation names (or the draft named last); undefined when none is known. */
  symbol?: string;
  /** The symbol as written when the index lacks the document. */
  named?: string;
}

interface Span {
  start: number;
  end: number;
}

/** Sentences with their offsets; "para. 34" and "A/58/227." do not end an English sentence. */
function sentenceSpans(text: string): Span[] {
  const spans: Span[] = [];
  let start = 0;
  const boundary = /[。！？!?；;\n]+[”’」）)]*|\.(?=\s+[A-Z“"(]|\s*$)/g;
  for (const m of text.matchAll(boundary)) {
    const end = m.index! + m[0].length;
    spans.push({ start, end });
    start = end;
  }
  if (start < text.length) spans.push({ start, end: text.length });
  return spans.filter((s) => text.slice(s.start, s.end).trim());
}

/** Han characters or Latin words left once references and cue words are gone. */
function substance(text: string): number {
  return (text.match(/\p{Script=Han}/gu)?.length ?? 0) + (text.match(/[A-Za-z]{3,}/g)?.length ?? 0) * 2;
}

const MIN_SUBSTANCE = 6;

/**
 * `whole` reads the whole text as one claim (a chat message); `document` is the document a citation
 * without one refers to when the text names none (the one the conversation was about).
 */
export function citedClaims(text: string, documents: DocumentMeta[], options: { whole?: boolean; document?: string } = {}): CitedClaim[] {
  const references = findReferences(text, documents);
  if (references.paragraphs.length === 0) return [];
  const spans = options.whole ? [{ start: 0, end: text.length }] : sentenceSpans(text);
  const strip = (span: Span) => {
    let out = '';
    let at = span.start;
    const cuts = [...references.documents, ...references.paragraphs].filter((r) => r.start >= span.start && r.end <= span.end).sort((a, b) => a.start - b.start);
    for (const cut of cuts) {
      if (cut.start < at) continue;
      out += text.slice(at, cut.start) + ' ';
      at = cut.end;
    }
    out += text.slice(at, span.end);
    return out.replace(/[（(]\s*[，,、]?\s*[)）]/g, ' ');
  };
  const claims: CitedClaim[] = [];
  let lastSymbol = options.document;
  for (const reference of references.paragraphs) {
    const index = spans.findIndex((s) => reference.start >= s.start && reference.start < s.end);
    let span = spans[index];
    let language = detectLanguage(text.slice(span.start, span.end));
    let content = withoutCues(strip(span), language);
    if (substance(content) < MIN_SUBSTANCE && index > 0) {
      span = { start: spans[index - 1].start, end: span.end };
      language = detectLanguage(text.slice(span.start, span.end));
      content = withoutCues(strip(span), language);
    }
    const only = references.documents.length === 1 ? references.documents[0] : undefined;
    const document = reference.document ?? (lastSymbol ? undefined : only);
    const symbol = reference.symbol ?? (reference.document ? undefined : (lastSymbol ?? only?.symbol));
    if (symbol) lastSymbol = symbol;
    claims.push({
      sentence: text.slice(span.start, span.end).trim(),
      content: content.replace(/\s+(?=[。，；！？.,;!?])/g, '').replace(/^[\s，,。：:、]+|[\s，,：:、]+$/g, ''),
      language,
      reference,
      symbol,
      named: symbol ? undefined : (document?.named ?? document?.written),
    });
  }
  return claims;
}

/** Whether the content says enough to be compared with a paragraph. */
export function hasSubstance(claim: CitedClaim): boolean {
  return substance(claim.content) >= MIN_SUBSTANCE;
}
