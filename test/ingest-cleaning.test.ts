import { describe, expect, it } from 'vitest';
import {
  bareUrl,
  collapseBoldRepeats,
  collapseLetterSpacing,
  footnoteLineStart,
  joinBroken,
  stripInlineReferences,
  stripReferenceMarkup,
} from '../ingest/clean.ts';
import { parseDocument } from '../ingest/parse.ts';

const spaced = { spacedDigits: true };
const flush = { spacedDigits: false };

function parse(text: string, kind?: 'resolution' | 'report') {
  return parseDocument({ text, file: 'snippet.txt', format: 'txt' }, { symbol: 'A/TEST/1', kind, date: '2013', title: 't', language: 'zh' });
}

describe('four-fold bold repeats', () => {
  it('collapses the artifact at the start of a clause, after a paragraph number too', () => {
    expect(collapseBoldRepeats(' 强调强调强调强调联合国的政府间性质， ')).toEqual({ text: ' 强调联合国的政府间性质， ', emphasisedStart: true });
    expect(collapseBoldRepeats(' 2. 强调强调强调强调这种伙伴关系').text).toBe(' 2. 强调这种伙伴关系');
    expect(collapseBoldRepeats('  6． 请请请请秘书长就本决议').text).toBe('  6． 请秘书长就本决议');
    expect(collapseBoldRepeats(' 重申决心重申决心重申决心重申决心在国家').text).toBe(' 重申决心在国家');
  });

  it('leaves legitimate text alone', () => {
    expect(collapseBoldRepeats('强调强调联合国').text).toBe('强调强调联合国');
    expect(collapseBoldRepeats('谢谢谢谢').text).toBe('谢');
    expect(collapseBoldRepeats('在这方面看看看看').text).toBe('在这方面看看看看');
    expect(collapseBoldRepeats('1 000 000 000 美元').text).toBe('1 000 000 000 美元');
  });
});

describe('broken lines', () => {
  it('joins Chinese without a space and Latin words with one', () => {
    expect(joinBroken('在建立伙伴关系的公司中', '有 89%的公司', spaced)).toBe('在建立伙伴关系的公司中有 89%的公司');
    expect(joinBroken('HSBC Global Banking and Markets ', 'Insights, 27 March 2020', spaced)).toBe('HSBC Global Banking and Markets Insights, 27 March 2020');
  });

  it('between a figure and Chinese follows the document\'s own spacing', () => {
    expect(joinBroken('首先，在 2012', '年 6 月在巴西', spaced)).toBe('首先，在 2012 年 6 月在巴西');
    expect(joinBroken('首先，在2012', '年6月在巴西', flush)).toBe('首先，在2012年6月在巴西');
  });

  it('a real PDF paragraph comes out whole, with its own spacing inside lines kept', () => {
    const text = [
      '9. 有若干活动帮助推动了联合国在私营部门的一些优先事项。首先，在 2012', '',
      '年 6 月在巴西里约热内卢举行的联合国可持续发展大会期间举行了一次有大约', '',
      '2 700 个利益攸关方参加的企业可持续性问题论坛。 ', '',
    ].join('\n');
    const [p] = parse(text).paragraphs;
    expect(p.label).toBe('9');
    expect(p.text).toBe('有若干活动帮助推动了联合国在私营部门的一些优先事项。首先，在 2012 年 6 月在巴西里约热内卢举行的联合国可持续发展大会期间举行了一次有大约 2 700 个利益攸关方参加的企业可持续性问题论坛。');
  });
});

