import type { Logger } from 'pino';
import type { Settings } from '../config/settings.ts';
import { ingestCorpus } from '../ingest/build.ts';
import type { KnowledgeIndex } from '../index/knowledge-index.ts';
import { publishDirectory } from '../index/postgres/publish-directory.ts';
import { hasIndex, openIndex } from '../knowledge/open-index.ts';
import { NoPostgresIndexError, openPostgresIndex } from '../knowledge/open-postgres-index.ts';

/**
 * The command-line tools promise one command: the index is built from the corpus first when there is
 * none. With DATABASE_URL that means none in the database; a replica that finds one there builds nothing.
 */
export async function openOrIngest(settings: Settings, logger: Logger): Promise<KnowledgeIndex> {
  if (settings.DATABASE_URL) {
    try {
      return await openPostgresIndex(settings.DATABASE_URL, settings);
    } catch (error) {
      if (!(error instanceof NoPostgresIndexError)) throw error;
    }
    await ingestIfMissing(settings, logger);
    const { generation } = await publishDirectory(settings.INDEX_DIR, settings.DATABASE_URL, settings);
    logger.info({ generation }, 'index published to PostgreSQL');
    return openPostgresIndex(settings.DATABASE_URL, settings);
  }
  await ingestIfMissing(settings, logger);
  return openIndex(settings.INDEX_DIR, settings);
}

/** Opens the index the settings select (DATABASE_URL or INDEX_DIR), building nothing. */
export async function openConfiguredIndex(settings: Settings): Promise<KnowledgeIndex> {
  return settings.DATABASE_URL ? openPostgresIndex(settings.DATABASE_URL, settings) : openIndex(settings.INDEX_DIR, settings);
}

async function ingestIfMissing(settings: Settings, logger: Logger): Promise<void> {
  if (!(await hasIndex(settings.INDEX_DIR))) {
    logger.info({ corpus: settings.CORPUS_DIR, index: settings.INDEX_DIR }, 'no index yet: building it from the corpus');
    const report = await ingestCorpus({ corpusDir: settings.CORPUS_DIR, indexDir: settings.INDEX_DIR, settings });
    logger.info({ documents: report.documents, paragraphs: report.paragraphs, failures: report.failures.length }, 'index built');
  }
}
