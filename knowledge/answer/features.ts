import { labelKind, newestDocument, type DocumentMeta, type Paragraph } from '../../core/paragraph.ts';
import type { AnswerType, QuestionFrame } from '../question/frame.ts';
import { normalizeForSearch } from '../../index/lexical/tokenize.ts';
import { coverage, type WeightedTerm } from '../question/terms.ts';
import { sentences } from './quote.ts';
import { GLOBAL_DEPTH, SCOPED_DEPTH, type Candidate } from './candidates.ts';

/**
 * Step 3a: what the ranker knows about a candidate, as numbers that mean the same whatever the
 * corpus — first-stage ranks and scores, how much of the question's weighted content the paragraph
 * holds (words, bigrams, through synonyms and translations, in one sentence), whether it is in the
 * document, year and part the question points at, whether it has what the question asks for (a
 * number, a date, a name, a reason, a definition), its length. The weights are fitted (learn/).
 */

export const FEATURES = [
  'bias',
  'globalRank',
  'scopedRank',
  'relativeScore',
  'margin',
  'cover',
  'coverText',
  'coverExact',
  'gramCover',
  'sentenceCover',
  'coverLead',
  'sectionCover',
  'neighbourCover',
  'matchedWeight',
  'rarestMatched',
  'heaviestMissing',
  'unseenShare',
  'documentNamed',
  'documentOfYear',
  'documentOfKind',
  'documentElsewhere',
  'partAsked',
  'partUnasked',
  'preambular',
  'yearsPresent',
  'yearsMissing',
  'latest',
  'namedMissing',
  'focusFound',
  'focusMissing',
  'numberFound',
  'numberMissing',
  'numberNear',
  'dateFound',
  'dateMissing',
  'placeFound',
  'placeMissing',
  'nameFound',
  'nameMissing',
  'reasonFound',
  'reasonMissing',
  'definitionFound',
  'definitionMissing',
  'length',
  'fewTerms',
  'english',
  'gloss',
  'glossRank',
  'glossGap',
] as const;

export type FeatureName = (typeof FEATURES)[number];

export interface FeatureContext {
  frame: QuestionFrame;
  terms: WeightedTerm[];
  grams: WeightedTerm[];
  candidates: Candidate[];
  documents: DocumentMeta[];
  /** The terms of what the asking words ask about (QuestionFrame.focus). */
  focus: WeightedTerm[];
  /** The paragraphs just before and after a paragraph in its document. */
  neighbours: (paragraph: Paragraph) => Paragraph[];
  /** Similarity (0–1) of the question and a paragraph in CC-CEDICT's gloss space (gloss.ts). */
  glossSimilarity: (paragraph: Paragraph) => number;
  /** The weight of a term no indexed paragraph contains: what the question asks about that the documents never mention. */
  unseenWeight: number;
}

const NUMBER = /\d+(?:[.,]\d+)?\s*(?:%|％)?|[一二三四五六七八九十百千万亿两]+(?=[个家名项次年倍万亿人所位]|分之)/g;
const DATE = /(?<!\d)(?:19|20)\d{2}(?!\d)|\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\b/i;
const PLACE = /在([^，。；在]{2,12})(?:举行|召开|举办|设立|成立|签署|开设)|([\p{Script=Han}]{2,6}(?:国|市|省|州|岛))(?![家际内外])|\b([A-Z][a-z]{2,}(?:\s[A-Z][a-z]+)?)\b/gu;
const NAME = /([A-Z][A-Za-z&.-]{1,}(?:\s[A-Z][A-Za-z&.-]+)*)|《([^》]+)》|“([^”]+)”|((?:(?![的与和及并将在是同对为把被从向给])\p{Script=Han}){2,10}(?:公司|集团|基金会|银行|协会|大学|研究所|学会))/gu;
const REASON = /因为|由于|原因|为了|以便|旨在|动机|鉴于|因此|所以|目的|导致|造成/;
const DEFINITION = /是指|系指|定义|指的是|是一种|所谓|称为|一词|意味着|即为|就是/;
const QUOTED = /《([^》]{2,})》|“([^”]{2,})”|"([^"]{2,})"/g;

