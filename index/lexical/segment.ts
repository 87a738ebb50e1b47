import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type ChunkPostings, mergeChunks, segmentChunk, type SegmentInput } from './postings.ts';

/**
 * Jieba segmentation is most of an index build, and one thread of it caps a build near the speed of one
 * core: chunks of paragraphs are segmented on worker threads (one per core) and their postings merged in
 * chunk order. Small builds stay on the calling thread, where starting workers (each loads jieba's
 * dictionary) would cost more than it saves.
 */

export interface SegmentOptions {
  /** Worker threads; default one per core, at most MAX_THREADS. 0 segments on the calling thread. */
  threads?: number;
  /** Called as chunks finish with how many paragraphs are done. */
  onProgress?: (done: number) => void;
}

const CHUNK = 2_000;
const MAX_THREADS = 8;
/** Below this many paragraphs the workers' start-up costs more than a second core saves. */
const IN_PROCESS_BELOW = 4 * CHUNK;

export async function segmentAll(inputs: SegmentInput[], options: SegmentOptions = {}): Promise<ChunkPostings> {
  const chunkCount = Math.ceil(inputs.length / CHUNK);
  const threads = Math.min(options.threads ?? (inputs.length < IN_PROCESS_BELOW ? 0 : Math.min(availableParallelism(), MAX_THREADS)), chunkCount);
  if (threads <= 1) {
    const chunk = segmentChunk(inputs);
    options.onProgress?.(inputs.length);
    return chunk;
  }
  const results: ChunkPostings[] = new Array(chunkCount);
  const workers = Array.from({ length: threads }, () => new Worker(new URL('./segment-worker.mjs', import.meta.url)));
  let next = 0;
  let done = 0;
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const send = () => {
              if (next >= chunkCount) return resolve();
              const id = next++;
              worker.postMessage({ id, inputs: inputs.slice(id * CHUNK, (id + 1) * CHUNK) });
            };
            worker.on('message', (message: { id: number; postings?: ChunkPostings; error?: string }) => {
              if (message.error !== undefined || !message.postings) return reject(new Error(`segmenting paragraphs failed: ${message.error}`));
              results[message.id] = message.postings;
              done += message.postings.words.lengths.length;
              options.onProgress?.(done);
              send();
            });
            worker.on('error', reject);
            // After this worker's last chunk the promise is settled and an exit changes nothing.
            worker.on('exit', (code) => reject(new Error(`a segmenting thread exited with code ${code}`)));
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return mergeChunks(results);
}
