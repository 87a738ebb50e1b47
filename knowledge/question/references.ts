import type { DocumentKind, DocumentMeta } from '../../core/paragraph.ts';

/**
 * The one grammar of document and paragraph references, for questions and for drafts alike:
 * "A/RES/68/234第13段", "第68/234号决议第13段(c)项", "68/234号决议执行部分第5段", "A/58/227第14(d)段",
 * "A/RES/56/76 序言部分第3段", "（A/RES/68/234，第16段）", "2021年秘书长的报告第37段", "第13段和第14段",
 * "第13、14段", "A/76/319的摘要", "脚注8", "方框2", "框2", "resolution 68/234 para 13(c)", "the 2021 SG report",
 * "paragraph 5 of A/58/227", "paras 13 and 14", "footnote 3".
 *
 * Offsets index into the text as given: normalisation (full-width brackets and digits) keeps every
 * character in place, so a caller can point at what the user wrote.
 */

export interface DocumentReference {
  /** The indexed document; undefined when the text names a document the index lacks. */
  symbol?: string;
  /** The symbol the text names, in canonical form ("A/RES/70/1"), even when it is not indexed; absent for "2021年的报告". */
  named?: string;
  written: string;
  start: number;
  end: number;
}

export interface ParagraphReference {
  /** The document the reference belongs to, when the text identifies one that the index holds. */
  symbol?: string;
  /** Label as in SCHEME.md: "13", "13(c)", "PP5", "fn8", "box2", "summary", "annex". */
  label: string;
  written: string;
  start: number;
  end: number;
  /** The document reference it was read with (nearest in the same sentence). */
  document?: DocumentReference;
}

export interface References {
  documents: DocumentReference[];
  paragraphs: ParagraphReference[];
}

const SUB = String.raw`\(\s*([a-z])\s*\)`;
const NUMBER = String.raw`(\d{1,3}|[一二三四五六七八九十百]{1,4})`;

interface Pattern {
  pattern: RegExp;
  /** Labels the match names (several for "第13、14段", "paras 13 and 14"). */
  labels: (m: RegExpMatchArray) => string[];
}

const list = (text: string): string[] => text.split(/\s*(?:、|,|，|和|与|及|至|and|or|to)\s*(?:第\s*)?/i).filter(Boolean);

const PARAGRAPHS: Pattern[] = [
  { pattern: new RegExp(String.raw`序言(?:部分)?\s*第\s*${NUMBER}\s*段`, 'g'), labels: (m) => [`PP${numeral(m[1])}`] },
  { pattern: /\bpreambular\s+para(?:graph)?s?\.?\s*(\d{1,3})\b/gi, labels: (m) => [`PP${m[1]}`] },
  { pattern: /\bPP\s*(\d{1,3})\b/g, labels: (m) => [`PP${m[1]}`] },
  { pattern: new RegExp(String.raw`(?:执行部分\s*)?第\s*${NUMBER}\s*段\s*${SUB}\s*(?:项|分段)?`, 'g'), labels: (m) => [`${numeral(m[1])}(${m[2]})`] },
  { pattern: new RegExp(String.raw`(?:执行部分\s*)?第\s*${NUMBER}\s*${SUB}\s*(?:段|项|分段)`, 'g'), labels: (m) => [`${numeral(m[1])}(${m[2]})`] },
  { pattern: new RegExp(String.raw`(?:执行部分\s*)?第\s*${NUMBER}\s*段\s*第?\s*([a-z])\s*(?:项|分段)`, 'g'), labels: (m) => [`${numeral(m[1])}(${m[2]})`] },
  // "第13、14段", "第13和第14段", "第13至15段" (a range names each paragraph in it)
  {
    pattern: new RegExp(String.raw`(?:执行部分\s*)?第\s*${NUMBER}((?:\s*(?:、|,|，|和|与|及|至|到)\s*(?:第\s*)?${NUMBER.replace('(', '(?:')})+)\s*段`, 'g'),
    labels: (m) => expand(m[1], m[2]),
  },
  { pattern: new RegExp(String.raw`(?:执行部分\s*)?第\s*${NUMBER}\s*段`, 'g'), labels: (m) => [numeral(m[1])] },
  {
    pattern: new RegExp(String.raw`(?<![A-Za-z])(?:operative\s+)?(?:para(?:graph)?s?\.?|§§?)\s*(\d{1,3})\s*(?:${SUB})?((?:\s*(?:,|and|or|to|-)\s*\d{1,3}(?:\s*\(\s*[a-z]\s*\))?)*)`, 'gi'),
    labels: (m) => [m[2] ? `${m[1]}(${m[2].toLowerCase()})` : m[1], ...(m[3] ? englishList(m[1], m[3]) : [])],
  },
  { pattern: /脚注\s*(\d{1,3})|\bfootnotes?\s*(\d{1,3})\b/gi, labels: (m) => [`fn${m[1] ?? m[2]}`] },
  { pattern: /(?:方框|专栏|框)\s*(\d{1,2})|\bbox\s*(\d{1,2})\b/gi, labels: (m) => [`box${m[1] ?? m[2]}`] },
  { pattern: /摘要|\bsummary\b/gi, labels: () => ['summary'] },
  { pattern: /附件|\bannex\b/gi, labels: () => ['annex'] },
];

