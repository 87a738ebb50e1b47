import { parentPort } from 'node:worker_threads';
import { segmentChunk, type SegmentInput, transferables } from './postings.ts';

/** One segmenting thread: chunks of paragraphs in, their postings out (see segment.ts). */
parentPort!.on('message', ({ id, inputs }: { id: number; inputs: SegmentInput[] }) => {
  try {
    const postings = segmentChunk(inputs);
    parentPort!.postMessage({ id, postings }, transferables(postings));
  } catch (error) {
    parentPort!.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
