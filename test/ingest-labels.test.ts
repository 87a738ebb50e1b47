import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { readManifest } from '../ingest/metadata.ts';
import { parseDocument } from '../ingest/parse.ts';
import { labelKind, type DocumentMeta, type ParsedDocument } from '../core/paragraph.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const corpus = path.join(root, 'corpus');
const devSet = path.resolve(root, '../shared/eval/dev.jsonl');

const FILES = {
  'A/RES/68/234': '000_52d58775c2830094.txt',
  'A/RES/56/76': '001_d0725b75a9399080.txt',
  'A/68/326': '002_07cbec415ddabf4c.txt',
  'A/58/227': '003_b4ed359fe5020c96.txt',
  'A/76/319': '004_fe9f55b023482873.txt',
} as const;
type Symbol = keyof typeof FILES;

let manifest: Map<string, Partial<DocumentMeta>>;
const docs = new Map<Symbol, ParsedDocument>();

function source(symbol: Symbol): string {
  return readFileSync(path.join(corpus, FILES[symbol]), 'utf8');
}

function parse(symbol: Symbol, text = source(symbol)): ParsedDocument {
  return parseDocument({ text, file: FILES[symbol], format: 'txt' }, manifest.get(FILES[symbol]));
}

function labels(doc: ParsedDocument, kind: ReturnType<typeof labelKind>): string[] {
  return doc.paragraphs.filter((p) => labelKind(p.label) === kind).map((p) => p.label);
}

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, k) => String(from + k));
const squeeze = (s: string) => s.replace(/\s+/g, '');

beforeAll(async () => {
  manifest = await readManifest(corpus);
  for (const symbol of Object.keys(FILES) as Symbol[]) docs.set(symbol, parse(symbol));
});

