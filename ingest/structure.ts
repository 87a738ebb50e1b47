/**
 * The structure pass: walks prepared lines once and groups them into labelled units (numbered and
 * lettered paragraphs, preambular clauses, summary, footnotes, boxes, annex) under section headings.
 * Paragraph numbers are trusted only when they are the expected next number, which is what tells a
 * numbered sub-heading ("1. 联合国的利益…") from paragraph 15.
 */
import {
  bareUrl,
  endsClause,
  endsSentence,
  footnoteLineStart,
  joinBroken,
  spacingConvention,
  stripInlineReferences,
  urlKey,
  isRule,
  isTocLine,
  type SpacingConvention,
} from './clean.ts';
import { prepareLines, type Line, type PreparedText } from './lines.ts';
import type { TextClues } from './metadata.ts';

export type UnitKind = 'numbered' | 'sub' | 'preambular' | 'summary' | 'footnote' | 'box' | 'annex';

export interface Unit {
  kind: UnitKind;
  label: string;
  section: string[];
  text: string;
}

export interface StructureResult {
  units: Unit[];
  /** Cleaned lines before the body, for metadata. */
  frontMatter: string[];
  clues: Pick<TextClues, 'resolutionNumber' | 'resolutionTitle'>;
  warnings: string[];
}

const NUMBERED = /^(\d{1,3})\s*[.．](?!\d)\s*(.*)$/;
const SUB = /^[(（]([a-z])[)）]\s*(.*)$/;
const ROMAN_HEADING = /^[一二三四五六七八九十]+\s*[.．、]\s*\S/;
const LETTER_HEADING = /^[A-Z]\s*[.．]\s+\S/;
const BOX = /^方框\s*(\d{1,3})$/;
const FIGURE = /^图\s*\d{1,3}$/;
/** "摘要" on its own, or ending the title line ("…秘书长的报告摘要") it was merged into. */
const SUMMARY = /^([^，。；,;]{0,80}报告)?\s*(?:摘要|内容提要|Summary)$/;
const ANNEX = /^(?:附件|Annex)(?:\s*[一二三四五六七八九十\dIVX]+)?$/;
const RESOLUTION_HEADING = /^(\d{2,3})\/(\d{1,4})\s*[.．]\s*(\S.*)$/;
const STAR_NOTE = /^\*\s*\S/;
const CLOSING = /^(?:\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|第\s*\d+\s*次全体会议)$/;
const SYMBOL = String.raw`(?:\d{1,3}\/\d{1,4}|[A-Z]{1,5}(?:\/[\w.\-]+)+)`;
/** A footnote that is nothing but a reference: "见第 55/2号决议。", "A/56/323和 Corr.1。", "第 66/288 号决议，附件。". */
const REFERENCE_NOTE = new RegExp(
  String.raw`^(?:见|参见|另见|又见)?\s*(?:第\s*)?${SYMBOL}(?:\s*号(?:决议|决定|文件))?(?:\s*(?:和|及)\s*(?:Corr|Add)\.\d+)?(?:，附件[一二三四五六七八九十]*)?。$`,
);
const PREAMBULAR_VERB = new RegExp(
  '^(?:又|还|并|也|再次|进一步)?(?:' +
    [
      '回顾', '忆及', '强调', '着重指出', '认识到', '注意到', '欢迎', '重申', '确认', '鼓励', '考虑到', '铭记',
      '深信', '意识到', '申明', '承认', '关切', '表示关切', '感到关切', '深为关切', '赞赏', '决心', '指出',
      '相信', '确信', '深知', '希望', '欣见', '认为', '重视', '满意地注意到', '赞赏地注意到', '欣慰地注意到',
    ].sort((a, b) => b.length - a.length).join('|') +
    ')',
);

interface Draft {
  kind: UnitKind | 'heading' | 'figure';
  label: string;
  section: string[];
  lines: Line[];
  /** Text of each line as it goes into the unit (prefix and references removed). */
  parts: string[];
  /** Paragraph number, for numbered and lettered units. */
  number?: number;
}

class Structurer {
  private readonly lines: Line[];
  private readonly layout: PreparedText['layout'];
  private readonly width: number;
  private readonly convention: SpacingConvention;
  private readonly fullText: string;
  private readonly chartResidue: Set<number>;

  private readonly drafts: Draft[] = [];
  readonly frontMatter: string[] = [];
  readonly warnings: string[] = [];
  readonly clues: StructureResult['clues'] = {};

