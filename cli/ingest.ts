import { Command } from 'commander';
import cliProgress from 'cli-progress';
import { loadSettings, type Settings, SettingsError } from '../config/settings.ts';
import { IngestError, type IngestProgress, type IngestReport, ingestCorpus, type IngestStage } from '../ingest/build.ts';
import { publishDirectory } from '../index/postgres/publish-directory.ts';

/** `npm run ingest [-- --corpus DIR --index DIR --strict]`: builds or refreshes the index. */

const STAGE_NAMES: Record<IngestStage, string> = { scan: 'Scanning', parse: 'Parsing', index: 'Indexing', embed: 'Embedding', write: 'Writing' };

function progressReporter(): { onProgress: (e: IngestProgress) => void; stop: () => void } {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: '{stage} [{bar}] {value}/{total} {file}', stream: process.stderr, clearOnComplete: true, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      onProgress: (e) => {
        const payload = { stage: STAGE_NAMES[e.stage].padEnd(9), file: e.file ?? '' };
        if (!started) {
          bar.start(e.total, e.done, payload);
          started = true;
        }
        bar.setTotal(e.total);
        bar.update(e.done, payload);
      },
      stop: () => bar.stop(),
    };
  }
  // Not a terminal (CI, logs): one plain line per step, no control characters.
  let lastStage: IngestStage | undefined;
  return {
    onProgress: (e) => {
      if (e.stage === 'parse' && e.file) console.error(`parse ${e.done + 1}/${e.total} ${e.file}`);
      else if (e.stage !== lastStage && e.stage !== 'parse') console.error(`${STAGE_NAMES[e.stage].toLowerCase()} ${e.total}`);
      lastStage = e.stage;
    },
    stop: () => {},
  };
}

function formatSummary(report: IngestReport): string {
  const lines: string[] = [];
  const seconds = (report.durationMs / 1000).toFixed(2);
  if (report.upToDate) {
    lines.push(`Index at ${report.indexDir} is up to date: nothing changed in ${report.corpusDir} (${report.documents} documents, ${report.paragraphs} paragraphs; ${seconds} s).`);
  } else {
    lines.push(`Indexed ${report.documents} documents, ${report.paragraphs} paragraphs into ${report.indexDir} in ${seconds} s.`);
    lines.push(`  files: ${report.parsed.length} parsed, ${report.reused.length} unchanged, ${report.removed.length} removed${report.removed.length ? ` (${report.removed.join(', ')})` : ''}`);
  }
  const kinds = Object.entries(report.byLabelKind)
    .filter(([, n]) => n > 0)
    .map(([kind, n]) => `${kind} ${n}`)
    .join(', ');
  lines.push(`  paragraphs by kind: ${kinds || 'none'}`);
  lines.push(
    report.embeddings.dimension
      ? `  vectors: ${report.embeddings.provider}:${report.embeddings.model} (${report.embeddings.dimension} dimensions)`
      : '  vectors: none (no embedding model configured; retrieval is lexical)',
  );
  if (report.warnings.length) {
    lines.push(`Warnings (${report.warnings.length}):`);
    // Parser warnings name their file already (they stand alone in a ParsedDocument).
    for (const w of report.warnings) lines.push(`  ${w.message}`);
  }
  if (report.failures.length) {
    lines.push(`Not ingested (${report.failures.length}):`);
    for (const f of report.failures) lines.push(`  ${f.file}: ${f.message}`);
  }
  if (!report.warnings.length && !report.failures.length) lines.push('No warnings.');
  return lines.join('\n');
}

async function main(): Promise<number> {
  const program = new Command()
    .name('ingest')
    .description('Parse the corpus into labelled paragraphs and write the index (atomically, incrementally).')
    .option('--corpus <dir>', 'folder of documents (default: CORPUS_DIR)')
    .option('--index <dir>', 'index directory (default: INDEX_DIR)')
    .option('--strict', 'exit non-zero when any file failed or produced a warning')
    .parse();
  const options = program.opts<{ corpus?: string; index?: string; strict?: boolean }>();

  let settings: Settings;
  try {
    settings = loadSettings();
  } catch (error) {
    if (error instanceof SettingsError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }

  const reporter = progressReporter();
  let report: IngestReport;
  try {
    report = await ingestCorpus({
      corpusDir: options.corpus ?? settings.CORPUS_DIR,
      indexDir: options.index ?? settings.INDEX_DIR,
      settings,
      onProgress: reporter.onProgress,
    });
  } catch (error) {
    reporter.stop();
    if (error instanceof IngestError) {
      console.log(formatSummary(error.report));
      console.error(error.message);
      return 1;
    }
    console.error(`Ingest failed; the previous index is unchanged: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  reporter.stop();
  console.log(formatSummary(report));
  if (settings.DATABASE_URL) {
    try {
      const { generation, published } = await publishDirectory(report.indexDir, settings.DATABASE_URL, settings);
      console.log(published ? `Published to PostgreSQL (DATABASE_URL) as generation ${generation}.` : `PostgreSQL (DATABASE_URL) already serves this index (generation ${generation}).`);
    } catch (error) {
      console.error(`Publishing to PostgreSQL failed; the database still serves its previous index: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    }
  }
  if (options.strict && (report.failures.length || report.warnings.length)) {
    console.error(`--strict: ${report.failures.length} file(s) not ingested, ${report.warnings.length} warning(s).`);
    return 1;
  }
  return 0;
}

process.exitCode = await main();