describe('page-break blocks inside a paragraph', () => {
  const text = [
    '5. 另外，随着全球契约地方网络的数量和规模在 100 多个国家不断增长，全球', '',
    '契约的 10 项原则和联合国的价值观正在国家一级影响私营部门。地方网络除了', '',
    '__________________ ', '', ' ', '1',
    ' 本报告参考了一些资料来源：对联合国 24 个机构、基金和方案的在线调查；对联合国系统工', '',
    '作人员(16 人)的深度采访。 ', '',
    'http://undocs.org/ch/A/RES/66/223',
    'http://undocs.org/ch/A/56/323',
    ' 作为学习、对话和知识共享中心外正在承担其他越来越多的作用。 ', '',
    '6. 尽管取得了进展。 ',
  ].join('\n');

  it('footnote text becomes its own paragraph, URL lines and the rule are dropped, the paragraph continues', () => {
    const doc = parse(text);
    expect(doc.paragraphs.map((p) => p.label)).toEqual(['5', 'fn1', '6']);
    expect(doc.paragraphs[0].text).toBe('另外，随着全球契约地方网络的数量和规模在 100 多个国家不断增长，全球契约的 10 项原则和联合国的价值观正在国家一级影响私营部门。地方网络除了作为学习、对话和知识共享中心外正在承担其他越来越多的作用。');
    expect(doc.paragraphs[1].text).toBe('本报告参考了一些资料来源：对联合国 24 个机构、基金和方案的在线调查；对联合国系统工作人员(16 人)的深度采访。');
  });

  it('a footnote runs past the semicolons between the works it cites; the paragraph resumes after its full stop', () => {
    const doc = parse([
      '9. 企业越来越重视企业的气候行动。2020 年 5 月，总市值超过 2.4 万亿美元的 150 多', '',
      '__________________ ', '',
      ' 1 见 Wojciech Leoński and Karolina Beyer, “Reporting as an instrument”, vol. 3 (February 2017); ', '',
      'Global Reporting Initiative, “Integrating SDGs into sustainability reporting”, 2019-2021; Global ', '',
      'Analysis of the Goals and Target, 2017。 ',
      ' 家公司签署了一份声明，敦促经济援助和恢复工作与最新的气候科学', '',
      '保持一致。 ', '',
      '10. 下一段。 ',
    ].join('\n'));
    expect(doc.paragraphs.map((p) => [p.label, p.text])).toEqual([
      ['9', '企业越来越重视企业的气候行动。2020 年 5 月，总市值超过 2.4 万亿美元的 150 多家公司签署了一份声明，敦促经济援助和恢复工作与最新的气候科学保持一致。'],
      ['fn1', '见 Wojciech Leoński and Karolina Beyer, “Reporting as an instrument”, vol. 3 (February 2017); Global Reporting Initiative, “Integrating SDGs into sustainability reporting”, 2019-2021; Global Analysis of the Goals and Target, 2017。'],
      ['10', '下一段。'],
    ]);
  });

  it('a sentence that starts with a domain name is content, not a URL line', () => {
    expect(bareUrl(' business.un.org 网站来大致介绍在伙伴关系方面的需求')).toBeUndefined();
    expect(bareUrl('business.un.org网站的计划应力求增加月度访客数。')).toBeUndefined();
    expect(bareUrl('http://undocs.org/ch/A/68/150')).toBe('http://undocs.org/ch/A/68/150');
    const doc = parse([
      '30. 例如，需要作出进一步努力以优化核准伙伴关系的内部程序。本组织可以更好地利用', ' business.un.org 网站来大致介绍在伙伴关系方面的需求。用于重新设计',
      'business.un.org网站的计划应力求增加月度访客数和关于伙伴关系的建议的数量。  ',
    ].join('\n'));
    expect(doc.paragraphs[0].text).toContain('business.un.org 网站来大致介绍');
    expect(doc.paragraphs[0].text).toContain('business.un.org网站的计划');
  });

  it('a link annotation repeating a footnote\'s visible address is dropped; the footnote keeps it', () => {
    const doc = parse([
      '15. 研究了为应对 COVID-19 大流行疫情提供技术和资金支持的各种伙伴关', '',
      '系。1 两位作者指出', '', '__________________ ', '',
      ' 1 见 http://sdgs.un.org/publications/partnerships-33018。 ', '',
      'http://sdgs.un.org/publications/partnerships-33018',
      ' 和现有网络的基础上建立伙伴关系。 ',
    ].join('\n'));
    expect(doc.paragraphs.map((p) => [p.label, p.text])).toEqual([
      ['15', '研究了为应对 COVID-19 大流行疫情提供技术和资金支持的各种伙伴关系。两位作者指出和现有网络的基础上建立伙伴关系。'],
      ['fn1', '见 http://sdgs.un.org/publications/partnerships-33018。'],
    ]);
  });
});