describe('labels of the bundled corpus', () => {
  it('A/RES/68/234 has 19 preambular and 27 operative paragraphs, 13(a)–(d) as sub-paragraphs', () => {
    const doc = docs.get('A/RES/68/234')!;
    expect(labels(doc, 'preambular')).toEqual(range(1, 19).map((n) => `PP${n}`));
    expect(labels(doc, 'numbered')).toEqual(range(1, 27));
    expect(labels(doc, 'sub')).toEqual(['13(a)', '13(b)', '13(c)', '13(d)']);
    const p13 = doc.paragraphs.find((p) => p.label === '13')!;
    expect(p13.text).toBe('请秘书长在这方面酌情与各基金和方案、各专门机构和联合国其他相关实体和机制协作：');
  });

  it('A/RES/56/76 has 12 preambular and 7 operative paragraphs', () => {
    const doc = docs.get('A/RES/56/76')!;
    expect(labels(doc, 'preambular')).toEqual(range(1, 12).map((n) => `PP${n}`));
    expect(labels(doc, 'numbered')).toEqual(range(1, 7));
    expect(doc.paragraphs.find((p) => p.label === 'PP1')!.text).toBe('重申联合国、特别是大会在全球化背景下促进伙伴关系的中心作用，');
  });

  it.each([
    ['A/68/326', 78],
    ['A/58/227', 93],
    ['A/76/319', 43],
  ] as const)('%s has numbered paragraphs 1–%i, none missing or doubled', (symbol, last) => {
    expect(labels(docs.get(symbol)!, 'numbered')).toEqual(range(1, last));
  });

  it('summaries, footnotes and boxes are paragraphs of their own', () => {
    const of = (s: Symbol) => docs.get(s)!.paragraphs.map((p) => p.label);
    expect(of('A/68/326')).toEqual(expect.arrayContaining(['summary', 'fn1', ...range(1, 6).map((n) => `box${n}`)]));
    expect(of('A/58/227')).toEqual(expect.arrayContaining(['summary', 'fn1']));
    expect(of('A/76/319')).toEqual(
      expect.arrayContaining(['summary', 'annex', ...range(1, 9).map((n) => `fn${n}`), ...range(1, 10).map((n) => `box${n}`)]),
    );
    expect(of('A/RES/68/234')).toEqual(expect.arrayContaining(range(1, 8).map((n) => `fn${n}`)));
    expect(of('A/RES/56/76')).toEqual(expect.arrayContaining(['fn1', 'fn2', 'fn3']));
    const box1 = docs.get('A/68/326')!.paragraphs.find((p) => p.label === 'box1')!;
    expect(box1.text.startsWith('联合国难民事务高级专员公署\n“难民署创新”是一个部门间倡议')).toBe(true);
    expect(docs.get('A/68/326')!.paragraphs.find((p) => p.label === '18')!.text).not.toContain('难民署');
  });

  it('no paragraph keeps an extraction artifact', () => {
    for (const doc of docs.values()) {
      for (const p of doc.paragraphs) {
        expect(p.text, `${p.id}`).not.toMatch(/([\u4e00-\u9fff]{1,8})\1{3}/);
        expect(p.text, `${p.id}`).not.toMatch(/undocs\.org|_{3,}|\*\*|<\/?sup>/);
        expect(p.text, `${p.id}`).not.toMatch(/^\d+\s*[.．]/);
      }
    }
  });

  it('paragraphs carry their document, a unique id and their position', () => {
    for (const [symbol, doc] of docs) {
      expect(doc.meta.symbol).toBe(symbol);
      const ids = doc.paragraphs.map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      doc.paragraphs.forEach((p, k) => {
        expect(p.position).toBe(k);
        expect(p).toMatchObject({ symbol, kind: doc.meta.kind, date: doc.meta.date, language: 'zh' });
      });
    }
  });

  it('paragraphs sit under their section headings', () => {
    const p15 = docs.get('A/68/326')!.paragraphs.find((p) => p.label === '15')!;
    expect(p15.section).toEqual([
      '二. 联合国全系统在私营部门伙伴关系方面的进展、趋势和挑战',
      'B. 机构、基金和方案一级的进展和趋势',
      '1. 联合国的利益和企业的利益趋于一致',
    ]);
    const p11 = docs.get('A/76/319')!.paragraphs.find((p) => p.label === '11')!;
    expect(p11.section).toEqual(['三. 在紧急模式下建立促进发展的伙伴关系：从建立伙伴关系应对 COVID-19 中汲取的经验教训']);
  });

  it('text interrupted by a page-break footnote block continues in the same paragraph', () => {
    const p8 = docs.get('A/76/319')!.paragraphs.find((p) => p.label === '8')!;
    expect(p8.text).toContain('拥有女性首席执行官的公司往往比那些主要由男性领导的公司业绩更好。公司越来越认识到');
    const fn4 = docs.get('A/76/319')!.paragraphs.find((p) => p.label === 'fn4')!;
    expect(fn4.text.endsWith('“How ESG-linked stocks outperformed in 2020”。')).toBe(true);
    const p9 = docs.get('A/76/319')!.paragraphs.find((p) => p.label === '9')!;
    expect(p9.text).toContain('总市值超过 2.4 万亿美元、代表 500 多万名员工的 150 多家公司签署了一份声明');
    expect(p9.text).not.toMatch(/Target, 2017|Global Reporting/);
    const fn6 = docs.get('A/76/319')!.paragraphs.find((p) => p.label === 'fn6')!;
    expect(fn6.text.startsWith('见 Wojciech Leoński')).toBe(true);
    expect(fn6.text.endsWith('Business Reporting on the SDGs: An Analysis of the Goals and Target, 2017。')).toBe(true);
  });

  it('no paragraph holds another paragraph\'s footnote text or a page header, footer or rule', () => {
    /** Overlapping 20-character pieces: a footnote split between two paragraphs still shows up. */
    const pieces = (text: string) => {
      const chars = [...squeeze(text)];
      return Array.from({ length: Math.max(0, Math.ceil((chars.length - 20) / 5) + 1) }, (_, k) => chars.slice(k * 5, k * 5 + 20).join(''));
    };
    for (const doc of docs.values()) {
      const notes = doc.paragraphs.filter((p) => labelKind(p.label) === 'footnote');
      const body = doc.paragraphs.filter((p) => labelKind(p.label) !== 'footnote');
      for (const note of notes) {
        for (const piece of pieces(note.text).filter((piece) => [...piece].length === 20)) {
          for (const p of body) expect(squeeze(p.text), `${p.id} holds text of ${note.label}: ${piece}`).not.toContain(piece);
        }
        // A footnote is one block: a line break inside one means it ran on into the page's resumed body text.
        expect(note.text, note.id).not.toContain('\n');
      }
      for (const p of doc.paragraphs) {
        expect(p.text, p.id).not.toMatch(/\b\d{2}-\d{5}\b|_{3,}|^\d+\/\d+$|Distr\.:/m);
        // A footnote's citations in Latin script never end up in Chinese body text.
        if (labelKind(p.label) !== 'footnote') expect(p.text, p.id).not.toMatch(/(?:[A-Za-z]+[,;]? ){6}/);
      }
    }
  });
});

