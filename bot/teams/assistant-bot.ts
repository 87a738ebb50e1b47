import { ActivityHandler, CardFactory, TurnContext, type Activity, type InvokeResponse } from 'botbuilder';
import type { Logger } from 'pino';
import type { Answer, Assistant } from '../../core/answer.ts';
import type { FeedbackStore } from '../feedback/store.ts';
import { answerCard } from '../render/adaptive-card.ts';
import { answerText, renderText } from '../render/text.ts';
import type { ConversationMemory } from '../state/conversation-memory.ts';
import { commandOf, helpText, sourcesText, welcomeActivities } from './onboarding.ts';
import type { RecentReplies } from './recent-replies.ts';
import { teamsAnswerActivity } from './teams-answer.ts';
import { checkActivity } from '../render/check-teams.ts';
import { whileTyping } from './typing.ts';

export interface AssistantBotDeps {
  assistant: Assistant;
  memory: ConversationMemory;
  replies: RecentReplies;
  feedback: FeedbackStore;
  logger: Logger;
}

/**
 * The Bot Framework side of the assistant, for Teams and every other Bot Framework channel. It decides
 * only when to answer and how the answer looks in the channel; what is answered and cited comes from
 * `assistant.ask`, unchanged.
 */
export class AssistantBot extends ActivityHandler {
  constructor(private readonly deps: AssistantBotDeps) {
    super();
    this.onMessage(async (context, next) => {
      await this.handleMessage(context);
      await next();
    });
    this.onMembersAdded(async (context, next) => {
      const newcomers = (context.activity.membersAdded ?? []).filter((member) => member.id !== context.activity.recipient.id);
      if (newcomers.length) await context.sendActivities(welcomeActivities(this.deps.assistant.documents(), newcomers.map((member) => member.id)));
      await next();
    });
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
    const question = questionText(activity);
    const documents = this.deps.assistant.documents();
    if (!question) {
      await context.sendActivity(helpText(documents));
      return;
    }
    const command = commandOf(question);
    if (command === 'help') {
      await context.sendActivity(helpText(documents));
      return;
    }
    if (command === 'sources') {
      await context.sendActivity(sourcesText(documents));
      return;
    }

    const conversationId = activity.conversation.id;
    const answer = await whileTyping(context, async () => {
      const history = await this.deps.memory.history(conversationId);
      return this.deps.assistant.ask(question, { history });
    });
    await this.deps.memory.remember(conversationId, { question, answer });
    const sent = await context.sendActivity(answer.check ? checkActivity(answer, activity.channelId === 'msteams') : activity.channelId === 'msteams' ? teamsAnswerActivity(answer) : cardAnswerActivity(answer));
    if (sent?.id) await this.deps.replies.remember(conversationId, sent.id, ratedReply(question, answer));
  }

  private async recordFeedback(context: TurnContext): Promise<void> {
    const { activity } = context;
    const { reaction, feedback } = (activity.value?.actionValue ?? {}) as { reaction?: string; feedback?: unknown };
    const rated = activity.replyToId ? await this.deps.replies.find(activity.conversation.id, activity.replyToId) : undefined;
    if (!rated) this.deps.logger.warn({ replyToId: activity.replyToId }, 'feedback for a message this bot does not remember; recorded without its answer');
    const comment = feedbackComment(feedback);
    await this.deps.feedback.record({
      question: rated?.question ?? '',
      answer: rated?.answer ?? '',
      citations: rated?.citations ?? [],
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
