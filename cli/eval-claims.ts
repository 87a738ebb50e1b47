import { readFile } from 'node:fs/promises';
import { checkJson, toAskJson } from '../bot/render/json.ts';
import type { Assistant } from '../core/answer.ts';
import type { KnowledgeIndex } from '../index/knowledge-index.ts';
import { analyseClaim, conclude } from '../knowledge/check/check.ts';
import { claimsToCheck } from '../knowledge/check/check-claim.ts';
import { crossValidate, type Folded } from '../knowledge/eval/claim-thresholds.ts';
import { claimReport, parseClaimCases, type ClaimMetrics } from '../knowledge/eval/claims.ts';
import { detectLanguage } from '../knowledge/question/language.ts';

/**
 * `npm run eval -- --claims FILE [--cross-validate] [--verbose] [--json]`: every labelled claim asked
 * in-process as `npm run ask -- --json` would, scored on its `check`; with `--cross-validate`, also the
 * leave-one-out figures of the check thresholds.
 */

const CLAIM_COLUMNS: Array<[keyof ClaimMetrics, string]> = [
  ['cases', 'n'],
  ['accuracy', 'accuracy'],
  ['falseSupported', 'false-supp'],
  ['trueSupported', 'true-supp'],
  ['citedResolved', 'cited'],
  ['locationFound', 'location'],
  ['cannotTell', 'cannot-tell'],
];

function grid(rows: Array<[string, Record<string, number | null>]>, columns: Array<[string, string]>): string {
  const cell = (v: number | null) => (v === null ? '-' : Number.isInteger(v) ? String(v) : v.toFixed(3));
  const lines = [['', ...columns.map(([, h]) => h)], ...rows.map(([name, m]) => [name, ...columns.map(([k]) => cell(m[k]))])];
  const widths = lines[0].map((_, i) => Math.max(...lines.map((l) => l[i].length)));
  return lines.map((l) => l.map((c, i) => c.padEnd(widths[i])).join('  ')).join('\n');
}

/** Leave-one-out figures: each case decided by thresholds fitted on the others. */
async function crossValidated(index: KnowledgeIndex, cases: ReturnType<typeof parseClaimCases>): Promise<string> {
  const folded: Folded[] = [];
  for (const gold of cases) {
    const claim = claimsToCheck(gold.q, index)?.[0];
    const language = detectLanguage(gold.q);
    const analysis = claim && (await analyseClaim(claim, await index.view({ texts: [gold.q] }), language));
    folded.push({ gold, conclude: (t) => (analysis ? checkJson(conclude(analysis, language, t)) : { verdict: 'cannot_tell', cited: null, evidence: [], claim: '', differences: [] }) });
  }
  const { metrics, fitted } = crossValidate(folded);
  return `leave-one-out (thresholds refitted without each case)\n${grid([['cross-validated', { ...metrics }]], CLAIM_COLUMNS)}\nfitted on all cases: ${JSON.stringify(fitted)}\n`;
}

export async function evalClaims(assistant: Assistant, index: KnowledgeIndex, file: string, opts: { json?: boolean; verbose?: boolean; crossValidate?: boolean }): Promise<void> {
  const cases = parseClaimCases(await readFile(file, 'utf8').catch(() => Promise.reject(new Error(`Cannot read the claims file ${file}.`))));
  const pairs = [];
  for (const gold of cases) pairs.push({ gold, check: toAskJson(await assistant.ask(gold.q), gold.id).check });
  const report = claimReport(pairs);
  if (opts.json) {
    process.stdout.write(`${JSON.stringify({ claims: file, ...report, cases: pairs.map((p) => ({ id: p.gold.id, check: p.check ?? null })) }, null, 2)}\n`);
    return;
  }
  if (opts.verbose) {
    for (const { gold, check } of pairs) {
      const evidence = check?.evidence.map((e) => `${e.symbol}#${e.paragraph}`).join(' ') || '-';
      process.stdout.write(`${gold.id} ${gold.kind.padEnd(17)} want ${gold.verdict.padEnd(17)} got ${(check?.verdict ?? 'no check').padEnd(17)} cited ${check?.cited ? `${check.cited.symbol}#${check.cited.paragraph}` : '-'}  evidence ${evidence}\n`);
    }
    process.stdout.write('\n');
  }
  const rows: Array<[string, Record<string, number | null>]> = [
    ['overall', { ...report.overall }],
    ...Object.entries(report.byKind).map(([k, m]): [string, Record<string, number | null>] => [`kind:${k}`, { ...m }]),
    ...Object.entries(report.byLanguage).map(([k, m]): [string, Record<string, number | null>] => [`lang:${k}`, { ...m }]),
  ];
  process.stdout.write(`${file}\n${grid(rows, CLAIM_COLUMNS)}\n`);
  if (opts.crossValidate) process.stdout.write(`\n${await crossValidated(index, cases)}`);
}
