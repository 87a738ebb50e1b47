import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toAskJson } from '../bot/render/json.ts';
import { renderText } from '../bot/render/text.ts';
import type { Assistant } from '../core/answer.ts';
import { buildTestAssistant } from './support/assistant-server.ts';

let env: Awaited<ReturnType<typeof buildTestAssistant>>;
let assistant: Assistant;

beforeAll(async () => {
  env = await buildTestAssistant();
  assistant = env.assistant;
}, 60_000);
afterAll(async () => {
  await env.cleanup();
});

const checkOf = async (question: string) => toAskJson(await assistant.ask(question)).check;

describe('a claim that the cited paragraph states', () => {
  it.each([
    ['“…对吗？” after a symbol and paragraph', '根据A/58/227第44段，截止2003年5月31日，伙伴基金为253个项目编列了5.13亿美元。对吗？', 'A/58/227', '44'],
    ['a draft sentence with the citation in brackets', '决议鼓励上市公司和大型公司酌情在报告周期里纳入可持续性方面的信息（A/RES/68/234，第16段）。请核对。', 'A/RES/68/234', '16'],
    ['“核对一下：” before the claim', '核对一下：A/68/326第60段说，101个地方网络中有57个签署了谅解备忘录。', 'A/68/326', '60'],
    ['“是不是说” on a lettered sub-paragraph of a resolution named by number', '68/234号决议第13(c)段是不是说要加强尽职措施，以维护本组织声誉并确保建立信任？', 'A/RES/68/234', '13(c)'],
    ['English “Does para … say …?”', 'Does para 34 of A/58/227 say that the Secretary-General launched the Global Compact in July 2000 as a voluntary initiative?', 'A/58/227', '34'],
  ])('%s is supported, quoting the cited paragraph', async (_form, question, symbol, paragraph) => {
    const check = await checkOf(question);
    expect(check).toMatchObject({ verdict: 'supported', cited: { symbol, paragraph } });
    expect(check!.evidence).toEqual([expect.objectContaining({ symbol, paragraph })]);
  });
});

describe('a claim too vague to compare', () => {
  it('is never "supported", and the cited paragraph is shown', async () => {
    const answer = await assistant.ask('根据A/58/227第44段，到那年春末这个基金一共给几百个项目安排了大笔资金。对吗？');
    const check = toAskJson(answer).check;
    expect(check!.verdict).not.toBe('supported');
    expect(answer.citations.map((c) => c.paragraph.id)).toEqual(['A/58/227#44']);
  });
});

describe('a claim the cited paragraph does not state', () => {
  it('points a wrong sub-paragraph to the sibling that says it', async () => {
    const check = await checkOf('68/234号决议第13(d)段是不是要求从性别平等的角度改进联合国与企业界的合作准则？');
    expect(check).toMatchObject({ verdict: 'not_supported', cited: { symbol: 'A/RES/68/234', paragraph: '13(d)' } });
    expect(check!.evidence.map((e) => `${e.symbol}#${e.paragraph}`)).toEqual(['A/RES/68/234#13(a)']);
  });

  it('points an operative citation of preambular content to the preambular paragraph', async () => {
    const check = await checkOf('68/234号决议执行部分第8段回顾了2005年世界首脑会议鼓励在许多领域建立公私伙伴关系来消除贫穷。对吗？');
    expect(check!.verdict).toBe('not_supported');
    expect(check!.evidence.map((e) => `${e.symbol}#${e.paragraph}`)).toEqual(['A/RES/68/234#PP8']);
  });

  it('points a citation of the wrong report to the report that says it, and says so in the answer', async () => {
    const answer = await assistant.ask('A/58/227第20段说，“移动保健”伙伴关系用短信和手机应用程序帮助防治糖尿病等非传染性疾病，对吗？');
    const check = toAskJson(answer).check;
    expect(check!.verdict).toBe('not_supported');
    expect(check!.evidence.map((e) => `${e.symbol}#${e.paragraph}`)).toEqual(['A/68/326#20']);
    expect(renderText(answer)).toContain('这一内容见 A/68/326，第20段');
  });

  it.each([
    ['another amount', '核对一下：A/58/227第44段说伙伴基金给253个项目安排了51.3亿美元。', 'number'],
    ['a turned-around negation', '根据A/58/227第8段，首脑会议认为伙伴关系可以取代政府的责任。对吗？', 'negation'],
    ['"requires" where the paragraph encourages', '68/234号决议第20段要求私营部门必须加入全球契约的“企业促进和平”平台，是吗？', 'modality'],
    ['a fall reported as a rise', 'A/68/326第64段说，非洲和中东的全球契约企业参与率在2012年上升了17%，是吗？', 'direction'],
  ])('says which part differs when the claim states %s', async (_what, question, kind) => {
    const check = await checkOf(question);
    expect(check!.verdict).toBe('not_supported');
    expect(check!.differences.map((d) => d.kind)).toContain(kind);
    expect(check!.evidence).toEqual([expect.objectContaining({ symbol: check!.cited!.symbol, paragraph: check!.cited!.paragraph })]);
  });
});

