import { composeSenses } from './compose.ts';
import { baseOfDerived, contentTerms } from './english.ts';
import { decodeSenses, type LexiconData } from './format.ts';

/**
 * What the stored lexicon answers at query time: English → the index's Chinese words, and a Chinese
 * word → the index's near-synonyms, both through CC-CEDICT's English glosses.
 *
 * A term's specificity is its inverse headword frequency in the whole dictionary, ln(1 + N/n):
 * "company" (a few dozen headwords) says much more about a word than "make" (thousands). A gloss's
 * mass is the sum of its terms' specificities.
 */

export interface WeightedWord {
  word: string;
  /** In (0, 1]: how surely the word carries the meaning asked for. */
  weight: number;
}

/** Translations weaker than this are noise: one term of a long gloss, or one sense of many. */
export const MIN_WEIGHT = 0.3;
/**
 * Synonyms weaker than this are noise: a shared common term, or one sense of many. On 4 fold splits of
 * train + dev (means): at 0.2 R@1 0.713, cite-hit 0.769, cite-precision 0.753, false abstention 0.036;
 * at 0.3 0.679, 0.733, 0.736, 0.051; at 0.12 0.679, 0.735, 0.741, 0.059.
 */
export const MIN_SIMILARITY = 0.2;
/** At most this many translations per English term or phrase, and this many synonyms per word. */
export const MAX_TRANSLATIONS = 8;
export const MAX_SYNONYMS = 8;

/** A point of the gloss space: term id → weight. */
export type GlossVector = Map<number, number>;

/** Scales a vector to unit length in place (a zero vector stays as it is), so that a dot product is a cosine. */
export function toUnitLength(v: GlossVector): GlossVector {
  let norm = 0;
  for (const x of v.values()) norm += x * x;
  norm = Math.sqrt(norm);
  if (norm > 0) for (const [t, x] of v) v.set(t, x / norm);
  return v;
}

/** Per sense, per gloss, the term ids. */
type Senses = number[][][];
/** Per sense: term → its weight in that sense. */
type SenseFeatures = Map<number, number>[];

export class Lexicon {
  private readonly idf: Float64Array;
  /** The specificity of a term only one headword has. */
  private readonly idfMax: number;
  /** The terms of index words and spelled headwords: no other term of a question can match anything. */
  private readonly termIds = new Map<string, number>();
  private readonly words: string[];
  private readonly wordIds: Map<string, number>;
  private readonly senses: Senses[];
  /** Exact gloss (term ids joined by ",") → index words with that gloss. */
  private readonly byGloss = new Map<string, number[]>();
  /** Exact gloss of several terms → other headwords with it that the index spells (see LexiconData.spelled). */
  private readonly spelledByGloss = new Map<string, string[]>();
  /** Term → index words with a gloss that uses it. */
  private readonly byTerm = new Map<number, number[]>();
  private readonly longestGloss: number;
  private readonly featureCache = new Map<string, SenseFeatures>();
  /**
   * Synonyms once found, for the words the lexicon holds (a fixed set, so the cache is bounded): a
   * word's candidates are costly to weigh and questions repeat their words. Compounds read through
   * their parts are weighed each time, so that arbitrary question text cannot grow it.
   */
  private readonly synonymCache = new Map<string, WeightedWord[]>();
  /** Where each line of `data.others` starts. */
  private readonly otherStarts: Int32Array;

