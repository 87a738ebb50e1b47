import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, InvalidArgumentError } from 'commander';
import { pino } from 'pino';
import { toAskJson } from '../bot/render/json.ts';
import { openOrIngest } from './open-or-ingest.ts';
import { loadSettings } from '../config/settings.ts';
import { createAssistant } from '../knowledge/assistant.ts';
import { createModelAnswerer } from '../knowledge/model/create-model-answerer.ts';
import { evaluate, type GoldQuestion, type Metrics, type Prediction, type Report } from '../knowledge/eval/metrics.ts';
import { fitRankingModel, folds, questionRows } from '../knowledge/learn/fit.ts';
import { OWN_LABELLED, readLabelled, SHARED_LABELLED } from '../knowledge/learn/labelled.ts';
import { evalClaims } from './eval-claims.ts';

/**
 * `npm run eval -- [--gold FILE...] [--json]`: answers every gold question in-process, exactly as
 * `npm run ask -- --json --batch` would, and prints the metrics overall, by type and by language.
 * `--cv K` reports K-fold cross-validated figures instead (by default over train.jsonl and dev.jsonl):
 * each fold is answered by a ranking model fitted on the other folds, plus the project's own labelled
 * questions (never scored; `--no-extra` leaves them out), so that no figure comes from questions the
 * weights were fitted on. `--claims FILE` scores claim checks instead (eval-claims.ts).
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
    .option('--gold <files...>', 'gold JSONL files (default ../shared/eval/dev.jsonl; with --cv, train.jsonl and dev.jsonl)')
    .option('--cv <k>', 'K-fold cross-validation of the fitted ranking model', (v) => {
      const k = Number(v);
      if (!Number.isInteger(k) || k < 2) throw new InvalidArgumentError('--cv takes a whole number of folds, at least 2');
      return k;
    })
    .option('--extra <files...>', 'with --cv: labelled files added to every fold\'s training, never scored (default: knowledge/learn/labelled/)')
    .option('--no-extra', 'with --cv: fit each fold on the scored questions alone')
    .option('--claims <file>', 'score claim checks on a labelled claims JSONL file instead')
    .option('--cross-validate', 'with --claims: also leave-one-out figures of the check thresholds')
    .option('--json', 'print the report, and each question’s outcome, as JSON')
    .option('--verbose', 'also list each question with what it cited')
    .parse();
  const opts = program.opts<{ gold?: string[]; cv?: number; extra?: string[] | boolean; claims?: string; crossValidate?: boolean; json?: boolean; verbose?: boolean }>();
  if (opts.claims) {
    const settings = loadSettings();
    const index = await openOrIngest(settings, pino({ level: settings.LOG_LEVEL, name: 'eval' }, pino.destination(2)));
    await evalClaims(createAssistant(index, { model: createModelAnswerer(settings) }), index, opts.claims, opts);
    return;
  }
  const files = opts.gold ?? (opts.cv ? SHARED_LABELLED : [DEFAULT_GOLD]);
  const extraFiles = opts.extra === false ? [] : Array.isArray(opts.extra) ? opts.extra : OWN_LABELLED;
  const gold = await readLabelled(files);
  const settings = loadSettings();
  const logger = pino({ level: settings.LOG_LEVEL, name: 'eval' }, pino.destination(2));
  const index = await openOrIngest(settings, logger);
  const model = createModelAnswerer(settings);

  const pairs: { gold: GoldQuestion; prediction: Prediction }[] = [];
  if (opts.cv) {
    const rows = new Map((await questionRows(index, gold)).map((r) => [r.id, r]));
    const extra = await questionRows(index, await readLabelled(extraFiles));
    for (const held of folds(gold, opts.cv)) {
      const heldIds = new Set(held.map((q) => q.id));
      const training = [...gold.filter((q) => !heldIds.has(q.id)).flatMap((q) => rows.get(q.id) ?? []), ...extra];
      const assistant = createAssistant(index, { model, ranking: fitRankingModel(training, [...files, ...extraFiles]) });
      for (const question of held) pairs.push({ gold: question, prediction: toAskJson(await assistant.ask(question.q), question.id) });
    }
  } else {
    const assistant = createAssistant(index, { model });
    for (const question of gold) pairs.push({ gold: question, prediction: toAskJson(await assistant.ask(question.q), question.id) });
  }
  const report = evaluate(pairs);
  const trainedAlso = opts.cv && extraFiles.length ? `; each fold also trained on ${extraFiles.join(' + ')}` : '';
  const title = `${files.join(' + ')}${opts.cv ? ` (${opts.cv}-fold cross-validated, folds stratified by type${trainedAlso})` : ''}`;

  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ gold: files, cv: opts.cv ?? null, ...report }, null, 2)}\n`);
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
  process.stdout.write(`${title}\n${table(report)}\n`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
