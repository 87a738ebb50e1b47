import { readFileSync } from 'node:fs';
import { CallerIdConstants, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { AuthenticationConstants, AuthenticationError, type BotFrameworkAuthentication } from 'botframework-connector';
import type { Logger } from 'pino';
import type { Settings } from '../../config/settings.ts';

type AuthSettings = Pick<
  Settings,
  | 'MICROSOFT_APP_ID'
  | 'MICROSOFT_APP_PASSWORD'
  | 'MICROSOFT_APP_TYPE'
  | 'MICROSOFT_APP_TENANT_ID'
  | 'MICROSOFT_APP_CERT_THUMBPRINT'
  | 'MICROSOFT_APP_CERT_KEY_FILE'
  | 'BOT_OPENID_METADATA_URL'
>;

/** Whether Bot Framework credentials are configured; without them the bot runs as an unauthenticated local trial. */
export function hasBotCredentials(settings: Pick<Settings, 'MICROSOFT_APP_ID'>): boolean {
  return Boolean(settings.MICROSOFT_APP_ID);
}

/**
 * How incoming Bot Framework requests are authenticated and outgoing replies signed: app id with a
 * password, a certificate (thumbprint + PEM key file) or a user-assigned managed identity, for a multi-
 * or single-tenant app. With an app id set, every request to /api/messages must carry a token issued by
 * the channel for this app; without one, authentication is off (local trial).
 *
 * The returned object also turns every failure to verify a token into botbuilder's AuthenticationError
 * (401): the JWT library throws its own errors for a bad signature or a malformed token, and fetching the
 * token service's keys fails with network errors while it cannot be reached, which CloudAdapter would
 * otherwise answer with 500 and the error's text. A token that cannot be verified is refused; why is
 * logged, never told to the caller.
 */
export function createBotFrameworkAuthentication(settings: AuthSettings, logger: Logger): BotFrameworkAuthentication {
  const certificate = settings.MICROSOFT_APP_CERT_THUMBPRINT
    ? { CertificateThumbprint: settings.MICROSOFT_APP_CERT_THUMBPRINT, CertificatePrivateKey: readPrivateKey(settings.MICROSOFT_APP_CERT_KEY_FILE) }
    : {};
  // botbuilder takes one overridden endpoint as a full custom configuration: the others keep the public cloud's values.
  const metadata = settings.BOT_OPENID_METADATA_URL
    ? {
        ToBotFromChannelOpenIdMetadataUrl: settings.BOT_OPENID_METADATA_URL,
        ToBotFromEmulatorOpenIdMetadataUrl: settings.BOT_OPENID_METADATA_URL,
        ToChannelFromBotLoginUrl: AuthenticationConstants.ToChannelFromBotLoginUrl,
        ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
        ToBotFromChannelTokenIssuer: AuthenticationConstants.ToBotFromChannelTokenIssuer,
        OAuthUrl: AuthenticationConstants.OAuthUrl,
        CallerId: CallerIdConstants.PublicAzureChannel,
      }
    : {};
  const auth = new ConfigurationBotFrameworkAuthentication({
    MicrosoftAppId: settings.MICROSOFT_APP_ID,
    MicrosoftAppPassword: settings.MICROSOFT_APP_TYPE === 'UserAssignedMSI' || settings.MICROSOFT_APP_CERT_THUMBPRINT ? undefined : settings.MICROSOFT_APP_PASSWORD,
    MicrosoftAppType: settings.MICROSOFT_APP_TYPE,
    MicrosoftAppTenantId: settings.MICROSOFT_APP_TENANT_ID,
    ...certificate,
    ...metadata,
  });
  const authenticate = auth.authenticateRequest.bind(auth);
  auth.authenticateRequest = async (activity, authHeader) => {
    try {
      return await authenticate(activity, authHeader);
    } catch (error) {
      throw asAuthenticationError(error, logger);
    }
  };
  return auth;
}

function asAuthenticationError(error: unknown, logger: Logger): AuthenticationError {
  const name = (error as Error | undefined)?.name;
  const refused = error instanceof AuthenticationError || name === 'JsonWebTokenError' || name === 'NotBeforeError' || name === 'TokenExpiredError';
  if (refused) logger.info({ reason: (error as Error).message }, 'refused a Bot Framework request: its token is not valid');
  else logger.error({ err: error }, 'could not verify a Bot Framework token (is the token service metadata reachable?); the request is refused');
  return new AuthenticationError('Unauthorized.', 401);
}

function readPrivateKey(file: string | undefined): string {
  if (!file) throw new Error('MICROSOFT_APP_CERT_KEY_FILE: required with MICROSOFT_APP_CERT_THUMBPRINT (the PEM private key of the certificate).');
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`MICROSOFT_APP_CERT_KEY_FILE: cannot read ${file} (${(error as Error).message}).`);
  }
}
