import type { Storage } from 'botbuilder';
import type { Logger } from 'pino';
import restify from 'restify';
import type { Settings } from '../config/settings.ts';
import type { Assistant } from '../core/answer.ts';
import type { FeedbackStore } from './feedback/store.ts';
import { parseAllowedTenants, tenantFilter } from './auth/tenant-filter.ts';
import { requireJsonObject, useJsonErrors } from './http/limits.ts';
import { planListen, requireApiKey } from './http/listen-address.ts';
import { turnLogging } from './logging.ts';
import { apiQuestionGuard, botQuestionGuard } from './question-guards.ts';
import { createRateLimits, type RateLimits } from './rate-limit.ts';
import { toAskJson } from './render/json.ts';
import { mountSlack } from './slack/mount.ts';
import type { ConversationMemory } from './state/conversation-memory.ts';
import { createAdapter } from './teams/adapter.ts';
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
 * ./slack/mount.ts), the JSON API on /api/ask, and health probes. Request bodies are read and size-limited
 * here, once, for every route; the raw bytes stay on `req.rawBody` for routes that verify signatures.
 */
export function createServer(deps: ServerDeps): restify.Server {
  const { settings, assistant, memory, logger } = deps;
  const server = restify.createServer({ name: 'partnership-assistant', handleUpgrades: false });
  server.use(restify.plugins.bodyParser({ maxBodySize: settings.MAX_BODY_BYTES, mapParams: false, mapFiles: false }));
  useJsonErrors(server);
  const rateLimits = deps.rateLimits ?? createRateLimits(settings);

  const adapter = createAdapter(settings, logger);
  adapter.use(turnLogging(logger, settings));
  adapter.use(tenantFilter(parseAllowedTenants(settings.ALLOWED_TENANTS), logger));
  adapter.use(botQuestionGuard(settings, rateLimits));
  const bot = new AssistantBot({ assistant, memory, replies: new RecentReplies(deps.storage), feedback: deps.feedback, logger });
  server.post('/api/messages', requireJsonObject('activity'), async (req, res) => {
    await adapter.process(req, res, (context) => bot.run(context));
  });

  server.post('/api/ask', requireApiKey(settings, planListen(settings)), requireJsonObject('question'), apiQuestionGuard(settings, rateLimits), async (req, res) => {
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
    const conversationId = body.conversationId?.trim();
    const history = conversationId ? await memory.history(conversationId) : [];
    const answer = await assistant.ask(question, { history });
    if (conversationId) await memory.remember(conversationId, { question, answer });
    res.send(200, toAskJson(answer));
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

  mountSlack(server, { settings, assistant, memory, feedback: deps.feedback, logger, rateLimits });
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
      return `a trial question failed: ${(error as Error).message}`;
    }
  };
}
