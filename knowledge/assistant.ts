import type { DocumentMeta, Paragraph } from '../core/paragraph.ts';
import type { Answer, AskOptions, Assistant, Citation, Language, ModelAnswerer, ScoredParagraph, Statement, Turn } from '../core/answer.ts';
import { cite } from './citation.ts';
import { quote } from './extractive.ts';
import type { KnowledgeIndex } from '../index/knowledge-index.ts';
import { asksQuantity, countsAsked, judge, MIN_COVERAGE, type Judgement } from './question/answerability.ts';
import { carryForward } from './question/follow-up.ts';
import { translateQuestion } from './question/glossary.ts';
import { detectLanguage } from './question/language.ts';
import { parseReference, type ReferenceRequest } from './question/reference.ts';
import { timeCues, type TimeCues } from './question/temporal.ts';
import { coverage, questionTerms, termStats, type WeightedTerm } from './question/terms.ts';
import { describeLabels } from './question/label-range.ts';
import { intentsOf, showsIntent, withoutAsking } from './question/intent.ts';

/**
 * The one entry point every channel uses. Lookups, scoping by date and kind, and the decision to answer
 * or abstain are deterministic and made here; a model, when configured, only words the answer, and
 * every citation it returns is checked against the index before it is shown.
 */

export interface AssistantOptions {
  model?: ModelAnswerer;
  now?: Date;
}

const RETRIEVED = 10;
/** Candidates per scope that the answerability test looks at: the right paragraph is nearly always among them. */
const CONSIDERED = 5;
const RELATED = 3;
/** An answer quotes at most this many paragraphs. */
const MAX_PICKS = 3;
/** Preference, in a "how many" question, for the paragraph that puts a number next to what is counted. */
const COUNT_BONUS = 0.15;
/**
 * Preference for the paragraph that answers in the form the question asks for (a reason, a definition,
 * a state of affairs, an operative request; see intent.ts): enough to overtake a paragraph that covers
 * the subject slightly better, not one that covers it clearly better.
 */
const INTENT_BONUS = 0.1;
/** A part of the question counts as answered by a paragraph holding this share of the part's weighted terms. */
const ASPECT_COVERED = 0.5;

const TEXT = {
  zh: {
    notInDocuments: '文件中没有相关信息。',
    related: '以下段落相关，但没有回答这个问题：',
    unknownDocument: (written: string, indexed: string) => `索引中没有 ${written}。已收录的文件：${indexed}。`,
    missingParagraph: (symbol: string, written: string, range: string) => `${symbol} 没有${written}。${symbol} 有${range}。`,
    whichDocument: (written: string, indexed: string) => `请说明${written}属于哪份文件。已收录的文件：${indexed}。`,
    noSuchPoint: (n: number, available: number) => `上一个回答只有${available}点，没有第${n}点。`,
    noPrevious: '没有上一个回答可以参照，请完整地提出问题。',
    mostRecent: (symbol: string, year: string) => `以上文件中最新的是 ${symbol}（${year}年）。`,
    modelUnavailable: '模型暂时不可用，以下为直接摘录的原文。',
    point: (n: number) => `第${n}点出自以下段落：`,
  },
  en: {
    notInDocuments: 'The documents do not contain this information.',
    related: 'These paragraphs are related but do not answer the question:',
    unknownDocument: (written: string, indexed: string) => `${written} is not in the index. Indexed documents: ${indexed}.`,
    missingParagraph: (symbol: string, written: string, range: string) => `${symbol} has no ${written}. ${symbol} has ${range}.`,
    whichDocument: (written: string, indexed: string) => `Which document is ${written} in? Indexed documents: ${indexed}.`,
    noSuchPoint: (n: number, available: number) => `The previous answer had ${available} point(s), not ${n}.`,
    noPrevious: 'There is no previous answer to refer to; please ask the full question.',
    mostRecent: (symbol: string, year: string) => `The most recent of these documents is ${symbol} (${year}).`,
    modelUnavailable: 'The model is unavailable right now; these are direct quotes from the documents.',
    point: (n: number) => `Point ${n} comes from this paragraph:`,
    offlineEnglish:
      'Offline mode answers English questions by quoting the Chinese documents; it could not find a paragraph that answers this one. ' +
      'Ask in Chinese, name a paragraph (e.g. "A/RES/68/234, para. 13 (c)"), or configure a model for full English answers.',
    chineseQuotes: 'From the Chinese documents (offline mode quotes them untranslated):',
  },
};

