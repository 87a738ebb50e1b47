import { readFile, writeFile } from 'node:fs/promises';

/**
 * The lexicon as stored in an index directory (lexicon.json): the CC-CEDICT senses of the index's own
 * words, with English already reduced to stemmed content terms, so that loading it is one JSON parse
 * and no dictionary is read per process or per question.
 */

export const LEXICON_VERSION = 1;

/**
 * A word's senses in one string: senses separated by "|", a sense's glosses by ";", a gloss's term ids
 * (indexes into `terms`) by ",". Strings rather than nested arrays because the file holds tens of
 * thousands of headwords that a question may use but few ever will: they are decoded when asked for,
 * and the file loads in one parse of flat strings.
 */
export type EncodedSenses = string;

export interface LexiconData {
  version: typeof LEXICON_VERSION;
  /** Where the glosses come from and under which licence (CC-CEDICT: CC BY-SA 4.0). */
  source: string;
  /** Headwords of the whole dictionary that have glosses: the N of each term's specificity. */
  headwords: number;
  /** Stemmed English content terms. */
  terms: string[];
  /** Per term: how many dictionary headwords (of all, not only the index's) have a gloss with it. */
  termHeadwords: number[];
  /** Index words that have senses: CC-CEDICT headwords, and compounds made of headwords (see parts). */
  words: string[];
  /** Per word: in how many paragraphs it occurs (the vocabulary's document frequency). */
  frequencies: number[];
  senses: EncodedSenses[];
  /** Per word, per sense: the glosses as text ("company; firm"), for explanations. */
  meanings: string[][];
  /** Index words that are not headwords themselves, with the headwords they were composed from. */
  parts: Record<string, string[]>;
  /**
   * Headwords that do not occur in the index but share a gloss term with a word that does, one a line
   * as "headword<TAB>encoded senses", in JavaScript string order: a question may use them ("捐钱" where
   * the documents say "捐款"), and their senses are what finds the index's near-synonyms. One string
   * because there are tens of thousands and a question needs one or two: loading does not split it,
   * a lookup is a binary search over its lines. Never given out as translations or synonyms themselves.
   */
  others: string;
  /**
   * Other headwords that the index spells with two or more of its words (the documents' "尽职" +
   * "调查" for the dictionary's "尽职调查"): an English gloss of theirs translates to those words.
   */
  spelled: Record<string, string[]>;
}

const ENCODED = /^\d+(?:,\d+)*(?:[;|]\d+(?:,\d+)*)*$/;

export function encodeSenses(senses: number[][][]): EncodedSenses {
  return senses.map((glosses) => glosses.map((terms) => terms.join(',')).join(';')).join('|');
}

/** Decodes what encodeSenses made; throws on term ids out of range (a damaged file). */
export function decodeSenses(encoded: EncodedSenses, termCount: number): number[][][] {
  return encoded.split('|').map((sense) =>
    sense.split(';').map((gloss) =>
      gloss.split(',').map((id) => {
        const t = Number(id);
        if (!(t < termCount)) throw new Error(`lexicon is malformed: term id ${id} of ${termCount}`);
        return t;
      }),
    ),
  );
}

export async function writeLexiconFile(path: string, data: LexiconData): Promise<void> {
  await writeFile(path, JSON.stringify(data));
}

export async function readLexiconFile(path: string): Promise<LexiconData> {
  return checkLexiconData(JSON.parse(await readFile(path, 'utf8')) as Partial<LexiconData>);
}

/** Checks the shape of everything and the syntax of every sense, so that a damaged file fails at load. */
export function checkLexiconData(data: Partial<LexiconData>): LexiconData {
  const fail = (what: string): never => {
    throw new Error(`lexicon is malformed: ${what}`);
  };
  if (data?.version !== LEXICON_VERSION) fail(`version ${String(data?.version)}, this version reads ${LEXICON_VERSION}`);
  const { source, headwords, terms, termHeadwords, words, frequencies, senses, meanings, parts, others, spelled } = data as LexiconData;
  if (typeof source !== 'string' || !Number.isInteger(headwords) || headwords < 1) fail('source or headword count');
  if (!Array.isArray(terms) || !Array.isArray(termHeadwords) || terms.length !== termHeadwords.length) fail('terms and their counts differ in length');
  if (!terms.every((t) => typeof t === 'string') || !termHeadwords.every((n) => Number.isInteger(n) && n >= 1 && n <= headwords)) fail('a term or its count');
  if (!Array.isArray(words) || !Array.isArray(senses) || !Array.isArray(meanings) || !Array.isArray(frequencies) || senses.length !== words.length || meanings.length !== words.length || frequencies.length !== words.length) {
    fail('words, frequencies, senses and meanings differ in length');
  }
  if (!frequencies.every((n) => Number.isInteger(n) && n >= 0)) fail('a frequency');
  if (typeof others !== 'string') fail('other headwords');
  words.forEach((word, w) => {
    if (typeof word !== 'string' || typeof senses[w] !== 'string' || !ENCODED.test(senses[w])) fail(`the senses of ${String(word)}`);
    const m = meanings[w];
    if (!Array.isArray(m) || m.length !== senses[w].split('|').length || !m.every((x) => typeof x === 'string')) fail(`the meanings of ${word}`);
  });
  for (const table of [parts, spelled]) {
    if (typeof table !== 'object' || table === null || !Object.values(table).every((p) => Array.isArray(p) && p.every((x) => typeof x === 'string'))) fail('parts or spellings');
  }
  return data as LexiconData;
}
