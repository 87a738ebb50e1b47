import { App, HTTPReceiver, type AuthorizeResult } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type pino from 'pino';
import type restify from 'restify';
import { boltLogger } from './bolt-logger.ts';
import { registerSlackHandlers, type SlackDeps } from './handlers.ts';

export const SLACK_EVENTS_PATH = '/slack/events';

/**
 * Serves Slack on the server. Over HTTP (the default) `POST /slack/events` takes events, interactivity and
 * the `/ask` command, every request verified by Bolt against SLACK_SIGNING_SECRET (bad or older than five
 * minutes → 401, nothing processed). With SLACK_SOCKET_MODE=true the same handlers receive over Socket Mode
 * instead and `/slack/events` is not used. When Slack is not configured, `/slack/events` answers 503 with
 * what to set, so that a misdirected request URL is easy to diagnose.
 */
export function mountSlack(server: restify.Server, deps: SlackDeps): void {
  const { settings } = deps;
  const log = deps.logger.child({ component: 'slack' });
  const missing = missingSettings(settings);
  if (missing.length > 0) {
    unavailable(server, `Slack is not configured: set ${missing.join(' and ')} (see .env.example).`);
    log.info({ missing }, 'Slack not configured; /slack/events answers 503');
    return;
  }

  const logger = boltLogger(deps.logger);
  const clientOptions = { slackApiUrl: settings.SLACK_API_URL, logger };
  const authorize = botAuthorization(new WebClient(settings.SLACK_BOT_TOKEN, clientOptions), settings.SLACK_BOT_TOKEN!);
  // Checked once at start so that a wrong token shows in the log now rather than at the first question.
  authorize().then(
    (result) => log.info({ botUserId: result.botUserId, mode: settings.SLACK_SOCKET_MODE ? 'socket' : 'http' }, 'Slack bot token accepted'),
    (error: unknown) => log.error({ err: error }, 'Slack bot token check (auth.test) failed'),
  );

  if (settings.SLACK_SOCKET_MODE) {
    const app = new App({ authorize, appToken: settings.SLACK_APP_TOKEN, socketMode: true, clientOptions, logger });
    registerSlackHandlers(app, deps);
    app.start().catch((error: unknown) => log.error({ err: error }, 'Slack Socket Mode connection failed'));
    server.server.once('close', () => void app.stop().catch(() => undefined));
    unavailable(server, 'Slack runs in Socket Mode (SLACK_SOCKET_MODE=true); this request URL is not used.');
    return;
  }

  const receiver = new HTTPReceiver({
    signingSecret: settings.SLACK_SIGNING_SECRET!,
    endpoints: SLACK_EVENTS_PATH,
    bodyLimit: settings.MAX_BODY_BYTES,
    logger,
  });
  const app = new App({ authorize, receiver, clientOptions, logger });
  registerSlackHandlers(app, deps);

  server.post(SLACK_EVENTS_PATH, (req, res, next) => {
    // Bolt verifies the signature over the exact bytes Slack sent. Should a body parser have read them
    // already, restify keeps them on req.rawBody (as text); Bolt reuses a Buffer found there.
    const raw = (req as { rawBody?: unknown }).rawBody;
    if (typeof raw === 'string') (req as { rawBody?: unknown }).rawBody = Buffer.from(raw, 'utf8');
    res.once('close', () => next());
    receiver.requestListener(req, res);
  });
}

function missingSettings(settings: SlackDeps['settings']): string[] {
  const missing: string[] = [];
  if (!settings.SLACK_BOT_TOKEN) missing.push('SLACK_BOT_TOKEN');
  if (settings.SLACK_SOCKET_MODE ? !settings.SLACK_APP_TOKEN : !settings.SLACK_SIGNING_SECRET) missing.push(settings.SLACK_SOCKET_MODE ? 'SLACK_APP_TOKEN' : 'SLACK_SIGNING_SECRET');
  return missing;
}

function unavailable(server: restify.Server, message: string): void {
  server.post(SLACK_EVENTS_PATH, (_req, res, next) => {
    res.send(503, { error: message });
    next();
  });
}

/**
 * The bot's identity (auth.test), fetched once and kept; Bolt needs it to ignore the bot's own messages.
 * A failed check is not kept, so the next event tries again.
 */
function botAuthorization(client: WebClient, botToken: string): () => Promise<AuthorizeResult> {
  let identity: Promise<{ botId?: string; botUserId?: string }> | undefined;
  return async () => {
    identity ??= client.auth.test().then((result) => ({ botId: result.bot_id, botUserId: result.user_id }));
    try {
      return { botToken, ...(await identity) };
    } catch (error) {
      identity = undefined;
      throw error;
    }
  };
}
