import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import type restify from 'restify';

/**
 * Who a request counts against for rate limits: what the route authenticated (an API key), else the
 * address it came from. Anything else a caller sends about itself (a header, an id in the body) is free
 * to change with every request, and would buy a fresh allowance each time.
 */

const identities = new WeakMap<restify.Request, string>();

/** Records the identity a route's authentication established; the raw secret never becomes a key. */
export function authenticatedAs(req: restify.Request, secret: string): void {
  identities.set(req, `key:${createHash('sha256').update(secret).digest('hex').slice(0, 16)}`);
}

export function callerOf(req: restify.Request): string {
  return identities.get(req) ?? `address:${sourceAddress(req)}`;
}

export function sourceAddress(req: restify.Request): string {
  return (req.socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
}

/** The source address of the HTTP request a Bot Framework turn came in on, for middleware that sees only the turn. */
export const turnSource = new AsyncLocalStorage<string>();
