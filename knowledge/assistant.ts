import type { Answer, AskOptions, Assistant, Citation, Language, ModelAnswerer, ScoredParagraph, Turn } from '../core/answer.ts';
import { type DocumentMeta, newestDocument, type Paragraph } from '../core/paragraph.ts';
import type { IndexView, KnowledgeIndex } from '../index/knowledge-index.ts';
import { cite } from './citation.ts';
import { composeAnswer, notice, quotedAnswer } from './answer/compose.ts';
import { decide } from './answer/decide.ts';
import { messages, OFFLINE_ENGLISH } from './answer/messages.ts';
import { loadRankingModel, type RankingModel } from './answer/rank.ts';
import { readFrame, termWeights } from './answer/reading.ts';
import { standaloneQuestion } from './question/follow-up.ts';
import { readQuestion, type QuestionFrame } from './question/frame.ts';
import { termsOf } from './question/terms.ts';
import { describeLabels } from './question/label-range.ts';
import type { ParagraphReference } from './question/references.ts';
import { checkClaim } from './check/check-claim.ts';
import { viewRequest } from './question/view-request.ts';

/**
 * The one entry point every channel uses: frame → candidates → rank → decide → compose
 * (knowledge/answer/*). Named paragraphs are looked up, not searched. Offline, the fitted ranking
 * model decides whether to answer; with a model configured, the model gets the ranked candidates
 * whatever that decision was, may say the documents do not answer, and every citation it returns is
 * checked against the index before it is shown.
 */

export interface AssistantOptions {
  model?: ModelAnswerer;
  /** The fitted ranking model; the committed weights file when absent (cross-validation passes its own). */
  ranking?: RankingModel;
}

const MODEL_CANDIDATES = 10;

