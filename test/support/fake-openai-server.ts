import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * An OpenAI-compatible server on 127.0.0.1 for tests: /v1/chat/completions and /v1/embeddings (any
 * path ending so, which covers Azure's /openai/deployments/NAME/...). Each endpoint answers from a
 * script of responses taken in order, the last one repeating; every request is recorded.
 * Embeddings default to deterministic vectors (a hashed bag of characters), so that texts sharing
 * characters are close.
 */

export interface FakeResponse {
  status?: number;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is, instead of `json`. */
  body?: string;
  /** Waits this long before answering (past the client's timeout, to test it). */
  delayMs?: number;
}

export type Endpoint = 'chat' | 'embeddings';
export type Responder = (request: RecordedRequest) => FakeResponse;

export interface RecordedRequest {
  endpoint: Endpoint | 'other';
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body, or undefined when it was not JSON. */
  body: any;
  rawBody: string;
}

export interface FakeOpenAIServer {
  /** "http://127.0.0.1:PORT/v1", for OPENAI_BASE_URL. */
  baseUrl: string;
  /** "http://127.0.0.1:PORT", for AZURE_OPENAI_ENDPOINT. */
  origin: string;
  requests: RecordedRequest[];
  requestsTo(endpoint: Endpoint): RecordedRequest[];
  /** Replaces the endpoint's script: responses in order, the last repeating, or a function of the request. */
  script(endpoint: Endpoint, ...responses: (FakeResponse | Responder)[]): void;
  close(): Promise<void>;
}

export function chatCompletion(content: string | null): FakeResponse {
  return {
    json: {
      id: 'chatcmpl-test',
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'fake-model',
      choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
    },
  };
}

export function httpError(status: number, headers: Record<string, string> = {}): FakeResponse {
  return { status, headers, json: { error: { message: `scripted ${status}`, type: 'server_error', code: null } } };
}

/** A JSON content type whose body is cut off mid-object. */
export const malformedJson: FakeResponse = { headers: { 'content-type': 'application/json' }, body: '{"id":"chatcmpl-x","choices":[{"message":' };
/** What a misconfigured proxy sends: 200 with an HTML page. */
export const htmlPage: FakeResponse = { headers: { 'content-type': 'text/html' }, body: '<html><body>Bad gateway</body></html>' };

export function fakeEmbedding(text: string, dimension: number): number[] {
  const vector = new Array<number>(dimension).fill(0);
  for (const char of text) {
    let hash = 2166136261;
    for (let i = 0; i < char.length; i++) hash = Math.imul(hash ^ char.charCodeAt(i), 16777619);
    vector[(hash >>> 0) % dimension] += 1;
  }
  const norm = Math.hypot(...vector) || 1;
  return vector.map((v) => v / norm);
}

export async function startFakeOpenAI(options: { embeddingDimension?: number } = {}): Promise<FakeOpenAIServer> {
  const dimension = options.embeddingDimension ?? 64;
  const requests: RecordedRequest[] = [];
  const scripts: Record<Endpoint, (FakeResponse | Responder)[]> = {
    chat: [() => httpError(500)],
    embeddings: [(request) => embeddingsResponse(request, dimension)],
  };
  const counts: Record<Endpoint, number> = { chat: 0, embeddings: 0 };
  const timers = new Set<NodeJS.Timeout>();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const path = (req.url ?? '').split('?')[0];
      const endpoint: RecordedRequest['endpoint'] = path.endsWith('/chat/completions') ? 'chat' : path.endsWith('/embeddings') ? 'embeddings' : 'other';
      const request: RecordedRequest = { endpoint, method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: parseJson(rawBody), rawBody };
      requests.push(request);
      let response: FakeResponse;
      if (endpoint === 'other') response = httpError(404);
      else {
        const script = scripts[endpoint];
        const step = script[Math.min(counts[endpoint]++, script.length - 1)];
        response = typeof step === 'function' ? step(request) : step;
      }
      const send = () => {
        timers.delete(timer);
        if (res.destroyed) return;
        const body = response.body ?? JSON.stringify(response.json ?? {});
        res.writeHead(response.status ?? 200, { 'content-type': 'application/json', ...response.headers });
        res.end(body);
      };
      const timer = setTimeout(send, response.delayMs ?? 0);
      timers.add(timer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    baseUrl: `${origin}/v1`,
    origin,
    requests,
    requestsTo: (endpoint) => requests.filter((r) => r.endpoint === endpoint),
    script(endpoint, ...responses) {
      if (responses.length === 0) throw new Error('script: give at least one response');
      scripts[endpoint] = responses;
      counts[endpoint] = 0;
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function embeddingsResponse(request: RecordedRequest, dimension: number): FakeResponse {
  const input: unknown = request.body?.input;
  const texts = (Array.isArray(input) ? input : [input]).map(String);
  const base64 = request.body?.encoding_format === 'base64';
  return {
    json: {
      object: 'list',
      model: request.body?.model ?? 'fake-embedding',
      data: texts.map((text, index) => {
        const vector = fakeEmbedding(text, dimension);
        return { object: 'embedding', index, embedding: base64 ? Buffer.from(new Float32Array(vector).buffer).toString('base64') : vector };
      }),
      usage: { prompt_tokens: 1, total_tokens: 1 },
    },
  };
}

function parseJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
