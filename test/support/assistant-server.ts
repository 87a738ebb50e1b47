import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import type restify from 'restify';
import { createFeedbackStore, type FeedbackStore } from '../../bot/feedback/store.ts';
import { createServer } from '../../bot/server.ts';
import { ConversationMemory } from '../../bot/state/conversation-memory.ts';
import { createStorage } from '../../bot/state/create-storage.ts';
import { loadSettings, type Settings } from '../../config/settings.ts';
import { ingestCorpus } from '../../ingest/build.ts';
import type { Assistant } from '../../core/answer.ts';
import { createAssistant } from '../../knowledge/assistant.ts';
import { openIndex } from '../../knowledge/open-index.ts';
import { seedBundledIndex } from './bundled-index.ts';

/** A real index of the bundled corpus, built into a fresh temporary directory. */
export async function buildTestAssistant(env: Record<string, string> = {}): Promise<{ dir: string; settings: Settings; assistant: Assistant; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'partnership-assistant-'));
  const settings = loadSettings({
    CORPUS_DIR: resolve(import.meta.dirname, '..', '..', 'corpus'),
    INDEX_DIR: join(dir, 'index'),
    DATA_DIR: join(dir, 'data'),
    LOG_LEVEL: 'silent',
    ...env,
  });
  await seedBundledIndex(settings.INDEX_DIR);
  await ingestCorpus({ corpusDir: settings.CORPUS_DIR, indexDir: settings.INDEX_DIR, settings });
  const assistant = createAssistant(await openIndex(settings.INDEX_DIR, settings));
  return { dir, settings, assistant, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

export interface RunningServer {
  url: string;
  server: restify.Server;
  memory: ConversationMemory;
  feedback: FeedbackStore;
  close(): Promise<void>;
}

/** The product's server on 127.0.0.1 and a free port, with the file state store under settings.DATA_DIR. */
export async function startServer(settings: Settings, assistant: Assistant): Promise<RunningServer> {
  const storage = createStorage(settings);
  const memory = new ConversationMemory(storage);
  const feedback = createFeedbackStore(settings);
  const server = createServer({ settings, assistant, storage, memory, feedback, logger: pino({ level: 'silent' }) });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    server,
    memory,
    feedback,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

export async function postJson(url: string, body: unknown): Promise<{ status: number; json: any }> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, json: text ? JSON.parse(text) : undefined };
}
