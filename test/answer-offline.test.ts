import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toAskJson } from '../bot/render/json.ts';
import { renderText } from '../bot/render/text.ts';
import type { Assistant } from '../core/answer.ts';
import { createAssistant } from '../knowledge/assistant.ts';
import { bundledIndex } from './support/bundled-index.ts';

let dir: string;
let assistant: Assistant;
let remove: () => Promise<void>;

beforeAll(async () => {
  const bundled = await bundledIndex('answer-offline');
  ({ dir, remove } = bundled);
  assistant = createAssistant(bundled.index);
});
afterAll(() => remove());

describe('citation lookup', () => {
  it.each([
    ['第68/234号决议第13段(c)项', 'A/RES/68/234', '13(c)', 'A/RES/68/234，第13(c)段'],
    ['68/234号决议执行部分第5段', 'A/RES/68/234', '5', 'A/RES/68/234，第5段'],
    ['A/58/227 第45段', 'A/58/227', '45', 'A/58/227，第45段'],
    ['A/58/227第14(d)段', 'A/58/227', '14(d)', 'A/58/227，第14(d)段'],
    ['A/RES/56/76 序言部分第3段', 'A/RES/56/76', 'PP3', 'A/RES/56/76，序言部分第3段'],
    ['A/68/326 摘要', 'A/68/326', 'summary', 'A/68/326，摘要'],
    ['A/68/326 脚注1', 'A/68/326', 'fn1', 'A/68/326，脚注1'],
    ['A/68/326（2013年那份秘书长报告）第40段写了什么？', 'A/68/326', '40', 'A/68/326，第40段'],
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

describe('whole answers', () => {
  it('quotes a paragraph that leads in to lettered sub-paragraphs together with them, each cited', async () => {
    const answer = await assistant.ask('A/RES/68/234 第13段');
    expect(answer.kind).toBe('lookup');
    expect(answer.citations.map((c) => c.paragraph.label)).toEqual(['13', '13(a)', '13(b)', '13(c)', '13(d)']);
    expect(answer.statements.map((s) => s.cites)).toEqual([[0], [1], [2], [3], [4]]);
    expect(answer.statements.map((s) => s.text)).toEqual(answer.citations.map((c) => c.paragraph.text));
  });

  it('answers every paragraph a question names', async () => {
    const answer = await assistant.ask('A/58/227 第9段和第10段');
    expect(answer.citations.map((c) => c.paragraph.id)).toEqual(['A/58/227#9', 'A/58/227#10']);
  });

  it('reads a paragraph of a document named by year and kind', async () => {
    const answer = await assistant.ask('2021年秘书长的报告第37段');
    expect(answer.citations[0].paragraph.id).toBe('A/76/319#37');
  });

  it('names the most recent document when asked which one it is', async () => {
    const answer = await assistant.ask('最新的文件是哪一份？');
    expect(answer.kind).toBe('answer');
    expect(answer.statements[0].text).toContain('A/76/319');
    expect(answer.citations[0].paragraph.symbol).toBe('A/76/319');
  });

  it('answers from quoted paragraphs only: every statement cited and verbatim, sources listed', async () => {
    const answer = await assistant.ask('联合国系统私营部门协调人每年开会讨论什么？');
    expect(answer.kind).toBe('answer');
    for (const s of answer.statements) {
      expect(s.cites.length).toBeGreaterThan(0);
      for (const part of s.text.split('…')) expect(answer.citations[s.cites[0]].paragraph.text).toContain(part);
    }
    expect(renderText(answer)).toMatch(/（A\/\d+\/\d+，第\d+段）[\s\S]*来源：\n1\. A\/\d+\/\d+，第\d+段 https:\/\/undocs\.org\/ch\//);
  });

  it('answers from the documents a question points at, and only from them', async () => {
    const answer = await assistant.ask('2013年的秘书长报告怎样看待伙伴关系的问责？');
    expect(answer.citations.length).toBeGreaterThan(0);
    expect(answer.citations.every((c) => c.paragraph.symbol === 'A/68/326')).toBe(true);
    expect(answer.retrieved.every((r) => r.paragraph.symbol === 'A/68/326')).toBe(true);
  });

  it('never quotes more than three paragraphs', async () => {
    const answer = await assistant.ask('地方网络有多少个？它们怎么筹资？网络之间怎么互动？年度论坛做什么？');
    expect(answer.citations.length).toBeLessThanOrEqual(3);
  });

});

describe('time and conversation', () => {
  it('carries the earlier subject into "那2021年的报告呢？"', async () => {
    const first = await assistant.ask('2013年的报告对伙伴关系的问责有什么看法？');
    const second = await assistant.ask('那2021年的报告呢？', { history: [{ question: first.question, answer: first }] });
    expect(second.kind).toBe('answer');
    expect(second.citations.every((c) => c.paragraph.symbol === 'A/76/319')).toBe(true);
  });

  it('keeps the earlier documents for a new subject ("那…呢？")', async () => {
    const first = await assistant.ask('2003年的报告怎么谈伙伴关系的透明度？');
    const second = await assistant.ask('那问责呢？', { history: [{ question: first.question, answer: first }] });
    expect(second.retrieved.every((r) => r.paragraph.symbol === 'A/58/227')).toBe(true);
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
    const questions = ['A/58/227 第45段', 'A/RES/70/1 第5段是什么？', 'resolution 68/234 para 13(c)'];
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
