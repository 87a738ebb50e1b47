import type { ClaimCheck, ClaimJudgement, Difference, Language, ModelAnswerer, Quoted } from '../../core/answer.ts';
import type { Paragraph } from '../../core/paragraph.ts';
import type { IndexView } from '../../index/knowledge-index.ts';
import type { WeightedWord } from '../../index/lexicon/lexicon.ts';
import { cite } from '../citation.ts';
import { quote } from '../answer/quote.ts';
import { describeLabels } from '../question/label-range.ts';
import { cosine, glossOfParagraph, glossOfText, type GlossVector } from '../answer/gloss.ts';
import { claimWeights } from './claim-terms.ts';
import type { CitedClaim } from './claims.ts';
import { compare, readClaim, type Claim, type Comparison } from './compare.ts';
import { chineseTermsOf } from './english.ts';
import { confusable, contextOf, scopeOf } from './scope.ts';
import { decide, locateOnly, rank, THRESHOLDS, type Candidate, type Thresholds } from './verdict.ts';

/**
 * One cited claim checked: the cited paragraph resolved, compared with the claim, and the index searched
 * for where the claim's content really is. With a model, the model judges support over the same quoted
 * paragraphs; its "supported" stands only with a verbatim quote of the cited paragraph and no number,
 * year, negation or direction that the comparison found to differ.
 */

const SEARCHED = 10;
const MODEL_OTHERS = 3;
const MIN_MODEL_QUOTE = 6;

export interface CheckDeps {
  index: IndexView;
  model?: ModelAnswerer;
}

export interface CheckOutcome {
  check: ClaimCheck;
  /** The model could not be reached: the verdict is the offline one. */
  modelFailed?: boolean;
}

const squash = (text: string) => text.normalize('NFKC').replace(/\s+/g, '');

function quoted(paragraph: Paragraph, claim: Claim, language: Language, text?: string): Quoted {
  return { citation: cite(paragraph, language), quote: text ?? quote(paragraph, claim.terms) };
}

/** What the comparison found, before any threshold is applied. */
export type Analysis =
  | { kind: 'unknown-document'; cited: ClaimCheck['cited']; content: string }
  | { kind: 'missing'; cited: NonNullable<ClaimCheck['cited']>; content: string; claim: Claim; range: string; others: Candidate<Paragraph>[] }
  | { kind: 'present'; cited: NonNullable<ClaimCheck['cited']>; content: string; claim: Claim; members: Paragraph[]; comparison: Comparison; gloss: number; others: Candidate<Paragraph>[] };

/** The claim as a point of the gloss space: English through the lexicon's glosses, Chinese through its words'. */
function glossOfClaim(index: IndexView, claim: Claim): GlossVector {
  return claim.language === 'en' ? index.lexicon.englishVector(claim.text) : glossOfText(index, claim.text);
}

export async function analyseClaim(cited: CitedClaim, index: IndexView, language: Language): Promise<Analysis> {
  const label = cited.reference.label;
  const content = cited.content;
  if (!cited.symbol) {
    return { kind: 'unknown-document', content, cited: cited.named ? { symbol: cited.named, label, written: cited.reference.written } : null };
  }
  // Remembered per claim: the view's renderings below and the claim's reading translate the same units.
  const translations = new Map<string, WeightedWord[]>();
  const translate = (english: string) => translations.get(english) ?? translations.set(english, index.lexicon.translate(english)).get(english)!;
  // An English claim is weighed by the renderings of each of its units, which translating it whole may not give.
  const renderings = cited.language === 'en' ? [chineseTermsOf(content, translate).query] : [];
  await index.widen({ texts: [content, ...renderings], documents: [cited.symbol], labels: [label] });
  const claim = readClaim(content, cited.language, claimWeights(index), translate);
  const ref = { symbol: cited.symbol, label, written: cited.reference.written };
  const paragraph = index.paragraph(cited.symbol, label);
  const searched = (await index.search(claim.query, { k: SEARCHED })).map((r) => r.paragraph);
  if (!paragraph) {
    const range = describeLabels(index.paragraphsOf(cited.symbol).map((p) => p.label), language);
    const near = [...confusable(index, cited.symbol, label), ...searched];
    await index.widen({ paragraphs: near });
    return { kind: 'missing', cited: ref, content, claim, range, others: candidates(claim, near, new Set(), index, glossOfClaim(index, claim)) };
  }
  const scope = scopeOf(index, paragraph);
  const members = new Set(scope.members.map((m) => m.id));
  const near = [...confusable(index, cited.symbol, label, paragraph), ...searched];
  await index.widen({ paragraphs: [...scope.members, ...near] });
  const point = glossOfClaim(index, claim);
  return {
    kind: 'present',
    cited: ref,
    content,
    claim,
    members: scope.members,
    comparison: compare(claim, scope.own, scope.context),
    gloss: Math.max(...scope.members.map((m) => cosine(point, glossOfParagraph(index, m)))),
    others: candidates(claim, near, members, index, point),
  };
}

