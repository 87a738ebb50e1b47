/**
 * How a compound that is not a headword ("伙伴关系") gets senses from the headwords that spell it
 * ("伙伴" + "关系"): one sense per choice of one sense of each part, its glosses the parts' glosses
 * side by side ("partner relationship"). Used at ingest for index words and at query time for a
 * question's words, so that both read a compound alike.
 */

/**
 * Only each part's first senses and glosses (CC-CEDICT lists the main ones first): the product of all
 * of them would be mostly nonsense and grows as a power of the parts.
 */
export const PART_SENSES = 3;
export const PART_GLOSSES = 3;

function product<T>(lists: T[][]): T[][] {
  return lists.reduce<T[][]>((acc, list) => acc.flatMap((prefix) => list.map((item) => [...prefix, item])), [[]]);
}

/** The choices of one sense index per part, in the order composeSenses gives its senses. */
export function senseChoices(partSenseCounts: number[]): number[][] {
  return product(partSenseCounts.map((n) => Array.from({ length: Math.min(n, PART_SENSES) }, (_, i) => i)));
}

/** `parts`: per part its senses, per sense its glosses, per gloss its terms. */
export function composeSenses<T>(parts: T[][][][]): T[][][] {
  return senseChoices(parts.map((p) => p.length)).map((choice) => product(choice.map((s, k) => parts[k][s].slice(0, PART_GLOSSES))).map((glosses) => glosses.flat()));
}
