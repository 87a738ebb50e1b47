import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MemoryIndex } from '../index/knowledge-index.ts';
import { cosine, glossOfParagraph, glossOfText } from '../knowledge/answer/gloss.ts';
import { translatorFor } from '../knowledge/answer/reading.ts';
import { readQuestion } from '../knowledge/question/frame.ts';
import { bundledIndex } from './support/bundled-index.ts';

/**
 * The gloss space over the real bundled index: words of one sense meet there whatever their
 * characters or language, and English questions keep what the documents print in Latin letters.
 */

let index: MemoryIndex;
let remove: () => Promise<void>;

beforeAll(async () => {
  ({ index, remove } = await bundledIndex('answer-gloss'));
});
afterAll(() => remove());

describe('the gloss space of the index', () => {
  it('puts near-synonyms that share no character closer than unrelated words', () => {
    const give = glossOfText(index, '捐献');
    expect(cosine(give, glossOfText(index, '捐赠'))).toBeGreaterThan(0.3);
    expect(cosine(give, glossOfText(index, '天气'))).toBeLessThan(0.05);
  });

  it('puts an English word where the Chinese words it translates lie', () => {
    const english = index.lexicon.englishVector('donate');
    expect(cosine(english, glossOfText(index, '捐赠'))).toBeGreaterThan(cosine(english, glossOfText(index, '天气')) + 0.2);
  });

  it('gives a paragraph the same vector however often it is ranked', () => {
    const paragraph = index.paragraphs[0];
    const first = glossOfParagraph(index, paragraph);
    expect(glossOfParagraph(index, paragraph)).toBe(first);
    expect(cosine(first, first)).toBeCloseTo(1, 9);
  });
});

describe('English questions offline', () => {
  it('search the Latin-letter terms the documents print, beside the translation', () => {
    const frame = readQuestion('How do ESG ratings relate to partnerships?', index.documents);
    const query = translatorFor(frame, index)!(frame.content)!;
    expect(query.split(' ')).toContain('esg');
    expect(query).toMatch(/\p{Script=Han}/u);
  });

  it('leave out Latin words that no paragraph contains', () => {
    const frame = readQuestion('What about zyxwv partnerships?', index.documents);
    expect(translatorFor(frame, index)!(frame.content)!.split(' ')).not.toContain('zyxwv');
  });
});
