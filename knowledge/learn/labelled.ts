import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseGold, type GoldQuestion } from '../eval/metrics.ts';

/** The labelled questions the ranking model is fitted on by default: ../shared/eval/train.jsonl and dev.jsonl. */
const projectRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const DEFAULT_LABELLED = ['../shared/eval/train.jsonl', '../shared/eval/dev.jsonl'].map((f) => resolve(projectRoot, f));

export async function readLabelled(files: string[]): Promise<GoldQuestion[]> {
  const all: GoldQuestion[] = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch(() => Promise.reject(new Error(`Cannot read the labelled questions in ${file}.`)));
    all.push(...parseGold(text));
  }
  return all;
}
