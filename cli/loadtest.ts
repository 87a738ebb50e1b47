import type { AddressInfo } from 'node:net';
import autocannon, { type Result } from 'autocannon';
import { Command, InvalidArgumentError } from 'commander';
import { pino } from 'pino';
import { createFeedbackStore } from '../bot/feedback/store.ts';
import { openOrIngest } from './open-or-ingest.ts';
import { createServer } from '../bot/server.ts';
import { ConversationMemory } from '../bot/state/conversation-memory.ts';
import { createStorage } from '../bot/state/create-storage.ts';
import { loadSettings } from '../config/settings.ts';
import { createAssistant } from '../knowledge/assistant.ts';
import { FakeConnector } from '../test/support/fake-connector.ts';

/**
 * `npm run loadtest`: the product's server on 127.0.0.1 (rate limits raised out of the way), driven by
 * autocannon on /api/ask and /api/messages at once (half the connections each); Bot Framework replies go
 * to a fake connector on 127.0.0.1. Prints throughput, latency, errors and RSS before and after (after a
 * GC). Fails (exit 1) on any error or non-2xx response, or RSS growth beyond 10%.
 */

const QUESTIONS = ['私营部门伙伴应遵守哪些原则？', '联合国与企业合作时在尽职调查方面有什么要求？', 'A/RES/68/234 第13段说了什么？', '全球契约的十项原则是什么？'];

const positive = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('must be a positive integer');
  return n;
};
const options = new Command()
  .name('loadtest')
  .option('--duration <seconds>', 'how long to drive the server', positive, 60)
  .option('--connections <n>', 'concurrent connections in all', positive, 50)
  .parse()
  .opts<{ duration: number; connections: number }>();

const settings = loadSettings({ ...process.env, LOG_LEVEL: 'silent', RATE_LIMIT_USER_PER_MINUTE: '100000000', RATE_LIMIT_GLOBAL_PER_MINUTE: '100000000', HOST: '127.0.0.1', API_KEY: '' });
const logger = pino({ level: 'silent' });
const index = await openOrIngest(settings, pino({ level: 'info' }));
const assistant = createAssistant(index);
const storage = createStorage(settings);
const connector = await new FakeConnector().start();
const server = createServer({ settings, assistant, storage, memory: new ConversationMemory(storage), feedback: createFeedbackStore(settings), logger });
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

let counter = 0;
const next = () => QUESTIONS[counter++ % QUESTIONS.length];
function activity(): string {
  const n = counter;
  return JSON.stringify({
    type: 'message',
    id: `load-${n}`,
    channelId: 'webchat',
    serviceUrl: connector.serviceUrl,
    from: { id: `user-${n % 200}`, name: 'Load' },
    recipient: { id: 'bot', name: 'bot' },
    conversation: { id: `load-conversation-${n % 200}` },
    text: next(),
  });
}

function drive(path: string, connections: number, body: () => string): Promise<Result> {
  return autocannon({
    url: `${url}${path}`,
    connections,
    duration: options.duration,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [{ setupRequest: (request) => ({ ...request, body: body() }) }],
  });
}

function rssMiB(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().rss / 2 ** 20;
}

// A short warm-up, so that "before" is measured with the code loaded and the caches filled.
await drive('/api/ask', 2, () => JSON.stringify({ question: next() })).catch(() => undefined);
const before = rssMiB();
const half = Math.max(1, Math.floor(options.connections / 2));
console.log(`driving ${url} for ${options.duration}s: /api/ask on ${options.connections - half} connections, /api/messages on ${half}…`);
const [ask, messages] = await Promise.all([
  drive('/api/ask', options.connections - half, () => JSON.stringify({ question: next() })),
  drive('/api/messages', half, activity),
]);
await new Promise((resolve) => setTimeout(resolve, 500));
const after = rssMiB();

const row = (name: string, r: Result) => ({
  route: name,
  'req/s': Math.round(r.requests.average),
  requests: r.requests.total,
  'p50 ms': r.latency.p50,
  'p99 ms': r.latency.p99,
  errors: r.errors + r.timeouts,
  'non-2xx': r.non2xx,
});
console.table([row('/api/ask', ask), row('/api/messages', messages)]);
const growth = (after - before) / before;
console.log(`RSS before ${before.toFixed(1)} MiB, after ${after.toFixed(1)} MiB (${(growth * 100).toFixed(1)}%)${(globalThis as { gc?: unknown }).gc ? '' : ' — run with --expose-gc for comparable figures'}`);
console.log(`Bot Framework replies received by the fake connector: ${connector.calls.filter((c) => c.activity.type === 'message').length}`);

await new Promise<void>((resolve) => server.close(() => resolve()));
await connector.stop();
const failed = ask.errors + ask.timeouts + ask.non2xx + messages.errors + messages.timeouts + messages.non2xx;
if (failed > 0 || growth > 0.1) {
  console.error(failed > 0 ? `FAILED: ${failed} errors or non-2xx responses` : `FAILED: RSS grew ${(growth * 100).toFixed(1)}% (limit 10%)`);
  process.exit(1);
}
process.exit(0);
