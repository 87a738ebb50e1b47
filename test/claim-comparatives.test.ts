import { describe, expect, it } from 'vitest';
import { comparisonDifferences } from '../knowledge/check/comparatives.ts';

/** Comparisons read on invented sentences: which end of a scale the claim and the paragraph put a thing. */

const PARAGRAPH = '甲方案比乙方案成本更高，但是见效更快。地方小组越来越多，培训仍然大大不足。';

describe('a comparison the claim makes the other way', () => {
  it.each([
    ['the other end of the same scale after 比', '甲方案比乙方案成本低', '低', '高'],
    ['a slower result where the paragraph says faster', '甲方案见效更慢', '慢', '快'],
    ['fewer where the paragraph has more and more', '地方小组越来越少', '少', '多'],
  ])('%s is a direction difference', (_what, claim, said, paragraph) => {
    const found = comparisonDifferences(claim, 'zh', PARAGRAPH, []);
    expect(found).toEqual([{ kind: 'direction', claim: said, paragraph }]);
  });

  it('reads "less and less" in an English claim against 越来越多', () => {
    const terms = [{ term: '小组', weight: 1, grams: ['小组'], variants: [] }];
    expect(comparisonDifferences('Local groups are becoming less and less numerous', 'en', PARAGRAPH, terms)).toEqual([{ kind: 'direction', claim: 'less and less', paragraph: '多' }]);
  });
});

describe('what is no comparison, or agrees', () => {
  it.each([
    ['the same end', '甲方案比乙方案成本高'],
    ['a gradable word without a degree word or 比', '培训大大不足，小组很多'],
    ['a number with 多', '地方小组有50多个'],
    ['a comparison set against an unrelated clause', '预算比去年低'],
    ['a negated comparison ("not higher" is not "lower")', '甲方案的成本不比乙方案高'],
  ])('%s: nothing differs', (_what, claim) => {
    expect(comparisonDifferences(claim, 'zh', PARAGRAPH, [])).toEqual([]);
  });

  it('"more than" before a figure is a bound, not a comparison', () => {
    const terms = [{ term: '小组', weight: 1, grams: ['小组'], variants: [] }];
    expect(comparisonDifferences('Local groups number fewer than 40', 'en', PARAGRAPH, terms)).toEqual([]);
  });
});
