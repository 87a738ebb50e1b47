/**
 * Line-level cleaning of extraction artifacts. Every function here removes markup or layout noise only;
 * the document's own words and its own spacing inside a line are kept exactly.
 */

const CJK = '\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff';
/** CJK ideographs plus full-width punctuation and brackets. */
const WIDE = `${CJK}\\u3000-\\u303f\\uff00-\\uffef\\u2018-\\u201f\\u2014\\u2026`;

const SUPERSCRIPT_DIGITS: Record<string, string> = {
  '⁰': '0', '¹': '1', '²': '2', '³': '3', '⁴': '4', '⁵': '5', '⁶': '6', '⁷': '7', '⁸': '8', '⁹': '9',
};

export function isWide(ch: string | undefined): boolean {
  return ch !== undefined && new RegExp(`[${WIDE}]`).test(ch);
}

export function isCjk(ch: string | undefined): boolean {
  return ch !== undefined && new RegExp(`[${CJK}]`).test(ch);
}

/** Splits decoded text into raw lines: BOM dropped, CRLF/CR normalised, PDF page breaks ("\f") become line breaks. */
export function splitLines(text: string): string[] {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').replace(/\f/g, '\n').split('\n');
}

/** Trims ASCII and ideographic whitespace. */
export function trimLine(line: string): string {
  return line.replace(/^[\s\u3000\u00a0]+|[\s\u3000\u00a0]+$/g, '');
}

/**
 * Bold text extracted from some PDFs comes out four times ("强调强调强调强调"). Only an exact four-fold run
 * of CJK text counts: a single repeated character only at the start of a clause (where bold verbs sit),
 * longer units anywhere — Chinese prose never repeats a word four times in a row.
 */
export function collapseBoldRepeats(line: string): { text: string; emphasisedStart: boolean } {
  let emphasisedStart = false;
  const lead = new RegExp(`^([\\s\\u3000]*(?:\\d{1,3}\\s*[.．]\\s*)?(?:[(（][a-z][)）]\\s*)?)([${CJK}]{1,8}?)\\2{3}(?!\\2)`);
  let text = line.replace(lead, (_m, prefix: string, unit: string) => {
    emphasisedStart = true;
    return prefix + unit;
  });
  text = text.replace(new RegExp(`([${CJK}]{2,8}?)\\1{3}(?!\\1)`, 'g'), '$1');
  return { text, emphasisedStart };
}

/** True when the clause (after any paragraph number) starts with Markdown bold. */
export function startsEmphasised(line: string): boolean {
  return /^[\s\u3000]*(?:\d{1,3}\s*[.．]\s*)?(?:[(（][a-z][)）]\s*)?\*\*/.test(line);
}

