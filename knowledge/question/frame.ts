import type { Language } from '../../core/answer.ts';
import { type DocumentKind, type DocumentMeta, type LabelKind, newestDocument } from '../../core/paragraph.ts';
import { detectLanguage } from './language.ts';
import { findReferences, type DocumentReference, type ParagraphReference } from './references.ts';

/**
 * One reading of a question, made once and used by every step after it — lookup, retrieval, ranking,
 * the answer/abstain decision, follow-ups and the model path: which documents and paragraphs it names
 * (in any form), which years and kinds of document it points at, whether it wants the latest, what
 * form of answer it asks for, and its parts. The words that only do this pointing and asking are
 * taken out of `content`, so that what remains is what the question is about.
 */

/** The form of answer a question asks for. */
export type AnswerType = 'number' | 'date' | 'place' | 'name' | 'reason' | 'definition' | 'yesno' | 'list' | 'other';

export interface DocumentPointer {
  /** The indexed documents meant; several when a year or kind fits more than one. */
  symbols: string[];
  /** How the question named them: by symbol, by year and kind, as the latest of a kind, by year alone, or by kind alone. */
  by: 'symbol' | 'year-kind' | 'latest' | 'year' | 'kind';
  written: string;
}

export interface QuestionFrame {
  question: string;
  language: Language;
  /** Paragraphs named by label; `symbol` is set when the question also names their document. */
  paragraphs: ParagraphReference[];
  /** Documents named by symbol that the index lacks ("A/RES/70/1"). */
  unknownDocuments: DocumentReference[];
  /** What the question points at, in the order it names them; one entry per distinct document set. */
  documents: DocumentPointer[];
  /** Years that date no indexed document ("2019年又增加了几家"): part of what is asked. */
  years: string[];
  /** A document kind named without a year ("大会认为…", "报告建议…"). */
  kind?: DocumentKind;
  latest: boolean;
  /** Parts of a document named as what is sought: "摘要", "脚注", "方框", "序言". */
  parts: LabelKind[];
  answerType: AnswerType;
  /** A definition question that asks what a term means ("…指什么", "何谓…"), not only what something is. */
  meaning: boolean;
  /**
   * What the asking words ask about: the words right after them ("哪家[快递公司]", "多少[访客]") or,
   * when they end the clause, right before ("[主席]是谁"). An answer must speak of it.
   */
  focus: string;
  /** The question's sub-questions ("…为何设立？会员国怎么看？"); one entry for a simple question. */
  clauses: string[];
  /** "第二点是什么意思": the n-th point of the previous answer. */
  ordinal?: number;
  /** Whether it reads as the continuation of an earlier question ("那2021年的报告呢？"). */
  continues: boolean;
  /** The question without references, document-pointing words and the words that ask. */
  content: string;
}

