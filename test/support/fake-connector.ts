import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the bot made to the Bot Framework connector service. */
export interface ConnectorCall {
  method: string;
  path: string;
  conversationId: string;
  /** The activity the bot replied to, from `/activities/:replyToId`. */
  replyToId?: string;
  /** The id this fake gave the posted activity. */
  id: string;
  activity: Record<string, any>;
}

/**
 * A Bot Framework connector service on 127.0.0.1, standing in for Teams / Azure Bot Service: incoming test
 * activities carry its URL as `serviceUrl`, and it records every activity the bot sends, answering with a
 * resource id as the real service does.
 */
export class FakeConnector {
  readonly calls: ConnectorCall[] = [];
  /** Activities received, by type, whether kept in `calls` or not. */
  readonly counts: Record<string, number> = {};
  private server?: Server;
  private counter = 0;

  /** `keepCalls: false` only counts what arrives, for load tests that would otherwise hold every reply. */
  constructor(private readonly options: { keepCalls?: boolean } = {}) {}

  get serviceUrl(): string {
    const { port } = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}/`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
        const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(path);
        if (!match) {
          res.writeHead(404, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: { code: 'NotFound', message: path } }));
          return;
        }
        const id = `reply-${++this.counter}`;
        const body = Buffer.concat(chunks).toString('utf8');
        const activity = body ? JSON.parse(body) : {};
        this.counts[activity.type] = (this.counts[activity.type] ?? 0) + 1;
        if (this.options.keepCalls !== false) {
          this.calls.push({ method: req.method ?? 'GET', path, conversationId: decodeURIComponent(match[1]), replyToId: match[2] && decodeURIComponent(match[2]), id, activity });
        }
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id }));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  /** Calls for one conversation, optionally only activities of one type ("message", "typing"). */
  sent(conversationId: string, type?: string): ConnectorCall[] {
    return this.calls.filter((call) => call.conversationId === conversationId && (!type || call.activity.type === type));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve, reject) => this.server?.close((error) => (error ? reject(error) : resolve())));
  }
}
