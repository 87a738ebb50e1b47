import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { loadSettings, SettingsError, type Settings } from '../config/settings.ts';
import { ingestCorpus } from '../ingest/build.ts';
import { createAssistant } from '../knowledge/assistant.ts';
import { IndexError } from '../knowledge/index/knowledge-index.ts';
import { INDEX_FILES } from '../knowledge/index/layout.ts';
import { openIndex } from '../knowledge/index/open-index.ts';
import { createModelAnswerer } from '../knowledge/model/create-model-answerer.ts';
import { createFeedbackStore } from './feedback/store.ts';
import { planListen } from './http/listen-address.ts';
import { SwappableAssistant, watchIndex } from './index-reloader.ts';
import { createLogger } from './logging.ts';
import { handleShutdownSignals, InFlight, trackedAssistant } from './shutdown.ts';
import { closeSharedRedis } from './state/redis-client.ts';
import { createServer } from './server.ts';
import { ConversationMemory } from './state/conversation-memory.ts';
import { createStorage } from './state/create-storage.ts';

/** `npm start`: settings → index (built first when there is none and AUTO_INGEST allows) → assistant → server. */
async function main(): Promise<void> {
  const settings = loadSettings();
  const logger = createLogger(settings);

  const index = await loadIndex(settings, logger);
  const model = createModelAnswerer(settings);
  const served = new SwappableAssistant(createAssistant(index, { model }));
  const reloader = watchIndex({ settings, index, target: served, assistantFor: (next) => createAssistant(next, { model }), logger, intervalMs: settings.INDEX_RELOAD_INTERVAL_MS });
  const inFlight = new InFlight();
  const assistant = trackedAssistant(served, inFlight);
  const storage = createStorage(settings);
  const server = createServer({
    settings,
    assistant,
    storage,
    memory: new ConversationMemory(storage),
    feedback: createFeedbackStore(settings),
    logger,
  });

  const { host, warnings } = planListen(settings);
  for (const warning of warnings) logger.warn({ host }, warning);
  await new Promise<void>((resolve) => server.listen(settings.PORT, host, resolve));
  const address = server.address();
  logger.info(
    { url: `http://${host}:${address.port}`, documents: index.documents.length, paragraphs: index.paragraphs.length, mode: index.manifest.embeddings.provider },
    `listening: Bot Framework on /api/messages, JSON API on /api/ask, probes on /healthz and /readyz`,
  );

  handleShutdownSignals({
    stopAccepting: () => new Promise<void>((resolve) => server.close(() => resolve())),
    inFlight,
    resources: [
      { name: 'index watcher', close: () => reloader.stop() },
      { name: 'redis', close: closeSharedRedis },
    ],
    timeoutMs: settings.SHUTDOWN_TIMEOUT_MS,
    logger,
  });
}

async function loadIndex(settings: Settings, logger: Logger) {
  if (settings.AUTO_INGEST && !(await exists(join(settings.INDEX_DIR, INDEX_FILES.manifest)))) {
    logger.info({ corpus: settings.CORPUS_DIR, index: settings.INDEX_DIR }, 'no index yet: building it from the corpus');
    const report = await ingestCorpus({ corpusDir: settings.CORPUS_DIR, indexDir: settings.INDEX_DIR, settings });
    logger.info({ documents: report.documents, paragraphs: report.paragraphs, failures: report.failures.length, ms: Math.round(report.durationMs) }, 'index built');
  }
  return openIndex(settings.INDEX_DIR, settings);
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

main().catch((error: unknown) => {
  if (error instanceof SettingsError || error instanceof IndexError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
