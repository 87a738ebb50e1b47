import { timingSafeEqual } from 'node:crypto';
import type restify from 'restify';
import type { Settings } from '../../config/settings.ts';
import { hasBotCredentials } from '../auth/bot-framework-auth.ts';
import { authenticatedAs } from './caller.ts';

export interface ListenPlan {
  host: string;
  /** Whether the address is reachable only from this machine. */
  loopback: boolean;
  /** Whether /api/messages checks Bot Framework tokens. */
  authenticated: boolean;
  /** What the operator must hear at start, loudly. */
  warnings: string[];
}

/**
 * Where to listen. Without Bot Framework credentials nothing checks who is calling, so the server stays
 * on 127.0.0.1 unless HOST says otherwise; with credentials (Azure Bot Service must reach it) it listens
 * on every interface. /api/ask beyond loopback needs API_KEY: without one it is switched off rather than
 * left open, and the server still starts, because a Teams-only deployment does not need it.
 */
export function planListen(settings: Pick<Settings, 'HOST' | 'MICROSOFT_APP_ID' | 'API_KEY'>): ListenPlan {
  const authenticated = hasBotCredentials(settings);
  const host = settings.HOST ?? (authenticated ? '0.0.0.0' : '127.0.0.1');
  const loopback = isLoopback(host);
  const warnings: string[] = [];
  if (!loopback && !authenticated) {
    warnings.push(`NO AUTHENTICATION: no Bot Framework credentials (MICROSOFT_APP_ID) are set and the server listens on ${host}; anyone who can reach it can use the bot through /api/messages.`);
  }
  if (!loopback && !settings.API_KEY) warnings.push(`/api/ask is disabled: the server listens on ${host}, beyond this machine, and no API_KEY is set.`);
  return { host, loopback, authenticated, warnings };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host) || host === '::ffff:127.0.0.1';
}

/** The keys in API_KEY: one per client, comma-separated, so that each client has rate limits of its own. */
export function apiKeys(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter(Boolean);
}

/**
 * Route guard for /api/ask, before its body is read. On loopback anyone on the machine may ask (and an
 * API_KEY, when set, is still required); beyond it, the `x-api-key` header must be one of the keys in
 * API_KEY. The key a request matched is its caller for rate limits.
 */
export function requireApiKey(settings: Pick<Settings, 'API_KEY'>, plan: Pick<ListenPlan, 'loopback'>): restify.RequestHandler {
  const expected = apiKeys(settings.API_KEY).map((key) => Buffer.from(key));
  return (req, res, next) => {
    if (expected.length === 0) {
      if (plan.loopback) return next();
      res.send(403, { error: '/api/ask is disabled: set API_KEY to use it on a server reachable beyond this machine.' });
      return next(false);
    }
    const given = req.header('x-api-key');
    const key = typeof given === 'string' ? Buffer.from(given) : Buffer.alloc(0);
    const match = expected.find((candidate) => key.length === candidate.length && timingSafeEqual(key, candidate));
    if (match) {
      authenticatedAs(req, match.toString());
      return next();
    }
    res.setHeader('WWW-Authenticate', 'ApiKey header="x-api-key"');
    res.send(401, { error: 'Missing or wrong API key: send it in the x-api-key header.' });
    return next(false);
  };
}
