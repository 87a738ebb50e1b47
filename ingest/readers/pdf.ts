import type { TextItem } from 'pdfjs-dist/types/src/display/api.js';
import { ReadFailure } from './unreadable.ts';

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
let pdfjs: Promise<PdfJs> | undefined;

/**
 * pdf.js's Node build brings core-js polyfills that replace the native JSON.parse and JSON.stringify
 * with much slower ones for the whole process (logging, HTTP bodies, the index). It and its worker are
 * loaded only when a PDF is read, and the native JSON functions are put back afterwards: pdf.js does not
 * need the polyfilled ones on Node 20.
 */
function loadPdfJs(): Promise<PdfJs> {
  pdfjs ??= (async () => {
    const { parse, stringify } = JSON;
    try {
      // The worker module registers itself on globalThis, so pdf.js uses it instead of importing it
      // later, outside this guard.
      await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
      return await import('pdfjs-dist/legacy/build/pdf.mjs');
    } finally {
      JSON.parse = parse;
      JSON.stringify = stringify;
    }
  })();
  return pdfjs;
}

/** A run of text placed on the page, in PDF user space (y grows upwards). */
interface Run {
  text: string;
  x: number;
  y: number;
  width: number;
  size: number;
  /** Per character: drawn several times over itself, the way many UN PDFs fake bold type. */
  bold: boolean[];
  superscript: boolean;
}

interface Line {
  baseline: number;
  size: number;
  runs: Run[];
}

/**
 * A line of page text as output. Cells are the parts of a line that stand far apart (a header's symbol
 * and its date, a footer's job number and page number); where the line sat and whether it is a footnote
 * marker matter for running header/footer detection.
 */
interface PageLine {
  cells: string[];
  baseline: number;
  marker: boolean;
}

/**
 * Reads a PDF's text layer: lines in reading order, pages separated by "\f", running headers and footers
 * (document symbol, job number, page number — whatever repeats at the same place on many pages) removed.
 * Superscript footnote markers go on a line of their own, as text extraction of UN PDFs gives them, and
 * overprinted (fake bold) runs are marked `**…**` once instead of appearing several times.
 */
export async function readPdf(bytes: Uint8Array): Promise<string> {
  const pages = await extractPages(bytes);
  if (pages.every((page) => page.length === 0)) throw new ReadFailure('no text layer in the PDF (a scanned image?)');
  return removeRunningLines(pages)
    .map((page) => page.map((line) => line.cells.join('\t')).join('\n'))
    .join('\f');
}

async function extractPages(bytes: Uint8Array): Promise<PageLine[][]> {
  const { getDocument } = await loadPdfJs();
  const task = getDocument({
    data: new Uint8Array(bytes),
    verbosity: 0,
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    stopAtErrors: true,
  });
  try {
    const pdf = await task.promise.catch((error: unknown) => {
      const name = (error as { name?: string })?.name;
      if (name === 'PasswordException') throw new ReadFailure('encrypted PDF (a password is required)');
      throw new ReadFailure(`corrupt PDF: ${error instanceof Error ? error.message : String(error)}`);
    });
    const pages: PageLine[][] = [];
    for (let number = 1; number <= pdf.numPages; number++) {
      const page = await pdf.getPage(number);
      const content = await page.getTextContent().catch((error: unknown) => {
        throw new ReadFailure(`corrupt PDF: page ${number}: ${error instanceof Error ? error.message : String(error)}`);
      });
      // Spaces come back from the geometry: a free-standing space item would hide the gap it fills.
      const items = content.items.filter((item): item is TextItem => 'str' in item && item.str.trim() !== '');
      pages.push(layoutLines(items.map(toRun)).flatMap(renderLine));
      page.cleanup();
    }
    return pages;
  } finally {
    await task.destroy();
  }
}

function toRun(item: TextItem): Run {
  const [, , c, d, x, y] = item.transform as number[];
  return {
    text: item.str,
    x,
    y,
    width: item.width,
    size: Math.hypot(c, d) || item.height,
    bold: [...item.str].map(() => false),
    superscript: false,
  };
}

