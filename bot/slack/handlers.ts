import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import type pino from 'pino';
import type { Settings } from '../../config/settings.ts';
import { catalogue, languageFor, type Catalogue } from '../catalogue/catalogue.ts';
import type { ConversationService } from '../conversation-service.ts';
import type { FeedbackStore } from '../feedback/store.ts';
import { commandOf, type Command } from '../onboarding.ts';
import { renderSlackCheck } from '../render/check-slack.ts';
import { escapeMrkdwn, FEEDBACK_ACTIONS, renderSlackAnswer, renderSlackNotice, type SlackMessage } from '../render/slack-blocks.ts';
import { decodeFeedbackValue, encodeFeedbackValue } from './feedback-value.ts';
import { questionFromSlackText } from './question-text.ts';

export interface SlackDeps {
  settings: Settings;
  conversations: ConversationService;
  feedback: FeedbackStore;
  logger: pino.Logger;
}

/** Event ids remembered to drop Slack's redeliveries of an event already being answered. */
const SEEN_EVENTS = 1000;

/**
 * Everything the Slack app does, the same over HTTP and Socket Mode. A mention in a channel is answered
 * in the thread of the question, and the thread is the conversation. A direct message is answered in the
 * DM itself, and the DM is the conversation, so that a follow-up typed as a new message keeps its
 * context (a reply inside a DM thread stays in that thread). `help` and `sources` are commands wherever
 * they are sent. `/ask` is acknowledged at once and answered through its response_url. A 👍/👎 click is
 * recorded, the message then shows the rating, and a second click replaces the first.
 */
export function registerSlackHandlers(app: App, deps: SlackDeps): void {
  const log = deps.logger.child({ channel: 'slack' });
  const seen = new Set<string>();

  app.use(async ({ body, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId === 'string') {
      if (seen.has(eventId)) return;
      seen.add(eventId);
      if (seen.size > SEEN_EVENTS) seen.delete(seen.values().next().value as string);
    }
    await next();
  });

  app.event('app_mention', async ({ event, client, context }) => {
    if (event.bot_id || !event.user) return;
    const threadTs = event.thread_ts ?? event.ts;
    const message = await reply(deps, log, questionFromSlackText(event.text), `${event.channel}:${threadTs}`, `${context.teamId}:${event.user}`);
    await client.chat.postMessage({ channel: event.channel, thread_ts: threadTs, unfurl_links: false, unfurl_media: false, ...message });
  });

  app.message(async ({ message, client, context }) => {
    // Only a person's own new direct message: no edits, deletions, joins, files or bot posts.
    if (message.channel_type !== 'im' || message.subtype !== undefined || message.bot_id || !message.user) return;
    const threadTs = message.thread_ts;
    const conversationId = threadTs ? `${message.channel}:${threadTs}` : message.channel;
    const answer = await reply(deps, log, questionFromSlackText(message.text ?? ''), conversationId, `${context.teamId}:${message.user}`);
    await client.chat.postMessage({ channel: message.channel, ...(threadTs ? { thread_ts: threadTs } : {}), unfurl_links: false, unfurl_media: false, ...answer });
  });

  app.command('/ask', async ({ command, ack, respond }) => {
    const question = questionFromSlackText(command.text);
    const words = catalogue(languageFor(question));
    const asked = question ? commandOf(question) : 'help';
    if (asked) {
      await ack({ response_type: 'ephemeral', ...commandReply(deps, asked, words) });
      return;
    }
    // The question as the asker typed it, escaped: Slack would otherwise turn <!channel> or <url|text> in it into a mention or a link.
    await ack({ response_type: 'ephemeral', text: words.lookingUp(escapeMrkdwn(question)) });
    // One conversation per person and channel, so that a second /ask can follow up on the first.
    const message = await reply(deps, log, question, `${command.channel_id}:ask:${command.user_id}`, `${command.team_id}:${command.user_id}`);
    await respond({ response_type: 'ephemeral', replace_original: false, ...message });
  });

  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: new RegExp(`^(${FEEDBACK_ACTIONS.up}|${FEEDBACK_ACTIONS.down})$`) }, async ({ ack, action, body, respond }) => {
    await ack();
    const rating = action.action_id === FEEDBACK_ACTIONS.up ? 'up' : 'down';
    let words = catalogue('zh');
    try {
      const value = decodeFeedbackValue(action.value ?? '');
      words = catalogue(languageFor(value.question));
      const channel = body.channel?.id ?? body.container?.channel_id;
      const messageTs = body.message?.ts ?? body.container?.message_ts;
      const threadTs = body.message?.thread_ts ?? messageTs;
      await deps.feedback.record({
        ...value,
        ...(channel && messageTs ? { answerId: `${channel}:${messageTs}` } : {}),
        rating,
        channel: 'slack',
        conversationId: channel ? (threadTs ? `${channel}:${threadTs}` : channel) : undefined,
        userId: body.user.id,
        time: new Date().toISOString(),
      });
      log.info({ rating, citations: value.citations.length }, 'feedback recorded');
      const rated = words.rated(rating, `<@${body.user.id}>`);
      const blocks = body.message?.blocks as KnownBlock[] | undefined;
      // The message itself shows the rating (for everyone in a channel); an ephemeral answer (/ask) has no
      // blocks in the payload to rewrite, so the person is told privately instead.
      if (blocks?.length) await respond({ replace_original: true, text: body.message?.text ?? '', blocks: withRating(blocks, rating, rated) });
      else await respond({ response_type: 'ephemeral', replace_original: false, text: rated });
    } catch (error) {
      log.error({ err: error }, 'feedback could not be recorded');
      await respond({ response_type: 'ephemeral', replace_original: false, text: words.feedbackFailed });
    }
  });
}

