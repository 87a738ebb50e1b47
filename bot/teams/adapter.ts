import { CloudAdapter, type TurnContext } from 'botbuilder';
import { JwtTokenValidation, type BotFrameworkAuthentication, type ConnectorClient, type ConnectorFactory, type UserTokenClient } from 'botframework-connector';
import type { Logger } from 'pino';
import type restify from 'restify';
import type { Settings } from '../../config/settings.ts';
import { createBotFrameworkAuthentication, hasBotCredentials } from '../auth/bot-framework-auth.ts';
import { catalogue, languageFor } from '../catalogue/catalogue.ts';
import { isLoopback } from '../http/listen-address.ts';
import { keepEntityProperties } from './entity-serialization.ts';

/** Connector clients kept for reuse: one per bot app id, service URL and audience; a handful in practice. */
const KEPT_CLIENTS = 64;

/**
 * The Bot Framework adapter: verifies incoming tokens and authenticates outgoing calls with the app's
 * credentials. With none configured, requests are accepted without a token, which is what the Agents
 * Playground, the Emulator and the tests send.
 */
export function createAdapter(settings: Settings, logger: Logger): CloudAdapter {
  keepEntityProperties();
  const adapter = new CloudAdapter(reuseConnectorClients(createBotFrameworkAuthentication(settings, logger)));
  adapter.onTurnError = async (context: TurnContext, error: Error) => {
    logger.error({ err: error, channel: context.activity.channelId, activityType: context.activity.type }, 'turn failed');
    if (context.activity.type !== 'message') return;
    try {
      await context.sendActivity(catalogue(languageFor(context.activity.text ?? '', context.activity.locale)).turnFailed);
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

/**
 * botbuilder builds a new ConnectorClient and a new UserTokenClient, each with its whole Azure SDK request
 * pipeline, for every turn. Neither holds anything of the turn (their credentials fetch and cache their
 * own tokens), so one connector client per app id, service URL and audience, and one user-token client
 * per app id, serve every turn.
 */
function reuseConnectorClients(auth: BotFrameworkAuthentication): BotFrameworkAuthentication {
  const clients = new Map<string, Promise<ConnectorClient>>();
  const tokenClients = new Map<string, Promise<UserTokenClient>>();
  const createUserTokenClient = auth.createUserTokenClient.bind(auth);
  auth.createUserTokenClient = (claimsIdentity) => {
    const appId = JwtTokenValidation.getAppIdFromClaims(claimsIdentity.claims) ?? '';
    let client = tokenClients.get(appId);
    if (!client) {
      client = createUserTokenClient(claimsIdentity);
      client.catch(() => tokenClients.get(appId) === client && tokenClients.delete(appId));
      tokenClients.set(appId, client);
      if (tokenClients.size > KEPT_CLIENTS) tokenClients.delete(tokenClients.keys().next().value as string);
    }
    return client;
  };
  const reusing = (factory: ConnectorFactory, appId: string): ConnectorFactory => ({
    create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
      const key = JSON.stringify([appId, serviceUrl, audience ?? '']);
      let client = clients.get(key);
      if (client) {
        clients.delete(key);
      } else {
        client = factory.create(serviceUrl, audience);
        client.catch(() => clients.get(key) === client && clients.delete(key));
      }
      clients.set(key, client);
      if (clients.size > KEPT_CLIENTS) clients.delete(clients.keys().next().value as string);
      return client;
    },
  });
  const authenticate = auth.authenticateRequest.bind(auth);
  auth.authenticateRequest = async (activity, authHeader) => {
    const result = await authenticate(activity, authHeader);
    if (!result.connectorFactory) return result;
    return { ...result, connectorFactory: reusing(result.connectorFactory, JwtTokenValidation.getAppIdFromClaims(result.claimsIdentity.claims) ?? '') };
  };
  return auth;
}
