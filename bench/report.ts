import type { PeerFigures, PeerName } from './peers.ts';
import type { Percentiles } from './queries.ts';
import type { BuildFigures, PostgresFigures, ServeFigures } from './run-size.ts';

/** One corpus size's figures, flattened for the table and the JSON output. */
export interface Row {
  size: string;
  paragraphs?: number;
  documents?: number;
  buildMs?: number;
  ingestPerSecond?: number;
  stages?: Record<string, number>;
  indexMb?: number;
  buildPeakRssMb?: number;
  servingRssMb?: number;
  servingLiveHeapMb?: number;
  loadMs?: number;
  readyMs?: number;
  retrieval?: Percentiles;
  restricted?: Percentiles;
  answer?: Percentiles;
  postgres?: PostgresFigures;
  peers: PeerFigures[];
  notes: string[];
  failure?: string;
  targets: TargetCheck[];
}

export interface TargetCheck {
  target: string;
  measured: number;
  limit: number;
  met: boolean;
  /** "3.1× under", "short by 0.04", … */
  margin: string;
}

/** Targets of issues 6 and 13 on the 2-core reference machine. */
const TARGETS = {
  answerP50Bundled: 10,
  retrievalP50At1M: 50,
  retrievalP99At1M: 150,
  ingestPerSecond: 5_000,
  readyMsAt100k: 3_000,
};

export function rowFor(
  size: string,
  figures: { build?: BuildFigures; serve?: ServeFigures; postgres?: PostgresFigures | { failure: string }; peers?: (PeerFigures | { peer: PeerName; failure: string })[]; failure?: string },
): Row {
  const { build, serve } = figures;
  const postgres = figures.postgres && !('failure' in figures.postgres) ? figures.postgres : undefined;
  if (!build) return { size, peers: [], notes: [], failure: figures.failure, targets: [] };
  const peers = figures.peers ?? [];
  const row: Row = {
    size,
    paragraphs: build.paragraphs,
    documents: build.documents,
    buildMs: build.buildMs,
    ingestPerSecond: Math.round(build.paragraphs / (build.buildMs / 1000)),
    stages: build.stages,
    indexMb: round(build.indexBytes / 1_048_576, 1),
    buildPeakRssMb: build.peakRssMb,
    servingRssMb: serve?.rssMb,
    servingLiveHeapMb: serve?.liveHeapMb,
    loadMs: serve?.loadMs,
    readyMs: serve?.readyMs,
    retrieval: serve?.retrieval,
    restricted: serve?.restricted,
    answer: serve?.answer,
    postgres,
    peers: peers.filter((p): p is PeerFigures => !('failure' in p)),
    notes: [
      ...build.notes,
      ...(figures.postgres && 'failure' in figures.postgres ? [`PostgreSQL ${figures.postgres.failure}`] : []),
      ...peers.flatMap((p) => ('failure' in p ? [`${p.peer}: ${p.failure}`] : [])),
    ],
    failure: figures.failure,
    targets: [],
  };
  if (size !== 'bundled' && build.paragraphs >= 100_000) row.targets.push(atLeast(`ingest ≥ ${TARGETS.ingestPerSecond.toLocaleString('en')} paragraphs/s`, row.ingestPerSecond!, TARGETS.ingestPerSecond));
  if (build.paragraphs === 100_000 && row.readyMs !== undefined) row.targets.push(atMost(`serving ready (load + first answer) < ${TARGETS.readyMsAt100k / 1000} s (100k)`, row.readyMs, TARGETS.readyMsAt100k));
  if (size === 'bundled' && row.answer) row.targets.push(atMost(`answer p50 < ${TARGETS.answerP50Bundled} ms (bundled)`, row.answer.p50, TARGETS.answerP50Bundled));
  if (build.paragraphs >= 1_000_000 && row.retrieval) {
    row.targets.push(atMost(`retrieval p50 < ${TARGETS.retrievalP50At1M} ms (1M)`, row.retrieval.p50, TARGETS.retrievalP50At1M));
    row.targets.push(atMost(`retrieval p99 < ${TARGETS.retrievalP99At1M} ms (1M)`, row.retrieval.p99, TARGETS.retrievalP99At1M));
  }
  return row;
}

