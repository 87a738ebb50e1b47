import { rename, writeFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { pino } from 'pino';
import { loadSettings } from '../config/settings.ts';
import { WEIGHTS_FILE } from '../knowledge/answer/rank.ts';
import { fitRankingModel, questionRows } from '../knowledge/learn/fit.ts';
import { DEFAULT_LABELLED, readLabelled } from '../knowledge/learn/labelled.ts';
import { openOrIngest } from './open-or-ingest.ts';

/**
 * `npm run train [-- --gold FILE ...]`: fits the ranking model on labelled questions (by default
 * ../shared/eval/train.jsonl and dev.jsonl) over the index, and writes knowledge/answer/weights.json,
 * which is committed and read at run time. The same questions and index always give the same file.
 */

const projectRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));

async function main(): Promise<void> {
  const program = new Command()
    .name('train')
    .description('Fit the ranking and abstention model on labelled questions and write knowledge/answer/weights.json.')
    .option('--gold <files...>', 'labelled question files (JSONL, ../shared/eval/SCHEME.md)', DEFAULT_LABELLED)
    .parse();
  const { gold } = program.opts<{ gold: string[] }>();
  const settings = loadSettings();
  const logger = pino({ level: settings.LOG_LEVEL, name: 'train' }, pino.destination(2));
  const index = await openOrIngest(settings, logger);
  const questions = await readLabelled(gold);
  const rows = await questionRows(index, questions);
  const model = fitRankingModel(rows, gold.map((f) => relative(projectRoot, f)));
  const target = fileURLToPath(WEIGHTS_FILE);
  await writeFile(`${target}.tmp`, `${JSON.stringify(model, null, 2)}\n`);
  await rename(`${target}.tmp`, target);
  process.stdout.write(
    `fitted on ${rows.length} of ${questions.length} questions (the rest name a paragraph and are looked up): ` +
      `lambda ${model.fitted.lambda} (decision ${model.fitted.decisionLambda}), answer threshold ${model.answerThreshold}, extra threshold ${model.extraThreshold}\n` +
      `wrote ${relative(process.cwd(), target)}\n`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