describe('markup and reference markers', () => {
  it('drops <sup> and superscript reference markers from text', () => {
    expect(stripReferenceMarkup('成果文件<sup>1</sup>和 2013 年')).toBe('成果文件和 2013 年');
    expect(stripReferenceMarkup('（例如“虚拟展览”¹）')).toBe('（例如“虚拟展览”）');
    expect(footnoteLineStart('<sup>1</sup> 第 66/288 号决议，附件。')).toEqual({ number: 1, text: '第 66/288 号决议，附件。' });
    expect(footnoteLineStart('¹ 见 www.virtualexhibit.net。')).toEqual({ number: 1, text: '见 www.virtualexhibit.net。' });
  });

  it('drops inline PDF reference numbers only when they are the next expected one', () => {
    expect(stripInlineReferences('但最近的一些研究1  表明，', 1)).toEqual({ text: '但最近的一些研究表明，', nextRef: 2 });
    expect(stripInlineReferences('表现优于同行。2 这', 2)).toEqual({ text: '表现优于同行。这', nextRef: 3 });
    expect(stripInlineReferences('首先，在 2012 年 COVID-19 大流行', 1).text).toBe('首先，在 2012 年 COVID-19 大流行');
    expect(stripInlineReferences('表现优于同行。5 这', 2).text).toBe('表现优于同行。5 这');
    expect(stripInlineReferences('共有1 000 个', 1).text).toBe('共有1 000 个');
  });

  it('removes letter-spacing from justified lines only', () => {
    expect(collapseLetterSpacing('公 众 对 企 业 的 信 任 比 对 许 多')).toBe('公众对企业的信任比对许多');
    expect(collapseLetterSpacing('在 2012 年 6 月')).toBe('在 2012 年 6 月');
  });

  it('strips **bold**, full-width and ASCII numbering; the label carries the number', () => {
    const doc = parse(['1． **注意到**秘书长的报告；', '2. **强调**这种伙伴关系；', '3．又强调需要进行国际合作；'].join('\n'));
    expect(doc.paragraphs.map((p) => [p.label, p.text])).toEqual([
      ['1', '注意到秘书长的报告；'],
      ['2', '强调这种伙伴关系；'],
      ['3', '又强调需要进行国际合作；'],
    ]);
  });
});

describe('structure details', () => {
  it('a numbered sub-heading is told from a paragraph by the expected number', () => {
    const doc = parse([
      '14. 在联合国实践者中存在着一种乐观的看法。 ', '',
      ' 1. 联合国的利益和企业的利益趋于一致 ', ' ', '',
      '15. 联合国和企业之间在解决社会问题方面的利益日益趋于一致。 ',
    ].join('\n'));
    expect(doc.paragraphs.map((p) => p.label)).toEqual(['14', '15']);
    expect(doc.paragraphs[1].section).toEqual(['1. 联合国的利益和企业的利益趋于一致']);
  });

  it('lettered items in running text are not sub-paragraphs; a list after a colon is', () => {
    const doc = parse([
      '15. 他们确定了五个关键因素：(a) 危机的紧急性；',
      '(b) 利用技术克服危机造成的障碍；(c) 在伙伴关系中采用创新做法。',
      '16. 请秘书长协作：', '(a) 改进准则；', '(b) 披露捐款情况；',
    ].join('\n'));
    expect(doc.paragraphs.map((p) => p.label)).toEqual(['15', '16', '16(a)', '16(b)']);
  });

  it('boxes keep their title on the first line and end at the next paragraph', () => {
    const doc = parse(['18. 例如，儿基会发展了一个网络。 ', '方框 1 ', '联合国难民事务高级专员公署 ', ' “难民署创新”是一个部门间倡议。 ', '19. 各机构还在探索。 '].join('\n'));
    expect(doc.paragraphs.map((p) => [p.label, p.text])).toEqual([
      ['18', '例如，儿基会发展了一个网络。'],
      ['box1', '联合国难民事务高级专员公署\n“难民署创新”是一个部门间倡议。'],
      ['19', '各机构还在探索。'],
    ]);
  });

  it('in DOCX and HTML every line is a paragraph of its own: a long box title keeps its line break', () => {
    const lines = [
      '18. 例如，儿基会发展了一个网络。', '方框 4',
      '联合国全球契约：促进泰国的伙伴关系，以实现从 COVID-19 大流行中可持续恢复和实现可持续发展目标的努力',
      '2020 年 8 月，全球契约泰国网络与驻该国的联合国国家工作队合作。', '19. 各机构还在探索。',
    ].join('\n');
    const meta = { symbol: 'A/TEST/1', kind: 'report' as const, date: '2021', title: 't', language: 'zh' };
    for (const format of ['docx', 'html'] as const) {
      const box = parseDocument({ text: lines, file: `snippet.${format}`, format }, meta).paragraphs.find((p) => p.label === 'box4')!;
      expect(box.text, format).toBe('联合国全球契约：促进泰国的伙伴关系，以实现从 COVID-19 大流行中可持续恢复和实现可持续发展目标的努力\n2020 年 8 月，全球契约泰国网络与驻该国的联合国国家工作队合作。');
    }
  });

  it('an unnumbered continuation belongs to the paragraph it continues', () => {
    const doc = parse(['58. 惠普公司提供了一批贷款。', '“不用纸张的委员会”进入完全运作状态之后，用户就能够连续获得文件。', '59. 人权。'].join('\n'));
    expect(doc.paragraphs[0].text).toBe('惠普公司提供了一批贷款。\n“不用纸张的委员会”进入完全运作状态之后，用户就能够连续获得文件。');
  });
});