const EVIDENCE: Record<Exclude<AnswerType, 'yesno' | 'list' | 'other'>, (text: string, question: string, terms: WeightedTerm[]) => boolean> = {
  number: (text, question) => numbersBeyond(text, question).length > 0,
  date: (text, question) => DATE.test(yearsOf(question).reduce((t, y) => t.split(y).join(' '), text)),
  place: (text, question) => namesBeyond(PLACE, text, question),
  name: (text, question) => namesBeyond(NAME, text, question),
  reason: (text) => REASON.test(text),
  // "X是…", "X的定义…", "X系指…" where X, the question's words together ("社区" + "合作社") or one of them,
  // begins its clause: the paragraph says what X is ("发展伙伴关系是一个…过程" speaks of developing X).
  definition: (text, _question, terms) => {
    if (DEFINITION.test(text)) return true;
    const normalized = normalizeForSearch(text);
    const subjects = new Set([terms.map((t) => t.term).join(''), ...terms.map((t) => t.term)]);
    return [...subjects].some((x) => x && new RegExp(`(?:^|[，。；：“”、,;:])\\s*${escape(x)}(?:的定义)?[，,]?(?:通常)?(?:是|指|系指|即)`).test(normalized));
  },
};

/**
 * "同一个全球包裹运送公司", "一家跨国集团", "58 家领先公司": the reports describe and count partners
 * without naming them, and a company described so is not a name.
 */
const INDEFINITE = /(?:一|多|几|数|\d\s*)(?:个|家|些|批)|某|若干|许多/;

/** Whether the text names something of this kind that the question does not already name. */
function namesBeyond(pattern: RegExp, text: string, question: string): boolean {
  const asked = normalizeForSearch(question);
  for (const m of text.matchAll(pattern)) {
    const name = m.slice(1).find(Boolean);
    if (!name || asked.includes(normalizeForSearch(name))) continue;
    if (/\p{Script=Han}/u.test(name) && INDEFINITE.test(text.slice(Math.max(0, m.index! - 3), m.index!) + name)) continue;
    return true;
  }
  return false;
}

/** How much of the subject (0–1) stands within reach of a number the question does not state: the count of that subject. */
function countsSubject(text: string, question: string, terms: WeightedTerm[]): number {
  const normalized = normalizeForSearch(text);
  const asked = new Set(numbersBeyond(question, ''));
  let best = 0;
  for (const m of normalized.matchAll(NUMBER)) {
    const n = m[0].trim();
    if (asked.has(n) || /^(?:19|20)\d{2}$/.test(n) || /[/a-z]$/.test(normalized.slice(0, m.index))) continue;
    best = Math.max(best, coverage(terms, normalized.slice(Math.max(0, m.index! - REACH), m.index! + m[0].length + REACH)));
  }
  return best;
}

/** How close (in characters) a number stands to what it counts. */
const REACH = 12;

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function yearsOf(text: string): string[] {
  return text.match(/(?<!\d)(?:19|20)\d{2}(?!\d)/g) ?? [];
}

/** Numbers the paragraph states that the question does not, years excepted (they date, not count). */
function numbersBeyond(text: string, question: string): string[] {
  const asked = new Set((normalizeForSearch(question).match(NUMBER) ?? []).map((n) => n.trim()));
  return (normalizeForSearch(text).match(NUMBER) ?? []).map((n) => n.trim()).filter((n) => !asked.has(n) && !/^(?:19|20)\d{2}$/.test(n));
}

export function quotedNames(question: string): string[] {
  return [...question.matchAll(QUOTED)].map((m) => normalizeForSearch(m[1] ?? m[2] ?? m[3]));
}

function paragraphText(paragraph: Paragraph): string {
  return normalizeForSearch([paragraph.text, ...paragraph.section].join(' '));
}

interface QuestionLevel {
  /** The most recent document (of the kind named, if any). */
  newest?: string;
  names: string[];
  maxWeight: number;
  unseenShare: number;
  /** The candidates' gloss similarities, highest first. */
  glossOrder: number[];
}

const questionLevels = new WeakMap<FeatureContext, QuestionLevel>();

/** What the features need of the question alone, worked out once per context rather than per candidate. */
function questionLevel(context: FeatureContext): QuestionLevel {
  let level = questionLevels.get(context);
  if (!level) {
    const { frame, terms, documents } = context;
    const total = terms.reduce((s, t) => s + t.weight, 0);
    const unseen = terms.filter((t) => t.weight >= context.unseenWeight).reduce((s, t) => s + t.weight, 0);
    level = {
      newest: newestDocument(documents, frame.kind)?.symbol,
      names: quotedNames(frame.question),
      maxWeight: Math.max(0, ...terms.map((t) => t.weight)),
      unseenShare: total ? unseen / total : 0,
      glossOrder: context.candidates.map((c) => context.glossSimilarity(c.paragraph)).sort((a, b) => b - a),
    };
    questionLevels.set(context, level);
  }
  return level;
}