interface Scope {
  /** Restricts retrieval to these documents; undefined searches everything. */
  symbols?: string[];
  /** The years the question names for these documents. */
  years?: string[];
}

interface Pick {
  candidate: ScoredParagraph;
  judgement: Judgement;
}

export function createAssistant(index: KnowledgeIndex, options: AssistantOptions = {}): Assistant {
  const stats = termStats(index.paragraphs);
  const documents = index.documents;
  const indexedList = documents.map((d) => d.symbol).join('、');
  const dateOf = new Map(documents.map((d) => [d.symbol, d.date]));
  const documentYears = new Set(documents.map((d) => d.date.slice(0, 4)));

  function base(question: string, language: Language): Omit<Answer, 'kind' | 'abstained' | 'statements'> {
    return { question, language, citations: [], related: [], retrieved: [], mode: 'offline' };
  }

  function notice(question: string, language: Language, message: string, retrieved: ScoredParagraph[] = []): Answer {
    return { ...base(question, language), kind: 'notice', abstained: true, lead: message, statements: [], retrieved };
  }

  function quoted(question: string, language: Language, paragraph: Paragraph, lead?: string): Answer {
    return {
      ...base(question, language),
      kind: 'lookup',
      abstained: false,
      lead,
      statements: [{ text: paragraph.text, cites: [0] }],
      citations: [cite(paragraph, language)],
      retrieved: [{ paragraph, score: 1 }],
    };
  }

  function lookup(question: string, language: Language, reference: ReferenceRequest, history: Turn[]): Answer | undefined {
    if (!reference.label) return undefined;
    const t = language === 'zh' ? TEXT.zh : TEXT.en;
    if (reference.document && !reference.document.symbol) return notice(question, language, t.unknownDocument(reference.document.written, indexedList));
    const symbol = reference.document?.symbol ?? lastCitedSymbol(history);
    if (!symbol) {
      const holders = documents.filter((d) => index.paragraph(d.symbol, reference.label!));
      if (holders.length !== 1) return notice(question, language, t.whichDocument(reference.labelWritten ?? reference.label, indexedList));
      return quoted(question, language, index.paragraph(holders[0].symbol, reference.label)!);
    }
    const paragraph = index.paragraph(symbol, reference.label);
    if (!paragraph) {
      const range = describeLabels(index.paragraphs.filter((p) => p.symbol === symbol).map((p) => p.label), language);
      return notice(question, language, t.missingParagraph(symbol, reference.labelWritten ?? reference.label, range));
    }
    return quoted(question, language, paragraph);
  }

  function scopesFor(cues: TimeCues, reference: ReferenceRequest | undefined): Scope[] {
    const dated = cues.scopes.filter((s) => s.symbols.length > 0);
    // "2003年的报告和2013年的决议": the reference parser names only the first; a comparison needs every one.
    if (reference?.document?.symbol && dated.length < 2) return [{ symbols: [reference.document.symbol] }];
    if (dated.length === 0) return [{}];
    const distinct = new Map<string, Scope>();
    for (const s of dated) {
      const key = s.symbols.join(' ');
      const known = distinct.get(key);
      if (known) known.years!.push(s.year);
      else distinct.set(key, { symbols: s.symbols, years: [s.year] });
    }
    return [...distinct.values()];
  }

  async function retrieve(query: string, scopes: Scope[]): Promise<ScoredParagraph[][]> {
    return Promise.all(
      scopes.map((scope) => {
        const allowed = scope.symbols ? new Set(scope.symbols) : undefined;
        return index.search(query, { k: RETRIEVED, filter: allowed ? (p) => allowed.has(p.symbol) : undefined });
      }),
    );
  }

  /**
   * The paragraph of one scope that best matches the question among the first few retrieved; it must
   * itself answer. A weaker match further down is never promoted because the best one fails: when the
   * closest paragraph lacks what the question asks for, the documents do not say it.
   */
  function pick(terms: WeightedTerm[], question: string, results: ScoredParagraph[], cues: TimeCues, minCoverage: number): { best?: Pick; judged: Pick[] } {
    const judged = results.slice(0, CONSIDERED).map((candidate, rank) => ({ candidate, judgement: judge(question, terms, candidate.paragraph, rank, stats, minCoverage, documentYears) }));
    if (judged.length === 0) return { judged };
    const plainMerit = new Map(judged.map((p) => [p, merit(p, cues.kind)]));
    const plain = [...judged].sort((a, b) => plainMerit.get(b)! - plainMerit.get(a)!);
    if (!plain[0].judgement.answers) return { judged };
    // Among the paragraphs that answer, a "how many" question prefers the one that states the count.
    const ranked = plain
      .filter((p) => p.judgement.answers)
      .map((p) => ({ p, merit: merit(p, cues.kind, question, terms) }))
      .sort((a, b) => b.merit - a.merit);
    if (cues.latest) {
      // "最新/目前": among the paragraphs that answer about as well, the most recent document's comes first.
      const close = ranked.filter((r) => r.merit >= ranked[0].merit - 0.1).map((r) => r.p);
      close.sort((a, b) => (dateOf.get(b.candidate.paragraph.symbol) ?? '').localeCompare(dateOf.get(a.candidate.paragraph.symbol) ?? ''));
      return { best: close[0], judged };
    }
    return { best: ranked[0].p, judged };
  }

  function merit(p: Pick, preferKind: TimeCues['kind'], question?: string, terms: WeightedTerm[] = []): number {
    const paragraph = p.candidate.paragraph;
    const kind = preferKind && paragraph.kind === preferKind ? 0.05 : 0;
    if (!question) return p.judgement.merit + kind;
    const count = asksQuantity(question) ? COUNT_BONUS * countsAsked(question, paragraph, stats) : 0;
    const intent = showsIntent(intentsOf(question), paragraph, terms.map((t) => t.term)) ? INTENT_BONUS : 0;
    return p.judgement.merit + kind + count + intent;
  }

  function interleave(lists: ScoredParagraph[][]): ScoredParagraph[] {
    const out: ScoredParagraph[] = [];
    const seen = new Set<string>();
    for (let rank = 0; out.length < RETRIEVED && lists.some((l) => rank < l.length); rank++) {
      for (const list of lists) {
        const item = list[rank];
        if (item && !seen.has(item.paragraph.id) && out.length < RETRIEVED) {
          seen.add(item.paragraph.id);
          out.push(item);
        }
      }
    }
    return out;
  }

  function mostRecentNote(citations: Citation[], language: Language): string | undefined {
    const symbols = [...new Set(citations.map((c) => c.paragraph.symbol))];
    const years = new Set(symbols.map((s) => (dateOf.get(s) ?? '').slice(0, 4)));
    if (symbols.length < 2 || years.size < 2) return undefined;
    const latest = [...symbols].sort((a, b) => (dateOf.get(b) ?? '').localeCompare(dateOf.get(a) ?? ''))[0];
    return (language === 'zh' ? TEXT.zh : TEXT.en).mostRecent(latest, (dateOf.get(latest) ?? '').slice(0, 4));
  }

  async function answerFromIndex(question: string, searchQuery: string, language: Language, reference: ReferenceRequest | undefined): Promise<{ answer: Answer; picks: Pick[]; terms: WeightedTerm[] }> {
    const cues = timeCues(searchQuery, documents);
    const newest = latestScope(cues, reference);
    if (newest) {
      const attempt = await answerInScopes(question, searchQuery, language, cues, [newest]);
      if (!attempt.answer.abstained) return attempt;
    }
    return answerInScopes(question, searchQuery, language, cues, scopesFor(cues, reference));
  }

  /**
   * "最新的报告怎么说", "目前的规定": the most recent document (of the kind named, if any) answers first;
   * only when it does not answer do the older ones get their turn.
   */
  function latestScope(cues: TimeCues, reference: ReferenceRequest | undefined): Scope | undefined {
    if (!cues.latest || reference?.document || cues.scopes.some((s) => s.symbols.length > 0)) return undefined;
    const candidates = documents.filter((d) => !cues.kind || d.kind === cues.kind);
    const newest = [...candidates].sort((a, b) => b.date.localeCompare(a.date))[0];
    return newest && { symbols: [newest.symbol] };
  }

  async function answerInScopes(question: string, searchQuery: string, language: Language, cues: TimeCues, scopes: Scope[]): Promise<{ answer: Answer; picks: Pick[]; terms: WeightedTerm[] }> {
    const queries = scopes.length > 1 ? scopedQuestions(searchQuery, scopes) : [searchQuery];
    const lists = (await Promise.all(scopes.map((scope, i) => retrieve(queries[i], [scope])))).map(([list]) => list);
    const retrieved = interleave(lists);
    const termsOf = (q: string) => questionTerms(withoutAsking(q, intentsOf(q)), stats);
    const terms = termsOf(searchQuery);
    const outcomes = lists.map((results, i) => {
      // A document asked about in a part of its own is judged on that part; a document that shares the
      // whole question with others answers only its share of it.
      const own = queries[i] !== searchQuery;
      return pick(own ? termsOf(queries[i]) : terms, queries[i], results, cues, own ? MIN_COVERAGE : MIN_COVERAGE / lists.length);
    });
    // Scopes can overlap (a year and a kind naming the same document): a paragraph is cited once.
    const picks = outcomes.flatMap((o) => (o.best ? [o.best] : [])).filter((p, i, all) => all.findIndex((q) => q.candidate.paragraph.id === p.candidate.paragraph.id) === i);
    if (scopes.length === 1 && picks.length === 1) {
      const extra = complement(picks[0], outcomes[0].judged, terms);
      if (extra) picks.push(extra);
      picks.push(...(await aspects(searchQuery, scopes[0], picks, cues)));
    }
    if (picks.length === 0) {
      const related = retrieved.slice(0, RELATED).map((r) => cite(r.paragraph, language));
      const t = language === 'zh' ? TEXT.zh : TEXT.en;
      return {
        answer: { ...base(question, language), kind: 'abstain', abstained: true, lead: t.notInDocuments, statements: [], related, retrieved },
        picks,
        terms,
      };
    }
    const citations = picks.map((p) => cite(p.candidate.paragraph, language));
    const statements: Statement[] = picks.map((p, i) => ({ text: quote(p.candidate.paragraph, terms), cites: [i] }));
    return {
      answer: { ...base(question, language), kind: 'answer', abstained: false, statements, citations, note: mostRecentNote(citations, language), retrieved },
      picks,
      terms,
    };
  }

  /**
   * A question of several parts ("总共有多少个？其中签署了备忘录的有多少个？", "…在2003年时…到2013年…")
   * is answered part by part: a part that the paragraphs already chosen leave uncovered gets the
   * paragraph that best answers that part alone, if one answers it well. Up to MAX_PICKS in all.
   */
  async function aspects(question: string, scope: Scope, chosen: Pick[], cues: TimeCues): Promise<Pick[]> {
    const parts = questionParts(question);
    if (parts.length < 2) return [];
    const added: Pick[] = [];
    for (const part of parts) {
      if (chosen.length + added.length >= MAX_PICKS) break;
      const partTerms = questionTerms(withoutAsking(part, intentsOf(part)), stats);
      if (partTerms.length === 0) continue;
      const taken = [...chosen, ...added];
      const covers = (p: Pick) => coverage(partTerms, paragraphText(p.candidate.paragraph)) >= ASPECT_COVERED && judge(part, partTerms, p.candidate.paragraph, 0, stats, MIN_COVERAGE, documentYears).answers;
      if (taken.some(covers)) continue;
      const [results] = await retrieve(part, [scope]);
      const { best } = pick(partTerms, part, results, cues, MIN_COVERAGE);
      if (!best || best.judgement.coverage < ASPECT_COVERED) continue;
      if (taken.some((p) => p.candidate.paragraph.id === best.candidate.paragraph.id)) continue;
      added.push(best);
    }
    return added;
  }

  /**
   * A second paragraph of the same scope joins the answer only when it answers too and brings in
   * question terms that the first one lacks: two paragraphs saying the same thing add nothing.
   */
  function complement(first: Pick, judged: Pick[], terms: WeightedTerm[]): Pick | undefined {
    const lacking = new Set(first.judgement.missing.map((t) => t.term));
    if (lacking.size === 0) return undefined;
    const weightOf = new Map(terms.map((t) => [t.term, t.weight]));
    const total = terms.reduce((s, t) => s + t.weight, 0);
    return judged.find((j) => {
      if (j === first || !j.judgement.answers || j.judgement.coverage < first.judgement.coverage * 0.9) return false;
      const added = [...lacking].filter((term) => !j.judgement.missing.some((m) => m.term === term));
      return added.reduce((s, term) => s + (weightOf.get(term) ?? 0), 0) / total >= 0.15;
    });
  }

  async function withModel(model: ModelAnswerer, offline: Answer, question: string, language: Language): Promise<Answer> {
    if (offline.kind !== 'answer') return offline;
    let generated: Answer | undefined;
    try {
      generated = await model.answer(question, language, offline.retrieved);
    } catch {
      return { ...offline, note: [(language === 'zh' ? TEXT.zh : TEXT.en).modelUnavailable, offline.note].filter(Boolean).join(' ') };
    }
    const verified = generated && verify(generated, offline.retrieved, language);
    return verified ? { ...verified, question: offline.question, retrieved: offline.retrieved, note: verified.note ?? offline.note, mode: 'model' } : offline;
  }

  /** Keeps only citations of given candidates that the index holds with the same text; undefined if none is left. */
  function verify(answer: Answer, candidates: ScoredParagraph[], language: Language): Answer | undefined {
    const allowed = new Set(candidates.map((c) => c.paragraph.id));
    const remap = new Map<number, number>();
    const citations: Citation[] = [];
    answer.citations.forEach((c, i) => {
      const held = index.paragraph(c.paragraph.symbol, c.paragraph.label);
      if (!held || !allowed.has(held.id) || held.text !== c.paragraph.text) return;
      remap.set(i, citations.length);
      citations.push(cite(held, language));
    });
    const statements = answer.statements
      .map((s) => ({ text: s.text, cites: s.cites.flatMap((i) => (remap.has(i) ? [remap.get(i)!] : [])) }))
      .filter((s) => s.cites.length > 0);
    if (citations.length === 0 || statements.length === 0) return undefined;
    return { ...answer, language, kind: 'answer', abstained: false, citations, statements, related: [] };
  }

  async function ask(rawQuestion: string, askOptions: AskOptions = {}): Promise<Answer> {
    const question = rawQuestion.trim();
    const history = askOptions.history ?? [];
    const language = detectLanguage(question);
    const t = language === 'zh' ? TEXT.zh : TEXT.en;

    const direct = parseReference(question, documents);
    if (direct?.label) return lookup(question, language, direct, history)!;

    let standalone = question;
    if (history.length > 0) {
      const followUp = carryForward(question, history);
      if (followUp.kind === 'point') return quoted(question, language, followUp.paragraph, t.point(followUp.ordinal));
      if (followUp.kind === 'no-such-point') return notice(question, language, t.noSuchPoint(followUp.ordinal, followUp.available));
      standalone = followUp.question;
      if (options.model) {
        try {
          standalone = await options.model.rewrite(question, history);
        } catch {
          // The carried-forward question is the offline answer to the same need.
        }
      }
    } else if (/^第\s*[一二两三四五六七八九十\d]+\s*点/.test(question)) {
      return notice(question, language, t.noPrevious);
    }

    const reference = standalone === question ? direct : parseReference(standalone, documents);
    if (reference?.label) return lookup(question, language, reference, history)!;

    if (language === 'en' && !options.model) return englishOffline(question, standalone, reference);

    const { answer } = await answerFromIndex(question, standalone, language, reference);
    return options.model ? withModel(options.model, answer, standalone, language) : answer;
  }

  async function englishOffline(question: string, standalone: string, reference: ReferenceRequest | undefined): Promise<Answer> {
    const translation = translateQuestion(standalone);
    const yearsAndKinds = standalone.match(/\b(?:19|20)\d{2}\b|\b(?:report|resolution|General Assembly|Secretary-General)\b/gi) ?? [];
    const searchQuery = `${yearsAndKinds.join(' ')} ${translation.query}`.trim();
    if (translation.matched === 0) return notice(question, 'en', TEXT.en.offlineEnglish);
    const { answer } = await answerFromIndex(question, searchQuery, 'en', reference);
    if (answer.kind !== 'answer') return { ...answer, kind: 'abstain', lead: TEXT.en.offlineEnglish };
    return { ...answer, lead: TEXT.en.chineseQuotes };
  }

  return { ask, documents: (): DocumentMeta[] => documents };
}

