import { describe, expect, it } from 'vitest';
import type { Paragraph } from '../core/paragraph.ts';
import { doc } from './support/document-metas.ts';
import type { Candidate } from '../knowledge/answer/candidates.ts';
import { FEATURES, featuresOf, type FeatureContext } from '../knowledge/answer/features.ts';
import { readQuestion } from '../knowledge/question/frame.ts';
import { termsOf } from '../knowledge/question/terms.ts';

/**
 * Whether a paragraph holds what a question asks for, on sentences of our own: a name is a name, not a
 * partner the report describes or counts without naming it.
 */

const DOCUMENTS = [doc('A/1/1', 'report', '2003')];
const WEIGHTS = { idf: () => 1, related: () => [] };

function nameFound(question: string, text: string): number {
  const paragraph: Paragraph = { id: 'A/1/1#1', symbol: 'A/1/1', kind: 'report', date: '', language: 'zh', label: '1', section: [], text, position: 0 };
  const candidate: Candidate = { paragraph, globalRank: 0, scopedRank: 15, relativeScore: 1, margin: 0 };
  const frame = readQuestion(question, DOCUMENTS);
  const context: FeatureContext = { frame, terms: termsOf(frame.content, WEIGHTS), grams: [], candidates: [candidate], documents: DOCUMENTS, focus: [], neighbours: () => [], glossSimilarity: () => 0, unseenWeight: Infinity };
  return featuresOf(candidate, context)[FEATURES.indexOf('nameFound')];
}

describe('a name in the paragraph for a question that asks for one', () => {
  const question = '修水库的项目是跟哪家公司一起做的？';

  it('is found where the paragraph names the company', () => {
    expect(nameFound(question, '修水库的项目同青山建设公司一起开展。')).toBe(1);
    expect(nameFound(question, '修水库的项目同 Northwind Traders 一起开展。')).toBe(1);
  });

  it('is not found where the paragraph only describes or counts companies', () => {
    expect(nameFound(question, '修水库的项目同一家跨国建设公司一起开展。')).toBe(0);
    expect(nameFound(question, '修水库的项目有 12 家建设公司参加。')).toBe(0);
    expect(nameFound(question, '修水库的项目邀请愿意承担维护工作的公司参加。')).toBe(0);
  });
});