export function createAssistant(index: KnowledgeIndex, options: AssistantOptions = {}): Assistant {
  const ranking = options.ranking ?? loadRankingModel();
  const documents = index.documents;
  const indexedList = documents.map((d) => d.symbol).join('、');

  function lookup(view: IndexView, frame: QuestionFrame, language: Language, history: Turn[]): Answer | undefined {
    const references = frame.paragraphs;
    if (references.length === 0) return undefined;
    const t = messages(language);
    const unknown = frame.unknownDocuments[0];
    if (unknown && references.every((r) => r.document === unknown || !r.symbol)) return notice(frame.question, language, t.unknownDocument(unknown.named ?? unknown.written, indexedList));
    const found: Paragraph[] = [];
    for (const reference of references) {
      const resolved = resolve(view, reference, frame, history, language);
      if ('message' in resolved) return notice(frame.question, language, resolved.message);
      found.push(resolved.paragraph);
    }
    return quotedAnswer(frame.question, language, found, view.paragraph);
  }

  function resolve(view: IndexView, reference: ParagraphReference, frame: QuestionFrame, history: Turn[], language: Language): { paragraph: Paragraph } | { message: string } {
    const t = messages(language);
    const pointed = frame.documents.length === 1 && frame.documents[0].symbols.length === 1 ? frame.documents[0].symbols[0] : undefined;
    const symbol = reference.symbol ?? pointed ?? lastCitedSymbol(history);
    if (!symbol) {
      const holders = view.labelled(reference.label);
      if (holders.length !== 1) return { message: t.whichDocument(reference.written, indexedList) };
      return { paragraph: holders[0] };
    }
    const paragraph = view.paragraph(symbol, reference.label);
    if (paragraph) return { paragraph };
    const range = describeLabels(view.paragraphsOf(symbol).map((p) => p.label), language);
    return { message: t.missingParagraph(symbol, reference.written, range) };
  }

  /** "最新的文件是哪一份": the question is about the documents themselves. */
  async function latestDocument(view: IndexView, frame: QuestionFrame, language: Language): Promise<Answer | undefined> {
    if (!frame.latest || termsOf(frame.content, termWeights(view)).length > 0) return undefined;
    const newest = newestDocument(documents, frame.kind);
    if (!newest) return undefined;
    await view.widen({ documents: [newest.symbol] });
    const first = view.paragraphAt(newest.symbol, 0);
    if (!first) return undefined;
    const text = messages(language).latestDocument(newest.symbol, newest.date.slice(0, 4), language === 'en' && newest.titleEn ? newest.titleEn : newest.title);
    return { ...quotedAnswer(frame.question, language, [first], view.paragraph), kind: 'answer', statements: [{ text, cites: [0] }] };
  }

  async function answerFrame(view: IndexView, question: string, frame: QuestionFrame, language: Language): Promise<{ answer: Answer; candidates: ScoredParagraph[] }> {
    const reading = await readFrame(view, frame);
    if (!reading) return { answer: notice(question, language, messages(language).notInDocuments), candidates: [] };
    const decision = decide(reading, ranking);
    const answer = composeAnswer(question, language, decision, reading.context.terms, view.paragraph, documents);
    return { answer, candidates: decision.ranked.slice(0, MODEL_CANDIDATES).map((r) => ({ paragraph: r.candidate.paragraph, score: r.probability })) };
  }

  async function withModel(view: IndexView, model: ModelAnswerer, offline: Answer, candidates: ScoredParagraph[], question: string, language: Language): Promise<Answer> {
    if (candidates.length === 0) return offline;
    let generated: Answer | undefined;
    try {
      generated = await model.answer(question, language, candidates);
    } catch {
      return { ...offline, note: [messages(language).modelUnavailable, offline.note].filter(Boolean).join(' ') };
    }
    if (!generated) return offline;
    if (generated.abstained) return { ...generated, question: offline.question, retrieved: offline.retrieved, mode: 'model' };
    await view.widen({ documents: generated.citations.map((c) => c.paragraph.symbol) });
    const verified = verify(view, generated, candidates, language);
    return verified ? { ...verified, question: offline.question, retrieved: offline.retrieved, note: verified.note ?? offline.note, mode: 'model' } : offline;
  }

  /** Keeps only citations of given candidates that the index holds with the same text; undefined if none is left. */
  function verify(view: IndexView, answer: Answer, candidates: ScoredParagraph[], language: Language): Answer | undefined {
    const allowed = new Set(candidates.map((c) => c.paragraph.id));
    const remap = new Map<number, number>();
    const citations: Citation[] = [];
    answer.citations.forEach((c, i) => {
      const held = view.paragraph(c.paragraph.symbol, c.paragraph.label);
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
    const frame = readQuestion(question, documents);
    const view = await index.view(viewRequest(frame, history, documents));
    const checked = await checkClaim(question, view, options.model, history);
    if (checked) return checked;
    const language = frame.language;
    const t = messages(language);

    if (frame.ordinal !== undefined && frame.paragraphs.length === 0) {
      if (history.length === 0) return notice(question, language, t.noPrevious);
      const { statements, citations } = history[history.length - 1].answer;
      const cited = statements.length >= frame.ordinal ? statements[frame.ordinal - 1].cites[0] : citations.length >= frame.ordinal ? frame.ordinal - 1 : undefined;
      if (cited === undefined || !citations[cited]) return notice(question, language, t.noSuchPoint(frame.ordinal, Math.max(statements.length, citations.length)));
      return quotedAnswer(question, language, [citations[cited].paragraph], view.paragraph, t.point(frame.ordinal));
    }

    const looked = lookup(view, frame, language, history);
    if (looked) return looked;
    if (frame.unknownDocuments.length > 0 && frame.documents.length === 0) {
      const unknown = frame.unknownDocuments[0];
      return notice(question, language, t.unknownDocument(unknown.named ?? unknown.written, indexedList));
    }
    const latest = await latestDocument(view, frame, language);
    if (latest) return latest;

    let standalone = standaloneQuestion(frame, history, documents, termWeights(view));
    if (history.length > 0 && options.model) {
      try {
        standalone = await options.model.rewrite(question, history);
      } catch {
        // The question carried forward offline is the answer to the same need.
      }
    }
    let standaloneFrame = frame;
    if (standalone !== question) {
      standaloneFrame = readQuestion(standalone, documents);
      await view.widen(viewRequest(standaloneFrame, [], documents));
    }

    if (language === 'en') return english(view, question, standaloneFrame);
    const { answer, candidates } = await answerFrame(view, question, standaloneFrame, language);
    return options.model ? withModel(view, options.model, answer, candidates, standalone, language) : answer;
  }

  /** English questions search the Chinese documents with the question's words translated. */
  async function english(view: IndexView, question: string, frame: QuestionFrame): Promise<Answer> {
    const { answer, candidates } = await answerFrame(view, question, frame, 'en');
    if (options.model) return withModel(view, options.model, answer, candidates, frame.question, 'en');
    if (answer.kind !== 'answer') return { ...answer, kind: 'abstain', abstained: true, lead: OFFLINE_ENGLISH.notFound };
    return { ...answer, lead: OFFLINE_ENGLISH.chineseQuotes };
  }

  return { ask, documents: (): DocumentMeta[] => documents };
}

function lastCitedSymbol(history: Turn[]): string | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const cited = history[i].answer.citations[0];
    if (cited) return cited.paragraph.symbol;
  }
  return undefined;
}