describe('a citation that points nowhere', () => {
  it('names the valid range of a paragraph that does not exist', async () => {
    const answer = await assistant.ask('A/RES/56/76第9段说大会设立了一个新的伙伴关系基金，对吗？');
    expect(toAskJson(answer).check).toMatchObject({ verdict: 'no_such_paragraph', cited: { symbol: 'A/RES/56/76', paragraph: '9' } });
    expect(renderText(answer)).toContain('第1至7段');
  });

  it('cannot tell about a document the index lacks, and never calls it supported', async () => {
    const check = await checkOf('A/70/1第3段说企业必须报告可持续性，对吗？');
    expect(check).toMatchObject({ verdict: 'cannot_tell', cited: { symbol: 'A/70/1', paragraph: '3' }, evidence: [] });
  });
});

describe('a citation without its document', () => {
  it('refers to the document the conversation was about', async () => {
    const earlier = await assistant.ask('A/RES/68/234第16段讲了什么？');
    const answer = await assistant.ask('第20段是不是鼓励私营部门和地方网络加入“企业促进和平”平台？', { history: [{ question: earlier.question, answer: earlier }] });
    expect(toAskJson(answer).check).toMatchObject({ cited: { symbol: 'A/RES/68/234', paragraph: '20' } });
  });

  it('cannot tell which document is meant without one, and says so', async () => {
    const answer = await assistant.ask('第20段是不是鼓励私营部门和地方网络加入“企业促进和平”平台？');
    expect(toAskJson(answer).check).toMatchObject({ verdict: 'cannot_tell', cited: null });
    expect(renderText(answer)).toContain('请写明文件号');
  });
});

describe('messages that are not claim checks', () => {
  it.each(['A/RES/68/234第13段的内容是什么？', '全球契约地方网络的作用是什么？', 'A/58/227第45段', '我正在核对一份备忘录：A/58/227第45段讲的是什么？'])('%s carries no check', async (question) => {
    const json = toAskJson(await assistant.ask(question));
    expect(json.check).toBeUndefined();
  });
});

describe('a pasted passage with several citations', () => {
  it('checks each citation against the sentence it supports, in one answer', async () => {
    const passage = '大会鼓励上市公司和大型公司酌情在报告周期里纳入可持续性方面的信息（A/RES/68/234，第16段）。大会还规定私营部门必须先加入“企业促进和平”平台才能同联合国合作（A/RES/68/234，第20段）。';
    const json = toAskJson(await assistant.ask(passage));
    expect(json.checks!.map((c) => [c.cited?.paragraph, c.verdict])).toEqual([
      ['16', 'supported'],
      ['20', 'not_supported'],
    ]);
    expect(json.check).toEqual(json.checks![0]);
  });
});