  constructor(private readonly data: LexiconData) {
    const termCount = data.terms.length;
    this.otherStarts = lineStarts(data.others);
    this.idf = Float64Array.from(data.termHeadwords, (n) => Math.log(1 + data.headwords / n));
    this.idfMax = Math.log(1 + data.headwords);
    this.words = data.words;
    this.wordIds = new Map(data.words.map((w, i) => [w, i]));
    this.senses = data.senses.map((s) => decodeSenses(s, termCount));
    let longest = 0;
    this.senses.forEach((senses, w) => {
      for (const gloss of senses.flat()) {
        longest = Math.max(longest, gloss.length);
        const key = gloss.join(',');
        const list = this.byGloss.get(key);
        if (!list) this.byGloss.set(key, [w]);
        else if (list.at(-1) !== w) list.push(w);
        for (const t of gloss) {
          const words = this.byTerm.get(t);
          if (!words) {
            this.byTerm.set(t, [w]);
            this.termIds.set(data.terms[t], t);
          } else if (words.at(-1) !== w) words.push(w);
        }
      }
    });
    for (const headword of Object.keys(data.spelled)) {
      for (const gloss of this.otherSenses(headword)!.flat()) {
        if (gloss.length < 2) continue;
        longest = Math.max(longest, gloss.length);
        const key = gloss.join(',');
        for (const t of gloss) this.termIds.set(data.terms[t], t);
        const list = this.spelledByGloss.get(key);
        if (!list) this.spelledByGloss.set(key, [headword]);
        else if (list.at(-1) !== headword) list.push(headword);
      }
    }
    this.longestGloss = longest;
  }

  /** Index words that have senses (headwords and compounds of headwords). */
  get size(): number {
    return this.words.length;
  }

  /** Where the glosses come from and under which licence. */
  get source(): string {
    return this.data.source;
  }

  /** The senses of an index word as CC-CEDICT glosses them (a compound's as its parts'); empty when unknown. */
  meanings(word: string): string[] {
    const id = this.wordIds.get(word);
    return id === undefined ? [] : this.data.meanings[id];
  }

  /** The headwords an index word was composed of, when it is not a headword itself. */
  partsOf(word: string): string[] | undefined {
    return this.data.parts[word];
  }

  /**
   * The index words for an English text. Its terms are read left to right; a run of terms that is a
   * whole gloss ("due diligence", "conflict of interest") is one unit, else each term is one. A word
   * that has a unit as a whole gloss weighs √(share of its senses that have it): a word with one
   * sense in ten that fits is probably meant otherwise where the documents use it. A word with a
   * longer gloss containing a single term weighs that term's share of the gloss's mass ("sector" in
   * "private sector" ≈ ½) times the same root. A run that only a dictionary headword outside the index
   * has as a gloss gives the index words that spell that headword, sharing its weight. A derived noun
   * that no index word's gloss uses ("partnership") is read as its base ("partner").
   */
  translate(english: string): WeightedWord[] {
    const terms = contentTerms(english).map((t) => this.termOf(t));
    const best = new Map<string, number>();
    const keep = (found: Map<string, number>) => {
      for (const [word, weight] of this.top(found, MAX_TRANSLATIONS)) if (weight >= MIN_WEIGHT) best.set(word, Math.max(best.get(word) ?? 0, weight));
    };
    for (let i = 0; i < terms.length; ) {
      let length = 1;
      for (let n = Math.min(this.longestGloss, terms.length - i); n >= 2; n--) {
        const run = terms.slice(i, i + n);
        if (run.includes(-1)) continue;
        const key = run.join(',');
        const words = this.byGloss.get(key);
        const spelled = this.spelledByGloss.get(key);
        if (!words && !spelled) continue;
        keep(this.phraseMatches(words ?? [], spelled ?? [], key));
        length = n;
        break;
      }
      if (length === 1 && terms[i] >= 0) {
        const found = this.termMatches(terms[i]);
        const base = found.size ? undefined : this.derivedTerm(this.data.terms[terms[i]]);
        keep(base === undefined || base < 0 ? found : this.termMatches(base));
      }
      i += length;
    }
    return this.ranked(best);
  }

  /**
   * Near-synonyms in the index of a Chinese word, in the index or not. Each sense of the word is set
   * against each sense of a candidate by weighted Jaccard (Σ min / Σ max) over their terms, a term
   * weighing its specificity times its share of its gloss's mass, so that a shared exact gloss counts
   * fully and a common word of a long gloss barely; the best pair counts, times √(share of the
   * candidate's senses that overlap). A word the dictionary lacks is read as the fewest known words
   * that spell it, one sense per choice of their senses.
   */
  synonyms(word: string): WeightedWord[] {
    let found = this.synonymCache.get(word);
    if (!found) {
      found = this.weighSynonyms(word);
      if (this.sensesOf(word)) this.synonymCache.set(word, found);
    }
    return found.map((w) => ({ ...w }));
  }