const ASKS = /多少|什么|哪|如何|怎么|怎样|是否|吗|几/;

/**
 * The parts of a question: its sentences, and within a sentence the comma-separated clauses that each
 * ask something ("…有多少私营部门伙伴关系，寻求创新筹资的实体比例又是多少"); a clause that asks nothing
 * stays with the one it qualifies.
 */
function questionParts(question: string): string[] {
  const parts: string[] = [];
  for (const sentence of question.split(/[？?；;。！!]/)) {
    let current = '';
    for (const clause of sentence.split(/[，,]/)) {
      if (current && ASKS.test(current) && ASKS.test(clause)) {
        parts.push(current);
        current = clause;
      } else current = current ? `${current}，${clause}` : clause;
    }
    if (current.trim()) parts.push(current.trim());
  }
  return parts;
}

/** Words that refer back to the subject of an earlier part ("又对它提出了哪些要求"). */
const REFERS_BACK = /它|其|该|这些|这一|此/;

/**
 * One question per scope of a comparison: "X在2003年时处于什么状态？到2013年大会又对它提出了哪些要求？"
 * asks the 2003 document the first part and the 2013 one the second. A part that names the years of
 * one scope only belongs to that scope; parts naming no year, or years of several scopes, belong to all.
 * A part that refers back to an earlier subject ("它") takes the first part's words along, without the
 * words that ask what kind of answer the first part wanted. A scope left without a part of its own
 * gets the whole question.
 */