function atMost(target: string, measured: number, limit: number): TargetCheck {
  const met = measured < limit;
  return { target, measured, limit, met, margin: met ? `${round(limit / Math.max(measured, 0.001), 1)}× under` : `${round(measured / limit, 1)}× over` };
}

function atLeast(target: string, measured: number, limit: number): TargetCheck {
  const met = measured >= limit;
  if (limit < 1) return { target, measured, limit, met, margin: met ? `+${round(measured - limit, 4)}` : `short by ${round(limit - measured, 4)}` };
  return { target, measured, limit, met, margin: met ? `${round(measured / limit, 1)}× the target` : `${round((measured / limit) * 100, 0)}% of the target` };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

const ms = (v: number | undefined) => (v === undefined ? '—' : v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : Math.round(v).toLocaleString('en'));
const pct = (p: Percentiles | undefined) => (p ? `${ms(p.p50)} / ${ms(p.p95)} / ${ms(p.p99)}` : '—');
const num = (v: number | undefined) => (v === undefined ? '—' : v.toLocaleString('en'));

export function renderTable(rows: Row[], machine: { cpus: number; cpuModel: string; memoryGb: number; node: string }): string {
  const lines: [string, ...string[]][] = [
    ['corpus', ...rows.map((r) => r.size)],
    ['paragraphs (documents)', ...rows.map((r) => (r.paragraphs === undefined ? '—' : `${num(r.paragraphs)} (${num(r.documents)})`))],
    ['index build, s', ...rows.map((r) => (r.buildMs === undefined ? '—' : (r.buildMs / 1000).toFixed(1)))],
    ['ingest, paragraphs/s', ...rows.map((r) => num(r.ingestPerSecond))],
    ['index on disk, MB', ...rows.map((r) => num(r.indexMb))],
    ['RSS peak while building, MB', ...rows.map((r) => num(r.buildPeakRssMb))],
    ['build stages, s', ...rows.map((r) => (r.stages ? Object.entries(r.stages).map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`).join(', ') : '—'))],
    ['RSS serving, MB', ...rows.map((r) => num(r.servingRssMb))],
    ['live heap after the queries, MB', ...rows.map((r) => num(r.servingLiveHeapMb))],
    ['index load, ms', ...rows.map((r) => num(r.loadMs))],
    ['ready (load + first answer), ms', ...rows.map((r) => num(r.readyMs))],
    ['retrieval p50/p95/p99, ms', ...rows.map((r) => pct(r.retrieval))],
    ['retrieval in one document p50/p95/p99, ms', ...rows.map((r) => pct(r.restricted))],
    ['answer p50/p95/p99, ms', ...rows.map((r) => pct(r.answer))],
    ['PostgreSQL: publish, s', ...rows.map((r) => (r.postgres ? (r.postgres.publishMs / 1000).toFixed(1) : '—'))],
    ['PostgreSQL: database, MB', ...rows.map((r) => num(r.postgres?.databaseMb))],
    ['PostgreSQL: RSS serving, MB', ...rows.map((r) => num(r.postgres?.rssMb))],
    ['PostgreSQL: live heap after the queries, MB', ...rows.map((r) => num(r.postgres?.liveHeapMb))],
    ['PostgreSQL: ready, ms', ...rows.map((r) => num(r.postgres?.readyMs))],
    ['PostgreSQL: retrieval p50/p95/p99, ms', ...rows.map((r) => pct(r.postgres?.retrieval))],
    ['PostgreSQL: in one document p50/p95/p99, ms', ...rows.map((r) => pct(r.postgres?.restricted))],
    ['PostgreSQL: answer p50/p95/p99, ms', ...rows.map((r) => pct(r.postgres?.answer))],
    ['PostgreSQL / file, retrieval p50', ...rows.map((r) => (r.postgres && r.retrieval ? `${round(r.postgres.retrieval.p50 / Math.max(r.retrieval.p50, 0.001), 1)}×` : '—'))],
  ];
  const table = layout(lines, 1);

  const out = [`Machine: ${machine.cpus} CPU (${machine.cpuModel}), ${machine.memoryGb} GB, Node ${machine.node}; file index, offline (lexical retrieval, no model).`, '', table, ''];
  const peers = peerTable(rows);
  if (peers) out.push('Peers on the same paragraphs and questions (top 10), against the file index (×: how many times the file index is better):', '', peers, '');
  out.push('Targets:');
  for (const r of rows) {
    for (const t of r.targets) out.push(`  ${t.met ? 'met   ' : 'MISSED'}  ${r.size.padEnd(8)} ${t.target}: ${t.measured.toLocaleString('en')} (${t.margin})`);
  }
  const notes = rows.flatMap((r) => [...r.notes.map((n) => `  ${r.size}: ${n}`), ...(r.failure ? [`  ${r.size}: NOT MEASURED — ${r.failure}`] : [])]);
  if (notes.length) out.push('', 'Notes:', ...notes);
  return out.join('\n');
}

/**
 * One line per size and engine: the file index, the PostgreSQL backend, then the peers, each with its
 * ratio to the file index (build throughput, query p50 and p99 against retrieval, resident memory).
 */
function peerTable(rows: Row[]): string | undefined {
  type Engine = { size: string; engine: string; perSecond?: number; query?: Percentiles; memory: string; rssMb?: number };
  const lines: string[][] = [['corpus', 'engine', 'build, paragraphs/s', 'file ×', 'query p50 / p99, ms', 'file × (p50 / p99)', 'memory, MB', 'file ×']];
  for (const r of rows.filter((row) => row.peers.length > 0)) {
    const engines: Engine[] = [
      { size: r.size, engine: 'file index (project)', perSecond: r.ingestPerSecond, query: r.retrieval, memory: num(r.servingRssMb), rssMb: r.servingRssMb },
      ...(r.postgres
        ? [{ size: r.size, engine: 'PostgreSQL backend (project)', perSecond: Math.round(r.paragraphs! / (r.postgres.publishMs / 1000)), query: r.postgres.retrieval, memory: `${num(r.postgres.rssMb)} + ${num(r.postgres.databaseMb)} db`, rssMb: r.postgres.rssMb }]
        : []),
      ...r.peers.map((p) => ({
        size: r.size,
        engine: p.peer === 'postgres-fts' ? 'PostgreSQL full-text + jieba' : p.peer === 'orama' ? 'Orama + Mandarin tokenizer' : 'MiniSearch + jieba',
        perSecond: Math.round(p.paragraphs / (p.buildMs / 1000)),
        query: p.query,
        memory: p.databaseMb === undefined ? num(p.rssMb) : `${num(p.rssMb)} + ${num(p.databaseMb)} db`,
        rssMb: p.rssMb,
      })),
    ];
    const times = (ours: number | undefined, theirs: number | undefined) => {
      const ratio = ours && theirs ? theirs / Math.max(ours, 0.001) : undefined;
      return ratio === undefined ? '—' : `${round(ratio, ratio < 1 ? 2 : 1)}×`;
    };
    for (const e of engines) {
      lines.push([
        e.size,
        e.engine,
        num(e.perSecond),
        times(e.perSecond, r.ingestPerSecond),
        e.query ? `${ms(e.query.p50)} / ${ms(e.query.p99)}` : '—',
        e.query && r.retrieval ? `${times(r.retrieval.p50, e.query.p50)} / ${times(r.retrieval.p99, e.query.p99)}` : '—',
        e.memory,
        times(r.servingRssMb, e.rssMb),
      ]);
    }
  }
  return lines.length === 1 ? undefined : layout(lines, 2);
}

/** Aligned columns, the first `labels` to the left and the figures to the right, with a rule under the header. */
function layout(lines: string[][], labels: number): string {
  const widths = lines[0].map((_, c) => Math.max(...lines.map((l) => [...(l[c] ?? '')].length)));
  const pad = (s: string, w: number, left: boolean) => (left ? s + ' '.repeat(w - [...s].length) : ' '.repeat(w - [...s].length) + s);
  return lines
    .map((l, i) => {
      const text = l.map((cell, c) => pad(cell, widths[c], c < labels)).join('  ');
      return i === 0 ? `${text}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : text;
    })
    .join('\n');
}
