import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadSettings } from '../config/settings.ts';
import { WEIGHTS_FILE } from '../knowledge/answer/rank.ts';
import { chooseAnswerThreshold, chooseExtraThreshold, fitRankingModel, folds, questionRows } from '../knowledge/learn/fit.ts';
import { DEFAULT_LABELLED, readLabelled } from '../knowledge/learn/labelled.ts';
import { fitLogistic, sigmoid, dot } from '../knowledge/learn/logistic.ts';
import { fitListwise, informative, listLoss, softmax } from '../knowledge/learn/listwise.ts';
import { openOrIngest } from '../cli/open-or-ingest.ts';
import { pino } from 'pino';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { seedBundledIndex } from './support/bundled-index.ts';

describe('the learner', () => {
  it('recovers the direction of a known rule and fits the same weights every time', () => {
    // y = 1 exactly when the second feature outweighs the third, with the bias first.
    const samples = Array.from({ length: 200 }, (_, i) => {
      const a = ((i * 37) % 100) / 100;
      const b = ((i * 61) % 100) / 100;
      return { x: [1, a, b], y: (a > b ? 1 : 0) as 0 | 1 };
    });
    const w = fitLogistic(samples, 0.1);
    expect(w[1]).toBeGreaterThan(0);
    expect(w[2]).toBeLessThan(0);
    expect(fitLogistic(samples, 0.1)).toEqual(w);
    const accuracy = samples.filter((s) => (sigmoid(dot(w, s.x)) >= 0.5 ? 1 : 0) === s.y).length / samples.length;
    expect(accuracy).toBeGreaterThan(0.95);
  });

  it('ranks listwise: learns which feature puts the right candidate of each list first, the same every time', () => {
    // In each list of five, the right candidate is the one with the largest second feature; the third
    // feature is noise, and the lists' levels differ so that only comparisons within a list teach.
    const lists = Array.from({ length: 40 }, (_, l) =>
      Array.from({ length: 5 }, (_, i) => {
        const a = ((l * 7 + i * 13) % 17) / 17 + l / 10;
        return { x: [1, a, ((l * 3 + i * 11) % 7) / 7], y: 0 as 0 | 1 };
      }),
    );
    for (const list of lists) list.reduce((best, s) => (s.x[1] > best.x[1] ? s : best)).y = 1;
    const w = fitListwise(lists, 0.1);
    expect(w[1]).toBeGreaterThan(0);
    expect(Math.abs(w[2])).toBeLessThan(w[1] / 5);
    expect(fitListwise(lists, 0.1)).toEqual(w);
    const firstRight = lists.filter((list) => list.reduce((best, s) => (dot(w, s.x) > dot(w, best.x) ? s : best)).y === 1).length;
    expect(firstRight).toBe(lists.length);
    expect(listLoss(w, lists)).toBeLessThan(listLoss([0, 0, 0], lists));
  });

  it('ignores lists that teach nothing, and gives shares that sum to one', () => {
    const only = [{ x: [1, 0.5], y: 1 as 0 | 1 }];
    const lists = [only, [{ x: [1, 0.9], y: 1 as 0 | 1 }, { x: [1, 0.1], y: 0 as 0 | 1 }]];
    expect(informative(only)).toBe(false);
    expect(fitListwise(lists, 1)).toEqual(fitListwise([lists[1]], 1));
    const shares = softmax([1000, 999, -5]);
    expect(shares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(shares[0]).toBeGreaterThan(shares[1]);
  });

  it('shrinks weights as the L2 strength grows', () => {
    const samples = [0, 1, 2, 3, 4, 5].map((i) => ({ x: [1, i / 5], y: (i > 2 ? 1 : 0) as 0 | 1 }));
    expect(Math.abs(fitLogistic(samples, 10)[1])).toBeLessThan(Math.abs(fitLogistic(samples, 0.1)[1]));
  });

  it('makes folds stratified by type, deterministic, and each question in exactly one', () => {
    const items = Array.from({ length: 23 }, (_, i) => ({ id: `q${i}`, type: i % 3 === 0 ? 'abstain' : 'fact' }));
    const split = folds(items, 5);
    expect(split.flat().map((q) => q.id).sort()).toEqual(items.map((q) => q.id).sort());
    expect(folds(items, 5)).toEqual(split);
    for (const fold of split) expect(fold.filter((q) => q.type === 'abstain').length).toBeGreaterThanOrEqual(1);
  });

  it('chooses the abstention threshold so that no more than 5% of answerable questions abstain', () => {
    const tops = [...Array.from({ length: 40 }, (_, i) => ({ answerable: true, p: (i + 1) / 41 })), { answerable: false, p: 0.05 }];
    const threshold = chooseAnswerThreshold(tops);
    expect(tops.filter((t) => t.answerable && t.p < threshold).length).toBe(2);
  });

  it('adds runners-up only down to where they stop being right more often than wrong', () => {
    const extras = [0.9, 0.8, 0.7, 0.6, 0.5].map((p, i) => ({ p, correct: i < 2 || i === 3 }));
    expect(chooseExtraThreshold(extras)).toBe(0.8);
  });
});

const labelled = DEFAULT_LABELLED.every((f) => existsSync(f));

describe.skipIf(!labelled)('the committed weights', () => {
  it('are what `npm run train` fits from the labelled questions over the bundled corpus', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'learn-'));
    const settings = loadSettings({ INDEX_DIR: join(dir, 'index') });
    await seedBundledIndex(settings.INDEX_DIR);
    const index = await openOrIngest(settings, pino({ level: 'silent' }));
    const rows = await questionRows(index, await readLabelled(DEFAULT_LABELLED));
    await rm(dir, { recursive: true, force: true });
    const root = resolve(import.meta.dirname, '..');
    const model = fitRankingModel(rows, DEFAULT_LABELLED.map((f) => relative(root, f)));
    expect(model).toEqual(JSON.parse(readFileSync(WEIGHTS_FILE, 'utf8')));
  }, 120_000);
});
