import { describe, expect, it } from 'vitest';
import { BUNDLED_DOCUMENTS } from './support/document-metas.ts';
import { findReferences } from '../knowledge/question/references.ts';

const DOCUMENTS = BUNDLED_DOCUMENTS;

const read = (text: string) => findReferences(text, DOCUMENTS).paragraphs.map((p) => `${p.symbol ?? '?'}#${p.label}`);

describe('the one reference grammar', () => {
  it.each([
    ['A/RES/68/234第7段讲的是什么', ['A/RES/68/234#7']],
    ['第68/234号决议第9段(b)项', ['A/RES/68/234#9(b)']],
    ['68/234号决议执行部分第4段', ['A/RES/68/234#4']],
    ['A/58/227第20(a)段', ['A/58/227#20(a)']],
    ['A/RES/56/76 序言部分第2段', ['A/RES/56/76#PP2']],
    ['这句话出自（A/RES/68/234，第11段）。', ['A/RES/68/234#11']],
    ['2021年秘书长的报告第40段', ['A/76/319#40']],
    ['2003年报告第3段', ['A/58/227#3']],
    ['A/68/326 第8段和第9段', ['A/68/326#8', 'A/68/326#9']],
    ['A/68/326 第8、9段', ['A/68/326#8', 'A/68/326#9']],
    ['A/58/227第二十段', ['A/58/227#20']],
    ['A/58/227第5至7段', ['A/58/227#5', 'A/58/227#6', 'A/58/227#7']],
    ['A/76/319的摘要', ['A/76/319#summary']],
    ['A/68/326脚注4', ['A/68/326#fn4']],
    ['A/76/319 方框1', ['A/76/319#box1']],
    ['2021年秘书长报告框7提到的倡议', ['A/76/319#box7']],
    ['para 9 of the 2013 SG report', ['A/68/326#9']],
    ['Is para 10 (d) of resolution 68/234 about that?', ['A/RES/68/234#10(d)']],
    ['paragraph 6 of A/58/227', ['A/58/227#6']],
    ['paras 3 and 5 of A/RES/56/76', ['A/RES/56/76#3', 'A/RES/56/76#5']],
    ['preambular paragraph 4 of resolution 56/76', ['A/RES/56/76#PP4']],
    ['A／RES／68／234 第１２段', ['A/RES/68/234#12']],
  ])('%s', (text, expected) => {
    expect(read(text)).toEqual(expected);
  });

  it('keeps a paragraph with no document named unresolved instead of guessing one', () => {
    expect(read('第12段是怎么说的')).toEqual(['?#12']);
  });

  it('names a document the index lacks, in canonical form, without resolving it', () => {
    const { documents, paragraphs } = findReferences('第70/1号决议第3段', DOCUMENTS);
    expect(documents).toMatchObject([{ named: 'A/RES/70/1', symbol: undefined }]);
    expect(paragraphs).toMatchObject([{ label: '3', symbol: undefined, document: { named: 'A/RES/70/1' } }]);
  });

  it('reads no document into a span of years or a number that names none', () => {
    expect(findReferences('2014/2015两年期的预算', DOCUMENTS).documents).toEqual([]);
  });

  it('ties each paragraph to the document of its own sentence and keeps offsets into the input', () => {
    const text = '草案称A/RES/68/234第13段如此。另见A/58/227第5段。';
    const refs = findReferences(text, DOCUMENTS).paragraphs;
    expect(refs.map((p) => `${p.symbol}#${p.label}`)).toEqual(['A/RES/68/234#13', 'A/58/227#5']);
    for (const p of refs) expect(text.slice(p.start, p.end)).toBe(p.written);
  });
});