  private body: Draft | undefined;
  private lastContent: Draft | undefined;
  private footnote: Draft | undefined;
  private inFootnotes = false;
  private pendingFootnote: number | undefined;
  private lastFootnote = 0;
  private nextRef = 1;
  private expected = 1;
  private seenNumbered = false;
  private nextLetter = 'a';
  private preamble: boolean;
  private preambularCount = 0;
  private readonly marksPreamble: boolean;
  private inAnnex = false;
  private ended = false;
  private readonly headings: (string | undefined)[] = [];

  constructor(
    prepared: PreparedText,
    private readonly file: string,
    kindHint?: string,
    private readonly linesAreParagraphs = false,
  ) {
    this.lines = prepared.lines;
    this.layout = prepared.layout;
    this.width = prepared.width;
    this.convention = spacingConvention(this.lines.map((l) => l.text));
    this.fullText = this.lines.map((l) => l.text).join('\n').toLowerCase();
    this.chartResidue = this.findChartResidue();
    this.preamble = kindHint === 'resolution';
    this.marksPreamble = this.lines.some((l) => l.emphasised && PREAMBULAR_VERB.test(l.text));
  }

  run(): Unit[] {
    for (let i = 0; i < this.lines.length; i++) this.step(i);
    return this.finish();
  }

  private step(i: number): void {
    const line = this.lines[i];
    const t = line.text;
    if (isTocLine(t)) return;
    const url = bareUrl(t);
    if (url && this.isLinkAnnotation(url)) {
      this.closeFootnotes();
      return;
    }
    if (isRule(t)) {
      this.closeFootnote();
      this.inFootnotes = true;
      return;
    }
    if (/^注(?:释)?$/.test(t) && this.lines[i + 1] && footnoteLineStart(this.lines[i + 1].marked)) {
      this.inFootnotes = true;
      return;
    }
    const marked = footnoteLineStart(line.marked);
    if (marked) {
      this.startFootnote(marked.number, line, marked.text);
      this.inFootnotes = true;
      return;
    }
    if (STAR_NOTE.test(t) && t.length < 60) {
      // The "*" note on the agenda item belongs to the title block, not to any paragraph.
      this.closeFootnotes();
      this.body = undefined;
      this.frontMatter.push(t);
      return;
    }
    if (this.inFootnotes && this.continueFootnotes(i)) return;

    if (REFERENCE_NOTE.test(t) && !this.inAnnex) {
      this.startFootnote(this.pendingFootnote ?? this.lastFootnote + 1, line, t);
      this.closeFootnote();
      return;
    }
    if (/^\d{1,3}$/.test(t)) {
      const next = this.lines[i + 1];
      if (next && REFERENCE_NOTE.test(next.text)) this.pendingFootnote = Number(t);
      else this.nextRef = Math.max(this.nextRef, Number(t) + 1);
      return;
    }
    if (this.chartResidue.has(i)) return;
    if (this.inAnnex && !ANNEX.test(t)) {
      this.append(this.body!, line, t);
      return;
    }
    if (CLOSING.test(t) && this.seenNumbered && this.preambularCount > 0) {
      this.ended = true;
      this.body = undefined;
      return;
    }
    if (FIGURE.test(t)) {
      this.open({ kind: 'figure', label: t }, line, t);
      return;
    }
    let m: RegExpExecArray | null;
    if ((m = BOX.exec(t))) {
      this.open({ kind: 'box', label: `box${m[1]}` }, line);
      return;
    }
    if ((m = SUMMARY.exec(t))) {
      if (m[1]) this.frontMatter.push(m[1]);
      this.open({ kind: 'summary', label: 'summary' }, line);
      return;
    }
    if (ANNEX.test(t)) {
      this.inAnnex = true;
      this.headings.length = 0;
      this.open({ kind: 'annex', label: 'annex' }, line);
      return;
    }
    if (!this.seenNumbered && !this.clues.resolutionNumber && (m = RESOLUTION_HEADING.exec(t))) {
      this.clues.resolutionNumber = `${m[1]}/${m[2]}`;
      this.clues.resolutionTitle = m[3];
      this.preamble = true;
      this.body = undefined;
      return;
    }
    if (ROMAN_HEADING.test(t) && this.headingLike(i)) return this.heading(1, line);
    if (LETTER_HEADING.test(t) && this.headingLike(i)) return this.heading(2, line);
    if ((m = NUMBERED.exec(t)) && this.numbered(i, Number(m[1]), m[2])) return;
    if ((m = SUB.exec(t)) && this.sub(i, m[1], m[2])) return;
    if (this.preamble && !this.seenNumbered && this.preambular(i)) return;
    if (this.unnumberedHeading(i)) return this.heading(4, line);
    this.continuation(i);
  }

