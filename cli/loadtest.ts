import { fork } from 'node:child_process';
import { once } from 'node:events';
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

/**
 * `npm run loadtest`: the product's server on 127.0.0.1 (rate limits raised out of the way), driven by
 * autocannon with all connections on /api/ask, then on /api/messages (Teams activities of 100 people in
 * their personal chats, so every turn reads and writes its conversation's state and remembers its reply),
 * then on both at once (half the connections each). Bot Framework replies go to a fake connector on
 * 127.0.0.1. Prints throughput, latency, errors and RSS before and after (after a GC). Fails (exit 1) on
 * any error or non-2xx response, on /api/messages below half the throughput of /api/ask, or on growth of
 * the heap after GC beyond 10% (RSS is shown too, but keeps the allocator's high-water mark and is no
 * measure of a leak).
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
const connector = fork(new URL('./loadtest-connector.ts', import.meta.url), { execArgv: ['--import', 'tsx'] });
const [{ serviceUrl }] = (await once(connector, 'message')) as [{ serviceUrl: string }];
const server = createServer({ settings, assistant, storage, memory: new ConversationMemory(storage), feedback: createFeedbackStore(settings), logger });
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

/** People asking on /api/messages, each in a personal chat of their own. */
const PEOPLE = 100;
let counter = 0;
const next = () => QUESTIONS[counter++ % QUESTIONS.length];
function activity(): string {
  const n = counter;
  return JSON.stringify({
    type: 'message',
    id: `load-${n}`,
    channelId: 'msteams',
    serviceUrl,
    from: { id: `29:user-${n % PEOPLE}`, name: 'Load' },
    recipient: { id: '28:bot', name: 'bot' },
    conversation: { id: `a:load-conversation-${n % PEOPLE}`, conversationType: 'personal' },
    locale: 'zh-CN',
    text: next(),
  });
}

function drive(path: string, connections: number, body: () => string, duration = options.duration, amount?: number): Promise<Result> {
  return autocannon({
    url: `${url}${path}`,
    connections,
    ...(amount === undefined ? { duration } : { amount }),
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    requests: [{ setupRequest: (request) => ({ ...request, body: body() }) }],
  });
}

/** Memory after a full GC: RSS as the operator sees it, and the JavaScript heap, which is where a leak shows. */
function memoryMiB(): { rss: number; heap: number } {
  (globalThis as { gc?: () => void }).gc?.();
  const usage = process.memoryUsage();
  return { rss: usage.rss / 2 ** 20, heap: usage.heapUsed / 2 ** 20 };
}

// A warm-up, so that "before" is measured with the code loaded, the caches filled and every conversation's
// state at its full size (the turns and replies kept per conversation).
await drive('/api/ask', 2, () => JSON.stringify({ question: next() }), 3).catch(() => undefined);
await drive('/api/messages', options.connections, activity, undefined, PEOPLE * 20).catch(() => undefined);
const before = memoryMiB();
const half = Math.max(1, Math.floor(options.connections / 2));
const ROUNDS = 5;
const slice = Math.max(2, Math.round(options.duration / ROUNDS));
console.log(
  `driving ${url}: /api/ask and /api/messages in turn on ${options.connections} connections, ${ROUNDS} slices of ${slice}s each, then both at once on ${options.connections - half} + ${half} for ${options.duration}s…`,
);
// Alternating short slices, so that a change in the machine's load (other processes) falls on both routes alike.
const askSlices: Result[] = [];
const messageSlices: Result[] = [];
for (let round = 0; round < ROUNDS; round++) {
  askSlices.push(await drive('/api/ask', options.connections, () => JSON.stringify({ question: next() }), slice));
  messageSlices.push(await drive('/api/messages', options.connections, activity, slice));
}
const ask = combined(askSlices);
const messages = combined(messageSlices);
const [askShared, messagesShared] = await Promise.all([
  drive('/api/ask', options.connections - half, () => JSON.stringify({ question: next() })),
  drive('/api/messages', half, activity),
]);
await new Promise((resolve) => setTimeout(resolve, 500));
const after = memoryMiB();

interface Figures {
  requestsPerSecond: number;
  requests: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

function figures(r: Result): Figures {
  return { requestsPerSecond: r.requests.total / r.duration, requests: r.requests.total, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors + r.timeouts, non2xx: r.non2xx };
}

/** The slices of one route as one run: requests over the time driven; latencies are the slices' worst. */
function combined(slices: Result[]): Figures {
  const requests = slices.reduce((sum, r) => sum + r.requests.total, 0);
  const seconds = slices.reduce((sum, r) => sum + r.duration, 0);
  return {
    requestsPerSecond: requests / seconds,
    requests,
    p50: Math.max(...slices.map((r) => r.latency.p50)),
    p99: Math.max(...slices.map((r) => r.latency.p99)),
    errors: slices.reduce((sum, r) => sum + r.errors + r.timeouts, 0),
    non2xx: slices.reduce((sum, r) => sum + r.non2xx, 0),
  };
}

const row = (name: string, f: Figures) => ({
  route: name,
  'req/s': Math.round(f.requestsPerSecond),
  requests: f.requests,
  'p50 ms': f.p50,
  'p99 ms': f.p99,
  errors: f.errors,
  'non-2xx': f.non2xx,
});
console.table([row('/api/ask', ask), row('/api/messages', messages), row('/api/ask (shared)', figures(askShared)), row('/api/messages (shared)', figures(messagesShared))]);
const ratio = messages.requestsPerSecond / ask.requestsPerSecond;
console.log(`/api/messages at ${(ratio * 100).toFixed(0)}% of /api/ask's throughput (target ≥ 50%)`);
const growth = (after.heap - before.heap) / before.heap;
console.log(
  `heap after GC before ${before.heap.toFixed(1)} MiB, after ${after.heap.toFixed(1)} MiB (${(growth * 100).toFixed(1)}%); RSS ${before.rss.toFixed(1)} → ${after.rss.toFixed(1)} MiB${(globalThis as { gc?: unknown }).gc ? '' : ' — run with --expose-gc for comparable figures'}`,
);
connector.send('counts');
const [{ counts }] = (await once(connector, 'message')) as [{ counts: Record<string, number> }];
console.log(`Bot Framework posts received by the fake connector: ${counts.message ?? 0} messages, ${counts.typing ?? 0} typing`);

await new Promise<void>((resolve) => server.close(() => resolve()));
connector.send('stop');
await once(connector, 'exit');
const failed = [ask, messages, figures(askShared), figures(messagesShared)].reduce((sum, f) => sum + f.errors + f.non2xx, 0);
const failures = [
  ...(failed > 0 ? [`${failed} errors or non-2xx responses`] : []),
  ...(ratio < 0.5 ? [`/api/messages at ${(ratio * 100).toFixed(0)}% of /api/ask (target 50%)`] : []),
  ...(growth > 0.1 ? [`the heap grew ${(growth * 100).toFixed(1)}% (limit 10%)`] : []),
];
if (failures.length) {
  console.error(`FAILED: ${failures.join('; ')}`);
  process.exit(1);
}
process.exit(0);
