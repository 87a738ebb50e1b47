import { ActivityHandler, CardFactory, TurnContext, type Activity, type InvokeResponse, type Storage } from 'botbuilder';
import type { Logger } from 'pino';
import type { Answer } from '../../core/answer.ts';
import { catalogue, languageFor } from '../catalogue/catalogue.ts';
import type { ConversationService } from '../conversation-service.ts';
import type { FeedbackStore } from '../feedback/store.ts';
import { commandOf, helpText, sourcesText, suggestionBehind } from '../onboarding.ts';
import { answerCard } from '../render/adaptive-card.ts';
import { answerText, renderText } from '../render/text.ts';
import type { RecentReplies } from './recent-replies.ts';
import { teamsAnswerActivity } from './teams-answer.ts';
import { checkActivity } from '../render/check-teams.ts';
import { whileTyping } from './typing.ts';
import { botCallerKey } from './caller-key.ts';
import { turnSource } from '../http/caller.ts';
import { welcomeActivities } from './welcome.ts';

export interface AssistantBotDeps {
  conversations: ConversationService;
  /** Conversation state: here, the locale an installation came with, for the welcome that follows. */
  storage: Storage;
  /** Whether Bot Framework tokens vouch for who is asking (what the rate limits count against). */
  authenticated: boolean;
  replies: RecentReplies;
  feedback: FeedbackStore;
  logger: Logger;
}

/**
 * The Bot Framework side of the assistant, for Teams and every other Bot Framework channel. It decides
 * only when to answer and how the answer looks in the channel; what is answered and cited comes from the
 * conversation service, unchanged.
 */
export class AssistantBot extends ActivityHandler {
  constructor(private readonly deps: AssistantBotDeps) {
    super();
    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
    this.onInstallationUpdate(async (context, next) => {
      const locale = localeOf(context.activity);
      if (locale) await this.deps.storage.write({ [localeKey(context.activity.conversation.id)]: { locale, eTag: '*' } });
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const newcomers = (context.activity.membersAdded ?? []).filter((member) => member.id !== context.activity.recipient.id);
      if (newcomers.length) {
        const words = catalogue(languageFor('', await this.welcomeLocale(context.activity)));
        await context.sendActivities(welcomeActivities(this.deps.conversations.documents(), words, newcomers.map((member) => member.id)));
      }
      await next();
    });
  }

  /**
   * A conversationUpdate often carries no locale (the Agents Playground's never does); the installationUpdate
   * that comes with the same installation does, and is kept for this.
   */
  private async welcomeLocale(activity: Activity): Promise<string | undefined> {
    const key = localeKey(activity.conversation.id);
    return localeOf(activity) ?? ((await this.deps.storage.read([key]))[key] as { locale?: string } | undefined)?.locale;
  }

  protected override async onInvokeActivity(context: TurnContext): Promise<InvokeResponse> {
    if (context.activity.name === 'message/submitAction' && context.activity.value?.actionName === 'feedback') {
      await this.recordFeedback(context);
      return { status: 200, body: {} };
    }
    return super.onInvokeActivity(context);
  }

  private async handleMessage(context: TurnContext): Promise<void> {
    const { activity } = context;
    if (isSharedConversation(activity) && !mentionsBot(activity)) return;
    const documents = this.deps.conversations.documents();
    const typed = questionText(activity);
    const question = suggestionBehind(typed, documents) ?? typed;
    const command = question ? commandOf(question) : 'help';
    if (command) {
      const words = catalogue(languageFor(question, localeOf(activity)));
      await context.sendActivity({ type: 'message', textFormat: 'markdown', text: command === 'help' ? helpText(documents, words) : sourcesText(documents, words) });
      return;
    }

    const conversationId = activity.conversation.id;
    const limitKey = botCallerKey(activity, this.deps.authenticated, turnSource.getStore());
    const reply = await whileTyping(context, () => this.deps.conversations.ask(question, { limitKey, conversationId, locale: localeOf(activity) }));
    if (reply.kind === 'refused') {
      await context.sendActivity(reply.message);
      return;
    }
    const { answer } = reply;
    const sent = await context.sendActivity(answer.check ? checkActivity(answer, activity.channelId === 'msteams') : activity.channelId === 'msteams' ? teamsAnswerActivity(answer) : cardAnswerActivity(answer));
    if (sent?.id) await this.deps.replies.remember(conversationId, sent.id, ratedReply(question, answer));
  }

  private async recordFeedback(context: TurnContext): Promise<void> {
    const { activity } = context;
    const { reaction, feedback } = (activity.value?.actionValue ?? {}) as { reaction?: string; feedback?: unknown };
    const rated = await this.deps.replies.find(activity.conversation.id, activity.replyToId);
    if (!rated) this.deps.logger.warn({ replyToId: activity.replyToId }, 'feedback for an answer this bot does not remember; recorded without it');
    else if (rated.matchedBy === 'latest') this.deps.logger.info({ answerId: rated.id }, 'feedback without replyToId: recorded for the conversation’s latest answer');
    const comment = feedbackComment(feedback);
    await this.deps.feedback.record({
      question: rated?.question ?? '',
      answer: rated?.answer ?? '',
      citations: rated?.citations ?? [],
      ...(rated ? { answerId: rated.id } : {}),
      rating: reaction === 'dislike' ? 'down' : 'up',
      ...(comment ? { comment } : {}),
      channel: activity.channelId,
      conversationId: activity.conversation.id,
      userId: activity.from?.aadObjectId ?? activity.from?.id,
      time: new Date().toISOString(),
    });
  }
}

/** Web Chat, Direct Line, the Emulator and other channels: the answer as an Adaptive Card, with the plain text as fallback. */
export function cardAnswerActivity(answer: Answer): Partial<Activity> {
  return { type: 'message', text: renderText(answer), attachments: [CardFactory.adaptiveCard(answerCard(answer))] };
}

function ratedReply(question: string, answer: Answer) {
  return {
    question,
    answer: answerText(answer),
    citations: answer.citations.map((c) => ({ symbol: c.paragraph.symbol, paragraph: c.paragraph.label })),
  };
}

/** The user's locale: the activity's own, or that of Teams' clientInfo entity. */
function localeOf(activity: Activity): string | undefined {
  const clientInfo = (activity.entities ?? []).find((entity) => entity.type === 'clientInfo') as { locale?: unknown } | undefined;
  return activity.locale || (typeof clientInfo?.locale === 'string' ? clientInfo.locale : undefined);
}

function localeKey(conversationId: string): string {
  return `locale/${conversationId}`;
}

function isSharedConversation(activity: Activity): boolean {
  const type = activity.conversation?.conversationType;
  return type === 'groupChat' || type === 'channel';
}

function mentionsBot(activity: Activity): boolean {
  return (activity.entities ?? []).some((entity) => entity.type === 'mention' && entity.mentioned?.id === activity.recipient?.id);
}

function questionText(activity: Activity): string {
  const text = mentionsBot(activity) ? TurnContext.removeRecipientMention(activity) : activity.text;
  return (text ?? '').replace(/&nbsp;|\u00a0/g, ' ').trim();
}

// Teams sends the optional comment as a JSON string: '{"feedbackText":"…"}'.
function feedbackComment(feedback: unknown): string | undefined {
  let value = feedback;
  if (typeof feedback === 'string') {
    try {
      value = JSON.parse(feedback);
    } catch {
      return feedback.trim() || undefined;
    }
  }
  const text = (value as { feedbackText?: unknown } | null)?.feedbackText;
  return typeof text === 'string' && text.trim() ? text.trim() : undefined;
}
