import { contentTerms } from '../../index/lexicon/english.ts';
import type { WeightedWord } from '../../index/lexicon/lexicon.ts';

/**
 * English claims are compared with the Chinese documents offline through the index's lexicon
 * (CC-CEDICT glosses → the index's own words), the same one that translates English questions. Each
 * English word, or run of words that the dictionary glosses as one ("due diligence", "market value"),
 * becomes one group of Chinese renderings: the documents use any one of them, and the claim's content
 * is covered when the paragraph holds one.
 */

/** English → the index's Chinese words, weighted 0–1 (Lexicon.translate). */
export type Translate = (english: string) => WeightedWord[];

/**
 * Renderings weaker than this (one sense of many, one word of a long gloss) are not the claim's word:
 * the cut English questions use (knowledge/answer/reading.ts); on claims-dev.jsonl 0.4 and 0.6 judge
 * the same cases right.
 */
const MIN_RENDERING = 0.5;
/** The longest run of words tried as one unit: the dictionary's multi-word glosses are short. */
const LONGEST_UNIT = 3;

export interface EnglishTerms {
  /** Chinese words, space-separated, for search. */
  query: string;
  /** Per English unit that the lexicon renders, its Chinese renderings, most likely first. */
  groups: WeightedWord[][];
}

const WORD = /[A-Za-z][A-Za-z'-]*/g;
/**
 * Words that frame what a paragraph is said to contain ("says", "describes", "paragraph"), and negations,
 * which signals.ts reads as such: neither is content the paragraph must hold.
 */
const FRAMING = /^(?:says?|said|states?|stated|describes?|described|mentions?|mentioned|notes?|noted|reports?|reported|paragraphs?|paras?|resolutions?|documents?|boxe?s?|footnotes?|not|no|never|without|nor|neither|cannot)$/i;
/**
 * The closed classes (possessives, relatives, conjunctions, prepositions, connective adverbs) that the
 * lexicon's stop list (the stopword package's English) lacks, the common ones: CC-CEDICT glosses some of
 * them ("its" → 及其, "among" → 其中), which would make them content.
 */
const FUNCTION_WORDS = new Set(
  `its theirs hers ours mine yours whose whom when whether whereas although though unless until among amongst amid within upon
  via including regarding concerning toward towards despite beyond besides per across along around behind below beneath beside
  throughout underneath unlike versus thus hence therefore thereby however moreover furthermore yet already either every`.split(/\s+/),
);

/** The Chinese renderings of an English claim, unit by unit. */
export function chineseTermsOf(claim: string, translate: Translate): EnglishTerms {
  const groups = unitsOf(claim, translate)
    .map((unit) => translate(unit).filter((w) => w.weight >= MIN_RENDERING))
    .filter((renderings) => renderings.length > 0);
  // Years narrow the search as the documents write them ("2013 年"); other figures are compared as facts.
  const years = [...claim.matchAll(/\b(?:19|20)\d{2}\b/g)].map((m) => `${m[0]}年`);
  return { query: [...new Set([...groups.flat().map((w) => w.word), ...years])].join(' '), groups };
}

/** The Chinese words of a short English phrase, for the words a negation governs. */
export function chineseOfPhrase(phrase: string, translate: Translate): string[] {
  return chineseTermsOf(phrase, translate).groups.flat().map((w) => w.word);
}

/**
 * The claim's content words, a run of up to three read as one unit where the lexicon reads it as a
 * phrase: its renderings are not those of its words one by one ("market value" → 市值).
 */
function unitsOf(claim: string, translate: Translate): string[] {
  const content = (claim.match(WORD) ?? []).filter((w) => !FRAMING.test(w) && !FUNCTION_WORDS.has(w.toLowerCase()) && contentTerms(w).length > 0);
  const words = (text: string) => new Set(translate(text).map((w) => w.word));
  const units: string[] = [];
  for (let i = 0; i < content.length; ) {
    let length = 1;
    for (let n = Math.min(LONGEST_UNIT, content.length - i); n >= 2; n--) {
      const run = content.slice(i, i + n);
      const separate = new Set(run.flatMap((w) => [...words(w)]));
      if ([...words(run.join(' '))].some((w) => !separate.has(w))) {
        length = n;
        break;
      }
    }
    units.push(content.slice(i, i + length).join(' '));
    i += length;
  }
  return units;
}
