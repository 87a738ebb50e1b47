import { CardFactory, type Activity } from 'botbuilder';
import type { Answer } from '../../core/answer.ts';
import { TEAMS_MESSAGE_BYTES, teamsAnswerActivity } from '../teams/teams-answer.ts';
import { checkCard } from './check-card.ts';
import { renderText } from './text.ts';
import { jsonBytes } from './truncate.ts';

/**
 * A claim check as a Bot Framework message. In Teams: the check card, and the same "[n]" citations with
 * the paragraph cards as answers get (the text carries the markers the citation entity refers to). In
 * other channels: the card with the plain text as fallback. The card and the citations share Teams'
 * message size.
 */
export function checkActivity(answer: Answer, teams: boolean): Partial<Activity> {
  const card = CardFactory.adaptiveCard(checkCard(answer));
  if (!teams) return { type: 'message', text: renderText(answer), attachments: [card] };
  return { ...teamsAnswerActivity(answer, TEAMS_MESSAGE_BYTES - jsonBytes(card)), attachments: [card] };
}
