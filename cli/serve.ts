import { loadSettings, SettingsError } from '../config/settings.ts';
import { createAssistant } from '../knowledge/assistant.ts';
import { IndexError } from '../index/knowledge-index.ts';
import { createModelAnswerer } from '../knowledge/model/create-model-answerer.ts';
import { createFeedbackStore } from '../bot/feedback/store.ts';
import { planListen } from '../bot/http/listen-address.ts';
import { openConfiguredIndex, openOrIngest } from './open-or-ingest.ts';
import { SwappableAssistant, watchIndex } from '../bot/index-reloader.ts';
import { fileSource, postgresSource } from '../knowledge/index-source.ts';
import { createLogger } from '../bot/logging.ts';
import { handleShutdownSignals, InFlight, trackedAssistant } from '../bot/shutdown.ts';
import { closeSharedRedis } from '../bot/state/redis-client.ts';
import { createServer } from '../bot/server.ts';
import { ConversationMemory } from '../bot/state/conversation-memory.ts';
import { createStorage } from '../bot/state/create-storage.ts';

/** `npm start`: settings → index (built first when there is none and AUTO_INGEST allows) → assistant → server. */
async function main(): Promise<void> {
  const settings = loadSettings();
  const logger = createLogger(settings);

  // AUTO_INGEST=false refuses to start on a missing index (IndexError says what to run) instead of building it.
  const index = settings.AUTO_INGEST ? await openOrIngest(settings, logger) : await openConfiguredIndex(settings);
  const model = createModelAnswerer(settings);
  const served = new SwappableAssistant(createAssistant(index, { model }));
  // The watcher follows INDEX_DIR, or on PostgreSQL the generation an ingest published last.
  const source = settings.DATABASE_URL ? postgresSource(settings.DATABASE_URL, settings) : fileSource(settings);
  const reloader = watchIndex({ source, index, target: served, assistantFor: (next) => createAssistant(next, { model }), logger, intervalMs: settings.INDEX_RELOAD_INTERVAL_MS });
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
    { url: `http://${host}:${address.port}`, documents: index.documents.length, paragraphs: index.manifest.paragraphs, mode: index.manifest.embeddings.provider },
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

main().catch((error: unknown) => {
  if (error instanceof SettingsError || error instanceof IndexError) console.error(error.message);
  else console.error(error);
  process.exit(1);
});
