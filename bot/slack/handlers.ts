import type { App, BlockAction, ButtonAction } from '@slack/bolt';
import type pino from 'pino';
import type { Settings } from '../../config/settings.ts';
import type { Assistant, Language } from '../../core/answer.ts';
import type { FeedbackStore } from '../feedback/store.ts';
import { languageOf } from '../question-guards.ts';
import type { RateLimits } from '../rate-limit.ts';
import { escapeMrkdwn, FEEDBACK_ACTIONS, renderSlackAnswer, renderSlackNotice, type SlackMessage } from '../render/slack-blocks.ts';
import { renderSlackCheck } from '../render/check-slack.ts';
import type { ConversationMemory } from '../state/conversation-memory.ts';
import { decodeFeedbackValue, encodeFeedbackValue } from './feedback-value.ts';
import { questionFromSlackText } from './question-text.ts';

export interface SlackDeps {
  settings: Settings;
  assistant: Assistant;
  memory: Pick<ConversationMemory, 'history' | 'remember'>;
  feedback: FeedbackStore;
  logger: pino.Logger;
  /** Limits on questions per user and overall; without it Slack questions are not limited. */
  rateLimits?: RateLimits;
}

/** Event ids remembered to drop Slack's redeliveries of an event already being answered. */
const SEEN_EVENTS = 1000;

/**
 * Everything the Slack app does, the same over HTTP and Socket Mode: mentions in channels and direct
 * messages are answered in the thread of the question, `/ask` is acknowledged at once and answered
 * through its response_url, and 👍/👎 clicks are recorded.
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
    const message = await answer(deps, log, questionFromSlackText(event.text), `${event.channel}:${threadTs}`, `${context.teamId}:${event.user}`);
    await client.chat.postMessage({ channel: event.channel, thread_ts: threadTs, unfurl_links: false, unfurl_media: false, ...message });
  });

  app.message(async ({ message, client, context }) => {
    // Only a person's own new direct message: no edits, deletions, joins, files or bot posts.
    if (message.channel_type !== 'im' || message.subtype !== undefined || message.bot_id || !message.user) return;
    const threadTs = message.thread_ts ?? message.ts;
    const reply = await answer(deps, log, questionFromSlackText(message.text ?? ''), `${message.channel}:${threadTs}`, `${context.teamId}:${message.user}`);
    await client.chat.postMessage({ channel: message.channel, thread_ts: threadTs, unfurl_links: false, unfurl_media: false, ...reply });
  });

  app.command('/ask', async ({ command, ack, respond }) => {
    const question = questionFromSlackText(command.text);
    if (!question) {
      await ack({ response_type: 'ephemeral', ...help(deps, 'zh') });
      return;
    }
    // The question as the asker typed it, escaped: Slack would otherwise turn <!channel> or <url|text> in it into a mention or a link.
    await ack({ response_type: 'ephemeral', text: languageOf(question) === 'zh' ? `🔎 正在查找：${escapeMrkdwn(question)}` : `🔎 Looking up: ${escapeMrkdwn(question)}` });
    // One conversation per person and channel, so that a second /ask can follow up on the first.
    const message = await answer(deps, log, question, `${command.channel_id}:ask:${command.user_id}`, `${command.team_id}:${command.user_id}`);
    await respond({ response_type: 'ephemeral', replace_original: false, ...message });
  });

  app.action<BlockAction<ButtonAction>>({ type: 'block_actions', action_id: new RegExp(`^(${FEEDBACK_ACTIONS.up}|${FEEDBACK_ACTIONS.down})$`) }, async ({ ack, action, body, respond }) => {
    await ack();
    const rating = action.action_id === FEEDBACK_ACTIONS.up ? 'up' : 'down';
    let language: Language = 'zh';
    try {
      const value = decodeFeedbackValue(action.value ?? '');
      language = languageOf(value.question);
      const threadTs = body.message?.thread_ts ?? body.message?.ts;
      await deps.feedback.record({
        ...value,
        rating,
        channel: 'slack',
        conversationId: body.channel ? (threadTs ? `${body.channel.id}:${threadTs}` : body.channel.id) : undefined,
        userId: body.user.id,
        time: new Date().toISOString(),
      });
      log.info({ rating, citations: value.citations.length }, 'feedback recorded');
      await respond({ response_type: 'ephemeral', replace_original: false, text: language === 'zh' ? '感谢反馈，已记录。' : 'Thank you, your feedback was recorded.' });
    } catch (error) {
      log.error({ err: error }, 'feedback could not be recorded');
      await respond({ response_type: 'ephemeral', replace_original: false, text: language === 'zh' ? '抱歉，反馈未能保存，请稍后再试。' : 'Sorry, the feedback could not be saved; please try again later.' });
    }
  });
}

/**
 * The reply to one question: the rendered answer, or a notice saying why there is none. `caller` is the
 * signed team and user ("T…:U…"), what the rate limit counts against.
 */
async function answer(deps: SlackDeps, log: pino.Logger, question: string, conversationId: string, caller: string): Promise<SlackMessage> {
  const language = languageOf(question);
  if (!question) return help(deps, 'zh');
  if (question.length > deps.settings.MAX_QUESTION_CHARS) {
    return renderSlackNotice(
      language === 'zh'
        ? `问题太长（${question.length} 个字符，上限 ${deps.settings.MAX_QUESTION_CHARS}）。请缩短后再问。`
        : `The question is too long (${question.length} characters, at most ${deps.settings.MAX_QUESTION_CHARS}). Please shorten it.`,
    );
  }
  const decision = await deps.rateLimits?.consume(`slack:${caller}`);
  if (decision && !decision.allowed) {
    return renderSlackNotice(
      language === 'zh' ? `提问太频繁，请 ${decision.retryAfterSeconds} 秒后再试。` : `Too many questions; please try again in ${decision.retryAfterSeconds} seconds.`,
    );
  }
  try {
    const started = Date.now();
    const history = await deps.memory.history(conversationId);
    const result = await deps.assistant.ask(question, { history });
    await deps.memory.remember(conversationId, { question, answer: result });
    log.info({ conversationId, kind: result.kind, citations: result.citations.length, ms: Date.now() - started, ...(deps.settings.LOG_QUESTIONS ? { question } : {}) }, 'answered');
    return (result.check ? renderSlackCheck : renderSlackAnswer)(result, { feedbackValue: encodeFeedbackValue(result) });
  } catch (error) {
    log.error({ err: error, conversationId }, 'question could not be answered');
    return renderSlackNotice(language === 'zh' ? '抱歉，暂时无法回答，请稍后再试。' : 'Sorry, I cannot answer right now; please try again later.');
  }
}

/** What the bot knows and how to ask it: for an empty mention, DM or `/ask`. */
function help(deps: SlackDeps, language: Language): SlackMessage {
  const documents = deps.assistant
    .documents()
    .map((d) => `• ${d.symbol}（${d.date}）${d.title}`)
    .join('\n');
  return renderSlackNotice(
    language === 'zh'
      ? `我是伙伴关系助手，根据以下联合国文件回答有关联合国与私营部门合作规则的问题，并注明所依据的段落：\n${documents}\n\n提问方式：在频道中 @我 并写出问题，在私信中直接提问，或使用 \`/ask 问题\`。`
      : `I am the Partnership Assistant. I answer questions about the rules for UN–private sector cooperation from these UN documents, citing the paragraphs:\n${documents}\n\nAsk by mentioning me in a channel, in a direct message, or with \`/ask question\`.`,
  );
}
