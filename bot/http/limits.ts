import type { Logger } from 'pino';
import restify from 'restify';
import type { Settings } from '../../config/settings.ts';

/**
 * Request bodies: a compressed body is refused before anything is read (no channel sends one, and its
 * expanded size is unknown until it has been expanded); a declared length over MAX_BODY_BYTES is refused
 * at once, and each JSON route reads its body (restify's bodyParser, counting bytes as they arrive: over
 * MAX_BODY_BYTES → 413; JSON that does not parse → 400) only after it has checked who is calling. What
 * remains for the JSON routes is the shape: a JSON object, and for /api/messages an object that is an
 * activity. Errors come back as `{"error": "…"}` with a message a person can act on, and never with the
 * text of an internal exception.
 */

/** For `server.pre`: 415 for any Content-Encoding but identity. */
export const refuseEncodedBodies: restify.RequestHandler = (req, res, next) => {
  const encoding = req.headers['content-encoding']?.trim().toLowerCase();
  if (encoding && encoding !== 'identity') {
    res.send(415, { error: `Content-Encoding ${encoding} is not accepted: send the body uncompressed.` });
    return next(false);
  }
  return next();
};

/**
 * The handlers that read and parse a route's body: a declared Content-Length over MAX_BODY_BYTES is
 * refused without reading anything. The raw bytes stay on `req.rawBody` for routes that verify signatures.
 */
export function readBody(settings: Pick<Settings, 'MAX_BODY_BYTES'>): restify.RequestHandler[] {
  const declared: restify.RequestHandler = (req, res, next) => {
    const length = Number(req.headers['content-length']);
    if (Number.isFinite(length) && length > settings.MAX_BODY_BYTES) {
      res.send(413, { error: `Request body size exceeds ${settings.MAX_BODY_BYTES} bytes (MAX_BODY_BYTES).` });
      return next(false);
    }
    return next();
  };
  return [declared, ...restify.plugins.bodyParser({ maxBodySize: settings.MAX_BODY_BYTES, mapParams: false, mapFiles: false })];
}

export type JsonRoute = 'question' | 'activity';

/** Route guard for /api/ask ('question') and /api/messages ('activity'). */
export function requireJsonObject(route: JsonRoute): restify.RequestHandler {
  return (req, res, next) => {
    if (!req.is('json')) {
      res.send(415, { error: `Send the body as JSON (Content-Type: application/json)${route === 'question' ? ', e.g. {"question": "私营部门伙伴应遵守哪些原则？"}' : ''}.` });
      return next(false);
    }
    const body: unknown = req.body;
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      res.send(400, { error: route === 'question' ? 'The body must be a JSON object with a "question" string.' : 'The body must be a Bot Framework activity (a JSON object).' });
      return next(false);
    }
    if (route === 'activity' && typeof (body as { type?: unknown }).type !== 'string') {
      res.send(400, { error: 'The activity has no "type".' });
      return next(false);
    }
    return next();
  };
}

export const INTERNAL_ERROR = 'Something went wrong on the server; please try again later.';

/**
 * Gives restify's own errors (413 from the body limit, 400 from malformed JSON, 404, 405…) the same
 * `{"error"}` shape. An error of the server itself (5xx: an exception in a handler) is logged and
 * answered with a plain message.
 */
export function useJsonErrors(server: restify.Server, logger: Logger): void {
  server.on('restifyError', (req: restify.Request, res: restify.Response, error: Error & { toJSON?: () => unknown; statusCode?: unknown }, callback: () => void) => {
    const status = typeof error.statusCode === 'number' ? error.statusCode : 500;
    if (status >= 500) {
      logger.error({ err: error, route: req.getPath() }, 'request failed');
      // An exception thrown by a handler is not a restify error: restify would answer with its text.
      if (!res.headersSent) res.send(status, { error: INTERNAL_ERROR });
      error.toJSON = () => ({ error: INTERNAL_ERROR });
      return callback();
    }
    const message = error.message.startsWith('Invalid JSON') ? `Malformed JSON body (${error.message.replace(/^Invalid JSON:\s*/, '')}).` : error.message;
    error.toJSON = () => ({ error: message });
    callback();
  });
}
