import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../config/settings.ts';
import { ingestCorpus } from '../ingest/build.ts';
import type { KnowledgeIndex } from '../index/knowledge-index.ts';
import { openIndex } from '../knowledge/open-index.ts';
import { yearsAsked } from '../knowledge/question/answerability.ts';
import { intentsOf, withoutAsking } from '../knowledge/question/intent.ts';
import { questionTerms, termStats } from '../knowledge/question/terms.ts';
import { documentHints } from '../knowledge/retrieve.ts';

let root: string;
let index: KnowledgeIndex;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'retrieval-'));
  await cp('corpus', join(root, 'corpus'), { recursive: true });
  await ingestCorpus({ corpusDir: join(root, 'corpus'), indexDir: join(root, 'index'), settings: loadSettings({}) });
  index = await openIndex(join(root, 'index'), loadSettings({}));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function top(query: string, k = 5): Promise<string[]> {
  return (await index.search(query, { k })).map((r) => r.paragraph.id);
}

describe('question terms', () => {
  it('drops compounds made only of framing words and the dates that cling to years', () => {
    const stats = termStats(index.paragraphs);
    const terms = questionTerms('2013年的大会决议在2003年时对准则处于什么状态？', stats).map((t) => t.term);
    expect(terms).toContain('准则');
    expect(terms).not.toContain('大会决议');
    expect(terms.some((t) => /年/.test(t))).toBe(false);
  });

  it('reads a year that dates no document as part of what is asked', () => {
    expect(yearsAsked('难民署2019年从私营部门筹集了多少资金？', new Set(['2003', '2013']))).toEqual(['2019']);
    expect(yearsAsked('2013年的报告里地方网络有多少个？', new Set(['2003', '2013']))).toEqual([]);
  });
});

describe('hybrid retrieval', () => {
  it.each([
    ['难民署在创新方面做了什么尝试？', 'A/68/326#box1'],
    ['信息和通信技术任务组里私营部门有决策权吗？', 'A/58/227#30'],
    ['疫情期间联合国在伙伴关系谈判和签约上做了哪些精简？', 'A/76/319#16'],
    ['大会请秘书长继续听取企业对加强合作的意见吗？', 'A/RES/56/76#5'],
    ['联合国系统私营部门协调中心的年度会议起什么作用？', 'A/68/326#33'],
  ])('finds the paragraph that answers %s', async (query, id) => {
    expect(await top(query)).toContain(id);
  });

  it('puts a paragraph named by symbol and number first, in the usual ways of naming it', async () => {
    expect((await top('A/68/326 第33段说了什么？'))[0]).toBe('A/68/326#33');
    expect((await top('第68/234号决议第13段(c)项'))[0]).toBe('A/RES/68/234#13(c)');
    expect((await top('A/RES/56/76 序言部分第3段'))[0]).toBe('A/RES/56/76#PP3');
    expect((await top('2021年秘书长报告第16段'))[0]).toBe('A/76/319#16');
  });

  it('reads years and kinds of document as pointers to documents, not as words to match', async () => {
    const hints = documentHints('2003年的秘书长报告和2013年的大会决议分别怎么说？', index.documents);
    expect(hints.pairs).toEqual([
      { year: '2003', kind: 'report' },
      { year: '2013', kind: 'resolution' },
    ]);
    expect(hints.content).not.toMatch(/2003|报告|决议/);
    const results = await index.search('2021年报告里关于疫情恢复和伙伴关系影响的总体判断', { k: 3 });
    expect(results.every((r) => r.paragraph.symbol === 'A/76/319')).toBe(true);
  });

  it('answers from every document a comparison names', async () => {
    const symbols = new Set((await index.search('2003年和2021年的报告各自怎样谈伙伴关系的成效？', { k: 4 })).map((r) => r.paragraph.symbol));
    expect(symbols).toEqual(new Set(['A/58/227', 'A/76/319']));
  });

  it('honours a filter and k', async () => {
    const results = await index.search('私营部门伙伴关系', { k: 3, filter: (p) => p.symbol === 'A/RES/56/76' });
    expect(results).toHaveLength(3);
    expect(results.every((r) => r.paragraph.symbol === 'A/RES/56/76')).toBe(true);
  });
});

describe('question intents', () => {
  it('reads what kind of answer is asked for, and leaves the asking words out of the content', () => {
    expect(intentsOf('怎样给“伙伴关系”下定义？')).toEqual(['definition']);
    expect(intentsOf('企业为什么要参与？')).toEqual(['reason']);
    expect(intentsOf('大会又对它提出了哪些要求？')).toEqual(['request']);
    expect(intentsOf('地方网络有多少个？')).toEqual([]);
    expect(withoutAsking('什么是廉洁措施？', ['definition']).trim()).toBe('廉洁措施?');
  });
});
