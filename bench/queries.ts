import type { Paragraph } from '../core/paragraph.ts';
import { seededRandom } from './seeded-random.ts';
import { words } from '../index/lexical/tokenize.ts';

/**
 * A fixed set of questions drawn deterministically from the real corpus: a run of two or three content
 * words from a seeded choice of paragraph, asked the ways practitioners ask. The same set is used at every
 * corpus size, so latencies at different sizes answer the same questions.
 */

const TEMPLATES = [
  (t: string) => `关于${t}有哪些规定？`,
  (t: string) => `${t}是什么意思？`,
  (t: string) => `决议对${t}怎么说？`,
  (t: string) => `秘书长的报告如何看待${t}？`,
  (t: string) => `${t}应当遵守什么原则`,
];

export function benchQueries(paragraphs: Paragraph[], count: number, seed = 2013): string[] {
  const random = seededRandom(seed);
  const queries: string[] = [];
  for (let attempts = 0; queries.length < count && attempts < count * 20; attempts++) {
    const paragraph = paragraphs[Math.floor(random() * paragraphs.length)];
    const content = words(paragraph.text).filter((w) => w.length >= 2);
    if (content.length < 3) continue;
    const span = 2 + Math.floor(random() * 2);
    const start = Math.floor(random() * (content.length - span + 1));
    const template = TEMPLATES[Math.floor(random() * TEMPLATES.length)];
    queries.push(template(content.slice(start, start + span).join('')));
  }
  if (queries.length < count) throw new Error(`could draw only ${queries.length} of ${count} queries from the corpus`);
  return queries;
}

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  samples: number;
}

/** Nearest-rank percentiles of durations in milliseconds. */
export function percentiles(durations: number[]): Percentiles {
  const sorted = [...durations].sort((a, b) => a - b);
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
  const round = (ms: number) => Math.round(ms * 1000) / 1000;
  return { p50: round(at(50)), p95: round(at(95)), p99: round(at(99)), mean: round(sorted.reduce((a, b) => a + b, 0) / sorted.length), samples: sorted.length };
}

/** Runs `fn` once per input (after a short warm-up), returning the duration of each run. */
export async function timeEach<T>(inputs: T[], fn: (input: T) => unknown, warmup = 10): Promise<number[]> {
  for (const input of inputs.slice(0, warmup)) await fn(input);
  const durations: number[] = [];
  for (const input of inputs) {
    const started = performance.now();
    await fn(input);
    durations.push(performance.now() - started);
  }
  return durations;
}