const YEAR = /(?<!\d)((?:19|20)\d{2})(?!\d)(?:\s*年(?:代)?)?/g;
const LATEST = /最新|最近|目前|现在|当前|如今|\blatest\b|\bmost recent\b|\bcurrent(?:ly)?\b|\bnow\b|\btoday\b/i;
/** "Latest" said of a document: "最新那份报告", "最近的决议", "the most recent SG report" (not "目前", "now"). */
const LATEST_DOCUMENT =
  /(?:最新|最近)(?:的)?(?:一|那|这)?(?:份|项|篇)?(?:的)?(?:秘书长(?:的)?)?(?:报告|决议|文件)|\b(?:latest|most recent|newest)\s+(?:(?:SG|Secretary-General)(?:'s)?\s+)?(?:report|resolution|document)s?\b/i;
const REPORT_WORDS = /秘书长(?:的)?报告|报告|\breports?\b|Secretary-General(?:'s)?/i;
const RESOLUTION_WORDS = /大会(?:的)?决议|决议|大会|\bresolutions?\b|General Assembly/i;
const POINTING_WORDS =
  /秘书长(?:的)?(?:报告)?|大会(?:的)?决议|决议|大会|报告|那份|这份|该份|这项|那项|文件|文件里|\b(?:the\s+)?(?:General Assembly|Secretary-General(?:'s)?|resolution|report)s?\b/gi;
const PART_WORDS: [RegExp, LabelKind][] = [
  [/摘要|\bsummary\b/i, 'summary'],
  [/脚注|\bfootnotes?\b/i, 'footnote'],
  [/方框|专栏|\bbox(?:es)?\b/i, 'box'],
  [/序言|\bpreamb(?:le|ular)\b/i, 'preambular'],
  [/附件|\bannex\b/i, 'annex'],
];

/** The words that ask for each form of answer; they name no subject. Checked in this order. */
const ASKING: [AnswerType, RegExp][] = [
  ['date', /哪一?年|哪个?月|哪一?天|什么时候|何时|几月|几号|多久以前|\bwhen\b|\bwhat year\b|\bwhich year\b/gi],
  ['place', /在?(?:哪个城市|哪座城市|哪个国家|哪些国家)|在哪里|在哪儿|在哪|哪里|哪儿|什么地方|\bwhere\b|\bwhich (?:city|country|countries)\b/gi],
  ['number', /多少|几[个家次人年名项所位种条届份]|多大比[重例]|比例是|百分之几|占比|\bhow (?:many|much)\b|\bwhat (?:share|percentage|proportion)\b/gi],
  ['name', /谁|哪家|哪位|哪一?份|哪一?篇|哪个机构|哪些机构|哪个组织|哪些组织|什么机构|什么组织|哪个公司|哪些公司|什么公司|哪个伙伴|\bwho\b|\bwhich (?:company|companies|organi[sz]ations?|agenc(?:y|ies)|firms?)\b/gi],
  ['reason', /为什么|为何|为啥|干嘛|何以|什么原因|出于什么|原因是什么|\bwhy\b/gi],
  ['definition', /是什么意思|什么意思|是指什么|指的是什么|指什么|什么是|何谓|的含义|含义|下定义|定义|是什么|\bwhat (?:is|are) (?:meant|the meaning)\b|\bwhat does .* mean\b|\bdefin(?:e|ition)\b|\bwhat (?:is|are)\b/gi],
  ['yesno', /是不是|是否|有没有|要不要|能不能|可不可以|会不会|吗(?=[？?。]?\s*$)|^\s*(?:does|do|did|is|are|can|should|must|may)\b/gi],
  ['list', /哪些|哪几|有什么|什么样|怎么|如何|怎样|\bwhich\b|\bwhat\b|\bhow\b/gi],
];

const MEANING = /什么意思|是指什么|指的是什么|指什么|什么是|何谓|含义|定义|\bmean(?:s|ing)?\b|\bdefin/i;
const CONTINUATION = /^\s*(?:那么?|那个|那在|还有|另外|再问|此外|and\b|what about\b|how about\b)|呢\s*[？?。]?\s*$/i;
const NUMERALS: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10 };
const ORDINAL_ZH = /第\s*([一二两三四五六七八九十]|\d{1,2})\s*(?:点|条|项引文|个要点|处)/;
const ORDINAL_EN = /\b(?:the\s+)?(first|second|third|fourth|fifth)\s+(?:point|item|statement|one)\b|\bpoint\s+(\d+)\b/i;
const ORDINAL_WORDS: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4, fifth: 5 };
/** A clause that asks something of its own; a clause without one qualifies its neighbour. */
const ASKS = /多少|什么|哪|如何|怎么|怎样|是否|吗|几|谁|为啥|为何|干嘛|呢|\b(?:what|which|how|why|who|when|where|does|do|is|are)\b/i;

export function readQuestion(question: string, documents: DocumentMeta[]): QuestionFrame {
  const text = question.normalize('NFKC').trim();
  const references = findReferences(text, documents);
  const paragraphs = references.paragraphs;
  const unknownDocuments = references.documents.filter((d) => d.symbol === undefined && d.named !== undefined);

  // Offsets of everything already read as a reference: years inside them are not content years.
  const spans = [...references.documents, ...paragraphs];
  const inReference = (at: number) => spans.some((s) => at >= s.start && at < s.end);
  const placed: { at: number; pointer: DocumentPointer }[] = [];
  const point = (at: number, p: DocumentPointer) => {
    if (p.symbols.length && !placed.some((q) => q.pointer.symbols.join() === p.symbols.join())) placed.push({ at, pointer: p });
  };
  for (const d of references.documents) if (d.symbol) point(d.start, { symbols: [d.symbol], by: d.named ? 'symbol' : 'year-kind', written: d.written });

  const documentYears = new Set(documents.map((d) => d.date.slice(0, 4)));
  const years: string[] = [];
  const yearMatches = [...text.matchAll(YEAR)].filter((m) => !inReference(m.index!));
  const kindAfter = yearMatches.map((m) => kindNear(text.slice(m.index! + m[0].length)));
  // "2013年和2021年的报告": a year joined to the next one shares its kind word.
  for (let i = yearMatches.length - 2; i >= 0; i--) {
    const between = text.slice(yearMatches[i].index! + yearMatches[i][0].length, yearMatches[i + 1].index);
    if (!kindAfter[i] && /^\s*(?:的)?\s*(?:和|与|及|、|至|到|-|and|or|,)\s*$/i.test(between)) kindAfter[i] = kindAfter[i + 1];
  }
  const kindAnywhere = kindIn(text.replace(YEAR, ' '));
  yearMatches.forEach((m, i) => {
    const year = m[1];
    if (!documentYears.has(year)) {
      if (!years.includes(year)) years.push(year);
      return;
    }
    const kind = kindAfter[i] ?? (yearMatches.length === 1 ? kindAnywhere : undefined);
    const ofYear = documents.filter((d) => d.date.startsWith(year));
    const ofKind = kind ? ofYear.filter((d) => d.kind === kind) : [];
    point(m.index!, ofKind.length ? { symbols: ofKind.map((d) => d.symbol), by: 'year-kind', written: m[0] } : { symbols: ofYear.map((d) => d.symbol), by: 'year', written: m[0] });
  });
  const pointers = placed.sort((a, b) => a.at - b.at).map((p) => p.pointer);

  const rest = stripSpans(text, spans).replace(YEAR, (whole, year: string) => (documentYears.has(year) ? ' ' : whole));
  const kind = pointers.length === 0 ? kindAnywhere : undefined;
  const latestOne = pointers.length === 0 ? LATEST_DOCUMENT.exec(text) : null;
  if (latestOne) {
    // "最新那份报告", "the latest report": the newest document of that kind, as a year would name it.
    const newest = newestDocument(documents, kindIn(latestOne[0]));
    if (newest) pointers.push({ symbols: [newest.symbol], by: 'latest', written: latestOne[0] });
  }
  if (kind && !pointers.length) {
    const ofKind = documents.filter((d) => d.kind === kind);
    if (ofKind.length) pointers.push({ symbols: ofKind.map((d) => d.symbol), by: 'kind', written: kind });
  }
  const parts = PART_WORDS.filter(([re]) => re.test(text)).map(([, k]) => k);
  const asking = ASKING.find(([, re]) => new RegExp(re.source, 'i').test(text));
  const answerType = asking?.[0] ?? 'other';
  const focus = asking ? focusOf(text, new RegExp(asking[1].source, 'i').exec(text)!) : '';

  let content = rest.replace(POINTING_WORDS, ' ').replace(new RegExp(LATEST.source, 'gi'), ' ');
  for (const [, re] of ASKING) content = content.replace(re, ' ');
  for (const [re] of PART_WORDS) content = content.replace(new RegExp(re.source, 'gi'), ' ');

  return {
    question: text,
    language: detectLanguage(text),
    paragraphs,
    unknownDocuments,
    documents: pointers,
    years,
    kind,
    latest: LATEST.test(text),
    parts,
    answerType,
    meaning: answerType === 'definition' && MEANING.test(text),
    focus,
    clauses: clausesOf(text),
    ordinal: ordinalOf(text),
    continues: CONTINUATION.test(text),
    content: content.replace(/\s+/g, ' ').trim(),
  };
}

const FOCUS_REACH = 6;

function focusOf(text: string, asked: RegExpExecArray): string {
  const after = text.slice(asked.index + asked[0].length).split(/[，。？！,.?!；;的是了呢吗]/)[0].slice(0, FOCUS_REACH);
  if (/[\p{Script=Han}A-Za-z]{2}/u.test(after)) return after.trim();
  const before = text.slice(0, asked.index).split(/[，。？！,.?!；;]/).at(-1) ?? '';
  return before.replace(/(?:是|有|为|的|了|都|又|还|一共|总共|大约|大概)+$/, '').slice(-FOCUS_REACH).trim();
}

function kindIn(text: string): DocumentKind | undefined {
  const report = REPORT_WORDS.exec(text);
  const resolution = RESOLUTION_WORDS.exec(text);
  if (report && resolution) return report.index <= resolution.index ? 'report' : 'resolution';
  if (report) return 'report';
  if (resolution) return 'resolution';
  return undefined;
}

/** The kind word that belongs to a year: in the phrase right after it, up to the next clause break. */
function kindNear(after: string): DocumentKind | undefined {
  return kindIn(after.split(/[，。？！,.?!;；和与及、]|\band\b/)[0].slice(0, 14));
}

function stripSpans(text: string, spans: { start: number; end: number }[]): string {
  let out = text;
  for (const s of [...spans].sort((a, b) => b.start - a.start)) out = `${out.slice(0, s.start)} ${out.slice(s.end)}`;
  return out;
}

function ordinalOf(text: string): number | undefined {
  const zh = ORDINAL_ZH.exec(text);
  if (zh) return NUMERALS[zh[1]] ?? Number(zh[1]);
  const en = ORDINAL_EN.exec(text);
  if (!en) return undefined;
  return en[2] ? Number(en[2]) : ORDINAL_WORDS[en[1].toLowerCase()];
}

/**
 * The sub-questions: sentences that ask something, and within a sentence the comma-separated clauses
 * that each ask something of their own ("…一共有多少家，其中在亚洲的又有几家"). A sentence or
 * clause that asks nothing ("项目停了。", an instruction pasted along) is context for the
 * sub-question next to it, not a question of its own.
 */
function clausesOf(text: string): string[] {
  const asking: string[] = [];
  let context = '';
  for (const sentence of text.split(/[？?；;。！!]/)) {
    let current = '';
    for (const clause of sentence.split(/[，,]/)) {
      if (current && ASKS.test(current) && ASKS.test(clause)) {
        asking.push(`${context}${current}`.trim());
        context = '';
        current = clause;
      } else current = current ? `${current}，${clause}` : clause;
    }
    if (!current.trim()) continue;
    if (ASKS.test(current)) {
      asking.push(`${context}${current}`.trim());
      context = '';
    } else context = `${context}${current}，`;
  }
  if (context && asking.length) asking[asking.length - 1] = `${asking[asking.length - 1]}，${context.replace(/，$/, '')}`;
  return asking.length ? asking : [text];
}
