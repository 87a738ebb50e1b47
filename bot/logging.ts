import { randomUUID } from 'node:crypto';
import type { Middleware, TurnContext } from 'botbuilder';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { Settings } from '../config/settings.ts';

/**
 * Structured JSON logs. Secrets never reach them: authorization headers, tokens, keys and passwords are
 * censored wherever they appear in a logged object, and question text is logged only with
 * LOG_QUESTIONS=true (data protection); otherwise only its length is.
 */

export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers["x-slack-signature"]',
  'headers.authorization',
  'headers["x-api-key"]',
  '*.authorization',
  '*.Authorization',
  '*.token',
  '*.apiKey',
  '*.password',
  '*.secret',
  '*.OPENAI_API_KEY',
  '*.AZURE_OPENAI_API_KEY',
  '*.MICROSOFT_APP_PASSWORD',
  '*.SLACK_BOT_TOKEN',
  '*.SLACK_SIGNING_SECRET',
  '*.SLACK_APP_TOKEN',
  '*.API_KEY',
  'authorization',
  'token',
  'apiKey',
  'password',
  'secret',
];

export function createLogger(settings: Pick<Settings, 'LOG_LEVEL'>, destination?: DestinationStream): Logger {
  return pino({ level: settings.LOG_LEVEL, name: 'partnership-assistant', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, destination);
}

/** What a log line may say about a question. */
export function questionFields(settings: Pick<Settings, 'LOG_QUESTIONS'>, question: string): { question?: string; questionChars: number } {
  return settings.LOG_QUESTIONS ? { question, questionChars: question.length } : { questionChars: question.length };
}

/** A child logger for one request or turn; an incoming x-request-id is kept so that logs join up across services. */
export function requestLogger(logger: Logger, incomingId?: string | string[]): Logger {
  const given = Array.isArray(incomingId) ? incomingId[0] : incomingId;
  const reqId = given && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID();
  return logger.child({ reqId });
}

/** The child logger of the current Bot Framework turn, set by turnLogging. */
export const TURN_LOGGER = Symbol('turnLogger');

/**
 * Adapter middleware: one child logger with its own request id per Bot Framework turn (kept in the
 * turn state under TURN_LOGGER), and one line when the turn ends, with its duration.
 */
export function turnLogging(logger: Logger, settings: Pick<Settings, 'LOG_QUESTIONS'>): Middleware {
  return {
    async onTurn(context: TurnContext, next: () => Promise<void>): Promise<void> {
      const { activity } = context;
      const log = requestLogger(logger).child({ channel: activity.channelId, activityType: activity.type, conversation: activity.conversation?.id });
      context.turnState.set(TURN_LOGGER, log);
      const started = performance.now();
      try {
        await next();
      } finally {
        const text = activity.type === 'message' ? (activity.text ?? '') : undefined;
        log.info({ ms: Math.round(performance.now() - started), ...(text !== undefined ? questionFields(settings, text) : {}) }, 'turn');
      }
    },
  };
}