  // ---- footnotes -------------------------------------------------------------------------------

  /** Inside a footnote block (after a rule): returns true when the line was consumed as footnote text. */
  private continueFootnotes(i: number): boolean {
    const line = this.lines[i];
    const t = line.text;
    if (/^\d{1,3}$/.test(t)) {
      this.pendingFootnote = Number(t);
      return true;
    }
    const numbered = /^(\d{1,3})[\s\u3000]+(\S.*)$/.exec(t);
    if (numbered && (Number(numbered[1]) === this.lastFootnote + 1 || Number(numbered[1]) === this.pendingFootnote)) {
      this.startFootnote(Number(numbered[1]), line, numbered[2]);
      return true;
    }
    if (this.pendingFootnote !== undefined) {
      this.startFootnote(this.pendingFootnote, line, t);
      return true;
    }
    if (this.footnote && !this.structuralStart(i) && !endsSentence(this.footnote.parts.at(-1) ?? '')) {
      this.footnote.lines.push(line);
      this.footnote.parts.push(t);
      return true;
    }
    this.closeFootnotes();
    return false;
  }

  private startFootnote(n: number, line: Line, text: string): void {
    this.closeFootnote();
    this.footnote = this.newDraft('footnote', `fn${n}`);
    this.footnote.lines.push(line);
    this.footnote.parts.push(text);
    this.lastFootnote = Math.max(this.lastFootnote, n);
    this.pendingFootnote = undefined;
  }

  private closeFootnote(): void {
    this.footnote = undefined;
  }

  private closeFootnotes(): void {
    this.footnote = undefined;
    this.inFootnotes = false;
    this.pendingFootnote = undefined;
  }

  /** Lines that begin something new even in the middle of a footnote block. */
  private structuralStart(i: number): boolean {
    const line = this.lines[i];
    const t = line.text;
    const n = NUMBERED.exec(t);
    return (
      (n !== null && Number(n[1]) === this.expected && !this.headingLike(i)) ||
      BOX.test(t) || SUMMARY.test(t) || ANNEX.test(t) || FIGURE.test(t) ||
      ((ROMAN_HEADING.test(t) || LETTER_HEADING.test(t)) && this.headingLike(i)) ||
      (this.preamble && !this.seenNumbered && line.emphasised)
    );
  }

