import { type Cedict, CEDICT_SOURCE, cleanMeaning, readCedict } from './cedict.ts';
import { composeSenses, senseChoices } from './compose.ts';
import { contentTerms } from './english.ts';
import { decodeSenses, encodeSenses, LEXICON_VERSION, type LexiconData } from './format.ts';

/**
 * Builds the lexicon of an index at ingest: the CC-CEDICT senses of the words that occur in the index,
 * and nothing else, so that what is stored is small and every translation or synonym it gives can be
 * found in the index.
 */

/**
 * A gloss of more content terms than this is an explanation ("a legal procedure whereby …"), not a
 * translation: it would make a headword look like every other headword that shares one of its words.
 */
export const MAX_GLOSS_TERMS = 5;
/**
 * A word that is not a headword is composed of at most this many headwords ("伙伴关系" = "伙伴" +
 * "关系"); with more parts the composition is a guess at the word's meaning rather than a reading.
 */
export const MAX_PARTS = 3;

/** Whether a gloss is kept: one that says something, and is a translation rather than an explanation. */
function keeps(content: string[]): boolean {
  return content.length > 0 && content.length <= MAX_GLOSS_TERMS;
}

/**
 * The whole dictionary read once: every headword's senses as term ids, encoded (format.ts) straight
 * away, with each term's headword count. A hundred thousand headwords held as nested arrays cost more
 * in garbage collection than in reading them.
 */
class Dictionary {
  readonly termIds = new Map<string, number>();
  readonly terms: string[] = [];
  readonly termHeadwords: number[] = [];
  /** Headwords with at least one kept gloss, their encoded senses, and their terms as pool[start[h] .. start[h + 1]). */
  readonly headwords: string[] = [];
  readonly encoded: string[] = [];
  readonly ids = new Map<string, number>();
  readonly pool: number[] = [];
  readonly start: number[] = [0];

  constructor(readonly source: Cedict) {
    const lastHeadword: number[] = [];
    for (const [headword, meanings] of source.headwords) {
      const h = this.headwords.length;
      const senses: string[] = [];
      for (const meaning of meanings) {
        const glosses: string[] = [];
        for (const gloss of cleanMeaning(meaning)) {
          const content = contentTerms(gloss);
          if (!keeps(content)) continue;
          for (let i = 0; i < content.length; i++) {
            let id = this.termIds.get(content[i]);
            if (id === undefined) {
              id = this.terms.length;
              this.termIds.set(content[i], id);
              this.terms.push(content[i]);
              this.termHeadwords.push(0);
              lastHeadword.push(-1);
            }
            if (lastHeadword[id] !== h) {
              lastHeadword[id] = h;
              this.termHeadwords[id]++;
              this.pool.push(id);
            }
            content[i] = String(id);
          }
          glosses.push(content.join(','));
        }
        if (glosses.length) senses.push(glosses.join(';'));
      }
      if (!senses.length) continue;
      this.headwords.push(headword);
      this.encoded.push(senses.join('|'));
      this.ids.set(headword, h);
      this.start.push(this.pool.length);
    }
  }

  senses(headword: string): number[][][] {
    return decodeSenses(this.encoded[this.ids.get(headword)!], this.terms.length);
  }

  /** The kept glosses of each sense that has any, as text ("company; firm"), for people. */
  meanings(headword: string): string[] {
    return this.source.headwords
      .get(headword)!
      .map((meaning) => cleanMeaning(meaning).filter((g) => keeps(contentTerms(g))).join('; '))
      .filter((m) => m.length > 0);
  }
}

/**
 * How long the shipped dictionary stays parsed after an ingest used it. Reading and parsing it is most
 * of an ingest of a small corpus (about 2 of 3 s for the bundled one), and ingests come in bursts: a
 * re-ingest after a failed one, a test suite's many small corpora. A server that ingested once at start
 * does not keep it.
 */
const KEEP_PARSED_MS = 60_000;
let shipped: { dictionary: Dictionary; release: NodeJS.Timeout } | undefined;

function shippedDictionary(): Dictionary {
  const dictionary = shipped?.dictionary ?? new Dictionary(readCedict());
  if (shipped) clearTimeout(shipped.release);
  const release = setTimeout(() => (shipped = undefined), KEEP_PARSED_MS);
  release.unref();
  shipped = { dictionary, release };
  return dictionary;
}

