import { ActionTypes, type Activity } from 'botbuilder';
import type { DocumentMeta } from '../../core/paragraph.ts';
import type { Catalogue } from '../catalogue/catalogue.ts';
import { suggestedQuestions, welcomeText } from '../onboarding.ts';

/**
 * The welcome for a new member: what the bot knows and how to ask, then the suggested questions as
 * suggested actions (imBack), which Teams, the Agents Playground, Web Chat and the Emulator show as
 * buttons. A button shows the short title and sends the full question. Two messages, because some
 * clients show a message with suggested actions as plain text, without its formatting.
 */
export function welcomeActivities(documents: DocumentMeta[], words: Catalogue, newcomerIds: string[] = []): Partial<Activity>[] {
  const actions = suggestedQuestions(documents, words).map(({ title, question }) => ({ type: ActionTypes.ImBack, title, value: question }));
  return [
    { type: 'message', text: welcomeText(documents, words), textFormat: 'markdown' },
    { type: 'message', text: words.suggestionsIntro, suggestedActions: { to: newcomerIds, actions } },
  ];
}