function scopedQuestions(question: string, scopes: Scope[]): string[] {
  const parts = questionParts(question);
  const yearsIn = (part: string): string[] => part.match(/(?<!\d)(?:19|20)\d{2}(?!\d)/g) ?? [];
  const owners = parts.map((part) => {
    const years = yearsIn(part);
    const owning = scopes.filter((s) => s.years?.some((y) => years.includes(y)));
    return owning.length === 1 ? owning[0] : undefined;
  });
  return scopes.map((scope) => {
    const own = parts.filter((_, i) => owners[i] === scope);
    if (own.length === 0 || own.length === parts.length) return question;
    const shared = parts.filter((_, i) => owners[i] === undefined);
    const text = [...shared, ...own].join('，');
    if (!REFERS_BACK.test(text) || own.includes(parts[0]) || shared.includes(parts[0])) return text;
    const subject = withoutAsking(parts[0], intentsOf(parts[0])).replace(/(?<!\d)(?:19|20)\d{2}(?!\d)\s*年?(?:时|初|底|末)?/g, ' ');
    return `${subject}，${text}`;
  });
}

function paragraphText(paragraph: Paragraph): string {
  return [paragraph.text, ...paragraph.section].join(' ');
}

function lastCitedSymbol(history: Turn[]): string | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const cited = history[i].answer.citations[0];
    if (cited) return cited.paragraph.symbol;
  }
  return undefined;
}
