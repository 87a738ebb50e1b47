import type { Logger } from 'pino';
import type { Answer, Assistant, Language } from '../core/answer.ts';
import type { DocumentMeta } from '../core/paragraph.ts';
import { catalogue, languageFor } from './catalogue/catalogue.ts';
import type { RateLimits } from './rate-limit.ts';
import type { ConversationMemory } from './state/conversation-memory.ts';

/** Who asks, as each channel knows it. */
export interface Asker {
  /** Counted against the rate limits: "msteams:<aad id>", "slack:U…", "api:<address>". */
  limitKey: string;
  /** The conversation whose earlier turns a follow-up leans on; none for a one-off question. */
  conversationId?: string;
  /** The user's locale as the channel gives it ("en-US"), for the bot's own words. */
  locale?: string;
}

export type Reply =
  | { kind: 'answer'; answer: Answer }
  /** Refused before the assistant was asked; `message` says why, in the asker's language. */
  | { kind: 'refused'; reason: 'too-long' | 'rate-limited'; message: string; language: Language; retryAfterSeconds?: number };

export interface ConversationServiceDeps {
  assistant: Assistant;
  memory: Pick<ConversationMemory, 'history' | 'remember'>;
  rateLimits: RateLimits;
  maxQuestionChars: number;
  logger: Logger;
  logQuestions: boolean;
}

/**
 * The one sequence every channel runs for a question: guards (length, rate limits) → the conversation's
 * history → the assistant → the turn remembered. Teams, Slack and /api/ask turn their requests into
 * `ask` calls and render what it returns; none of them decides what the answer is.
 */
export class ConversationService {
  constructor(private readonly deps: ConversationServiceDeps) {}

  documents(): DocumentMeta[] {
    return this.deps.assistant.documents();
  }

  async ask(question: string, asker: Asker): Promise<Reply> {
    const language = languageFor(question, asker.locale);
    const length = [...question].length;
    if (length > this.deps.maxQuestionChars) {
      return { kind: 'refused', reason: 'too-long', language, message: catalogue(language).tooLong(length, this.deps.maxQuestionChars) };
    }
    const decision = await this.deps.rateLimits.consume(asker.limitKey);
    if (!decision.allowed) {
      const seconds = decision.retryAfterSeconds ?? 60;
      return { kind: 'refused', reason: 'rate-limited', language, retryAfterSeconds: seconds, message: catalogue(language).rateLimited(decision.scope ?? 'user', seconds) };
    }
    const started = Date.now();
    const { conversationId } = asker;
    const history = conversationId ? await this.deps.memory.history(conversationId) : [];
    const answer = await this.deps.assistant.ask(question, { history });
    if (conversationId) await this.deps.memory.remember(conversationId, { question, answer });
    this.deps.logger.debug(
      { conversationId, kind: answer.kind, citations: answer.citations.length, ms: Date.now() - started, ...(this.deps.logQuestions ? { question } : {}) },
      'answered',
    );
    return { kind: 'answer', answer };
  }
}
