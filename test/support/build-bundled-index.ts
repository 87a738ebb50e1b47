import { loadSettings } from '../../config/settings.ts';
import { ingestCorpus } from '../../ingest/build.ts';

/** `node --import tsx build-bundled-index.ts DIR`: the bundled corpus's offline index at DIR, as the suites' own ingests build it. */
const [indexDir] = process.argv.slice(2);
if (!indexDir) throw new Error('usage: build-bundled-index.ts INDEX_DIR');
await ingestCorpus({ corpusDir: 'corpus', indexDir, settings: loadSettings({ CORPUS_DIR: 'corpus' }) });
