import pluralize from 'pluralize';
import { stemmer } from 'stemmer';
import { eng } from 'stopword';

/**
 * English as the lexicon compares it: dictionary glosses at ingest and questions at query time go
 * through the same steps, so "companies", "company" and "a company" meet on one term ("compani").
 * Porter stemming misses irregular plurals ("women", "children"), so words are singularized first.
 */

/**
 * CC-CEDICT's own shorthand in glosses ("to inform sb of sth", "one's", "etc"): notation of the
 * dictionary, not meaning, so it must not make two headwords look alike.
 */
const DICTIONARY_NOTATION = ['sb', 'sth', 'sb\'s', 'sth\'s', 'one\'s', 'oneself', 'etc', 'esp', 'lit', 'fig', 'e.g', 'i.e', 'cf'];

const STOP = new Set([...eng, ...DICTIONARY_NOTATION]);
const TOKEN = /[\p{L}\p{N}]+(?:['.][\p{L}\p{N}]+)*/gu;
const ASCII_TOKEN = /[a-z0-9]+(?:['.][a-z0-9]+)*/g;
const ASCII = /^[\x00-\x7f]*$/;
const LATIN = /\p{Script=Latin}/u;
const ASCII_LETTER = /[a-z]/;
/** Token → term ('' for none): the dictionary repeats the same few tens of thousands of words. */
const termOf = new Map<string, string>();

const stems = new Map<string, string>();

function stem(token: string): string {
  let s = stems.get(token);
  if (s === undefined) {
    s = stemmer(pluralize.singular(token));
    stems.set(token, s);
  }
  return s;
}

/** "WHO" the organization is not "who" the stop word: a word of at least two capitals is an abbreviation. */
export const ABBREVIATION_WORD = '[A-Z][A-Z0-9&]*[A-Z][A-Z0-9&]*';
const TWO_CAPITALS = /[A-Z]{2}/;
const ABBREVIATION = new RegExp(`\\b${ABBREVIATION_WORD}\\b`, 'g');

/**
 * The content terms of an English text, in order: lower-cased, stop words dropped (not an abbreviation
 * in capitals that spells one), Porter-stemmed. Tokens without a Latin letter (numbers, Chinese) are
 * not English words and are left out.
 */
export function contentTerms(text: string): string[] {
  const out: string[] = [];
  // Nearly every gloss is ASCII, and the dictionary has hundreds of thousands: NFKC and Unicode classes only when needed.
  const lower = text.toLowerCase();
  const ascii = ASCII.test(lower);
  const tokens = ascii ? lower.match(ASCII_TOKEN) : lower.normalize('NFKC').match(TOKEN);
  if (!tokens) return out;
  const abbreviations = TWO_CAPITALS.test(text) ? new Set((text.match(ABBREVIATION) ?? []).map((a) => a.toLowerCase())) : undefined;
  for (const token of tokens) {
    if (abbreviations?.has(token) && STOP.has(token)) {
      out.push(token);
      continue;
    }
    let s = termOf.get(token);
    if (s === undefined) termOf.set(token, (s = term(token, ascii ? ASCII_LETTER : LATIN)));
    if (s) out.push(s);
  }
  return out;
}

/** A token's term, or '' for a stop word, a number or a single letter. */
function term(token: string, letter: RegExp): string {
  if (STOP.has(token) || !letter.test(token)) return '';
  const bare = token.includes("'") || token.includes('.') ? token.replace(/'s$/, '').replace(/['.]/g, '') : token;
  if (bare.length < 2 || STOP.has(bare)) return '';
  return stem(bare);
}

/**
 * The stem a derived noun is made from ("partnership" → "partner", "childhood" → "child"): Porter
 * keeps these suffixes, and the dictionary often glosses only the base word.
 */
export function baseOfDerived(term: string): string | undefined {
  const match = /^(.{3,})(?:ship|hood)$/.exec(term);
  return match ? stem(match[1]) : undefined;
}
