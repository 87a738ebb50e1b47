/**
 * The checkable particles of a claim and of a paragraph, in Chinese and English alike: numbers (with
 * their magnitude: "462 亿" and "46.2 billion" are one value), years, months, percentages. A claim that
 * states a number the paragraph does not hold does not say what the paragraph says, however many words
 * they share.
 */

export type FactKind = 'number' | 'percent' | 'year' | 'month' | 'day';

export interface Fact {
  kind: FactKind;
  value: number;
  /** As written, for messages: "5.13 亿美元", "17%". */
  written: string;
  start: number;
  end: number;
}

const ZH_DIGIT: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const ZH_UNIT: Record<string, number> = { 十: 10, 百: 100, 千: 1000 };
const MAGNITUDE: Record<string, number> = { 万亿: 1e12, 十亿: 1e9, 亿: 1e8, 千万: 1e7, 百万: 1e6, 万: 1e4, 千: 1e3, trillion: 1e12, billion: 1e9, million: 1e6, thousand: 1e3 };

/** "九十" → 90, "五十八" → 58, "十" → 10, "二〇三〇" → 2030. */
export function chineseNumeral(text: string): number | undefined {
  if (!text) return undefined;
  if ([...text].every((c) => c in ZH_DIGIT)) return Number([...text].map((c) => ZH_DIGIT[c]).join(''));
  let total = 0;
  let current = 0;
  for (const c of text) {
    if (c in ZH_DIGIT) current = ZH_DIGIT[c];
    else if (c in ZH_UNIT) {
      total += (current || 1) * ZH_UNIT[c];
      current = 0;
    } else return undefined;
  }
  return total + current;
}

const UNITS_EN: Record<string, number> = {
  one: 1, first: 1, two: 2, second: 2, three: 3, third: 3, four: 4, fourth: 4, five: 5, fifth: 5, six: 6, sixth: 6,
  seven: 7, seventh: 7, eight: 8, eighth: 8, nine: 9, ninth: 9,
};
const TENS_EN: Record<string, number> = { twenty: 20, twentieth: 20, thirty: 30, thirtieth: 30, forty: 40, fortieth: 40, fifty: 50, fiftieth: 50, sixty: 60, sixtieth: 60, seventy: 70, seventieth: 70, eighty: 80, eightieth: 80, ninety: 90, ninetieth: 90 };
const TEENS_EN: Record<string, number> = { ten: 10, tenth: 10, eleven: 11, eleventh: 11, twelve: 12, twelfth: 12, fifteen: 15, fifteenth: 15, hundred: 100, hundredth: 100 };

/** "fifty-eighth" → 58, "five" → 5, "twelfth" → 12. */
function englishNumber(words: string): number {
  const [a, b] = words.toLowerCase().split(/[- ]/);
  if (b !== undefined) return TENS_EN[a] + UNITS_EN[b];
  return UNITS_EN[a] ?? TENS_EN[a] ?? TEENS_EN[a];
}
const EN_TENS = Object.keys(TENS_EN).join('|');
const EN_UNITS = Object.keys(UNITS_EN).join('|');
const EN_WORD_NUMBER = new RegExp(`\\b((?:${EN_TENS})[- ](?:${EN_UNITS})|${EN_TENS}|${EN_UNITS}|${Object.keys(TEENS_EN).join('|')})\\b(?:\\s+(trillion|billion|million|thousand))?`, 'gi');
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