  private weighSynonyms(word: string): WeightedWord[] {
    const own = this.featuresOf(word);
    if (!own) return [];
    const candidates = new Set<number>();
    for (const sense of own) for (const t of sense.keys()) for (const w of this.byTerm.get(t) ?? []) candidates.add(w);
    const found = new Map<string, number>();
    for (const w of candidates) {
      const candidate = this.words[w];
      if (candidate === word) continue;
      const theirs = this.featuresOf(candidate)!;
      let bestPair = 0;
      let overlapping = 0;
      for (const sense of theirs) {
        let senseBest = 0;
        for (const mine of own) senseBest = Math.max(senseBest, similarity(mine, sense, this.idf, this.idfMax));
        if (senseBest > 0) overlapping++;
        bestPair = Math.max(bestPair, senseBest);
      }
      const weight = bestPair * Math.sqrt(overlapping / theirs.length);
      if (weight >= MIN_SIMILARITY) found.set(candidate, weight);
    }
    return this.ranked(new Map(this.top(found, MAX_SYNONYMS)));
  }

  /**
   * A word as a point of the gloss space: term → weight, the strongest over its senses, scaled to unit
   * length, so that words of the same sense in either language lie together. Undefined when unknown.
   */
  glossVector(word: string): GlossVector | undefined {
    const senses = this.featuresOf(word);
    if (!senses) return undefined;
    const v: GlossVector = new Map();
    for (const sense of senses) for (const [t, x] of sense) v.set(t, Math.max(v.get(t) ?? 0, x));
    return v.size ? toUnitLength(v) : undefined;
  }

  /** An English text as a point of the gloss space: its content terms, each weighing its specificity, at unit length. */
  englishVector(english: string): GlossVector {
    const v: GlossVector = new Map();
    for (const term of contentTerms(english)) {
      const t = this.termOf(term);
      if (t >= 0) v.set(t, (v.get(t) ?? 0) + this.idf[t]);
    }
    return toUnitLength(v);
  }

  /** A stemmed English term's id, through its base for a derived noun; −1 when no gloss uses it. */
  private termOf(term: string): number {
    return this.termIds.get(term) ?? this.derivedTerm(term) ?? -1;
  }

  private readonly byWeight = order((word) => this.data.frequencies[this.wordIds.get(word) ?? -1] ?? 0);

  private top(weights: Map<string, number>, k: number): [string, number][] {
    return [...weights].sort(this.byWeight).slice(0, k);
  }

  private ranked(weights: Map<string, number>): WeightedWord[] {
    return [...weights].sort(this.byWeight).map(([word, weight]) => ({ word, weight }));
  }

  /** The term of the base word of a derived noun ("partnership" → "partner"), when the lexicon has it. */
  private derivedTerm(term: string): number | undefined {
    const base = baseOfDerived(term);
    return base === undefined ? undefined : this.termIds.get(base);
  }

  private phraseMatches(words: number[], spelled: string[], key: string): Map<string, number> {
    const out = new Map<string, number>();
    const share = (senses: Senses) => Math.sqrt(senses.filter((glosses) => glosses.some((g) => g.join(',') === key)).length / senses.length);
    for (const w of words) out.set(this.words[w], share(this.senses[w]));
    for (const headword of spelled) {
      const parts = this.data.spelled[headword];
      const weight = share(this.otherSenses(headword)!) / parts.length;
      for (const part of parts) out.set(part, Math.max(out.get(part) ?? 0, weight));
    }
    return out;
  }

  private termMatches(term: number): Map<string, number> {
    const out = new Map<string, number>();
    for (const w of this.byTerm.get(term) ?? []) {
      const senses = this.senses[w];
      let cover = 0;
      let matching = 0;
      for (const glosses of senses) {
        let senseCover = 0;
        for (const g of glosses) if (g.includes(term)) senseCover = Math.max(senseCover, this.idf[term] / this.mass(g));
        if (senseCover > 0) matching++;
        cover = Math.max(cover, senseCover);
      }
      out.set(this.words[w], cover * Math.sqrt(matching / senses.length));
    }
    return out;
  }

