import type { DocumentMeta, Paragraph } from './paragraph.ts';

/**
 * What the knowledge layer answers. Channels render it and never change what it says or cites.
 * Statements carry the indexes of the citations that support them, so that each channel can place its
 * own markers ("（A/RES/68/234，第13(c)段）" in plain text, "[1]" in Teams) without re-deciding anything.
 */

export type Language = 'zh' | 'en';

export interface ScoredParagraph {
  paragraph: Paragraph;
  score: number;
}

export interface Citation {
  paragraph: Paragraph;
  /** Human reference in the answer's language: "A/RES/68/234，第13(c)段" or "A/RES/68/234, para. 13 (c)". */
  ref: string;
  /** The document on undocs.org. */
  url: string;
}

export interface Statement {
  text: string;
  /** 0-based indexes into Answer.citations. */
  cites: number[];
}

export type AnswerKind =
  | 'answer' //   grounded answer from retrieved paragraphs
  | 'lookup' //   a named paragraph quoted verbatim
  | 'abstain' //  the documents do not answer; `related` may point nearby
  | 'notice' //   no retrieval answer: unknown document, missing paragraph, offline English question, …
  | 'check'; //   whether cited paragraphs say what a claim or a draft says they say; see `check`

export interface Answer {
  question: string;
  language: Language;
  kind: AnswerKind;
  abstained: boolean;
  /** Optional opening line before the statements. */
  lead?: string;
  statements: Statement[];
  /** Optional closing remark: which document is most recent, a fallback notice, … */
  note?: string;
  citations: Citation[];
  /** Closest paragraphs when abstaining; never presented as the answer. */
  related: Citation[];
  /** Top candidates in rank order (at most 10). */
  retrieved: ScoredParagraph[];
  mode: 'offline' | 'model';
  /** For a message that asks whether a paragraph says something: one check per citation, in text order. */
  check?: ClaimCheck[];
}

/**
 * `cannot_tell` is shown as such: the bot could not decide, and says so with the paragraph. A false
 * "supported" is the worst outcome of a check, so anything short of evidence is not "supported".
 */
export type Verdict = 'supported' | 'not_supported' | 'no_such_paragraph' | 'cannot_tell';

export type DifferenceKind = 'number' | 'year' | 'binding' | 'direction' | 'negation' | 'modality' | 'actor' | 'condition' | 'scope' | 'content';

/** One part of a claim that the paragraph does not state as claimed. */
export interface Difference {
  kind: DifferenceKind;
  /** What the claim says. */
  claim: string;
  /** What the paragraph says in its place, when it says something there. */
  paragraph?: string;
}

/** A paragraph and the sentences of it that bear on the claim, verbatim. */
export interface Quoted {
  citation: Citation;
  quote: string;
}

export interface ClaimCheck {
  /** The sentence checked, as written (without the words asking for the check). */
  claim: string;
  verdict: Verdict;
  /** The paragraph the claim names, resolved to the label scheme; null when no document can be told. */
  cited: { symbol: string; label: string; written: string } | null;
  /** What the cited paragraph does say, when the index holds it. */
  paragraph?: Quoted;
  /**
   * Supported: the cited paragraph. Not supported: where the claim's content really is, or the cited
   * paragraph when the claim distorts it; empty when the content is nowhere. No such paragraph: where the
   * content is, if anywhere.
   */
  evidence: Quoted[];
  /** Where the claim's content is, when that is not the cited paragraph. */
  located: Quoted[];
  differences: Difference[];
  /** For a paragraph that does not exist: what the document holds ("第1至7段，序言部分第1至13段"). */
  range?: string;
  /** Who decided: the deterministic comparison, or the model over the quoted paragraphs. */
  judgedBy: 'offline' | 'model';
}

export interface Turn {
  question: string;
  answer: Answer;
}

export interface AskOptions {
  /** Earlier turns of the same conversation, oldest first, for follow-up questions. */
  history?: Turn[];
}

/** The one entry point the channels use. */
export interface Assistant {
  ask(question: string, options?: AskOptions): Promise<Answer>;
  documents(): DocumentMeta[];
}

/**
 * Generated answers (model mode). Returns undefined when the model gave nothing usable, so that the
 * caller falls back to the extractive answer; throws ModelUnavailableError when the model cannot be reached
 * after its retries, so that the caller answers offline with a notice.
 */
export interface ModelAnswerer {
  /** Rewrites a follow-up into a standalone question using the earlier turns. */
  rewrite(question: string, history: Turn[]): Promise<string>;
  answer(question: string, language: Language, candidates: ScoredParagraph[]): Promise<Answer | undefined>;
  /**
   * Whether the cited paragraphs say what the claim says; the others are where its content may really
   * be. The model sees them numbered from 1, cited ones first. Undefined when the reply is unusable;
   * the caller accepts "supported" only with a verbatim quote of a cited paragraph.
   */
  judgeClaim(claim: string, language: Language, cited: Paragraph[], others: Paragraph[]): Promise<ClaimJudgement | undefined>;
}

export interface ClaimJudgement {
  verdict: 'supported' | 'not_supported' | 'cannot_tell';
  /** 1-based position, cited paragraphs first, of the paragraph that says it or that says the claim's content instead. */
  paragraph?: number;
  /** The sentence of that paragraph, copied. */
  quote?: string;
  /** Which part of the claim differs, in the model's words. */
  differs?: string;
}
