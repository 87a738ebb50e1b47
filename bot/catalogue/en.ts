import type { Catalogue } from './catalogue.ts';

export const en: Catalogue = {
  language: 'en',
  greeting:
    'Hello! I am the **Partnership Assistant**: I answer questions about the rules for cooperation between the United Nations and the private sector and other partners from the UN documents I have indexed, naming the paragraph each point comes from (e.g. “A/RES/68/234, para. 13 (c)”) so that you can check the original.',
  documentsHeading: (count) => `**Indexed documents (${count})**`,
  documentLine: (d) => `**${d.symbol}** (${d.date}) ${d.titleEn ?? d.title}`,
  noDocuments: 'No documents are indexed yet.',
  howToAskTeams: [
    '**How to ask**: write your question in English or Chinese, e.g. what the rules are for a kind of cooperation, or what a paragraph of a document says. You can follow up (“and paragraph 14?”).',
    'In group chats and channels, @mention me first; in a one-to-one chat, just send the question.',
    'The [1], [2] markers in an answer point to the paragraphs it rests on; open them to check. When the documents do not answer, I say so.',
  ].join('\n\n'),
  howToAskSlack: 'Ask by mentioning me in a channel (I answer in the thread), in a direct message (follow-ups welcome), or with `/ask question`. Commands: `help` · `sources` (the indexed documents).',
  suggestionsIntro: 'Try one of these (click to send):',
  helpHeading: '**How to use the Partnership Assistant**',
  helpDocuments: (count) => `${count} documents are indexed; send **sources** to list them.`,
  helpCommands: 'Commands: **help** · **sources** (the indexed documents)',
  suggestions: {
    paragraphOne: (symbol) => ({ title: 'Paragraph 1', question: `What does paragraph 1 of ${symbol} say?` }),
    summary: (symbol) => ({ title: symbol, question: `What does the summary of ${symbol} say?` }),
    subject: (symbol, subject) => ({ title: subject, question: `How does ${symbol} address ${subject.toLowerCase()}?` }),
  },
  titleOf: (d) => (d.titleEn ?? d.title).split(/[：:]/)[0].trim(),
  tooLong: (length, max) => `The question is too long (${length} characters, at most ${max}). Please shorten it, e.g. ask about one rule or one paragraph.`,
  rateLimited: (scope, seconds) =>
    scope === 'global' ? `The assistant is too busy right now; please try again in ${seconds} seconds.` : `You are asking too often; please try again in ${seconds} seconds.`,
  turnFailed: 'Sorry, something went wrong while answering. Please try again in a moment.',
  cannotAnswer: 'Sorry, I cannot answer right now; please try again later.',
  lookingUp: (question) => `🔎 Looking up: ${question}`,
  feedbackFailed: 'Sorry, the feedback could not be saved; please try again later.',
  rated: (rating, by) => `${rating === 'up' ? '👍' : '👎'} Rating by ${by} recorded; click again to change it.`,
  helpful: '👍 Helpful',
  notHelpful: '👎 Not helpful',
  sources: 'Sources',
  related: 'Related paragraphs (for reference, not an answer)',
  moreSources: (count) => `${count} more sources not shown.`,
  openDocument: 'Open document',
  inlineReferences: (refs) => (refs.length ? ` (${refs.join('; ')})` : ''),
};
