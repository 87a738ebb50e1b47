import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the app made: a Web API method (`chat.postMessage`, …) or a post to a response_url (`response:<id>`). */
export interface SlackCall {
  method: string;
  /** The arguments, from JSON or form bodies alike (nested JSON strings such as `blocks` are parsed). */
  body: Record<string, any>;
  authorization?: string;
}

export const BOT_USER_ID = 'UBOT0001';
export const BOT_ID = 'BBOT0001';

/**
 * The Slack Web API on 127.0.0.1, standing in for slack.com: `SLACK_API_URL` points the app's client here,
 * and test events carry `response_url`s on it too. Every call is recorded and answered `{ ok: true, … }`
 * as Slack would; `waitFor` lets a test await the answer that the app posts after acknowledging.
 */
export class FakeSlackApi {
  readonly calls: SlackCall[] = [];
  private server?: Server;
  private waiters: { predicate: (call: SlackCall) => boolean; resolve: (call: SlackCall) => void }[] = [];
  private counter = 0;

  get apiUrl(): string {
    return `${this.origin}/api/`;
  }

  responseUrl(id: string): string {
    return `${this.origin}/response/${id}`;
  }

  private get origin(): string {
    const { port } = this.server!.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
        const text = Buffer.concat(chunks).toString('utf8');
        const body = parseBody(text, req.headers['content-type'] ?? '');
        const api = /^\/api\/([\w.]+)$/.exec(path);
        const response = /^\/response\/([\w-]+)$/.exec(path);
        if (!api && !response) {
          send(res, 404, { ok: false, error: 'unknown_method' });
          return;
        }
        const call: SlackCall = { method: api ? api[1] : `response:${response![1]}`, body, authorization: req.headers.authorization };
        this.calls.push(call);
        send(res, 200, this.reply(call));
        for (const waiter of this.waiters.filter((w) => w.predicate(call))) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(call);
        }
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  /** The first call (already made or still to come) that matches; rejects after `timeoutMs`. */
  waitFor(predicate: (call: SlackCall) => boolean, timeoutMs = 10_000): Promise<SlackCall> {
    const made = this.calls.find(predicate);
    if (made) return Promise.resolve(made);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching Slack call within ${timeoutMs} ms; calls: ${this.calls.map((c) => c.method).join(', ')}`)), timeoutMs);
      this.waiters.push({ predicate, resolve: (call) => (clearTimeout(timer), resolve(call)) });
    });
  }

  callsTo(method: string): SlackCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private reply(call: SlackCall): Record<string, unknown> {
    switch (call.method) {
      case 'auth.test':
        return { ok: true, url: 'https://example.slack.com/', team: 'Example', user: 'partnership-assistant', team_id: 'T0001', user_id: BOT_USER_ID, bot_id: BOT_ID };
      case 'chat.postMessage':
        return { ok: true, channel: call.body.channel, ts: `1700000000.${String(++this.counter).padStart(6, '0')}`, message: { text: call.body.text, bot_id: BOT_ID } };
      case 'chat.postEphemeral':
        return { ok: true, message_ts: `1700000000.${String(++this.counter).padStart(6, '0')}` };
      default:
        return { ok: true };
    }
  }
}

/** Status and body in two steps: restify, loaded in the same process, replaces writeHead with one that returns nothing. */
function send(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function parseBody(text: string, contentType: string): Record<string, any> {
  if (!text) return {};
  const raw: Record<string, any> = contentType.includes('application/json') ? JSON.parse(text) : Object.fromEntries(new URLSearchParams(text));
  for (const key of ['blocks', 'attachments']) {
    if (typeof raw[key] === 'string') raw[key] = JSON.parse(raw[key]);
  }
  return raw;
}
