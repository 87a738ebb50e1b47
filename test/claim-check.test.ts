import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toAskJson } from '../bot/render/json.ts';
import { renderText } from '../bot/render/text.ts';
import type { Assistant } from '../core/answer.ts';
import { buildTestAssistant } from './support/assistant-server.ts';

/**
 * Claims written for these tests, on paragraphs and distortions that no evaluation case uses, so that a
 * rule tuned to the evaluation set does not pass them by construction.
 */

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
const labels = (check: { evidence: Array<{ symbol: string; paragraph: string }> }) => check.evidence.map((e) => `${e.symbol}#${e.paragraph}`);

describe('a claim that the cited paragraph states', () => {
  it.each([
    ['“…对吗？” after a symbol and paragraph', '根据A/68/326第10段，预计有1000多名来自企业、政府和民间社会的领导人出席2013年9月在纽约召开的全球契约领导人峰会。对吗？', 'A/68/326', '10', '1 000 多名来自企业、政府和民间社会的领导人'],
    ['a draft sentence with the citation in brackets', '大会赞赏地注意到2012年里约热内卢可持续发展大会期间举办了企业可持续性论坛（A/RES/68/234，第23段）。请核对。', 'A/RES/68/234', '23', '企业可持续性论坛'],
    ['“核对一下：” before the claim', '核对一下：A/58/227第41段说，全球契约和开发计划署于2003年创立了项目伙伴关系论坛。', 'A/58/227', '41', '于 2003 年创立了项目伙伴关系论坛'],
    ['“是不是说” on a lettered sub-paragraph of a resolution named by number', '68/234号决议第13(d)段是不是说，这些要素要在相关的全系统报告里得到一致的反映？', 'A/RES/68/234', '13(d)', '在相关全系统报告中得到一致反映'],
    ['English “Does para … of A/… say …?”', "Does para 51 of A/58/227 say that Levi's and its foundation gave 270,000 dollars to UNICEF for documentaries with MTV Asia?", 'A/58/227', '51', '270 000 美元'],
    ['"must" where the sentence it is about says 必须, beside a sentence that says "may"', 'A/76/319第41段说，私营部门必须优先重视减少整个价值链的二氧化碳排放，对吗？', 'A/76/319', '41', '私营部门必须优先重视'],
  ])('%s is supported, quoting the cited paragraph', async (_form, question, symbol, paragraph, quoted) => {
    const check = await checkOf(question);
    expect(check).toMatchObject({ verdict: 'supported', cited: { symbol, paragraph }, differences: [] });
    expect(check!.evidence).toEqual([expect.objectContaining({ symbol, paragraph })]);
    expect(check!.evidence[0].text).toContain(quoted);
  });
});

describe('what the answer shows', () => {
  it('shows the cited paragraph whole for one claim, and only the supporting sentences for a passage of several', async () => {
    const one = await assistant.ask('A/58/227第41段说全球契约和开发计划署于2003年创立了项目伙伴关系论坛，对吗？');
    const cited = one.citations[0].paragraph;
    expect(cited.id).toBe('A/58/227#41');
    expect(one.statements.map((s) => s.text)).toContain(cited.text);
    const passage = await assistant.ask('全球契约和开发计划署于2003年创立了项目伙伴关系论坛（A/58/227，第41段）。大会赞赏地注意到里约会议期间举办了企业可持续性论坛（A/RES/68/234，第23段）。');
    expect(passage.check).toHaveLength(2);
    const shown = passage.statements.map((s) => s.text);
    for (const check of passage.check!) for (const evidence of check.evidence) expect(shown).toContain(evidence.quote);
    expect(shown).not.toContain(cited.text);
  });
});

describe('a claim too vague to compare', () => {
  it('is never "supported", and the cited paragraph is shown', async () => {
    const answer = await assistant.ask('根据A/68/326第10段，那年秋天有个会要请很多人来。对吗？');
    expect(toAskJson(answer).check!.verdict).not.toBe('supported');
    expect(answer.citations.map((c) => c.paragraph.id)).toEqual(['A/68/326#10']);
  });
});