const RATING_BLOCK_ID = 'feedback_rated';

/** The message's blocks with the chosen button marked and a line saying who rated it, replacing an earlier one. */
function withRating(blocks: KnownBlock[], rating: 'up' | 'down', rated: string): KnownBlock[] {
  const chosen = rating === 'up' ? FEEDBACK_ACTIONS.up : FEEDBACK_ACTIONS.down;
  const result: KnownBlock[] = [];
  for (const block of blocks) {
    if (block.block_id === RATING_BLOCK_ID) continue;
    if (block.type === 'actions' && block.block_id === 'feedback') {
      const elements = block.elements.map((element: (typeof block.elements)[number]) => {
        if (element.type !== 'button') return element;
        const { style: _style, ...button } = element;
        return element.action_id === chosen ? { ...button, style: rating === 'up' ? ('primary' as const) : ('danger' as const) } : button;
      });
      result.push({ ...block, elements }, { type: 'context', block_id: RATING_BLOCK_ID, elements: [{ type: 'mrkdwn', text: rated }] });
      continue;
    }
    result.push(block);
  }
  return result;
}

/**
 * The reply to one message: a command's answer, the rendered answer, or a notice saying why there is none.
 * `caller` is the signed team and user ("T…:U…"), what the rate limit counts against.
 */
async function reply(deps: SlackDeps, log: pino.Logger, question: string, conversationId: string, caller: string): Promise<SlackMessage> {
  const words = catalogue(languageFor(question));
  const command = question ? commandOf(question) : 'help';
  if (command) return commandReply(deps, command, words);
  try {
    const started = Date.now();
    const result = await deps.conversations.ask(question, { limitKey: `slack:${caller}`, conversationId });
    if (result.kind === 'refused') return renderSlackNotice(result.message);
    const { answer } = result;
    log.info({ conversationId, kind: answer.kind, citations: answer.citations.length, ms: Date.now() - started, ...(deps.settings.LOG_QUESTIONS ? { question } : {}) }, 'answered');
    return (answer.check ? renderSlackCheck : renderSlackAnswer)(answer, { feedbackValue: encodeFeedbackValue(answer) });
  } catch (error) {
    log.error({ err: error, conversationId }, 'question could not be answered');
    return renderSlackNotice(words.cannotAnswer);
  }
}

/** `help`: what the bot knows and how to ask; `sources`: the indexed documents. In Slack mrkdwn. */
function commandReply(deps: SlackDeps, command: Command, words: Catalogue): SlackMessage {
  const documents = deps.conversations.documents();
  const bold = (text: string) => text.replace(/\*\*/g, '*');
  const list = documents.length ? [bold(words.documentsHeading(documents.length)), ...documents.map((d) => `• ${bold(words.documentLine(d))}`)].join('\n') : words.noDocuments;
  return renderSlackNotice(command === 'sources' ? list : [bold(words.greeting), list, words.howToAskSlack].join('\n\n'));
}
