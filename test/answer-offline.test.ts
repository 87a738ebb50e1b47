import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toAskJson } from '../bot/render/json.ts';
import { renderText } from '../bot/render/text.ts';
import { loadSettings } from '../config/settings.ts';
import { ingestCorpus } from '../ingest/build.ts';
import type { Assistant } from '../core/answer.ts';
import { createAssistant } from '../knowledge/assistant.ts';
import { openIndex } from '../knowledge/open-index.ts';

let dir: string;
let assistant: Assistant;
const settings = loadSettings({ CORPUS_DIR: 'corpus' });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'answer-offline-'));
  await ingestCorpus({ corpusDir: 'corpus', indexDir: join(dir, 'index'), settings });
  assistant = createAssistant(await openIndex(join(dir, 'index'), settings));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('citation lookup', () => {
  it.each([
    ['第68/234号决议第13段(c)项', 'A/RES/68/234', '13(c)', 'A/RES/68/234，第13(c)段'],
    ['68/234号决议执行部分第5段', 'A/RES/68/234', '5', 'A/RES/68/234，第5段'],
    ['A/58/227 第45段', 'A/58/227', '45', 'A/58/227，第45段'],
    ['A/58/227第14(d)段', 'A/58/227', '14(d)', 'A/58/227，第14(d)段'],
    ['A/RES/56/76 序言部分第3段', 'A/RES/56/76', 'PP3', 'A/RES/56/76，序言部分第3段'],
    ['A/68/326 摘要', 'A/68/326', 'summary', 'A/68/326，摘要'],
    ['A/68/326 脚注1', 'A/68/326', 'fn1', 'A/68/326，脚注1'],
    ['2013年秘书长报告（A/68/326）第52段的内容是什么？', 'A/68/326', '52', 'A/68/326，第52段'],
    ['resolution 68/234 para 13(c)', 'A/RES/68/234', '13(c)', 'A/RES/68/234, para. 13 (c)'],
  ])('%s quotes the paragraph verbatim and cites it', async (question, symbol, label, ref) => {
    const answer = await assistant.ask(question);
    expect(answer.kind).toBe('lookup');
    expect(answer.citations[0].paragraph).toMatchObject({ symbol, label });
    expect(answer.citations[0].ref).toBe(ref);
    expect(answer.statements[0].text).toBe(answer.citations[0].paragraph.text);
    expect(renderText(answer)).toContain(answer.citations[0].paragraph.text);
  });

  it('names the valid range when the paragraph does not exist', async () => {
    const answer = await assistant.ask('A/68/326 第999段');
    expect(answer).toMatchObject({ kind: 'notice', abstained: true, citations: [] });
    expect(answer.lead).toMatch(/A\/68\/326 有第1至\d+段/);
  });

  it('lists the indexed documents when the document is unknown', async () => {
    const answer = await assistant.ask('A/RES/70/1 第5段是什么？');
    expect(answer).toMatchObject({ kind: 'notice', abstained: true, citations: [] });
    for (const symbol of ['A/RES/68/234', 'A/RES/56/76', 'A/68/326', 'A/58/227', 'A/76/319']) expect(answer.lead).toContain(symbol);
  });
});

describe('answers and abstention', () => {
  it('answers from a paragraph, each statement cited, sources listed', async () => {
    const answer = await assistant.ask('中小企业在全球工商业里大概占多大比重？');
    expect(answer.kind).toBe('answer');
    expect(answer.citations[0].paragraph.symbol).toBe('A/58/227');
    for (const s of answer.statements) {
      expect(s.cites.length).toBeGreaterThan(0);
      // Quotes are verbatim, so the citation holds for every word shown.
      for (const part of s.text.split('…')) expect(answer.citations[s.cites[0]].paragraph.text).toContain(part);
    }
    expect(renderText(answer)).toMatch(/（A\/58\/227，第\d+段）[\s\S]*来源：\n1\. A\/58\/227，第\d+段 https:\/\/undocs\.org\/ch\/A\/58\/227/);
  });

  it.each(['联合国全球契约办公室每年的差旅预算是多少美元？', '国际足联与联合国签署的《体育伙伴关系宪章》有什么规定？'])('says plainly that the documents do not answer: %s', async (question) => {
    const answer = await assistant.ask(question);
    expect(answer).toMatchObject({ kind: 'abstain', abstained: true, citations: [], lead: '文件中没有相关信息。' });
    expect(answer.related.length).toBeLessThanOrEqual(3);
  });
});

describe('questions that paraphrase or ask for a count', () => {
  it('answers when the question uses a synonym of the paragraph’s word (访谈 for 采访)', async () => {
    const answer = await assistant.ask('2013年报告写作时对哪些工作人员做了深度访谈？');
    expect(answer.kind).toBe('answer');
    expect(answer.citations[0].paragraph.id).toBe('A/68/326#fn1');
  });

  it('prefers, in a "how many" question, the paragraph that states the count of what is asked', async () => {
    const answer = await assistant.ask('2021年的报告说，联合国系统里私营部门伙伴关系目前至少有多少个？');
    expect(answer.citations[0].paragraph.id).toBe('A/76/319#20');
  });

  it('reads "占多大比例" as the kind of number asked, not as a word the paragraph must contain', async () => {
    const answer = await assistant.ask('全球契约的参与公司中，中小企业占了多大比例？');
    expect(answer.kind).toBe('answer');
    expect(answer.citations.map((c) => c.paragraph.id)).toContain('A/58/227#43');
  });
});

