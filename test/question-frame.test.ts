import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemoryIndex } from '../index/knowledge-index.ts';
import { readQuestion } from '../knowledge/question/frame.ts';
import { BUNDLED_DOCUMENTS } from './support/document-metas.ts';
import { ingestedIndex } from './support/bundled-index.ts';

const DOCUMENTS = BUNDLED_DOCUMENTS;
const frame = (q: string) => readQuestion(q, DOCUMENTS);

describe('one reading of the question', () => {
  it('points at documents by year and kind, each year with the kind named after it', () => {
    const f = frame('2003年那份报告与2013年那项决议对企业捐款各持什么态度？');
    expect(f.documents.map((d) => [d.symbols, d.by])).toEqual([
      [['A/58/227'], 'year-kind'],
      [['A/RES/68/234'], 'year-kind'],
    ]);
    expect(f.content).not.toMatch(/2003|2013|报告|决议/);
    expect(f.content).toContain('企业捐款');
  });

  it('lets a year joined to the next share its kind word', () => {
    expect(frame('2013年和2021年的报告对风险怎么说').documents.map((d) => d.symbols)).toEqual([['A/68/326'], ['A/76/319']]);
  });

  it('reads a year that dates no document as part of what is asked', () => {
    const f = frame('难民署2019年从企业那里筹了多少钱？');
    expect(f.years).toEqual(['2019']);
    expect(f.documents).toEqual([]);
  });

  it.each([
    ['最近那份报告怎么谈培训？', 'A/76/319'],
    ['最新的决议对透明度有何要求？', 'A/RES/68/234'],
    ['What does the most recent SG report say on training?', 'A/76/319'],
  ])('reads "latest" said of a document in %s as pointing at the newest of that kind', (q, symbol) => {
    expect(frame(q).documents.map((d) => [d.symbols, d.by])).toEqual([[[symbol], 'latest']]);
  });

  it('reads "now" or "so far" as no pointer at any document', () => {
    expect(frame('到目前为止培训了多少人？').documents).toEqual([]);
  });

  it('reads a year alone as pointing at every document of that year', () => {
    expect(frame('2013年时地方网络有几个').documents).toEqual([{ symbols: ['A/RES/68/234', 'A/68/326'], by: 'year', written: '2013年' }]);
  });

  it.each([
    ['报告里说的合作伙伴总共有多少家？', 'number'],
    ['这个基金是哪一年设立的？', 'date'],
    ['研讨会在哪个城市举办？', 'place'],
    ['跟谁一起做的这个项目？', 'name'],
    ['为啥要把审查集中起来？', 'reason'],
    ['“共享价值”是什么意思？', 'definition'],
    ['我们可以把捐款挪作他用吗？', 'yesno'],
    ['有哪些办法能降低风险？', 'list'],
    ['How many staff took part?', 'number'],
    ['Why do firms ask for advice?', 'reason'],
  ])('reads what form of answer %s asks for', (q, type) => {
    expect(frame(q).answerType).toBe(type);
  });

  it.each([
    ['“共享价值”指什么？', true],
    ['何谓影响力投资？', true],
    ['What does blended finance mean?', true],
    ['最大的难处是什么？', false],
    ['What is the biggest hurdle?', false],
  ])('tells whether %s asks what a term means', (q, meaning) => {
    expect(frame(q).meaning).toBe(meaning);
  });

  it.each([
    ['这次培训是跟哪家咨询公司合办的？', '咨询公司'],
    ['那个项目组的组长是谁？', '项目组的组长'],
    ['去年的年会在哪个城市召开？', '召开'],
  ])('reads what %s asks about', (q, focus) => {
    expect(frame(q).focus).toContain(focus);
  });

  it('takes the asking words out of what the question is about', () => {
    const f = frame('为什么企业愿意出资？');
    expect(f.content).not.toMatch(/为什么/);
    expect(f.content).toContain('企业');
  });

  it('reads the parts a document is asked about and "the latest"', () => {
    const f = frame('最新报告的摘要怎么说');
    expect(f.latest).toBe(true);
    expect(f.parts).toEqual(['summary']);
  });

  it('splits a question into the clauses that each ask something', () => {
    expect(frame('这个基金为啥要设立？会员国怎么看？').clauses).toEqual(['这个基金为啥要设立', '会员国怎么看']);
    expect(frame('在总部设立的那个办公室负责什么').clauses).toHaveLength(1);
  });

  it('reads follow-up forms: an ordinal point and a continuation', () => {
    expect(frame('第二点是什么意思？').ordinal).toBe(2);
    expect(frame('那2021年的报告呢？').continues).toBe(true);
    expect(frame('尽职调查要看哪些方面？').continues).toBe(false);
  });

  it('names a document the index lacks without pointing anywhere', () => {
    const f = frame('A/RES/70/1 对伙伴关系怎么说');
    expect(f.unknownDocuments.map((d) => d.named)).toEqual(['A/RES/70/1']);
    expect(f.documents).toEqual([]);
  });
});

describe('first-stage retrieval over the bundled corpus', () => {
  let root: string;
  let index: MemoryIndex;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'retrieval-'));
    await cp('corpus', join(root, 'corpus'), { recursive: true });
    index = await ingestedIndex(join(root, 'corpus'), join(root, 'index'));
  });

  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('honours a document restriction and k', async () => {
    const results = await index.search('私营部门伙伴关系', { k: 3, documents: ['A/RES/56/76'] });
    expect(results).toHaveLength(3);
    expect(results.every((r) => r.paragraph.symbol === 'A/RES/56/76')).toBe(true);
  });

  it('ranks by what the words share, best first', async () => {
    const results = await index.search('尽职调查', { k: 10 });
    expect(results.length).toBe(10);
    for (let i = 1; i < results.length; i++) expect(results[i - 1].score).toBeGreaterThanOrEqual(results[i].score);
    expect(results[0].paragraph.text).toMatch(/尽职调查|尽职/);
  });

  it('weighs a word found everywhere below a rare one', () => {
    expect(index.idf('伙伴关系')).toBeLessThan(index.idf('糖尿病'));
  });
});