export function featuresOf(candidate: Candidate, context: FeatureContext): number[] {
  const { frame, terms, grams } = context;
  const p = candidate.paragraph;
  const whole = paragraphText(p);
  const body = normalizeForSearch(p.text);
  const pointers = frame.documents;
  const named = pointers.some((d) => (d.by === 'symbol' || d.by === 'year-kind' || d.by === 'latest') && d.symbols.includes(p.symbol));
  const ofYear = pointers.some((d) => d.by === 'year' && d.symbols.includes(p.symbol));
  const ofKind = pointers.some((d) => d.by === 'kind' && d.symbols.includes(p.symbol));
  const elsewhere = pointers.length > 0 && !pointers.some((d) => d.symbols.includes(p.symbol));
  const kind = labelKind(p.label);
  const special = kind === 'footnote' || kind === 'box' || kind === 'summary' || kind === 'annex';
  const yearsFound = frame.years.filter((y) => body.includes(y)).length;
  const { newest, names, maxWeight, unseenShare, glossOrder } = questionLevel(context);
  const gloss = context.glossSimilarity(p);
  const said = sentences(p.text);
  const present = terms.filter((t) => whole.includes(t.term));
  const missing = terms.filter((t) => !whole.includes(t.term));
  const f: Record<FeatureName, number> = {
    bias: 1,
    globalRank: candidate.globalRank >= GLOBAL_DEPTH ? 0 : 1 / (1 + candidate.globalRank),
    scopedRank: candidate.scopedRank >= SCOPED_DEPTH ? 0 : 1 / (1 + candidate.scopedRank),
    relativeScore: candidate.relativeScore,
    margin: candidate.margin,
    cover: coverage(terms, whole),
    coverText: coverage(terms, body),
    coverExact: coverage(terms, whole, false),
    gramCover: coverage(grams, body),
    sentenceCover: Math.max(0, ...said.map((s) => coverage(terms, normalizeForSearch(s)))),
    coverLead: coverage(terms, normalizeForSearch(said[0] ?? '')),
    sectionCover: coverage(terms, normalizeForSearch(p.section.join(' '))),
    neighbourCover: Math.max(0, ...context.neighbours(p).map((n) => coverage(terms, normalizeForSearch(n.text)))),
    matchedWeight: Math.min(1, present.reduce((s, t) => s + t.weight, 0) / 20),
    rarestMatched: maxWeight ? Math.max(0, ...present.map((t) => t.weight)) / maxWeight : 0,
    heaviestMissing: maxWeight ? Math.max(0, ...missing.map((t) => t.weight)) / maxWeight : 0,
    unseenShare,
    documentNamed: named ? 1 : 0,
    documentOfYear: ofYear ? 1 : 0,
    documentOfKind: ofKind ? 1 : 0,
    documentElsewhere: elsewhere ? 1 : 0,
    partAsked: frame.parts.includes(kind) ? 1 : 0,
    partUnasked: special && !frame.parts.includes(kind) ? 1 : 0,
    preambular: kind === 'preambular' ? 1 : 0,
    yearsPresent: frame.years.length ? yearsFound / frame.years.length : 0,
    yearsMissing: frame.years.length ? 1 - yearsFound / frame.years.length : 0,
    latest: frame.latest && newest === p.symbol ? 1 : 0,
    namedMissing: names.length ? names.filter((n) => !whole.includes(n)).length / names.length : 0,
    focusFound: context.focus.length ? coverage(context.focus, whole) : 0,
    focusMissing: context.focus.length ? 1 - coverage(context.focus, whole) : 0,
    numberFound: 0,
    numberMissing: 0,
    numberNear: frame.answerType === 'number' ? countsSubject(p.text, frame.question, terms) : 0,
    dateFound: 0,
    dateMissing: 0,
    placeFound: 0,
    placeMissing: 0,
    nameFound: 0,
    nameMissing: 0,
    reasonFound: 0,
    reasonMissing: 0,
    definitionFound: 0,
    definitionMissing: 0,
    length: Math.min(1, Math.log(1 + p.text.length) / Math.log(1000)),
    fewTerms: 1 / (1 + terms.length),
    english: frame.language === 'en' ? 1 : 0,
    gloss,
    glossRank: 1 / (1 + glossOrder.findIndex((g) => g <= gloss)),
    glossGap: gloss - (glossOrder[0] ?? 0),
  };
  const type = frame.answerType;
  if (type in EVIDENCE) {
    const has = EVIDENCE[type as keyof typeof EVIDENCE](p.text, frame.question, terms);
    f[`${type}Found` as FeatureName] = has ? 1 : 0;
    f[`${type}Missing` as FeatureName] = has ? 0 : 1;
  }
  return FEATURES.map((name) => f[name]);
}