/**
 * Groups runs into lines. Larger type is placed first so that a small raised run (a footnote marker)
 * joins the line it is raised above instead of starting a line of its own.
 */
function layoutLines(runs: Run[]): Line[] {
  const lines: Line[] = [];
  const bySize = runs.map((run, order) => ({ run, order })).sort((a, b) => b.run.size - a.run.size || a.order - b.order);
  for (const { run } of bySize) {
    const sameBaseline = lines.find((line) => Math.abs(line.baseline - run.y) <= 0.25 * line.size);
    if (sameBaseline) {
      sameBaseline.runs.push(run);
      continue;
    }
    const raisedAbove = lines.find(
      (line) =>
        run.size < 0.85 * line.size &&
        run.y - line.baseline > 0 &&
        run.y - line.baseline <= 0.6 * line.size &&
        run.x >= leftEdge(line) - 2.5 * line.size &&
        run.x <= rightEdge(line) + line.size,
    );
    if (raisedAbove) {
      run.superscript = true;
      raisedAbove.runs.push(run);
      continue;
    }
    lines.push({ baseline: run.y, size: run.size, runs: [run] });
  }
  for (const line of lines) line.runs = mergeOverprints(line.runs.sort((a, b) => a.x - b.x));
  return lines.sort((a, b) => b.baseline - a.baseline);
}

const leftEdge = (line: Line) => Math.min(...line.runs.map((run) => run.x));
const rightEdge = (line: Line) => Math.max(...line.runs.map((run) => run.x + run.width));

/**
 * Text drawn again over itself at a hair's offset is fake bold: it is kept once and marked bold. The
 * copies may come merged with the text before or after them ("1. 强调" + "强调" + "强调联合国…"), so the
 * repeated stretch is found where a run starts inside the previous one and its opening repeats that one's end.
 */
function mergeOverprints(runs: Run[]): Run[] {
  const kept: Run[] = [];
  for (const run of runs) {
    const previous = kept[kept.length - 1];
    const overlap = previous ? previous.x + previous.width - run.x : 0;
    const repeated = previous && !previous.superscript && !run.superscript && overlap > 0.3 * run.size
      ? repeatedLength(previous, run, overlap)
      : 0;
    if (!previous || repeated === 0) {
      kept.push(run);
      continue;
    }
    const previousChars = [...previous.text];
    const runChars = [...run.text];
    for (let index = previousChars.length - repeated; index < previousChars.length; index++) previous.bold[index] = true;
    previous.text += runChars.slice(repeated).join('');
    previous.bold.push(...run.bold.slice(repeated));
    previous.width = Math.max(previous.x + previous.width, run.x + run.width) - previous.x;
  }
  return kept;
}

/**
 * How many characters at the start of `run` repeat the end of `previous` and, by either run's average
 * character width, cover the overlap.
 */
function repeatedLength(previous: Run, run: Run, overlap: number): number {
  const previousChars = [...previous.text];
  const runChars = [...run.text];
  const previousText = previousChars.join('');
  let best = 0;
  let bestError = 0.75 * run.size;
  for (let length = Math.min(runChars.length, previousChars.length); length > 0; length--) {
    const head = runChars.slice(0, length).join('');
    if (head.trim() === '' || !previousText.endsWith(head)) continue;
    const error = Math.min(
      Math.abs((run.width * length) / runChars.length - overlap),
      Math.abs((previous.width * length) / previousChars.length - overlap),
    );
    if (error < bestError) {
      best = length;
      bestError = error;
    }
  }
  return best;
}

/**
 * One line of output per stretch of the line between superscripts, since each footnote marker stands on a
 * line of its own; runs far apart within a stretch become separate cells.
 */
