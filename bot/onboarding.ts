import type { DocumentMeta } from '../core/paragraph.ts';
import { catalogue, type Catalogue, type Suggestion } from './catalogue/catalogue.ts';

/**
 * What the bot says about itself, in every channel: the welcome's parts, `help` and `sources`.
 * Everything about the knowledge base is read from the indexed documents, so a re-ingested corpus is
 * described correctly.
 */

export type Command = 'help' | 'sources';

const COMMANDS: Record<string, Command> = {
  help: 'help',
  '帮助': 'help',
  '?': 'help',
  '？': 'help',
  sources: 'sources',
  '来源': 'sources',
  '文件': 'sources',
  documents: 'sources',
};

/** The command a message is, if it is one: "help", "/help", "帮助", "sources", "来源", … */
export function commandOf(text: string): Command | undefined {
  const word = text.trim().replace(/^\//, '').replace(/[。.!！]+$/, '').toLowerCase();
  return COMMANDS[word];
}

/** The welcome's text, in Teams markdown: who the bot is, what it has indexed, how to ask. */
export function welcomeText(documents: DocumentMeta[], words: Catalogue): string {
  return [words.greeting, documentList(documents, words), words.howToAskTeams].join('\n\n');
}

export function helpText(documents: DocumentMeta[], words: Catalogue): string {
  return [words.helpHeading, words.howToAskTeams, words.helpDocuments(documents.length), words.helpCommands].join('\n\n');
}

export function sourcesText(documents: DocumentMeta[], words: Catalogue): string {
  return documents.length === 0 ? words.noDocuments : documentList(documents, words);
}

/**
 * Three to five questions that show what the bot does with whatever is indexed: quote a paragraph of the
 * newest resolution, say what the newest documents set out (by their subject when it makes a short
 * title, else by a report's summary), and name the latest document. Each has a short title that a
 * button shows whole, and the full question that clicking it sends.
 */
export function suggestedQuestions(documents: DocumentMeta[], words: Catalogue): Suggestion[] {
  const newest = byDateDescending(documents);
  const suggestions: Suggestion[] = [];
  const resolution = newest.find((d) => d.kind === 'resolution');
  if (resolution) suggestions.push(words.suggestions.paragraphOne(resolution.symbol));
  for (const document of newest) {
    if (suggestions.length >= 4) break;
    const subject = words.titleOf(document);
    if (displayWidth(subject) <= MAX_TITLE_WIDTH) suggestions.push(words.suggestions.subject(document.symbol, subject));
    else if (document.kind === 'report') suggestions.push(words.suggestions.summary(document.symbol));
  }
  if (newest.length > 1 && words.suggestions.latest) suggestions.push(words.suggestions.latest);
  const unique = new Map(suggestions.filter((s) => displayWidth(s.title) <= MAX_TITLE_WIDTH).map((s) => [s.question, s]));
  return [...unique.values()].slice(0, 5);
}

/**
 * The full question behind a suggested question's title, when `text` is one. Teams sends a button's
 * value, the full question; the Agents Playground sends its title, which alone would be a poor question.
 */
export function suggestionBehind(text: string, documents: DocumentMeta[]): string | undefined {
  const title = text.trim();
  for (const words of [catalogue('zh'), catalogue('en')]) {
    const found = suggestedQuestions(documents, words).find((s) => s.title === title);
    if (found) return found.question;
  }
  return undefined;
}

/**
 * Widest title a suggested-action button shows without cutting it, in half Han characters. The Agents
 * Playground's buttons (as Teams') grow to about 130 px: eight Han characters fit whole, as do about
 * twelve Latin letters; "A/76/319 summary" and "Latest document" are cut (measured by `npm run e2e:teams`).
 */
export const MAX_TITLE_WIDTH = 16;

/** Width in half Han characters: a Han (or other East Asian wide) character counts 2, any other 1.25. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) width += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(char) ? 2 : 1.25;
  return width;
}

function documentList(documents: DocumentMeta[], words: Catalogue): string {
  const lines = byDateDescending(documents).map((d) => `- ${words.documentLine(d)}`);
  return [words.documentsHeading(documents.length), ...lines].join('\n');
}

function byDateDescending(documents: DocumentMeta[]): DocumentMeta[] {
  return [...documents].sort((a, b) => b.date.localeCompare(a.date) || a.symbol.localeCompare(b.symbol));
}