  private mass(gloss: number[]): number {
    let sum = 0;
    for (const t of new Set(gloss)) sum += this.idf[t];
    return sum;
  }

  private otherSenses(word: string): Senses | undefined {
    const { others, terms } = this.data;
    const starts = this.otherStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const end = mid + 1 < starts.length ? starts[mid + 1] - 1 : others.length;
      const tab = others.indexOf('\t', starts[mid]);
      if (tab < 0 || tab > end) throw new Error(`lexicon is malformed: line ${mid + 1} of the other headwords`);
      const headword = others.slice(starts[mid], tab);
      if (headword === word) return decodeSenses(others.slice(tab + 1, end), terms.length);
      if (headword < word) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  private sensesOf(word: string): Senses | undefined {
    const id = this.wordIds.get(word);
    return id !== undefined ? this.senses[id] : this.otherSenses(word);
  }

  /** Per sense of a word: term → specificity × share of its gloss's mass (the largest over the sense's glosses). */
  private featuresOf(word: string): SenseFeatures | undefined {
    const cached = this.featureCache.get(word);
    if (cached) return cached;
    const known = this.sensesOf(word);
    const senses = known ?? this.composedSenses(word);
    if (!senses) return undefined;
    const features = senses.map((glosses) => {
      const f = new Map<number, number>();
      for (const g of glosses) {
        const m = this.mass(g);
        for (const t of g) f.set(t, Math.max(f.get(t) ?? 0, (this.idf[t] * this.idf[t]) / m));
      }
      return f;
    });
    if (known) this.featureCache.set(word, features);
    return features;
  }


  /** A word the lexicon lacks, as the fewest known words that spell it, longest first (see compose.ts). */
  private composedSenses(word: string): Senses | undefined {
    const chars = [...word];
    const parts: Senses[] = [];
    for (let i = 0; i < chars.length; ) {
      let j = i === 0 ? chars.length - 1 : chars.length;
      let senses: Senses | undefined;
      for (; j > i + 1 && !(senses = this.sensesOf(chars.slice(i, j).join(''))); j--);
      if (!senses) return undefined;
      parts.push(senses);
      i = j;
    }
    return parts.length >= 2 ? composeSenses(parts) : undefined;
  }
}

function lineStarts(text: string): Int32Array {
  if (text === '') return new Int32Array(0);
  let count = 1;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
  const starts = new Int32Array(count);
  for (let i = text.indexOf('\n'), k = 1; i >= 0; i = text.indexOf('\n', i + 1)) starts[k++] = i + 1;
  return starts;
}

/**
 * Weighted Jaccard of two senses, times the specificity of what they share (the mean, by shared
 * weight, of idf / idfMax): two words whose only common gloss is "thing" are not near-synonyms however
 * exactly that gloss matches, two that share "glimmer" are.
 */
function similarity(a: Map<number, number>, b: Map<number, number>, idf: Float64Array, idfMax: number): number {
  let min = 0;
  let max = 0;
  let specific = 0;
  for (const [t, x] of a) {
    const y = b.get(t) ?? 0;
    const m = Math.min(x, y);
    min += m;
    specific += (m * idf[t]) / idfMax;
    max += Math.max(x, y);
  }
  for (const [t, y] of b) if (!a.has(t)) max += y;
  return min > 0 ? (min / max) * (specific / min) : 0;
}

/**
 * Heaviest first; among equal weights the word more paragraphs use (the documents' usual term), then
 * by code point, so that the same lexicon always gives the same answer.
 */
function order(frequency: (word: string) => number): (x: [string, number], y: [string, number]) => number {
  return (x, y) => y[1] - x[1] || frequency(y[0]) - frequency(x[0]) || (x[0] < y[0] ? -1 : 1);
}