describe('a claim the cited paragraph does not state', () => {
  it('points a wrong sub-paragraph to the sibling that says it, quoting both', async () => {
    const check = await checkOf('A/58/227第14(f)段是不是讲，联合国、各国政府和非国家行动者要互相分享信息、一起做研究和学习？');
    expect(check).toMatchObject({ verdict: 'not_supported', cited: { symbol: 'A/58/227', paragraph: '14(f)' } });
    expect(labels(check!)).toEqual(['A/58/227#14(d)']);
    expect(check!.evidence[0].text).toContain('信息与学习');
  });

  it('points an operative citation of preambular content to the preambular paragraph', async () => {
    const check = await checkOf('68/234号决议执行部分第18段认识到，联合国作为会员国和所有利益攸关方之间的桥梁建设者具有独特地位。对吗？');
    expect(check).toMatchObject({ verdict: 'not_supported', cited: { symbol: 'A/RES/68/234', paragraph: '18' } });
    expect(labels(check!)).toEqual(['A/RES/68/234#PP18']);
    expect(check!.evidence[0].text).toContain('桥梁建设者');
  });

  it('points a citation of the wrong report to the report that says it, and says so in the answer', async () => {
    const answer = await assistant.ask('A/68/326第57段说，开发计划署同波兰最大的石油公司建立了中欧和东欧第一个主要的公私伙伴关系。对吗？');
    const check = toAskJson(answer).check!;
    expect(check.verdict).toBe('not_supported');
    expect(labels(check)).toEqual(['A/58/227#57']);
    expect(renderText(answer)).toContain('这一内容见 A/58/227，第57段');
  });

  it.each([
    ['another amount', 'A/58/227第51段说，利维斯公司及其基金会拨款720000美元，供儿童基金会同亚洲MTV签约制作纪录片。对吗？', 'A/58/227#51', 'number', '270 000'],
    ['another year', 'A/68/326框5说，德国政府在2006年建立了全国企业社会责任论坛，对吗？', 'A/68/326#box5', 'year', '2009 年'],
    ['a dropped negation', 'A/58/227第79段说，能迎接挑战的伙伴关系会被淘汰掉。对吗？', 'A/58/227#79', 'negation', '不能迎接挑战'],
    ['a dropped negation across a coverb', 'A/76/319第17段说，有的政府或组织能够靠单打独斗解决人类面临的巨大挑战。对吗？', 'A/76/319#17', 'negation', '不能靠单打独斗'],
    ['"requires" where the paragraph encourages', '68/234号决议第18段要求国际社会必须把国际劳工组织的全球就业契约用到伙伴关系里，是吗？', 'A/RES/68/234#18', 'modality', '鼓励'],
    ['"requires" in English, cited as "para N of resolution N"', 'Does para 18 of resolution 68/234 require the international community to apply the Global Jobs Pact of the ILO in partnerships?', 'A/RES/68/234#18', 'modality', '鼓励'],
    ['shrinking where the paragraph has growth', 'A/68/326第5段说，全球契约地方网络的数量和规模在100多个国家不断缩小，是吗？', 'A/68/326#5', 'direction', 'up'],
    ['"must" where the sentence it is about says "may", and another sentence says 必须', 'A/76/319第41段说，会员国必须帮助营造有利的环境，缔结符合《2030年可持续发展议程》的伙伴关系。对吗？', 'A/76/319#41', 'modality', '可以'],
    ['a comparison the other way', 'A/58/227第73段说，一个成功的伙伴关系，其影响比常规项目小得多。对吗？', 'A/58/227#73', 'direction', '大'],
    ['another actor', '68/234号决议第17段请会员国继续促进有效执行《联合国与企业界合作准则》，对吗？', 'A/RES/68/234#17', 'actor', '秘书长'],
  ])('says what differs when the claim states %s, quoting the cited paragraph', async (_what, question, cited, kind, inParagraph) => {
    const check = await checkOf(question);
    expect(check!.verdict).toBe('not_supported');
    expect(`${check!.cited!.symbol}#${check!.cited!.paragraph}`).toBe(cited);
    expect(check!.differences).toContainEqual(expect.objectContaining({ kind, paragraph: expect.stringContaining(inParagraph) }));
    expect(labels(check!)).toEqual([cited]);
  });
});

describe('a citation that points nowhere', () => {
  it('names the valid range of a paragraph that does not exist', async () => {
    const answer = await assistant.ask('68/234号决议序言部分第20段强调伙伴关系必须接受独立审计，对吗？');
    expect(toAskJson(answer).check).toMatchObject({ verdict: 'no_such_paragraph', cited: { symbol: 'A/RES/68/234', paragraph: 'PP20' }, evidence: [] });
    expect(renderText(answer)).toContain('序言部分第1至19段');
  });

  it('names the valid range in English', async () => {
    const answer = await assistant.ask('Does paragraph 45 of A/76/319 recommend that Member States fund a registry of business partners?');
    expect(toAskJson(answer).check).toMatchObject({ verdict: 'no_such_paragraph', cited: { symbol: 'A/76/319', paragraph: '45' } });
    expect(renderText(answer)).toContain('paras. 1 to 43');
  });

  it('cannot tell about a document the index lacks, and never calls it supported', async () => {
    const check = await checkOf('A/71/5第3段说各基金必须公布企业捐款，对吗？');
    expect(check).toMatchObject({ verdict: 'cannot_tell', cited: { symbol: 'A/71/5', paragraph: '3' }, evidence: [] });
  });
});

describe('a citation without its document', () => {
  const QUESTION = '第21段是不是赞赏地注意到每年举办的联合国私营部门论坛？';

  it('refers to the document the conversation was about', async () => {
    const earlier = await assistant.ask('A/RES/68/234第23段讲了什么？');
    const answer = await assistant.ask(QUESTION, { history: [{ question: earlier.question, answer: earlier }] });
    expect(toAskJson(answer).check).toMatchObject({ verdict: 'supported', cited: { symbol: 'A/RES/68/234', paragraph: '21' } });
  });

  it('cannot tell which document is meant without one, and says so', async () => {
    const answer = await assistant.ask(QUESTION);
    expect(toAskJson(answer).check).toMatchObject({ verdict: 'cannot_tell', cited: null });
    expect(renderText(answer)).toContain('请写明文件号');
  });
});

describe('messages that are not claim checks', () => {
  it.each(['A/RES/68/234第13段写了哪些事项？', '全球契约地方网络的作用是什么？', 'A/58/227第45段', '我正在核对一份备忘录：A/58/227第45段讲的是什么？'])('%s carries no check', async (question) => {
    expect(toAskJson(await assistant.ask(question)).check).toBeUndefined();
  });
});

describe('a pasted passage with several citations', () => {
  it('checks each citation against the sentence it supports, in one answer', async () => {
    const passage = '大会赞赏地注意到2012年里约热内卢可持续发展大会期间举办了企业可持续性论坛（A/RES/68/234，第23段）。大会还要求国际社会必须把国际劳工组织的全球就业契约用到伙伴关系里（A/RES/68/234，第18段）。';
    const json = toAskJson(await assistant.ask(passage));
    expect(json.checks!.map((c) => [c.cited?.paragraph, c.verdict])).toEqual([
      ['23', 'supported'],
      ['18', 'not_supported'],
    ]);
    expect(json.check).toEqual(json.checks![0]);
  });
});
