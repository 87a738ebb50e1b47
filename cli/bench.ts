import { spawn } from 'node:child_process';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { PEERS, type PeerFigures, type PeerName } from '../bench/peers.ts';
import type { BuildFigures, PostgresFigures, ServeFigures } from '../bench/run-size.ts';
import { type Row, renderTable, rowFor } from '../bench/report.ts';

/**
 * `npm run bench`: for each corpus size, builds an index (bundled: the real corpus through ingestCorpus;
 * others: synthetic paragraphs) in one process and serves it from another, then prints every figure beside
 * its target. Each phase runs in its own Node process, so memory figures are those of a process that did
 * only that, and a size that runs out of memory or time fails alone and is reported as such.
 */

const DEFAULT_SIZES = ['bundled', '10000', '100000', '1000000'];
/** The machine is shared: a size that needs more than this fails alone instead of starving the others. */
const HEAP_MB = Math.max(2048, Math.floor((totalmem() / 1_048_576) * 0.4));

function parseSizes(value: string): string[] {
  const sizes = value.split(',').map((s) => s.trim().toLowerCase().replace(/_/g, '').replace(/k$/, '000').replace(/m$/, '000000'));
  for (const s of sizes) if (s !== 'bundled' && !/^[1-9]\d*$/.test(s)) throw new InvalidArgumentError(`"${s}" is not "bundled" or a number of paragraphs (10k, 1m allowed)`);
  return sizes;
}

function parseLimit(value: string): number {
  if (value.trim() === '0') return 0;
  const [size] = parseSizes(value);
  if (size === 'bundled') throw new InvalidArgumentError('a number of paragraphs (10k, 1m allowed), or 0');
  return Number(size);
}

const program = new Command()
  .name('bench')
  .description('Ingest, retrieval and answer benchmarks at several corpus sizes, against the targets')
  .option('--sizes <list>', 'comma-separated sizes: bundled, 10k, 100k, 1m, or a number', parseSizes, DEFAULT_SIZES)
  .option('--json', 'print JSON instead of the table')
  .option('--work <dir>', 'where the bench indexes are built', join(tmpdir(), 'partnership-assistant-bench'))
  .option('--timeout <minutes>', 'limit for each phase of each size', (v) => Number(v), 90)
  .option('--postgres-up-to <paragraphs>', 'also serve sizes up to this from a local PostgreSQL (publishing is the slow part); 0 for none', parseLimit, 10_000)
  .option('--peers-up-to <paragraphs>', `also build and query the peers (${PEERS.join(', ')}) at sizes up to this; 0 for none`, parseLimit, 100_000)
  .option('--keep', 'keep the bench indexes afterwards');
program.parse();
const options = program.opts<{ sizes: string[]; json?: boolean; work: string; timeout: number; postgresUpTo: number; peersUpTo: number; keep?: boolean }>();

await mkdir(options.work, { recursive: true });
// Synthetic corpora are generated from the bundled corpus's paragraphs, so it is always built first.
const sizes = ['bundled', ...options.sizes.filter((s) => s !== 'bundled')];
const rows: Row[] = [];
for (const size of sizes) {
  const build = await phase<BuildFigures>(size, 'build');
  if ('failure' in build) {
    rows.push(rowFor(size, { failure: build.failure }));
    if (size === 'bundled') break;
    continue;
  }
  const serve = await phase<ServeFigures>(size, 'serve');
  const served = 'failure' in serve ? { failure: serve.failure } : { serve };
  const paragraphs = build.paragraphs;
  const postgres = paragraphs <= options.postgresUpTo ? await phase<PostgresFigures>(size, 'postgres') : { failure: `not measured: over --postgres-up-to ${options.postgresUpTo}` };
  const peers: (PeerFigures | { peer: PeerName; failure: string })[] = [];
  for (const peer of paragraphs <= options.peersUpTo && options.sizes.includes(size) ? PEERS : []) {
    const figures = await phase<PeerFigures>(size, peer);
    peers.push('failure' in figures ? { peer, failure: figures.failure } : figures);
  }
  if (options.sizes.includes(size)) rows.push(rowFor(size, { build, ...served, postgres, peers }));
  if (!options.keep && size !== 'bundled') await rm(join(options.work, size), { recursive: true, force: true });
}
if (!options.keep) await rm(options.work, { recursive: true, force: true });

const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGb: Math.round(totalmem() / 1_073_741_824), node: process.version };
if (options.json) console.log(JSON.stringify({ machine, rows }, null, 2));
else console.log(renderTable(rows, machine));

async function phase<T>(size: string, name: 'build' | 'serve' | 'postgres' | PeerName): Promise<T | { failure: string }> {
  const out = join(options.work, `${size}.${name}.json`);
  await rm(out, { force: true });
  if (!options.json) process.stderr.write(`bench: ${size} ${name}…\n`);
  const started = performance.now();
  const result = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>((resolve) => {
    const child = spawn(
      process.execPath,
      // --expose-gc: a peer lets its paragraphs go before its memory is read.
      [`--max-old-space-size=${HEAP_MB}`, '--expose-gc', '--import', 'tsx', join(import.meta.dirname, '../bench/run-size.ts'), '--size', size, '--phase', name, '--work', options.work, '--out', out],
      { stdio: ['ignore', 'inherit', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeout * 60_000);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stderr });
    });
  });
  const minutes = ((performance.now() - started) / 60_000).toFixed(1);
  if (result.code === 0) return JSON.parse(await readFile(out, 'utf8')) as T;
  const lastLine = result.stderr.trim().split('\n').filter((l) => /error|memory|killed/i.test(l)).at(-1) ?? result.stderr.trim().split('\n').at(-1) ?? '';
  if (result.signal === 'SIGKILL') return { failure: `${name} stopped after ${minutes} min (limit ${options.timeout} min, or killed for memory)` };
  return { failure: `${name} failed after ${minutes} min: ${lastLine.trim().slice(0, 200)}` };
}
