import type { KnowledgeIndex } from '../index/knowledge-index.ts';
import { createAssistant } from '../knowledge/assistant.ts';
import { type Percentiles, percentiles, timeEach } from './queries.ts';

export interface ServingFigures {
  /** Opening the index alone. */
  loadMs: number;
  /** From nothing to the first answer: openIndex, createAssistant and one Assistant.ask. */
  readyMs: number;
  retrieval: Percentiles;
  answer: Percentiles;
  /** Resident memory after the queries. */
  rssMb: number;
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
  const answer = percentiles(await timeEach(queries, (q) => assistant.ask(q)));
  return { loadMs: Math.round(loadMs), readyMs: Math.round(readyMs), retrieval, answer, rssMb: Math.round(process.memoryUsage().rss / 1_048_576) };
}