const ZH_NUMERAL_CHARS = '零〇一二两三四五六七八九十百千';
const PATTERNS: Array<{ pattern: RegExp; fact: (m: RegExpExecArray) => Omit<Fact, 'written' | 'start' | 'end'> | undefined }> = [
  { pattern: /百分之\s*([\d.]+|[零〇一二两三四五六七八九十百]+)/g, fact: (m) => percent(/\d/.test(m[1]) ? Number(m[1]) : chineseNumeral(m[1])) },
  { pattern: /(\d[\d\u200b]*(?:\.\d+)?)\s*(?:%|％|per\s*cent\b|percent\b)/gi, fact: (m) => percent(Number(m[1])) },
  { pattern: /(?<!\d)((?:19|20)\d{2})\s*年/g, fact: (m) => ({ kind: 'year', value: Number(m[1]) }) },
  { pattern: /(?<![\d.])(\d{1,2})\s*月(?:份)?/g, fact: (m) => ({ kind: 'month', value: Number(m[1]) }) },
  { pattern: /(?<![\d.])(\d{1,2})\s*日/g, fact: (m) => ({ kind: 'day', value: Number(m[1]) }) },
  {
    pattern: new RegExp(`\\b(${MONTHS.join('|')})\\b(?:\\s+(\\d{1,2})\\b(?!\\s*,?\\s*\\d{3}))?`, 'gi'),
    fact: (m) => ({ kind: 'month', value: MONTHS.indexOf(m[1].toLowerCase()) + 1 }),
  },
  { pattern: /(?<![\d.])((?:19|20)\d{2})(?![\d.%])(?!\s*(?:万|亿|个|名|项|家|美元|trillion|billion|million))/g, fact: (m) => ({ kind: 'year', value: Number(m[1]) }) },
  {
    pattern: /(?<![\d.\u200b])(\d[\d\u200b]*(?:\.\d+)?)\s*(万亿|十亿|亿|千万|百万|万|千(?!米)|trillion|billion|million|thousand)?/gi,
    fact: (m) => ({ kind: 'number', value: Number(m[1]) * (m[2] ? MAGNITUDE[m[2].toLowerCase()] : 1) }),
  },
  {
    pattern: new RegExp(`([${ZH_NUMERAL_CHARS}]{1,5})\\s*(万亿|亿|万)?\\s*(?=个|名|项|类|家|届|次|大|方面|倍|岁|国|种)`, 'g'),
    fact: (m) => {
      const n = chineseNumeral(m[1]);
      // "一个", "一项" are mostly articles, not counts.
      return n === undefined || (n === 1 && !m[2]) ? undefined : { kind: 'number', value: n * (m[2] ? MAGNITUDE[m[2]] : 1) };
    },
  },
  {
    pattern: EN_WORD_NUMBER,
    // "a second phase", "the first time" are not counts; ordinals count only in compounds ("fifty-eighth session").
    fact: (m) => (/^(?:first|second)$/i.test(m[1]) ? undefined : { kind: 'number', value: englishNumber(m[1]) * (m[2] ? MAGNITUDE[m[2].toLowerCase()] : 1) }),
  },
];

function percent(value: number | undefined): Omit<Fact, 'written' | 'start' | 'end'> | undefined {
  return value === undefined || Number.isNaN(value) ? undefined : { kind: 'percent', value };
}

/** Digit groups ("1 088", "3,000") joined, so that a number is one token. */
function joinDigitGroups(text: string): string {
  return text.normalize('NFKC').replace(/(\d)[\s,](?=\d{3}(?!\d))/g, '$1\u200b');
}

/** Every fact in the text, earliest first; a span is read once, by the most specific pattern. */
export function factsIn(input: string): Fact[] {
  const text = joinDigitGroups(input);
  const facts: Fact[] = [];
  const taken: Array<[number, number]> = [];
  for (const { pattern, fact } of PATTERNS) {
    pattern.lastIndex = 0;
    for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
      const start = m.index;
      const end = start + m[0].length;
      if (m[0].trim() === '' || taken.some(([a, b]) => start < b && end > a)) continue;
      const read = fact(unGrouped(m));
      if (!read || !Number.isFinite(read.value)) continue;
      taken.push([start, end]);
      facts.push({ ...read, written: m[0].replace(/\u200b/g, ' ').trim(), start, end });
    }
  }
  return facts.sort((a, b) => a.start - b.start);
}

function unGrouped(m: RegExpExecArray): RegExpExecArray {
  const copy = [...m].map((g) => g?.replace(/\u200b/g, '')) as unknown as RegExpExecArray;
  copy.index = m.index;
  return copy;
}

export function sameFact(a: Fact, b: Fact): boolean {
  if (a.kind !== b.kind) return false;
  return Math.abs(a.value - b.value) <= Math.max(Math.abs(a.value), Math.abs(b.value)) * 1e-9;
}