describe('questions that ask for a kind of answer', () => {
  it('answers "X是指什么" from the paragraph that defines X', async () => {
    const answer = await assistant.ask('秘书长报告里所说的“廉洁措施”是指什么？');
    expect(answer.citations[0].paragraph.id).toBe('A/68/326#39');
  });

  it('answers "为什么" from the paragraph that names the motive, in either language', async () => {
    expect((await assistant.ask('为什么筹集资金和建立伙伴关系需要用不同的方法？')).citations[0].paragraph.id).toBe('A/58/227#75');
    expect((await assistant.ask('Why do companies form partnerships with the United Nations?')).citations[0].paragraph.id).toBe('A/58/227#74');
  });

  it('answers each part of a comparison from its own document, on its own words', async () => {
    const answer = await assistant.ask('2003年的报告认为企业参与伙伴关系有哪些动机？2013年的报告又说要怎样更好地了解企业伙伴的需求？');
    expect(answer.citations.map((c) => c.paragraph.id)).toEqual(['A/58/227#74', 'A/68/326#34']);
  });
});

describe('questions about several documents or parts', () => {
  it('cites each document a comparison names, even when one of them could be read as a reference', async () => {
    const answer = await assistant.ask('2003年的报告和2013年的决议各自如何谈透明度？');
    expect(new Set(answer.citations.map((c) => c.paragraph.symbol))).toEqual(new Set(['A/58/227', 'A/RES/68/234']));
  });

  it('tells apart a resolution and a report of the same year', async () => {
    const answer = await assistant.ask('2013年的决议怎么看地方网络？2013年的报告又如何介绍地方网络？');
    expect(new Set(answer.citations.map((c) => c.paragraph.symbol))).toEqual(new Set(['A/RES/68/234', 'A/68/326']));
  });

  it('abstains when the paragraph on the subject is silent on the year asked about', async () => {
    const about = await assistant.ask('难民署在创新方面做了什么尝试？');
    expect(about.citations.map((c) => c.paragraph.id)).toEqual(['A/68/326#box1']);
    const otherYear = await assistant.ask('难民署在2016年做了什么创新尝试？');
    expect(otherYear.abstained).toBe(true);
    expect(otherYear.citations).toEqual([]);
  });

  it('never quotes more than three paragraphs', async () => {
    const answer = await assistant.ask('地方网络有多少个？它们怎么筹资？网络之间怎么互动？年度论坛做什么？');
    expect(answer.citations.length).toBeLessThanOrEqual(3);
  });
});

describe('time and conversation', () => {
  it('answers a question about a year from that year’s document', async () => {
    const answer = await assistant.ask('2003年时，全球契约有哪几个联合国核心机构？');
    expect(answer.citations[0].paragraph.symbol).toBe('A/58/227');
  });

  it('answers "最新/目前" from the most recent document that answers, of the kind named', async () => {
    const report = await assistant.ask('关于全球契约地方网络，最新的报告怎么说？');
    expect(report.citations[0].paragraph.symbol).toBe('A/76/319');
    const resolution = await assistant.ask('大会最新的决议对联合国与私营部门合作提出了什么要求？');
    expect(resolution.citations[0].paragraph.symbol).toBe('A/RES/68/234');
  });

  it('carries the earlier subject into "那2021年的报告呢？"', async () => {
    const first = await assistant.ask('2013年的报告对衡量伙伴关系成效有什么看法？');
    const second = await assistant.ask('那2021年的报告呢？', { history: [{ question: first.question, answer: first }] });
    expect(second.kind).toBe('answer');
    expect(second.citations.every((c) => c.paragraph.symbol === 'A/76/319')).toBe(true);
  });

  it('reads "第二点" as the second cited statement of the previous answer', async () => {
    const [a, b] = await Promise.all([assistant.ask('A/58/227 第9段'), assistant.ask('A/RES/68/234 第2段')]);
    const first = { ...a, statements: [a.statements[0], { ...b.statements[0], cites: [1] }], citations: [a.citations[0], b.citations[0]] };
    const second = await assistant.ask('第二点是什么意思？', { history: [{ question: '伙伴关系的定义', answer: first }] });
    expect(second.citations[0].paragraph.id).toBe('A/RES/68/234#2');
    expect(second.statements[0].text).toBe(b.citations[0].paragraph.text);
  });
});

describe('ask CLI', () => {
  it('answers a batch in input order, one JSON object per line, nothing else on stdout', async () => {
    const batch = join(dir, 'batch.jsonl');
    const ids = ['q2', 'q1', 'q3'];
    const questions = ['A/58/227 第45段', '联合国全球契约办公室每年的差旅预算是多少美元？', 'resolution 68/234 para 13(c)'];
    await writeFile(batch, ids.map((id, i) => JSON.stringify({ id, q: questions[i] })).join('\n'));
    const { stdout } = await promisify(execFile)('npx', ['tsx', 'cli/ask.ts', '--json', '--batch', batch], {
      env: { ...process.env, INDEX_DIR: join(dir, 'index'), LOG_LEVEL: 'silent' },
    });
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(ids);
    for (const line of lines) {
      expect(Object.keys(line).sort()).toEqual(['abstained', 'answer', 'citations', 'id', 'retrieved']);
      expect(line.retrieved.length).toBeLessThanOrEqual(10);
    }
    expect(lines[0].citations[0]).toMatchObject({ symbol: 'A/58/227', paragraph: '45', url: 'https://undocs.org/ch/A/58/227' });
    expect(lines[1].abstained).toBe(true);
    expect(lines[2].answer).toContain('A/RES/68/234, para. 13 (c)');
  });

  it('shapes the JSON object as the eval and the API expect', async () => {
    const json = toAskJson(await assistant.ask('A/68/326 方框3'), 'x');
    expect(json.citations[0]).toMatchObject({ symbol: 'A/68/326', paragraph: 'box3' });
    expect(json.answer).toContain('A/68/326，方框3');
  });
});