  /**
   * PDF link annotations come out as bare URL lines; they are dropped when they point at undocs.org or
   * repeat a link that the text itself shows, so no visible words are lost.
   */
  private isLinkAnnotation(url: string): boolean {
    const key = urlKey(url);
    if (/(^|\.)undocs\.org\//.test(key)) return true;
    return this.fullText.split(key).length - 1 >= 2;
  }

  // ---- body units ------------------------------------------------------------------------------

  private numbered(i: number, n: number, rest: string): boolean {
    const line = this.lines[i];
    if (this.inAnnex) return false;
    if (n === this.expected) {
      if (this.headingLike(i) && this.nextNumber(i) === n) {
        this.heading(3, line);
        return true;
      }
    } else if (!this.seenNumbered) {
      // An excerpt may start at any number; the numbering check in parse.ts reports a document that does.
      if (this.headingLike(i) && this.isShort(line)) {
        this.heading(3, line);
        return true;
      }
    } else if (this.headingLike(i)) {
      this.heading(3, line);
      return true;
    } else if (n > this.expected && n <= this.expected + 3 && this.blockStart(i)) {
      this.warnings.push(`${this.file}: paragraph numbers ${this.expected}–${n - 1} not found before paragraph ${n}`);
    } else {
      return false;
    }
    this.expected = n + 1;
    this.seenNumbered = true;
    this.nextLetter = 'a';
    this.preamble = false;
    this.open({ kind: 'numbered', label: String(n), number: n }, line, rest);
    return true;
  }

  private sub(i: number, letter: string, rest: string): boolean {
    const parent = this.body;
    if (!parent || (parent.kind !== 'numbered' && parent.kind !== 'sub') || letter !== this.nextLetter) return false;
    // The first item needs a block boundary or a lead-in ending in a colon; once a list is open its
    // items are recognised at any line start, while "(b)" in running text never opens one.
    const leadIn = /[：:]$/.test(this.lines[i - 1]?.text ?? '');
    if (letter === 'a' && !leadIn && !this.blockStart(i)) return false;
    this.nextLetter = String.fromCharCode(letter.charCodeAt(0) + 1);
    this.open({ kind: 'sub', label: `${parent.number}(${letter})`, number: parent.number }, this.lines[i], rest);
    return true;
  }

  private preambular(i: number): boolean {
    const line = this.lines[i];
    if (/^大会[，,]?$/.test(line.text)) return false;
    // Where the document marks clause verbs (bold or its four-fold artifact) only marked ones count;
    // otherwise a listed verb at the start of a line after a finished clause does.
    const starts = line.emphasised ||
      (!this.marksPreamble && PREAMBULAR_VERB.test(line.text) && /[，,。；;]$/.test(this.lines[i - 1]?.text ?? ''));
    if (!starts) return false;
    this.preambularCount += 1;
    this.open({ kind: 'preambular', label: `PP${this.preambularCount}` }, line, line.text);
    return true;
  }

  private heading(level: number, line: Line): void {
    this.headings[level - 1] = line.text;
    this.headings.length = level;
    this.body = { kind: 'heading', label: '', section: [], lines: [line], parts: [line.text] };
  }

  private continuation(i: number): void {
    const line = this.lines[i];
    const body = this.body;
    if (body?.kind === 'heading') {
      const sofar = body.parts.join('');
      if (!endsClause(sofar) && !/[。；]/.test(line.text) && [...line.text].length <= 40 && !this.blockEnd(i - 1, false)) {
        body.parts.push(line.text);
        this.headings[this.headings.length - 1] = joinBroken(sofar, line.text, this.convention);
        return;
      }
      this.body = this.lastContent;
    } else if (body?.kind === 'figure') {
      const last = body.lines.at(-1)!;
      if (body.lines.length === 1 || (!this.isShort(last) && !endsClause(last.text))) {
        this.append(body, line, line.text);
        return;
      }
      this.body = this.lastContent;
    }
    if (this.ended || !this.body) {
      this.frontMatter.push(line.text);
      return;
    }
    this.append(this.body, line, line.text);
  }

  private unnumberedHeading(i: number): boolean {
    const t = this.lines[i].text;
    if (this.preamble || this.inAnnex || !this.seenNumbered) return false;
    if ([...t].length > 30 || /[。；，,;]/.test(t) || endsClause(t)) return false;
    if (!this.blockStart(i) && !endsClause(this.lines[i - 1]?.text ?? '')) return false;
    const next = this.lines[i + 1];
    const n = next ? NUMBERED.exec(next.text) : null;
    return n !== null && Number(n[1]) === this.expected;
  }

  // ---- layout signals ----------------------------------------------------------------------------

  private isShort(line: Line): boolean {
    return this.layout === 'blocks' || [...line.text].length < this.width * 0.8;
  }

  /** Whether line `i` closes a block (so the next line may start a new one). */
  private blockEnd(i: number, commaCloses: boolean): boolean {
    const prev = this.lines[i];
    if (!prev) return true;
    if (this.layout === 'blocks') return true;
    const closes = commaCloses ? /[。！？；：，,;:]$/ : /[。！？；：]$/;
    return (closes.test(prev.text) && (prev.trailing || this.isShort(prev))) || (this.isShort(prev) && prev.trailing);
  }

  private blockStart(i: number, commaCloses = true): boolean {
    return this.blockEnd(i - 1, commaCloses);
  }

  /** A short line without closing punctuation that stands on its own. */
  private headingLike(i: number): boolean {
    const line = this.lines[i];
    const t = line.text;
    if ([...t].length > 60 || /[。；：，,;:!?！？]$/.test(t) || /[。，；]/.test(t)) return false;
    if (this.layout === 'blocks') return true;
    const next = this.lines[i + 1];
    return this.isShort(line) || line.trailing || next === undefined || !next.leading || ROMAN_HEADING.test(t);
  }

  private nextNumber(i: number): number | undefined {
    for (let j = i + 1; j < this.lines.length; j++) {
      const m = NUMBERED.exec(this.lines[j].text);
      if (m) return Number(m[1]);
    }
    return undefined;
  }

  /** Axis labels of a chart that the PDF spilled into the text: runs of tiny lines with a percentage among them. */
  private findChartResidue(): Set<number> {
    const residue = new Set<number>();
    if (this.layout !== 'wrapped') return residue;
    const tiny = (l: Line) =>
      [...l.text].length <= 8 && !endsClause(l.text) && !/^\d{1,3}$/.test(l.text) &&
      !BOX.test(l.text) && !FIGURE.test(l.text) && !ANNEX.test(l.text) && !SUMMARY.test(l.text) && !NUMBERED.test(l.text);
    for (let i = 0; i < this.lines.length; ) {
      let j = i;
      while (j < this.lines.length && tiny(this.lines[j])) j++;
      const run = this.lines.slice(i, j);
      if (run.length >= 3 && run.some((l) => /\d%/.test(l.text))) {
        for (let k = i; k < j; k++) residue.add(k);
        this.warnings.push(`${this.file}: chart labels left out of the text: ${run.map((l) => l.text).join(' | ')}`);
      }
      i = Math.max(j, i + 1);
    }
    return residue;
  }

  // ---- assembly ------------------------------------------------------------------------------------

  private newDraft(kind: Draft['kind'], label: string, number?: number): Draft {
    const draft: Draft = { kind, label, section: this.section(), lines: [], parts: [], number };
    this.drafts.push(draft);
    return draft;
  }

  private open(spec: { kind: Draft['kind']; label: string; number?: number }, line: Line, text?: string): void {
    const draft = this.newDraft(spec.kind, spec.label, spec.number);
    this.body = draft;
    if (spec.kind !== 'figure') this.lastContent = draft;
    if (text !== undefined && text !== '') this.append(draft, line, text);
  }

  private append(draft: Draft, line: Line, text: string): void {
    let out = text;
    if (draft.kind !== 'footnote') {
      const stripped = stripInlineReferences(text, this.nextRef);
      out = stripped.text;
      this.nextRef = stripped.nextRef;
    }
    draft.lines.push(line);
    draft.parts.push(out);
  }

  private section(): string[] {
    return this.headings.filter((h): h is string => Boolean(h));
  }

  private textOf(draft: Draft): string {
    let text = '';
    draft.parts.forEach((part, k) => {
      if (k === 0) {
        text = part;
        return;
      }
      const prev = draft.lines[k - 1];
      const index = this.lines.indexOf(prev);
      const block = this.linesAreParagraphs || (this.layout === 'blocks'
        ? endsClause(prev.text) || [...prev.text].length <= 40 || /^[-•·]\s/.test(draft.lines[k].text)
        : this.blockEnd(index, false) || (prev.trailing && draft.lines[k].leading && this.lines[index + 1] === draft.lines[k]));
      text = block ? `${text.replace(/[\s\u3000]+$/, '')}\n${part.replace(/^[\s\u3000]+/, '')}` : joinBroken(text, part, this.convention);
    });
    return text.trim();
  }

  private finish(): Unit[] {
    const units: Unit[] = [];
    for (const draft of this.drafts) {
      if (draft.kind === 'heading') continue;
      const text = this.textOf(draft);
      if (draft.kind === 'figure') {
        this.warnings.push(`${this.file}: figure caption "${text.replace(/\n/g, ' ')}" is not a paragraph; left out`);
        continue;
      }
      if (!text) {
        this.warnings.push(`${this.file}: ${draft.label} has no text`);
        continue;
      }
      units.push({ kind: draft.kind, label: draft.label, section: draft.section, text });
    }
    return units;
  }
}

/**
 * `linesAreParagraphs`: the reader took every line from a paragraph of the source format (DOCX, HTML),
 * so no line is wrapped and every line break inside a unit is kept as "\n", the form the text version
 * gives a box's title and its body paragraphs.
 */
export function structure(text: string, file: string, kindHint?: string, linesAreParagraphs = false): StructureResult {
  const prepared = prepareLines(text);
  if (linesAreParagraphs) prepared.layout = 'blocks';
  const s = new Structurer(prepared, file, kindHint, linesAreParagraphs);
  const units = s.run();
  return { units, frontMatter: s.frontMatter, clues: s.clues, warnings: s.warnings };
}
