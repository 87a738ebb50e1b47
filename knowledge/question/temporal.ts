import type { DocumentKind, DocumentMeta } from '../../core/paragraph.ts';

/**
 * Which documents a question is about in time: "2003年的报告", "2013年的大会决议", "in 2013", "最新",
 * "目前". Documents carry dates and kinds, so a year with a kind word near it picks a document, and
 * "latest" prefers the most recent one.
 */

export interface DocumentScope {
  /** What the question wrote: "2003年的秘书长报告". */
  written: string;
  year: string;
  kind?: DocumentKind;
  /** The indexed documents that fit; empty when the index has none from that year. */
  symbols: string[];
}

export interface TimeCues {
  /** One scope per year named, in question order. */
  scopes: DocumentScope[];
  /** A kind named without a year ("大会认为…", "报告建议…"). */
  kind?: DocumentKind;
  /** "最新", "目前", "latest", "current", … */
  latest: boolean;
}

const YEAR = /(?<!\d)((?:19|20)\d{2})(?!\d)(?:\s*年)?/g;
const LATEST = /最新|最近|目前|现在|当前|如今|latest|most recent|current(?:ly)?|now\b|today/i;
const REPORT = /报告|秘书长|\breports?\b|Secretary-General/i;
const RESOLUTION = /决议|大会|\bresolutions?\b|General Assembly/i;

function kindIn(text: string): DocumentKind | undefined {
  const report = REPORT.exec(text);
  const resolution = RESOLUTION.exec(text);
  if (report && resolution) {
    // "大会…报告" rarely happens; the word named first is what the phrase is about.
    return report.index <= resolution.index ? 'report' : 'resolution';
  }
  if (report) return 'report';
  if (resolution) return 'resolution';
  return undefined;
}

/** The kind word that belongs to a year: the phrase right after it, up to the next clause break. */
function kindNear(question: string, end: number): DocumentKind | undefined {
  const after = question.slice(end).split(/[，。？！,.?!;；和与及、]|and\b/)[0].slice(0, 14);
  return kindIn(after);
}

export function timeCues(question: string, documents: DocumentMeta[]): TimeCues {
  const text = question.normalize('NFKC');
  const years = [...text.matchAll(YEAR)];
  const kinds: Array<DocumentKind | undefined> = years.map((m) => kindNear(text, m.index + m[0].length));
  // "2013年和2021年的报告": a year joined to the next one shares its kind word.
  for (let i = years.length - 2; i >= 0; i--) {
    const between = text.slice(years[i].index + years[i][0].length, years[i + 1].index);
    if (!kinds[i] && /^\s*(?:和|与|及|、|至|到|-|and|or|,)\s*$/i.test(between)) kinds[i] = kinds[i + 1];
  }
  const scopes: DocumentScope[] = [];
  for (const [i, m] of years.entries()) {
    const year = m[1];
    // In English the kind usually comes before the year ("the General Assembly resolution … in 2013").
    const kind = kinds[i] ?? (years.length === 1 ? kindIn(text) : undefined);
    // "2013年的决议…2013年的报告…" names two documents of one year.
    if (scopes.some((s) => s.year === year && (s.kind === kind || !kind))) continue;
    const ofYear = documents.filter((d) => d.date.startsWith(year));
    const ofKind = kind ? ofYear.filter((d) => d.kind === kind) : ofYear;
    scopes.push({ written: m[0], year, kind, symbols: (ofKind.length ? ofKind : ofYear).map((d) => d.symbol) });
  }
  return { scopes, kind: years.length ? undefined : kindIn(text), latest: LATEST.test(text) };
}

/** Removes the year and "latest" phrases, leaving what the question is about (for follow-ups). */
export function withoutTimeCues(question: string): string {
  return question
    .normalize('NFKC')
    .replace(/(?<!\d)(?:19|20)\d{2}(?!\d)\s*年?\s*(?:的|那份|那个)?\s*(?:大会|秘书长)?\s*(?:报告|决议)?/g, ' ')
    .replace(new RegExp(LATEST.source, 'gi'), ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
