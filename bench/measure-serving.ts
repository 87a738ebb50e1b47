import type { KnowledgeIndex } from '../index/knowledge-index.ts';
import { createAssistant } from '../knowledge/assistant.ts';
import { type Percentiles, percentiles, timeEach } from './queries.ts';

export interface ServingFigures {
  /** Opening the index alone. */
  loadMs: number;
  /** From nothing to the first answer: openIndex, createAssistant and one Assistant.ask. */
  readyMs: number;
  retrieval: Percentiles;
  /** KnowledgeIndex.search restricted to one document: the one holding the question's best match, as a question naming its document would be. */
  restricted: Percentiles;
  answer: Percentiles;
  /** Resident memory after the queries. */
  rssMb: number;
  /** The heap still reachable after the queries and a full collection: what the replica holds, not what it has yet to collect. */
  liveHeapMb: number;
}

/**
 * What a replica goes through: load the index, start the assistant, answer. Retrieval is
 * KnowledgeIndex.search, answers are Assistant.ask offline, per query after a short warm-up.
 */
export async function measureServing(open: () => Promise<KnowledgeIndex>, queries: string[]): Promise<ServingFigures> {
  const started = performance.now();
  const index = await open();
  const loadMs = performance.now() - started;
  const assistant = createAssistant(index);
  await assistant.ask(queries[0]);
  const readyMs = performance.now() - started;
  const retrieval = percentiles(await timeEach(queries, (q) => index.search(q)));
  const scoped: [string, string][] = [];
  for (const q of queries) {
    const best = (await index.search(q, { k: 1 }))[0];
    if (best) scoped.push([q, best.paragraph.symbol]);
  }
  const restricted = percentiles(await timeEach(scoped, ([q, symbol]) => index.search(q, { documents: [symbol] })));
  const answer = percentiles(await timeEach(queries, (q) => assistant.ask(q)));
  const rssMb = Math.round(process.memoryUsage().rss / 1_048_576);
  // The bench runs Node with --expose-gc.
  (globalThis as { gc?: () => void }).gc?.();
  const liveHeapMb = Math.round(process.memoryUsage().heapUsed / 1_048_576);
  return { loadMs: Math.round(loadMs), readyMs: Math.round(readyMs), retrieval, restricted, answer, rssMb, liveHeapMb };
}
