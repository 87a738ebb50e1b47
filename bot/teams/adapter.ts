import { CloudAdapter, type TurnContext } from 'botbuilder';
import type { Logger } from 'pino';
import type restify from 'restify';
import type { Settings } from '../../config/settings.ts';
import { keepEntityProperties } from './entity-serialization.ts';
import { createBotFrameworkAuthentication, hasBotCredentials } from '../auth/bot-framework-auth.ts';
import { isLoopback } from '../http/listen-address.ts';
import { languageOf } from '../question-guards.ts';

/**
 * The Bot Framework adapter: verifies incoming tokens and authenticates outgoing calls with the app's
 * credentials. With none configured, requests are accepted without a token, which is what the Agents
 * Playground, the Emulator and the tests send.
 */
export function createAdapter(settings: Settings, logger: Logger): CloudAdapter {
  keepEntityProperties();
  const adapter = new CloudAdapter(createBotFrameworkAuthentication(settings, logger));
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    logger.error({ err: error, channel: context.activity.channelId, activityType: context.activity.type }, 'turn failed');
    if (context.activity.type !== 'message') return;
    try {
      await context.sendActivity(
        languageOf(context.activity.text ?? '') === 'zh'
          ? '抱歉，处理这个问题时出了错。请稍后再试一次。'
          : 'Sorry, something went wrong while answering. Please try again in a moment.',
      );
    } catch (sendError) {
      logger.error({ err: sendError }, 'could not tell the user about the failed turn');
    }
  };
  return adapter;
}

/** The origins in ALLOWED_SERVICE_URLS ("http://localhost:56150, https://…"); empty when it is not set. */
export function parseAllowedServiceUrls(value: string | undefined): Set<string> {
  return new Set(
    (value ?? '')
      .split(/[\s,]+/)
      .filter(Boolean)
      .map((url) => new URL(url).origin),
  );
}

/**
 * Route guard for /api/messages (after the body is read): where the bot may send its typing indicator and
 * replies. With credentials, botframework checks that the activity's serviceUrl is the one the channel's
 * token endorses (a mismatch is a 401). Without, nothing vouches for the activity, so its serviceUrl must
 * be one of ALLOWED_SERVICE_URLS or, when that is not set, an address on this machine (where the Agents
 * Playground, http://localhost:56150, and the Emulator run); otherwise anyone who can reach the server
 * could make it POST wherever they like.
 */
export function requireAllowedServiceUrl(settings: Pick<Settings, 'MICROSOFT_APP_ID' | 'ALLOWED_SERVICE_URLS'>): restify.RequestHandler {
  const allowed = parseAllowedServiceUrls(settings.ALLOWED_SERVICE_URLS);
  const authenticated = hasBotCredentials(settings);
  return (req, res, next) => {
    if (authenticated) return next();
    const serviceUrl = (req.body as { serviceUrl?: unknown }).serviceUrl;
    if (typeof serviceUrl !== 'string' || !serviceUrl) {
      res.send(400, { error: 'The activity has no serviceUrl.' });
      return next(false);
    }
    let url: URL | undefined;
    try {
      url = new URL(serviceUrl);
    } catch {
      url = undefined;
    }
    const permitted =
      url !== undefined &&
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      (allowed.size > 0 ? allowed.has(url.origin) : isLoopback(url.hostname.replace(/^\[|\]$/g, '')));
    if (permitted) return next();
    res.send(403, {
      error: `Replies to this serviceUrl are not allowed without Bot Framework credentials: ${allowed.size > 0 ? 'it is not one of ALLOWED_SERVICE_URLS' : 'only addresses on this machine are, unless ALLOWED_SERVICE_URLS says otherwise'}.`,
    });
    return next(false);
  };
}
