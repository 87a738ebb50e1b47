/**
 * Document metadata: the corpus manifest speaks first; where it is silent the document itself is read
 * (resolution heading, symbol in the file name or on a line of its own, session, dates), and whatever
 * is still unknown becomes a warning.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { DocumentKind, DocumentMeta } from '../core/paragraph.ts';

const entrySchema = z.object({
  file: z.string().min(1),
  symbol: z.string().min(1).optional(),
  kind: z.enum(['resolution', 'report', 'guideline', 'other']).optional(),
  language: z.string().min(1).optional(),
  date: z.string().min(1).optional(),
  title: z.string().optional(),
  titleEn: z.string().optional(),
});

const manifestSchema = z.union([
  z.object({ documents: z.array(entrySchema) }),
  z.array(entrySchema),
  z.record(z.string(), entrySchema.omit({ file: true }).extend({ file: z.string().optional() })),
]);

/** Reads `manifest.json` in `dir` (file -> entry). A missing manifest is an empty map; a malformed one an error naming it. */
export async function readManifest(dir: string): Promise<Map<string, Partial<DocumentMeta>>> {
  const file = path.join(dir, 'manifest.json');
  let raw: string;
  try {
    raw = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw new Error(`cannot read manifest ${file}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new Error(`manifest ${file} is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`manifest ${file} is malformed at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'unexpected shape'}`);
  }
  const entries = Array.isArray(parsed.data)
    ? parsed.data
    : 'documents' in parsed.data && Array.isArray(parsed.data.documents)
      ? (parsed.data.documents as z.infer<typeof entrySchema>[])
      : Object.entries(parsed.data as Record<string, Partial<DocumentMeta>>).map(([file, e]) => ({ ...e, file: e.file ?? file }));
  const map = new Map<string, Partial<DocumentMeta>>();
  for (const entry of entries) {
    const clean = Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== undefined)) as Partial<DocumentMeta>;
    map.set(entry.file as string, clean);
  }
  return map;
}

const NUMERALS: Record<string, number> = { 零: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** "六十八" -> 68, "一百零五" -> 105. */
export function chineseNumber(text: string): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  let total = 0;
  let digit = 0;
  for (const ch of text) {
    if (ch in NUMERALS) digit = NUMERALS[ch];
    else if (ch === '十') { total += (digit || 1) * 10; digit = 0; }
    else if (ch === '百') { total += (digit || 1) * 100; digit = 0; }
    else return undefined;
  }
  return total + digit;
}

/** A UN symbol encoded in a file name: "A_RES_68_234.pdf", "A-68-326-ZH.docx". */
export function symbolFromFileName(file: string): string | undefined {
  const stem = path.basename(file).replace(/\.[^.]+$/, '');
  const m = /^([AES])[_\-\s]+(?:(RES)[_\-\s]+)?(\d{1,3})[_\-\s]+(\d{1,4})(?:[_\-\s]+(?:ADD|CORR|REV)[_\-\s]*\d+)?(?=$|[_\-\s.]+[A-Za-z]{1,3}$|[_\-\s.])/i.exec(stem);
  if (!m) return undefined;
  return [m[1].toUpperCase(), m[2] ? 'RES' : undefined, m[3], m[4]].filter(Boolean).join('/');
}

export interface TextClues {
  /** "68/234" from a resolution heading "68/234. 建立全球伙伴关系 …". */
  resolutionNumber?: string;
  resolutionTitle?: string;
  /** A line holding nothing but a symbol. */
  symbolLine?: string;
  session?: number;
  /** First date line of the document's own (adoption/issue) dates, ISO. */
  date?: string;
  /** "…的合作：秘书长的报告" assembled from the title block of a report. */
  reportTitle?: string;
  language?: string;
}

/** ISO date from "2013 年 12 月 20 日" / "2013年12月20日". */
export function isoDate(text: string): string | undefined {
  const m = /(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日/.exec(text);
  if (!m) return undefined;
  return `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`;
}

/** Scans front-matter lines (cleaned of markup) for session, symbol line, date and report title. */
export function cluesFromFrontMatter(lines: string[]): TextClues {
  const clues: TextClues = {};
  for (const [i, line] of lines.entries()) {
    const session = /第([零一二三四五六七八九十百\d]+)届会议/.exec(line);
    if (session && clues.session === undefined) clues.session = chineseNumber(session[1]);
    const sym = /^((?:A|E|S)\/(?:RES\/)?\d{1,4}\/[\dA-Z.\/]+)$/.exec(line);
    if (sym && !clues.symbolLine) clues.symbolLine = sym[1];
    // A stand-alone adoption date ("2013 年 12 月 20 日大会决议"), never a date cited inside a sentence.
    if (!clues.date && /^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日(?:大会决议|通过)?$/.test(line)) clues.date = isoDate(line);
    if (!clues.reportTitle && /^秘书长的报告$/.test(line)) {
      const before = lines.slice(0, i).reverse().find((l) => l && !/议程|届会议|^\*|Distr|^[A-Z]\//.test(l));
      if (before) clues.reportTitle = `${before}：${line}`;
    }
  }
  return clues;
}

/** Language from the script of the text. */
export function detectLanguage(text: string): string | undefined {
  const sample = text.slice(0, 20000);
  const cjk = sample.match(/[\u4e00-\u9fff]/g)?.length ?? 0;
  const latin = sample.match(/[A-Za-z]/g)?.length ?? 0;
  if (cjk + latin < 20) return undefined;
  return cjk * 2 > latin ? 'zh' : 'en';
}

/** Merges manifest entry and clues into DocumentMeta, warning for every field that stays unknown. */
export function resolveMeta(
  file: string,
  entry: Partial<DocumentMeta> | undefined,
  clues: TextClues,
  warnings: string[],
): DocumentMeta {
  const e = entry ?? {};
  const symbol =
    e.symbol ??
    (clues.resolutionNumber ? `A/RES/${clues.resolutionNumber}` : undefined) ??
    symbolFromFileName(file) ??
    clues.symbolLine;
  let kind: DocumentKind | undefined = e.kind;
  if (!kind) {
    if (clues.resolutionNumber || (symbol && /\/RES\//.test(symbol))) kind = 'resolution';
    else if (clues.reportTitle || (symbol && /^A\/\d+\/\d+$/.test(symbol))) kind = 'report';
  }
  let date = e.date ?? clues.date;
  if (!date && clues.session !== undefined) {
    // A General Assembly session N opens in September of 1945 + N; its reports and resolutions carry that year.
    date = String(1945 + clues.session);
    warnings.push(`${file}: date not stated; year ${date} inferred from the session (${clues.session})`);
  }
  const title = e.title ?? clues.resolutionTitle ?? clues.reportTitle;
  const language = e.language ?? clues.language;
  if (!symbol) warnings.push(`${file}: document symbol could not be determined (no manifest entry, resolution heading, symbol in the file name or symbol line); using the file name`);
  if (!kind) warnings.push(`${file}: document kind could not be determined; using "other"`);
  if (!date) warnings.push(`${file}: date could not be determined`);
  if (!title) warnings.push(`${file}: title could not be determined`);
  if (!language) warnings.push(`${file}: language could not be determined`);
  const meta: DocumentMeta = {
    symbol: symbol ?? path.basename(file).replace(/\.[^.]+$/, ''),
    kind: kind ?? 'other',
    language: language ?? 'und',
    date: date ?? '',
    title: title ?? '',
    file,
  };
  if (e.titleEn) meta.titleEn = e.titleEn;
  return meta;
}
