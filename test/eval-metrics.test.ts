import { describe, expect, it } from 'vitest';
import { evaluate, hits, parseGold, type GoldQuestion, type Prediction } from '../knowledge/eval/metrics.ts';

const p = (symbol: string, paragraph: string, text = '') => ({ symbol, paragraph, text });

const gold: GoldQuestion[] = parseGold(
  [
    { id: 'f1', q: '事实1', lang: 'zh', type: 'fact', gold: [{ doc: 'A/1', para: '13(c)', snippet: '甲乙丙丁' }] },
    { id: 'f2', q: 'fact 2', lang: 'en', type: 'fact', gold: [{ doc: 'A/1', para: '5', snippet: '戊己庚辛' }] },
    { id: 'm1', q: '多段', lang: 'zh', type: 'multi', gold: [{ doc: 'A/1', para: '2', snippet: 'x' }, { doc: 'A/2', para: '9', snippet: 'y' }] },
    { id: 'l1', q: '查段', lang: 'zh', type: 'lookup', gold: [{ doc: 'A/2', para: '45', snippet: '伙伴关系' }] },
    { id: 'x1', q: '无答案', lang: 'zh', type: 'abstain', gold: [] },
    { id: 'x2', q: '无答案2', lang: 'zh', type: 'abstain', gold: [] },
  ]
    .map((g) => JSON.stringify(g))
    .join('\n'),
);

const predictions: Record<string, Prediction> = {
  // Label matches at paragraph level ("13" for "13(c)"); gold is first retrieved.
  f1: { answer: '…', abstained: false, citations: [p('A/1', '13')], retrieved: [p('A/1', '13'), p('A/1', '1')] },
  // Wrong label but the text contains the snippet; one of two citations hits; gold third retrieved.
  f2: { answer: '…', abstained: false, citations: [p('A/1', '7', '……戊己庚辛……'), p('A/2', '1')], retrieved: [p('A/2', '1'), p('A/2', '2'), p('A/1', '5')] },
  // Covers one of two gold paragraphs; retrieved finds both, at ranks 2 and 6.
  m1: { answer: '…', abstained: false, citations: [p('A/1', '2')], retrieved: [p('A/3', '1'), p('A/1', '2'), p('A/3', '2'), p('A/3', '3'), p('A/3', '4'), p('A/2', '9')] },
  // Right paragraph, quoted.
  l1: { answer: '同联合国大家庭达成伙伴关系。（A/2，第45段）', abstained: false, citations: [p('A/2', '45', '同联合国大家庭达成伙伴关系。')], retrieved: [p('A/2', '45')] },
  x1: { answer: '文件中没有相关信息。', abstained: true, citations: [], retrieved: [p('A/1', '1')] },
  x2: { answer: '……', abstained: false, citations: [p('A/1', '1')], retrieved: [p('A/1', '1')] },
};

describe('evaluation metrics', () => {
  const report = evaluate(gold.map((g) => ({ gold: g, prediction: predictions[g.id] })));

  it('counts a citation as a hit at paragraph level or by snippet, never across documents', () => {
    expect(hits({ doc: 'A/1', para: '13(c)', snippet: 'zz' }, p('A/1', '13'))).toBe(true);
    expect(hits({ doc: 'A/1', para: '13', snippet: 'zz' }, p('A/1', '13(a)'))).toBe(true);
    expect(hits({ doc: 'A/1', para: '13', snippet: 'zz' }, p('A/1', '14', 'a zz b'))).toBe(true);
    expect(hits({ doc: 'A/1', para: '13', snippet: 'zz' }, p('A/2', '13', 'zz'))).toBe(false);
  });

  it('gives the expected figures on a hand-made gold file', () => {
    const m = report.overall;
    expect(m.questions).toBe(6);
    expect(m.answerable).toBe(4);
    // Per question at k=1: f1 1, f2 0, m1 0, l1 1.
    expect(m.recallAt1).toBeCloseTo(2 / 4);
    // k=5: f1 1, f2 1, m1 1/2, l1 1.
    expect(m.recallAt5).toBeCloseTo(3.5 / 4);
    expect(m.recallAt10).toBeCloseTo(1);
    expect(m.mrr).toBeCloseTo((1 + 1 / 3 + 1 / 2 + 1) / 4);
    expect(m.citationHitRate).toBe(1);
    // Citations of answerable questions: f1 1/1, f2 1/2, m1 1/1, l1 1/1 → 4/5.
    expect(m.citationPrecision).toBeCloseTo(4 / 5);
    expect(m.multiCoverage).toBeCloseTo(0.5);
    expect(m.abstentionAccuracy).toBe(0.5);
    expect(m.falseAbstentionRate).toBe(0);
    expect(m.lookupExactness).toBe(1);
  });

  it('breaks the figures down by question type and language', () => {
    expect(Object.keys(report.byType).sort()).toEqual(['abstain', 'fact', 'lookup', 'multi']);
    expect(report.byType.abstain.abstentionAccuracy).toBe(0.5);
    expect(report.byType.abstain.citationHitRate).toBeNull();
    expect(report.byLanguage.en.questions).toBe(1);
    expect(report.byLanguage.en.citationPrecision).toBe(0.5);
  });

  it('rejects a gold file with a malformed line, naming the line', () => {
    expect(() => parseGold('{"id":"a","q":"x","type":"fact","gold":[]}\nnot json')).toThrow(/line 2/);
  });
});
