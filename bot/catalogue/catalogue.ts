import type { Language } from '../../core/answer.ts';
import type { DocumentMeta } from '../../core/paragraph.ts';
import { en } from './en.ts';
import { zh } from './zh.ts';

/**
 * Everything the channels say in their own words, one catalogue per language: the welcome, help and
 * sources, refusals and errors, feedback acknowledgements, and the labels around a rendered answer.
 * What an answer says comes from the knowledge layer in the answer's own language, never from here.
 */

/** A suggested question: a title short enough to read whole on a button, and the full question it sends. */
export interface Suggestion {
  title: string;
  question: string;
}

export interface Catalogue {
  language: Language;
  /** Welcome. */
  greeting: string;
  documentsHeading(count: number): string;
  documentLine(document: DocumentMeta): string;
  noDocuments: string;
  howToAskTeams: string;
  howToAskSlack: string;
  suggestionsIntro: string;
  helpHeading: string;
  helpDocuments(count: number): string;
  helpCommands: string;
  suggestions: {
    paragraphOne(symbol: string): Suggestion;
    summary(symbol: string): Suggestion;
    /** `subject`: what the document is about, from its title in this language. */
    subject(symbol: string, subject: string): Suggestion;
    /** Only where the offline knowledge base answers it in this language. */
    latest?: Suggestion;
  };
  /** The subject a document title names, without its author ("：秘书长的报告", ": report of the Secretary-General"). */
  titleOf(document: DocumentMeta): string;
  /** Refusals and failures. */
  tooLong(length: number, max: number): string;
  rateLimited(scope: 'user' | 'global', seconds: number): string;
  turnFailed: string;
  cannotAnswer: string;
  lookingUp(question: string): string;
  /** Feedback. */
  feedbackFailed: string;
  rated(rating: 'up' | 'down', by: string): string;
  helpful: string;
  notHelpful: string;
  /** Around an answer. */
  sources: string;
  related: string;
  moreSources(count: number): string;
  openDocument: string;
  /** Inline references after a statement: "（A；B）" or " (A; B)". */
  inlineReferences(refs: string[]): string;
}

const CATALOGUES: Record<Language, Catalogue> = { zh, en };

export function catalogue(language: Language): Catalogue {
  return CATALOGUES[language];
}

/**
 * The language of the bot's own words for a message: the message's, when it is clearly written in one
 * (any Han character: Chinese; two or more Latin words and no Han: English); otherwise the user's locale
 * when the channel gives one ("en-US", "zh-CN"); otherwise English for Latin text ("help") and Chinese
 * for the rest, the knowledge base being Chinese.
 */
export function languageFor(text: string, locale?: string): Language {
  if (/[\u3400-\u9fff]/.test(text)) return 'zh';
  if (/[A-Za-z]{2,}[^A-Za-z]+[A-Za-z]{2,}/.test(text)) return 'en';
  if (locale?.trim()) return /^zh\b/i.test(locale.trim()) ? 'zh' : 'en';
  return /[A-Za-z]/.test(text) ? 'en' : 'zh';
}
