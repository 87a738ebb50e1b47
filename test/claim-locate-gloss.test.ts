import { describe, expect, it } from 'vitest';
import type { Claim, Comparison } from '../knowledge/check/compare.ts';
import { decide } from '../knowledge/check/verdict.ts';

/**
 * Where a claim's content is when its words match several paragraphs about equally: the paragraph far
 * closer in gloss-space sense is named; one only as close as the cited paragraph is not.
 */

const claim: Claim = { text: 'an English claim in other words', language: 'en', terms: [], facts: [], query: '' };
const comparison = (coverage: number): Comparison => ({ coverage, missing: [], factsFound: 0, differences: [] });
const cited = comparison(0.2);

describe('locating by sense', () => {
  it('names the paragraph whose sense is far closer than the cited one and than the rest', () => {
    const others = [
      { item: 'wording-alike', comparison: comparison(0.46), gloss: 0.15 },
      { item: 'sense-alike', comparison: comparison(0.41), gloss: 0.33 },
    ];
    expect(decide(claim, cited, others, undefined, 0.12)).toMatchObject({ verdict: 'not_supported', located: 'sense-alike' });
  });

  it('prefers, among paragraphs that hold the words, the one closer in sense', () => {
    const others = [
      { item: 'box', comparison: comparison(0.85), gloss: 0.08 },
      { item: 'paragraph', comparison: comparison(0.74), gloss: 0.21 },
    ];
    expect(decide(claim, cited, others, undefined, 0.05).located).toBe('paragraph');
  });

  it('names nothing when the cited paragraph is about as close in sense', () => {
    const others = [{ item: 'other', comparison: comparison(0.41), gloss: 0.33 }];
    expect(decide(claim, cited, others, undefined, 0.3).located).toBeUndefined();
  });

  it('names nothing that holds too little of the claim, however close its sense', () => {
    const others = [{ item: 'other', comparison: comparison(0.2), gloss: 0.6 }];
    expect(decide(claim, cited, others, undefined, 0.1).located).toBeUndefined();
  });

  it('names no paragraph by its words alone when the cited one is closer in sense', () => {
    const others = [{ item: 'shares-words', comparison: comparison(0.85), gloss: 0.1 }];
    expect(decide(claim, cited, others, undefined, 0.3).located).toBeUndefined();
    expect(decide(claim, cited, others, undefined, 0.05).located).toBe('shares-words');
  });
});
