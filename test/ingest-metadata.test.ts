import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chineseNumber, readManifest, symbolFromFileName } from '../ingest/metadata.ts';
import { parseDocument } from '../ingest/parse.ts';

const corpus = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'corpus');
let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'ingest-metadata-'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

async function corpusText(file: string): Promise<string> {
  return readFile(path.join(corpus, file), 'utf8');
}

describe('manifest', () => {
  it('reads the bundled manifest by file name', async () => {
    const manifest = await readManifest(corpus);
    expect(manifest.size).toBe(5);
    expect(manifest.get('002_07cbec415ddabf4c.txt')).toMatchObject({ symbol: 'A/68/326', kind: 'report', date: '2013' });
  });

  it('a missing manifest is an empty map', async () => {
    expect((await readManifest(tmp)).size).toBe(0);
  });

  it('a malformed manifest is an error naming the file', async () => {
    const dir = await mkdtemp(path.join(tmp, 'bad-'));
    await writeFile(path.join(dir, 'manifest.json'), '{"documents": [ {"file": 3} ]}');
    await expect(readManifest(dir)).rejects.toThrow(path.join(dir, 'manifest.json'));
    await writeFile(path.join(dir, 'manifest.json'), '{ not json');
    await expect(readManifest(dir)).rejects.toThrow(/manifest .*manifest\.json is not valid JSON/);
  });

  it('manifest fields win over what the document says', async () => {
    const text = await corpusText('000_52d58775c2830094.txt');
    const doc = parseDocument({ text, file: 'x.txt', format: 'md' }, { symbol: 'A/RES/99/1', date: '2099-01-01' });
    expect(doc.meta).toMatchObject({ symbol: 'A/RES/99/1', date: '2099-01-01', kind: 'resolution' });
    expect(doc.paragraphs[0].id).toBe('A/RES/99/1#PP1');
  });
});

describe('inferred from the document when the manifest is silent', () => {
  it('a resolution: symbol, kind, date and title from its heading and date line', async () => {
    const doc = parseDocument({ text: await corpusText('000_52d58775c2830094.txt'), file: 'resolution.md', format: 'md' });
    expect(doc.meta).toEqual({
      symbol: 'A/RES/68/234',
      kind: 'resolution',
      language: 'zh',
      date: '2013-12-20',
      title: '建立全球伙伴关系：以基于原则的办法加强联合国与所有相关伙伴的合作',
      file: 'resolution.md',
    });
    expect(doc.warnings).toEqual([]);
  });

  it('a resolution without a date line: the year of its session, with a warning', async () => {
    const doc = parseDocument({ text: await corpusText('001_d0725b75a9399080.txt'), file: 'r.pdf', format: 'pdf' });
    expect(doc.meta).toMatchObject({ symbol: 'A/RES/56/76', kind: 'resolution', title: '建立全球伙伴关系' });
    expect(doc.meta.date).toBe('');
    expect(doc.warnings.some((w) => /date could not be determined/.test(w))).toBe(true);
  });

  it('a report: symbol from the file name, year from the session, title from the title block', async () => {
    const doc = parseDocument({ text: await corpusText('002_07cbec415ddabf4c.txt'), file: 'A-68-326-ZH.pdf', format: 'pdf' });
    expect(doc.meta).toMatchObject({
      symbol: 'A/68/326',
      kind: 'report',
      language: 'zh',
      date: '2013',
      title: '加强联合国与所有相关伙伴特别是与私营部门的合作：秘书长的报告',
    });
    expect(doc.warnings).toEqual([expect.stringMatching(/year 2013 inferred from the session \(68\)/)]);
    expect(doc.paragraphs.find((p) => p.label === '12')!.id).toBe('A/68/326#12');
  });

  it('a symbol line in the text is used when nothing else names the document', async () => {
    const text = `A/58/227\n${await corpusText('003_b4ed359fe5020c96.txt')}`;
    const doc = parseDocument({ text, file: 'report.md', format: 'md' });
    expect(doc.meta).toMatchObject({ symbol: 'A/58/227', kind: 'report', date: '2003' });
  });

  it('warns for each field it cannot determine', () => {
    const doc = parseDocument({ text: '1. 42%\n2. 7 000', file: 'notes.txt', format: 'txt' });
    expect(doc.meta).toMatchObject({ symbol: 'notes', kind: 'other', date: '', title: '', language: 'und' });
    for (const field of ['symbol', 'kind', 'date', 'title', 'language']) {
      expect(doc.warnings.some((w) => w.startsWith('notes.txt:') && w.includes(field)), field).toBe(true);
    }
    expect(doc.paragraphs.map((p) => p.id)).toEqual(['notes#1', 'notes#2']);
  });
});

describe('helpers', () => {
  it('symbols in file names', () => {
    expect(symbolFromFileName('A_RES_68_234.pdf')).toBe('A/RES/68/234');
    expect(symbolFromFileName('A-68-326-ZH.docx')).toBe('A/68/326');
    expect(symbolFromFileName('a_58_227.html')).toBe('A/58/227');
    expect(symbolFromFileName('000_52d58775c2830094.txt')).toBeUndefined();
  });

  it('Chinese session numbers', () => {
    expect(chineseNumber('六十八')).toBe(68);
    expect(chineseNumber('五十八')).toBe(58);
    expect(chineseNumber('七十六')).toBe(76);
    expect(chineseNumber('十')).toBe(10);
  });
});