describe.skipIf(!existsSync(devSet))('gold entries of the dev set', () => {
  const gold = existsSync(devSet)
    ? readFileSync(devSet, 'utf8')
        .split('\n')
        .filter(Boolean)
        .flatMap((line) => (JSON.parse(line) as { gold: { doc: Symbol; para: string; snippet: string }[] }).gold)
    : [];

  it.each(gold.map((g) => [g.doc, g.para, g.snippet]))('%s %s contains "%s"', (doc, para, snippet) => {
    const paragraph = docs.get(doc as Symbol)!.paragraphs.find((p) => p.label === para);
    expect(paragraph, `${doc} has no paragraph ${para}`).toBeDefined();
    // The source's own spacing around figures is inconsistent ("2013年" / "2013 年"); words must match exactly.
    const text = paragraph!.text;
    expect(text.includes(snippet) || squeeze(text).includes(squeeze(snippet))).toBe(true);
  });
});

describe('layout variants of the same documents give the same labels and texts', () => {
  const crlf = (t: string) => t.replace(/\n/g, '\r\n');
  const noBlankLines = (t: string) => t.split('\n').filter((l) => l.trim() !== '').join('\n');
  const asciiNumbers = (t: string) => t.replace(/^(\s*\d{1,3})．/gm, '$1.');
  const fullWidthNumbers = (t: string) => t.replace(/^(\s*\d{1,3})\.(?!\d)/gm, '$1．');
  const noBold = (t: string) => t.replace(/\*\*/g, '');
  const noFourFold = (t: string) => t.replace(/([\u4e00-\u9fff]{1,8}?)\1{3}/g, '$1');
  /** Hard-wraps every long line at `width` characters (markup tokens kept whole), as a PDF of another page size would. */
  const rewrap = (width: number) => (t: string) =>
    t
      .split('\n')
      .flatMap((line) => {
        const chars = line.match(/<sup>\d+<\/sup>|\*\*|./gu) ?? [];
        if (chars.length <= width) return [line];
        const out: string[] = [];
        for (let k = 0; k < chars.length; k += width) out.push(chars.slice(k, k + width).join(''));
        return out;
      })
      .join('\n');

  const variants: [string, Symbol[], (t: string) => string, boolean][] = [
    ['CRLF line ends', Object.keys(FILES) as Symbol[], crlf, true],
    ['no blank lines', Object.keys(FILES) as Symbol[], noBlankLines, true],
    ['ASCII numbering', ['A/RES/56/76'], asciiNumbers, true],
    ['full-width numbering', ['A/RES/68/234', 'A/68/326', 'A/58/227', 'A/76/319'], fullWidthNumbers, true],
    ['Markdown bold removed', ['A/RES/68/234', 'A/58/227'], noBold, true],
    ['four-fold bold artifacts absent', ['A/RES/56/76'], noFourFold, true],
    ['re-wrapped lines', ['A/RES/68/234', 'A/58/227'], rewrap(33), false],
    ['re-wrapped, CRLF, no bold', ['A/RES/68/234'], (t) => crlf(rewrap(29)(noBold(t))), false],
  ];

  it.each(variants)('%s', (_name, symbols, transform, exact) => {
    for (const symbol of symbols) {
      const original = docs.get(symbol)!;
      const variant = parse(symbol, transform(source(symbol)));
      expect(variant.paragraphs.map((p) => p.label), symbol).toEqual(original.paragraphs.map((p) => p.label));
      variant.paragraphs.forEach((p, k) => {
        const o = original.paragraphs[k];
        if (exact) expect(p.text, p.id).toBe(o.text);
        else expect(squeeze(p.text), p.id).toBe(squeeze(o.text));
        const heading = (h: string) => squeeze(h).replace(/^(\d+)．/, '$1.');
        expect(p.section.map(heading), p.id).toEqual(o.section.map(heading));
      });
    }
  });
});
