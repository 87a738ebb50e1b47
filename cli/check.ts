import { Command } from 'commander';
import { pino } from 'pino';
import { loadSettings, SettingsError } from '../config/settings.ts';
import { IndexError } from '../index/knowledge-index.ts';
import { readDocument, UnreadableDocumentError } from '../ingest/readers/index.ts';
import { checkDraft, draftPasses } from '../knowledge/check/draft.ts';
import { createModelAnswerer } from '../knowledge/model/create-model-answerer.ts';
import { checkReportTable } from '../bot/render/check-text.ts';
import { checkJson } from '../bot/render/json.ts';
import { openOrIngest } from './open-or-ingest.ts';

/**
 * `npm run check -- FILE [--json]`: every citation in a draft (text, Markdown, DOCX, PDF, HTML, read as
 * ingest reads them) checked against the paragraph it cites. A table for a person, or one JSON object
 * per citation; exit status 1 when any citation is not supported or points nowhere, 2 when the file
 * cannot be read.
 */

async function main(argv: string[]): Promise<void> {
  const program = new Command()
    .name('check')
    .description('Check every citation in a draft against the paragraph it cites.')
    .argument('<file>', 'the draft: .txt, .md, .docx, .pdf or .html')
    .option('--json', 'print one JSON object per citation')
    .showHelpAfterError();
  program.parse(argv);
  const opts = program.opts<{ json?: boolean }>();
  const [file] = program.args;

  const source = await readDocument(file);
  const settings = loadSettings();
  const logger = pino({ level: settings.LOG_LEVEL, name: 'check' }, pino.destination(2));
  const index = await openOrIngest(settings, logger);
  const { language, checks } = await checkDraft(source.text, index, { model: createModelAnswerer(settings) });
  if (opts.json) for (const check of checks) process.stdout.write(`${JSON.stringify(checkJson(check))}\n`);
  else process.stdout.write(`${checks.length ? checkReportTable(checks, language) : language === 'zh' ? '文中没有找到引用。' : 'No citations found in the text.'}\n`);
  if (!draftPasses(checks)) process.exitCode = 1;
}

main(process.argv).catch((error: unknown) => {
  const known = error instanceof SettingsError || error instanceof IndexError || error instanceof UnreadableDocumentError;
  console.error(known || error instanceof Error ? error.message : error);
  process.exit(2);
});