const SYMBOL = /\b(A\s*\/\s*(?:RES\s*\/\s*)?(?:[A-Z]{1,6}\s*\/\s*)*\d{1,3}\s*\/\s*\d{1,4}(?:\s*\/\s*(?:Add|Rev|Corr)\.\d+)*)/gi;
const RESOLUTION_ZH = /(?:大会)?(?:第\s*)?(\d{2,3})\s*\/\s*(\d{1,4})\s*号\s*决议/g;
const RESOLUTION_EN = /\bresolution\s+(?:A\/RES\/)?(\d{2,3})\s*\/\s*(\d{1,4})\b/gi;
const BARE = /(?<![\d/A-Za-z])(\d{2,3})\s*\/\s*(\d{1,4})(?![\d/])/g;
const YEAR_KIND_ZH = /(?:秘书长|大会)?\s*((?:19|20)\d{2})\s*年\s*(?:的|那份|那个|那一份)?\s*(?:大会|秘书长)?\s*(?:的)?\s*(报告|决议)/g;
const YEAR_KIND_EN = /\b((?:19|20)\d{2})\s+(?:General Assembly\s+|(?:Secretary-General|SG)(?:'s)?\s+)?(report|resolution)\b|\b(report|resolution)\s+(?:of|from)\s+((?:19|20)\d{2})\b/gi;

const SENTENCE_END = /[。？！?!；;\n]/;

/** Full-width forms to ASCII, one character for one, so that offsets stay those of the input. */
function sameLength(text: string): string {
  let out = '';
  for (const c of text) {
    const n = c.normalize('NFKC');
    out += n.length === c.length ? n : c;
  }
  return out;
}

const DIGITS: Record<string, number> = { 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** "13" → "13", "十三" → "13", "二十" → "20". */
function numeral(written: string): string {
  if (/^\d+$/.test(written)) return String(Number(written));
  let total = 0;
  let current = 0;
  for (const c of written) {
    if (c === '百') {
      total += (current || 1) * 100;
      current = 0;
    } else if (c === '十') {
      total += (current || 1) * 10;
      current = 0;
    } else current = DIGITS[c] ?? 0;
  }
  return String(total + current);
}

function expand(first: string, rest: string): string[] {
  const labels = [numeral(first)];
  const parts = rest.split(/(、|,|，|和|与|及|至|到)/).map((s) => s.replace(/第|\s/g, ''));
  for (let i = 1; i < parts.length; i += 2) {
    const n = numeral(parts[i + 1]);
    if (parts[i] === '至' || parts[i] === '到') {
      const from = Number(labels[labels.length - 1]);
      for (let k = from + 1; k <= Number(n) && k - from <= 30; k++) labels.push(String(k));
    } else labels.push(n);
  }
  return [...new Set(labels)];
}

function englishList(first: string, rest: string): string[] {
  const labels: string[] = [];
  let previous = Number(first);
  for (const m of rest.matchAll(/(,|and|or|to|-)\s*(\d{1,3})(?:\s*\(\s*([a-z])\s*\))?/gi)) {
    const n = Number(m[2]);
    if (/to|-/i.test(m[1]) && !m[3]) for (let k = previous + 1; k < n && k - previous <= 30; k++) labels.push(String(k));
    labels.push(m[3] ? `${n}(${m[3].toLowerCase()})` : String(n));
    previous = n;
  }
  return labels;
}

function canonicalSymbol(written: string): string {
  return written.replace(/\s+/g, '').toUpperCase().replace(/ADD\./, 'Add.').replace(/REV\./, 'Rev.').replace(/CORR\./, 'Corr.');
}

function bySessionAndNumber(documents: DocumentMeta[], session: string, number: string, kind?: DocumentKind): DocumentMeta[] {
  const tail = `/${Number(session)}/${Number(number)}`;
  return documents.filter((d) => d.symbol.endsWith(tail) && (!kind || d.kind === kind));
}

function findDocuments(text: string, documents: DocumentMeta[]): DocumentReference[] {
  const found: DocumentReference[] = [];
  const taken = (start: number, end: number) => found.some((f) => start < f.end && end > f.start);
  const add = (m: RegExpMatchArray, reference: Omit<DocumentReference, 'written' | 'start' | 'end'>) => {
    const start = m.index!;
    const end = start + m[0].length;
    if (!taken(start, end)) found.push({ ...reference, written: m[0].trim(), start, end });
  };
  for (const m of text.matchAll(SYMBOL)) {
    const named = canonicalSymbol(m[1]);
    add(m, { named, symbol: documents.find((d) => d.symbol.toUpperCase() === named.toUpperCase())?.symbol });
  }
  for (const pattern of [RESOLUTION_ZH, RESOLUTION_EN]) {
    for (const m of text.matchAll(pattern)) {
      const matches = bySessionAndNumber(documents, m[1], m[2], 'resolution');
      add(m, { named: `A/RES/${Number(m[1])}/${Number(m[2])}`, symbol: matches.length === 1 ? matches[0].symbol : undefined });
    }
  }
  for (const m of text.matchAll(BARE)) {
    // A bare "68/234" is a document only when it names one the index holds: "2014/2015" is not.
    const matches = bySessionAndNumber(documents, m[1], m[2]);
    if (matches.length === 1) add(m, { named: matches[0].symbol, symbol: matches[0].symbol });
  }
  for (const pattern of [YEAR_KIND_ZH, YEAR_KIND_EN]) {
    for (const m of text.matchAll(pattern)) {
      const year = m[1] ?? m[4];
      const kind: DocumentKind = /报告|report/i.test(m[2] ?? m[3]) ? 'report' : 'resolution';
      const matches = documents.filter((d) => d.kind === kind && d.date.startsWith(year));
      if (matches.length === 1) add(m, { symbol: matches[0].symbol });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

function findParagraphs(text: string, blocked: DocumentReference[]): Omit<ParagraphReference, 'symbol' | 'document'>[] {
  const found: Omit<ParagraphReference, 'symbol' | 'document'>[] = [];
  const overlaps = (start: number, end: number, spans: { start: number; end: number }[]) => spans.some((f) => start < f.end && end > f.start);
  for (const { pattern, labels } of PARAGRAPHS) {
    for (const m of text.matchAll(pattern)) {
      const start = m.index!;
      const end = start + m[0].length;
      if (overlaps(start, end, found) || overlaps(start, end, blocked)) continue;
      for (const label of labels(m)) found.push({ label, written: m[0].trim(), start, end });
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

function sentenceOf(text: string, at: number): [number, number] {
  let start = at;
  while (start > 0 && !SENTENCE_END.test(text[start - 1])) start--;
  let end = at;
  while (end < text.length && !SENTENCE_END.test(text[end])) end++;
  return [start, end];
}

/** Every document and paragraph reference in the text, in order; each paragraph with its document when one is named near it. */
export function findReferences(input: string, documents: DocumentMeta[]): References {
  const text = sameLength(input);
  const documentRefs = findDocuments(text, documents);
  const paragraphs = findParagraphs(text, documentRefs).map((p): ParagraphReference => {
    const [from, to] = sentenceOf(text, p.start);
    const near = documentRefs
      .filter((d) => d.start >= from && d.end <= to)
      .map((d) => ({ d, distance: d.end <= p.start ? p.start - d.end : d.start - p.end + 0.5 }))
      .sort((a, b) => a.distance - b.distance)[0]?.d;
    return { ...p, symbol: near?.symbol, document: near };
  });
  // "摘要" or "附件" in a sentence that names a precise paragraph is part of the wording, not a second reference.
  const precise = new Set(paragraphs.filter((p) => p.label !== 'summary' && p.label !== 'annex').map((p) => sentenceOf(text, p.start)[0]));
  return {
    documents: documentRefs,
    paragraphs: paragraphs.filter((p) => (p.label !== 'summary' && p.label !== 'annex') || !precise.has(sentenceOf(text, p.start)[0])),
  };
}