function renderLine(line: Line): PageLine[] {
  const output: PageLine[] = [];
  let cells: string[] = [];
  let current = '';
  let previous: Run | undefined;
  const endCell = () => {
    const cell = current.replace(/\*\*(\s*)\*\*/g, '$1').trim();
    if (cell !== '') cells.push(cell);
    current = '';
  };
  const endLine = (marker: boolean) => {
    endCell();
    if (cells.length > 0) output.push({ cells, baseline: line.baseline, marker });
    cells = [];
  };
  for (const run of line.runs) {
    if (run.superscript) {
      endLine(false);
      current = run.text;
      endLine(true);
      previous = undefined;
      continue;
    }
    if (previous) {
      const gap = run.x - (previous.x + previous.width);
      if (gap > 2.5 * run.size) endCell();
      else if (gap > 0.2 * run.size && !/\s$/.test(current) && !/^\s/.test(run.text)) current += ' ';
    }
    current += withBoldMarkers(run);
    previous = run;
  }
  endLine(false);
  return output;
}

/** `**…**` around the bold stretches of a run, with surrounding spaces kept outside the markers. */
function withBoldMarkers(run: Run): string {
  let text = '';
  let open = false;
  [...run.text].forEach((char, index) => {
    if (run.bold[index] !== open) text += '**';
    open = run.bold[index];
    text += char;
  });
  if (open) text += '**';
  return text.replace(/\*\*(\s*)([^*]*?)(\s*)\*\*/g, (_, before: string, inner: string, after: string) =>
    inner === '' ? before + after : `${before}**${inner}**${after}`,
  );
}

/** How many lines at the top and at the bottom of a page may be running headers or footers. */
const EDGE_LINES = 3;

/**
 * Removes running headers and footers: cells of lines near the top or bottom of a page that recur at the
 * same height on many pages — word for word, or digits aside where the cell is only a page number such as
 * "2" or "2/20". The first page's variants of a symbol or job number ("13-43240 (C)" where later pages say
 * "13-43240") go too. Footnote markers never count: footnotes sit at the same height page after page.
 */
function removeRunningLines(pages: PageLine[][]): PageLine[][] {
  if (pages.length < 2) return pages;
  const cellKey = (page: PageLine[], index: number, cell: string): string | undefined => {
    const zone = index < EDGE_LINES ? 'top' : index >= page.length - EDGE_LINES ? 'bottom' : undefined;
    if (!zone || page[index].marker) return undefined;
    const folio = /^[^\p{L}]*\d[^\p{L}]*$/u.test(cell);
    return `${zone}|${Math.round(page[index].baseline / 4)}|${folio ? cell.replace(/\d+/g, '#') : cell}`;
  };
  const pagesWithKey = new Map<string, number>();
  for (const page of pages) {
    const keys = new Set(page.flatMap((line, index) => line.cells.map((cell) => cellKey(page, index, cell))));
    for (const key of keys) if (key !== undefined) pagesWithKey.set(key, (pagesWithKey.get(key) ?? 0) + 1);
  }
  const threshold = Math.max(2, Math.ceil(pages.length * 0.3));
  const isRunning = (page: PageLine[], index: number, cell: string) => {
    const key = cellKey(page, index, cell);
    return key !== undefined && (pagesWithKey.get(key) ?? 0) >= threshold;
  };

  // A page number is too short to recognise inside another cell; a symbol or job number is not.
  const distinctive = new Set<string>();
  pages.forEach((page) =>
    page.forEach((line, index) =>
      line.cells.forEach((cell) => isRunning(page, index, cell) && cell.length >= 5 && /[^\d\s]/.test(cell) && distinctive.add(cell)),
    ),
  );
  const isVariant = (page: PageLine[], index: number, cell: string) =>
    cellKey(page, index, cell) !== undefined &&
    [...distinctive].some((text) => cell.startsWith(`${text} `) && cell.length <= text.length + 8);

  return pages.map((page) =>
    page
      .map((line, index) => ({ ...line, cells: line.cells.filter((cell) => !isRunning(page, index, cell) && !isVariant(page, index, cell)) }))
      .filter((line) => line.cells.length > 0),
  );
}