/** The offline verdict of an analysis under the given thresholds. */
export function conclude(analysis: Analysis, language: Language, thresholds: Thresholds = THRESHOLDS): ClaimCheck {
  const base = { claim: analysis.content, judgedBy: 'offline' as const, differences: [] as Difference[], evidence: [] as Quoted[], located: [] as Quoted[] };
  if (analysis.kind === 'unknown-document') return { ...base, verdict: 'cannot_tell', cited: analysis.cited };
  const { claim } = analysis;
  if (analysis.kind === 'missing') {
    const where = locateOnly(claim, analysis.others, thresholds);
    const located = where ? [quoted(where, claim, language)] : [];
    return { ...base, verdict: 'no_such_paragraph', cited: analysis.cited, range: analysis.range, located, evidence: located };
  }
  const decision = decide(claim, analysis.comparison, analysis.others, thresholds, analysis.gloss);
  const own = quoted(bestMember(analysis.members, claim), claim, language);
  const located = decision.located ? [quoted(decision.located, claim, language)] : [];
  return {
    ...base,
    verdict: decision.verdict,
    cited: analysis.cited,
    paragraph: own,
    differences: decision.differences,
    located,
    evidence: evidenceFor(decision.verdict, own, located, decision.differences),
  };
}

export async function checkCitedClaim(cited: CitedClaim, deps: CheckDeps, language: Language): Promise<CheckOutcome> {
  const analysis = await analyseClaim(cited, deps.index, language);
  const offline = conclude(analysis, language);
  if (!deps.model || analysis.kind !== 'present') return { check: offline };
  const located = offline.located.map((q) => q.citation.paragraph);
  const shownOthers = [...located, ...[...analysis.others].sort((a, b) => rank(analysis.claim, b.comparison, b.gloss) - rank(analysis.claim, a.comparison, a.gloss)).map((o) => o.item).filter((p) => !located.some((l) => l.id === p.id))].slice(0, MODEL_OTHERS);
  const given = [...analysis.members, ...shownOthers];
  let judgement: ClaimJudgement | undefined;
  try {
    judgement = await deps.model.judgeClaim(cited.content, language, analysis.members, shownOthers);
  } catch {
    return { check: offline, modelFailed: true };
  }
  const members = new Set(analysis.members.map((m) => m.id));
  return { check: judgement ? merge(offline, judgement, given, members, analysis.claim, language) : offline };
}

function candidates(claim: Claim, paragraphs: Paragraph[], exclude: Set<string>, index: IndexView, point: GlossVector): Candidate<Paragraph>[] {
  const seen = new Set<string>();
  return paragraphs
    .filter((p) => !exclude.has(p.id) && !seen.has(p.id) && seen.add(p.id))
    .map((p) => ({ item: p, comparison: compare(claim, p.text, contextOf(index, p)), gloss: cosine(point, glossOfParagraph(index, p)) }));
}

/** Of a numbered paragraph with sub-paragraphs, the one that carries most of the claim. */
function bestMember(members: Paragraph[], claim: Claim): Paragraph {
  if (members.length === 1) return members[0];
  const scored = members.map((m) => ({ m, c: compare(claim, m.text).coverage }));
  return scored.sort((a, b) => b.c - a.c)[0].m;
}

function evidenceFor(verdict: ClaimCheck['verdict'], own: Quoted, located: Quoted[], differences: Difference[]): Quoted[] {
  if (verdict === 'supported') return [own];
  if (located.length) return located;
  return differences.some((d) => d.kind !== 'content') ? [own] : [];
}

/** Differences that a model's "supported" cannot overrule: the paragraph plainly states something else. */
const PLAIN: Difference['kind'][] = ['number', 'year', 'binding', 'direction', 'negation'];

function merge(offline: ClaimCheck, judgement: ClaimJudgement, given: Paragraph[], members: Set<string>, claim: Claim, language: Language): ClaimCheck {
  const chosen = judgement.paragraph !== undefined ? given[judgement.paragraph - 1] : undefined;
  const quoteHolds = !!chosen && !!judgement.quote && squash(judgement.quote).length >= MIN_MODEL_QUOTE && squash(chosen.text).includes(squash(judgement.quote));
  const differs: Difference[] = judgement.differs ? [{ kind: 'content', claim: judgement.differs }] : [];
  const model = { ...offline, judgedBy: 'model' as const };
  if (judgement.verdict === 'supported') {
    const plain = offline.differences.some((d) => PLAIN.includes(d.kind));
    if (!quoteHolds || !members.has(chosen!.id) || plain || offline.located.length) return offline;
    const own = quoted(chosen!, claim, language, judgement.quote!.trim());
    return { ...model, verdict: 'supported', paragraph: own, evidence: [own], differences: [], located: [] };
  }
  if (judgement.verdict === 'not_supported') {
    const differences = offline.differences.length ? offline.differences : differs;
    if (quoteHolds && !members.has(chosen!.id)) {
      const located = [quoted(chosen!, claim, language, judgement.quote!.trim())];
      return { ...model, verdict: 'not_supported', located, evidence: located, differences };
    }
    const own = offline.paragraph!;
    return { ...model, verdict: 'not_supported', located: offline.located, differences, evidence: offline.located.length ? offline.located : [own] };
  }
  if (offline.verdict === 'not_supported') return offline;
  return { ...model, verdict: 'cannot_tell', evidence: [], differences: [...offline.differences, ...differs] };
}
