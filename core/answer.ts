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
  | 'notice'; //  no retrieval answer: unknown document, missing paragraph, offline English question, …

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
}
