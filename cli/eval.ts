import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command } from 'commander';
import { pino } from 'pino';
import { toAskJson } from '../bot/render/json.ts';
import { openOrIngest } from './open-or-ingest.ts';
import { loadSettings } from '../config/settings.ts';
import { createAssistant } from '../knowledge/assistant.ts';
import { createModelAnswerer } from '../knowledge/model/create-model-answerer.ts';
import { evaluate, parseGold, type Metrics, type Report } from '../knowledge/eval/metrics.ts';

/**
 * `npm run eval -- [--gold FILE] [--json]`: answers every gold question in-process, exactly as
 * `npm run ask -- --json --batch` would, and prints the metrics overall, by type and by language.
 */

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_GOLD = resolve(projectRoot, '../shared/eval/dev.jsonl');

const COLUMNS: Array<[keyof Metrics, string]> = [
  ['questions', 'n'],
  ['recallAt1', 'R@1'],
  ['recallAt5', 'R@5'],
  ['recallAt10', 'R@10'],
  ['mrr', 'MRR'],
  ['citationHitRate', 'cite-hit'],
  ['citationPrecision', 'cite-prec'],
  ['multiCoverage', 'multi-cov'],
  ['abstentionAccuracy', 'abstain'],
  ['falseAbstentionRate', 'false-abst'],
  ['lookupExactness', 'lookup'],
];

function table(report: Report): string {
  const rows: Array<[string, Metrics]> = [
    ['overall', report.overall],
    ...Object.entries(report.byType).map(([k, m]): [string, Metrics] => [`type:${k}`, m]),
    ...Object.entries(report.byLanguage).map(([k, m]): [string, Metrics] => [`lang:${k}`, m]),
  ];
  const cell = (v: number | null) => (v === null ? '-' : Number.isInteger(v) ? String(v) : v.toFixed(3));
  const lines = [['', ...COLUMNS.map(([, h]) => h)], ...rows.map(([name, m]) => [name, ...COLUMNS.map(([k]) => cell(m[k]))])];
  const widths = lines[0].map((_, i) => Math.max(...lines.map((l) => l[i].length)));
  return lines.map((l) => l.map((c, i) => c.padEnd(widths[i])).join('  ')).join('\n');
}

async function main(): Promise<void> {
  const program = new Command()
    .name('eval')
    .description('Evaluate the assistant on a gold question file.')
    .option('--gold <file>', 'gold JSONL file', DEFAULT_GOLD)
    .option('--json', 'print the report, and each question’s outcome, as JSON')
    .option('--verbose', 'also list each question with what it cited')
    .parse();
  const opts = program.opts<{ gold: string; json?: boolean; verbose?: boolean }>();

  const gold = parseGold(await readFile(opts.gold, 'utf8').catch(() => Promise.reject(new Error(`Cannot read the gold file ${opts.gold}.`))));
  const settings = loadSettings();
  const logger = pino({ level: settings.LOG_LEVEL, name: 'eval' }, pino.destination(2));
  const assistant = createAssistant(await openOrIngest(settings, logger), { model: createModelAnswerer(settings) });

  const pairs = [];
  for (const question of gold) pairs.push({ gold: question, prediction: toAskJson(await assistant.ask(question.q), question.id) });
  const report = evaluate(pairs);

  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ gold: opts.gold, ...report }, null, 2)}\n`);
    return;
  }
  if (opts.verbose) {
    for (const { gold: g, prediction: p } of pairs) {
      const cited = p.citations.map((c) => `${c.symbol}#${c.paragraph}`).join(' ') || (p.abstained ? 'ABSTAINED' : '-');
      const wanted = g.gold.map((e) => `${e.doc}#${e.para}`).join(' ') || 'abstain';
      process.stdout.write(`${g.id} ${g.type.padEnd(8)} want ${wanted.padEnd(34)} got ${cited}\n`);
    }
    process.stdout.write('\n');
  }
  process.stdout.write(`${opts.gold}\n${table(report)}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
