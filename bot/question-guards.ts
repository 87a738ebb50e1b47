import type { Activity, Middleware, TurnContext } from 'botbuilder';
import type restify from 'restify';
import type { Settings } from '../config/settings.ts';
import type { Language } from '../core/answer.ts';
import { hasBotCredentials } from './auth/bot-framework-auth.ts';
import { tenantOf } from './auth/tenant-filter.ts';
import { callerOf, turnSource } from './http/caller.ts';
import type { RateLimitDecision, RateLimits } from './rate-limit.ts';

/**
 * What is refused before a question reaches the assistant, with the message the user sees: a question
 * longer than MAX_QUESTION_CHARS, and one over the per-user or global rate limit.
 */

/** The language of the channels' own messages (refusals, errors, acknowledgements): Chinese unless the text has no Han character at all. */
export function languageOf(text: string): Language {
  return /[\u3400-\u9fff]/.test(text) || text.trim() === '' ? 'zh' : 'en';
}

export function tooLongMessage(question: string, maxChars: number): string | undefined {
  const length = [...question].length;
  if (length <= maxChars) return undefined;
  return languageOf(question) === 'zh'
    ? `问题太长（${length} 个字符，上限 ${maxChars}）。请把问题缩短后再问，例如只问一条规则或一个段落。`
    : `The question is too long (${length} characters, at most ${maxChars}). Please shorten it, e.g. ask about one rule or one paragraph.`;
}

export function rateLimitedMessage(decision: RateLimitDecision, question: string): string {
  const seconds = decision.retryAfterSeconds ?? 60;
  if (languageOf(question) === 'zh') {
    return decision.scope === 'global' ? `助手此刻太忙，请 ${seconds} 秒后再试。` : `您提问太频繁了，请 ${seconds} 秒后再试。`;
  }
  return decision.scope === 'global' ? `The assistant is too busy right now; please try again in ${seconds} seconds.` : `You are asking too often; please try again in ${seconds} seconds.`;
}

/**
 * Who a Bot Framework question counts against. With credentials the channel's token vouches for the
 * activity, so the user is the one the channel names: in Teams the Entra object id within its tenant; in
 * channels whose client chooses its own user id (Web Chat over Direct Line), the conversation, which the
 * channel issued. In the local trial nothing is vouched for, so everything from one address counts together.
 */
export function botCallerKey(activity: Partial<Activity>, authenticated: boolean, source: string | undefined): string {
  if (!authenticated) return `local:${source ?? 'unknown'}`;
  if (activity.channelId === 'msteams') return `msteams:${tenantOf(activity) ?? '-'}:${activity.from?.aadObjectId ?? activity.from?.id ?? 'anonymous'}`;
  return `${activity.channelId}:conversation:${activity.conversation?.id ?? 'anonymous'}`;
}

/** Bot Framework middleware: refuses over-long and over-limit questions with a reply instead of an answer. */
export function botQuestionGuard(settings: Pick<Settings, 'MAX_QUESTION_CHARS' | 'MICROSOFT_APP_ID'>, limits: RateLimits): Middleware {
  const authenticated = hasBotCredentials(settings);
  return {
    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
      const { activity } = context;
      const text = activity.type === 'message' ? (activity.text ?? '').trim() : '';
      if (!text) return next();
      const tooLong = tooLongMessage(text, settings.MAX_QUESTION_CHARS);
      if (tooLong) {
        await context.sendActivity(tooLong);
        return;
      }
      const decision = await limits.consume(botCallerKey(activity, authenticated, turnSource.getStore()));
      if (!decision.allowed) {
        await context.sendActivity(rateLimitedMessage(decision, text));
        return;
      }
      return next();
    },
  };
}

/** /api/ask guard: over-long questions → 400 with the message; over the limit → 429 with Retry-After. */
export function apiQuestionGuard(settings: Pick<Settings, 'MAX_QUESTION_CHARS'>, limits: RateLimits): restify.RequestHandler {
  // Not an async function: restify would call `next` again when its promise resolved.
  return (req, res, next) => {
    const question = typeof (req.body as { question?: unknown })?.question === 'string' ? (req.body as { question: string }).question.trim() : '';
    if (!question) return next();
    const tooLong = tooLongMessage(question, settings.MAX_QUESTION_CHARS);
    if (tooLong) {
      res.send(400, { error: tooLong });
      return next(false);
    }
    limits.consume(`api:${callerOf(req)}`).then((decision) => {
      if (decision.allowed) return next();
      res.setHeader('Retry-After', String(decision.retryAfterSeconds ?? 60));
      res.send(429, { error: rateLimitedMessage(decision, question), retryAfterSeconds: decision.retryAfterSeconds });
      return next(false);
    }, next);
  };
}
