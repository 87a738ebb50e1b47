import type restify from 'restify';

/**
 * Request bodies are read and size-checked once by restify's bodyParser (over MAX_BODY_BYTES → 413
 * before any parsing; JSON that does not parse → 400). What remains for the JSON routes is the shape:
 * a JSON object, and for /api/messages an object that is an activity. Errors come back as
 * `{"error": "…"}` with a message a person can act on.
 */

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

/** Gives restify's own errors (413 from the body limit, 400 from malformed JSON, 404, 405…) the same `{"error"}` shape. */
export function useJsonErrors(server: restify.Server): void {
  server.on('restifyError', (_req: restify.Request, _res: restify.Response, error: Error & { toJSON?: () => unknown }, callback: () => void) => {
    const message = error.message.startsWith('Invalid JSON') ? `Malformed JSON body (${error.message.replace(/^Invalid JSON:\s*/, '')}).` : error.message;
    error.toJSON = () => ({ error: message });
    callback();
  });
}
