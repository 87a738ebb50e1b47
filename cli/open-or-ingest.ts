import type { Logger } from 'pino';
import type { Settings } from '../config/settings.ts';
import { ingestCorpus } from '../ingest/build.ts';
import type { KnowledgeIndex } from '../index/knowledge-index.ts';
import { hasIndex, openIndex } from '../knowledge/open-index.ts';

/** The command-line tools promise one command: the index is built from the corpus first when there is none. */
export async function openOrIngest(settings: Settings, logger: Logger): Promise<KnowledgeIndex> {
  if (!(await hasIndex(settings.INDEX_DIR))) {
    logger.info({ corpus: settings.CORPUS_DIR, index: settings.INDEX_DIR }, 'no index yet: building it from the corpus');
    const report = await ingestCorpus({ corpusDir: settings.CORPUS_DIR, indexDir: settings.INDEX_DIR, settings });
    logger.info({ documents: report.documents, paragraphs: report.paragraphs, failures: report.failures.length }, 'index built');
  }
  return openIndex(settings.INDEX_DIR, settings);
}
