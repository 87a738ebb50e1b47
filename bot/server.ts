import type { Response, Storage } from 'botbuilder';
import type { Logger } from 'pino';
import restify from 'restify';
import { hasBotCredentials } from './auth/bot-framework-auth.ts';
import type { Settings } from '../config/settings.ts';
import type { Assistant } from '../core/answer.ts';
import { ConversationService } from './conversation-service.ts';
import type { FeedbackStore } from './feedback/store.ts';
import { parseAllowedTenants, tenantFilter } from './auth/tenant-filter.ts';
import { callerOf, sourceAddress, turnSource } from './http/caller.ts';
import { INTERNAL_ERROR, readBody, refuseEncodedBodies, requireJsonObject, useJsonErrors } from './http/limits.ts';
import { planListen, requireApiKey } from './http/listen-address.ts';
import { turnLogging } from './logging.ts';
import { createRateLimits, type RateLimits } from './rate-limit.ts';
import { toAskJson } from './render/json.ts';
import { mountSlack } from './slack/mount.ts';
import type { ConversationMemory } from './state/conversation-memory.ts';
import { createAdapter, requireAllowedServiceUrl } from './teams/adapter.ts';
import { AssistantBot } from './teams/assistant-bot.ts';
import { RecentReplies } from './teams/recent-replies.ts';

export interface ServerDeps {
  settings: Settings;
  assistant: Assistant;
  storage: Storage;
  memory: ConversationMemory;
  feedback: FeedbackStore;
  logger: Logger;
  /** Per-user and global question limits; in-memory ones from the settings when not given. */
  rateLimits?: RateLimits;
}

/**
 * The one HTTP server: Bot Framework (Teams, Web Chat, …) on /api/messages, Slack (mounted by
 * ./slack/mount.ts, where Bolt reads and verifies its own bodies), the JSON API on /api/ask, and health
 * probes. Compressed and over-long bodies are refused before anything is read; each JSON route checks
 * who is calling before it reads its body (./http/limits.ts).
 */
export function createServer(deps: ServerDeps): restify.Server {
  const { settings, assistant, memory, logger } = deps;
  const server = restify.createServer({ name: 'partnership-assistant', handleUpgrades: false });
  server.pre(refuseEncodedBodies);
  useJsonErrors(server, logger);
  const rateLimits = deps.rateLimits ?? createRateLimits(settings);

  const adapter = createAdapter(settings, logger);
  adapter.use(turnLogging(logger, settings));
  adapter.use(tenantFilter(parseAllowedTenants(settings.ALLOWED_TENANTS), logger));
  const conversations = new ConversationService({ assistant, memory, rateLimits, maxQuestionChars: settings.MAX_QUESTION_CHARS, logger, logQuestions: settings.LOG_QUESTIONS });
  const bot = new AssistantBot({ conversations, storage: deps.storage, replies: new RecentReplies(deps.storage), feedback: deps.feedback, logger, authenticated: hasBotCredentials(settings) });
  const body = readBody(settings);
  server.post('/api/messages', requireBotToken(settings), ...body, requireJsonObject('activity'), requireAllowedServiceUrl(settings), async (req, res) => {
    await turnSource.run(sourceAddress(req), () => adapter.process(req, adapterResponse(res), (context) => bot.run(context)));
  });

  server.post('/api/ask', requireApiKey(settings, planListen(settings)), ...body, requireJsonObject('question'), async (req, res) => {
    const body = (req.body ?? {}) as { question?: unknown; conversationId?: unknown };
    const question = typeof body.question === 'string' ? body.question.trim() : '';
    if (!question) {
      res.send(400, { error: 'Send a JSON body with a non-empty "question" string, e.g. {"question": "私营部门伙伴应遵守哪些原则？"}.' });
      return;
    }
    if (body.conversationId !== undefined && (typeof body.conversationId !== 'string' || !body.conversationId.trim())) {
      res.send(400, { error: '"conversationId", when given, must be a non-empty string.' });
      return;
    }
    const reply = await conversations.ask(question, { limitKey: `api:${callerOf(req)}`, conversationId: body.conversationId?.trim(), locale: req.header('accept-language') });
    if (reply.kind === 'answer') {
      res.send(200, toAskJson(reply.answer));
    } else if (reply.reason === 'too-long') {
      res.send(400, { error: reply.message });
    } else {
      res.setHeader('Retry-After', String(reply.retryAfterSeconds));
      res.send(429, { error: reply.message, retryAfterSeconds: reply.retryAfterSeconds });
    }
  });

  server.get('/healthz', async (_req, res) => {
    res.send(200, { status: 'ok' });
  });

  const readiness = readinessProbe(assistant, logger);
  server.get('/readyz', async (_req, res) => {
    const problem = await readiness();
    if (problem) res.send(503, { status: 'not ready', reason: problem });
    else res.send(200, { status: 'ready', documents: assistant.documents().length });
  });

  mountSlack(server, { settings, conversations, feedback: deps.feedback, logger });
  return server;
}

/**
 * Ready once the index has documents and a trial question gets an answer; a success is kept, a failure
 * is retried on the next probe.
 */
function readinessProbe(assistant: Assistant, logger: Logger): () => Promise<string | undefined> {
  let ready = false;
  return async () => {
    if (ready) return undefined;
    const documents = assistant.documents();
    if (documents.length === 0) return 'the index has no documents';
    try {
      await assistant.ask(documents[0].title);
      ready = true;
      return undefined;
    } catch (error) {
      logger.warn({ err: error }, 'readiness trial question failed');
      return 'a trial question failed (see the server log)';
    }
  };
}

/**
 * With credentials every request to /api/messages must carry a Bot Framework token: one without an
 * Authorization header is refused before its body is read. The token itself is verified by the adapter.
 */
function requireBotToken(settings: Pick<Settings, 'MICROSOFT_APP_ID'>): restify.RequestHandler {
  const required = hasBotCredentials(settings);
  return (req, res, next) => {
    if (!required || /^Bearer\s+\S/i.test(req.header('authorization') ?? '')) return next();
    res.send(401, { error: UNAUTHORIZED });
    return next(false);
  };
}

const UNAUTHORIZED = 'Unauthorized: a valid Bot Framework token is required.';

/**
 * What CloudAdapter writes its response to. It answers a failure with the exception's message as the
 * body; here a refused token gets a plain 401 and any failure of the server a plain 500, whatever the
 * exception said (the adapter's onTurnError and the authentication log it).
 */
function adapterResponse(res: restify.Response): Response {
  let status = 200;
  let body: unknown;
  return {
    socket: res.socket,
    status: (code) => void (status = code),
    header: (name, value) => void res.header(name, value),
    send: (sent) => void (body = sent),
    end: () => {
      if (status === 401) res.send(401, { error: UNAUTHORIZED });
      else if (status >= 500) res.send(status, { error: INTERNAL_ERROR });
      else res.send(status, body);
    },
  };
}