/** The fewest headwords that spell `word` (ties: fewer single characters, which are the most ambiguous). */
function partsOf(word: string, isHeadword: (w: string) => boolean): string[] | undefined {
  const chars = [...word];
  const n = chars.length;
  if (n < 3) return undefined;
  // best[i]: the cheapest cut of the first i characters, cost = [parts, single characters].
  const best: Array<{ parts: string[]; singles: number } | undefined> = [{ parts: [], singles: 0 }];
  for (let i = 1; i <= n; i++) {
    for (let j = 0; j < i; j++) {
      const before = best[j];
      if (!before || (j === 0 && i === n)) continue;
      const part = chars.slice(j, i).join('');
      if (!isHeadword(part)) continue;
      const candidate = { parts: [...before.parts, part], singles: before.singles + (i - j === 1 ? 1 : 0) };
      const current = best[i];
      if (!current || candidate.parts.length < current.parts.length || (candidate.parts.length === current.parts.length && candidate.singles < current.singles)) {
        best[i] = candidate;
      }
    }
  }
  const cut = best[n];
  if (!cut || cut.parts.length > MAX_PARTS || cut.singles > 1) return undefined;
  return cut.parts;
}

function composedMeanings(parts: string[], senses: string[][]): string[] {
  return senseChoices(senses.map((m) => m.length)).map((choice) => choice.map((sense, k) => `${parts[k]}: ${senses[k][sense]}`).join(' + '));
}

/**
 * The lexicon of an index whose words (jieba cuts as index/lexical/tokenize.ts `words` makes them)
 * have the given document frequencies. `dictionary` is CC-CEDICT as the cc-cedict package ships it.
 */
export function buildLexicon(vocabulary: ReadonlyMap<string, number>, dictionary?: Cedict): LexiconData {
  const d = dictionary ? new Dictionary(dictionary) : shippedDictionary();
  const data: LexiconData = {
    version: LEXICON_VERSION,
    source: `${CEDICT_SOURCE}, data of ${d.source.updatedAt}`,
    headwords: d.headwords.length,
    terms: d.terms,
    termHeadwords: d.termHeadwords,
    words: [],
    frequencies: [],
    senses: [],
    meanings: [],
    parts: {},
    others: '',
    spelled: {},
  };
  const indexTerms = new Uint8Array(d.terms.length);
  const isHeadword = (w: string) => d.ids.has(w);
  for (const word of [...vocabulary.keys()].sort()) {
    let encoded: string;
    let meanings: string[];
    if (d.ids.has(word)) {
      encoded = d.encoded[d.ids.get(word)!];
      meanings = d.meanings(word);
    } else {
      const parts = partsOf(word, isHeadword);
      if (!parts) continue;
      encoded = encodeSenses(composeSenses(parts.map((p) => d.senses(p))));
      meanings = composedMeanings(parts, parts.map((p) => d.meanings(p)));
      data.parts[word] = parts;
    }
    data.words.push(word);
    data.frequencies.push(vocabulary.get(word)!);
    data.senses.push(encoded);
    data.meanings.push(meanings);
    for (const sense of decodeSenses(encoded, d.terms.length)) for (const gloss of sense) for (const t of gloss) indexTerms[t] = 1;
  }
  const inIndex = (w: string) => vocabulary.has(w);
  const lines: string[] = [];
  const others = d.headwords.map((w, h) => [w, h] as const).filter(([w]) => w.length >= 2 && !vocabulary.has(w));
  others.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  for (const [headword, h] of others) {
    const parts = headword.length >= 3 ? partsOf(headword, inIndex) : undefined;
    // Only terms of index words make a synonym: a headword sharing none has none (unless the index spells it).
    let shares = false;
    for (let i = d.start[h]; i < d.start[h + 1] && !shares; i++) shares = indexTerms[d.pool[i]] === 1;
    if (!parts && !shares) continue;
    lines.push(`${headword}\t${d.encoded[h]}`);
    if (parts) data.spelled[headword] = parts;
  }
  data.others = lines.join('\n');
  return data;
}