/** Removes Markdown bold markers and heading hashes; the words inside stay. */
export function stripMarkdown(line: string): string {
  return line.replace(/^[\s\u3000]*#{1,6}\s+/, '').replace(/\*\*/g, '');
}

/** A footnote line in Markdown-like layouts: "<sup>1</sup> 第 66/288 号决议，附件。" or "¹ 见 …". */
export function footnoteLineStart(line: string): { number: number; text: string } | undefined {
  const t = trimLine(line);
  const sup = /^<sup>\s*(\d{1,3})\s*<\/sup>\s*(.*)$/.exec(t);
  if (sup) return { number: Number(sup[1]), text: sup[2] };
  const uni = /^([⁰¹²³⁴⁵⁶⁷⁸⁹]+)\s*(.+)$/.exec(t);
  if (uni) return { number: Number([...uni[1]].map((c) => SUPERSCRIPT_DIGITS[c]).join('')), text: uni[2] };
  return undefined;
}

/** Drops footnote reference markers written as <sup>n</sup> or Unicode superscript digits. */
export function stripReferenceMarkup(line: string): string {
  return line.replace(/<sup>\s*[^<]{0,6}\s*<\/sup>/g, '').replace(/[⁰¹²³⁴⁵⁶⁷⁸⁹]+/g, '');
}

/**
 * PDF text keeps footnote reference numbers inline ("最近的一些研究1  表明"). A number is taken for a
 * reference only when it is the next expected one and sits flush against the preceding word, so
 * figures such as "在 2012 年" or "COVID-19" are never touched. Returns the next expected number.
 */
export function stripInlineReferences(text: string, nextRef: number): { text: string; nextRef: number } {
  const re = new RegExp(`(?<=[${WIDE})\\]])(\\d{1,3})(?![\\s\\u3000]+\\d)(?=[\\s\\u3000]+\\S|[\\s\\u3000]*$)[\\s\\u3000]*`, 'g');
  let expected = nextRef;
  const out = text.replace(re, (m: string, n: string) => {
    if (Number(n) !== expected) return m;
    expected += 1;
    return '';
  });
  return { text: out, nextRef: expected };
}

/** Justified PDF lines sometimes come out letter-spaced ("公 众 对 企 业"); the spaces are layout, not text. */
export function collapseLetterSpacing(line: string): string {
  const spaced = new RegExp(`(?:[${WIDE}] ){5,}`);
  if (!spaced.test(line)) return line;
  return line.replace(new RegExp(`([${WIDE}]) (?=[${WIDE}])`, 'g'), '$1');
}

/** A horizontal rule separating footnotes from body text: "____", "---", "***". */
export function isRule(line: string): boolean {
  return /^(?:_{3,}|-{3,}|—{2,}|={3,}|\*{3,})$/.test(trimLine(line));
}

/** A line that is nothing but one link ("http://undocs.org/ch/A/68/150"), as PDF link annotations come out. */
export function bareUrl(line: string): string | undefined {
  const t = trimLine(line);
  return /^https?:\/\/\S+$/i.test(t) && !/[。，；）]$/.test(t) ? t : undefined;
}

/** Host and path of a URL without scheme and "www.", for comparing link annotations with their visible text. */
export function urlKey(url: string): string {
  return url.replace(/^https?:\/\//i, '').replace(/^www\./i, '').replace(/[。.,，;；)]+$/, '').toLowerCase();
}

/** Table-of-contents lines: dot leaders or tab-separated paragraph/page columns. */
export function isTocLine(line: string): boolean {
  const t = trimLine(line);
  return /(\.{4,}|…{2,}|·{4,})/.test(t) || /^\t?段次\t页次$/.test(t) || /\t\d+(?:[-–]\d+)?\t\d+$/.test(t) || t === '目录';
}

/** Ends with punctuation that closes a sentence or clause. */
export function endsClause(text: string): boolean {
  return /[。！？；：!?;:]$/.test(text);
}

/** Ends with punctuation that closes a sentence: a footnote runs to its full stop, while semicolons only separate the works it cites. */
export function endsSentence(text: string): boolean {
  return /[。！？!?]$/.test(text);
}

export type SpacingConvention = { spacedDigits: boolean };

/** Whether the document writes "2013 年" (spaced) or "2013年" between figures and Chinese, judged from whole lines. */
export function spacingConvention(lines: string[]): SpacingConvention {
  let spaced = 0;
  let flush = 0;
  const s = new RegExp(`[${CJK}] [0-9]|[0-9] [${CJK}]`, 'g');
  const f = new RegExp(`[${CJK}][0-9]|[0-9][${CJK}]`, 'g');
  for (const line of lines) {
    spaced += line.match(s)?.length ?? 0;
    flush += line.match(f)?.length ?? 0;
  }
  return { spacedDigits: spaced > flush };
}

/**
 * Joins a line broken by the layout to the text before it: Chinese joins with no space, Latin words and
 * figures with one; between Chinese and a figure the document's own convention decides.
 */
export function joinBroken(before: string, after: string, convention: SpacingConvention): string {
  const a = before.replace(/[\s\u3000]+$/, '');
  const b = after.replace(/^[\s\u3000]+/, '');
  if (!a) return b;
  if (!b) return a;
  const last = a[a.length - 1];
  const first = b[0];
  const latinish = (c: string) => /[A-Za-z0-9]/.test(c);
  if (isWide(last) || isWide(first)) {
    const mixed = (isCjk(last) && latinish(first)) || (latinish(last) && isCjk(first));
    return mixed && convention.spacedDigits ? `${a} ${b}` : a + b;
  }
  if (last === '-' && /[A-Za-z]/.test(a[a.length - 2] ?? '') && /[a-z]/.test(first)) return a + b;
  return `${a} ${b}`;
}
