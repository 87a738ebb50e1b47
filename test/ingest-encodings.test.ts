import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDocument } from '../ingest/readers/index.ts';

const original = readFileSync('corpus/002_07cbec415ddabf4c.txt', 'utf8');
const BOM = { utf8: [0xef, 0xbb, 0xbf], utf16le: [0xff, 0xfe], utf16be: [0xfe, 0xff] };

const VARIANTS: [string, Buffer][] = [
  ['UTF-8', Buffer.from(original, 'utf8')],
  ['UTF-8 with BOM', Buffer.concat([Buffer.from(BOM.utf8), Buffer.from(original, 'utf8')])],
  ['UTF-16LE with BOM', Buffer.concat([Buffer.from(BOM.utf16le), iconv.encode(original, 'utf16le')])],
  ['UTF-16BE with BOM', Buffer.concat([Buffer.from(BOM.utf16be), iconv.encode(original, 'utf16be')])],
  ['UTF-16LE without BOM', iconv.encode(original, 'utf16le')],
  ['UTF-16BE without BOM', iconv.encode(original, 'utf16be')],
  ['GB18030', iconv.encode(original, 'gb18030')],
  ['GBK', iconv.encode(original, 'gbk')],
  ['UTF-8 with Windows line endings', Buffer.from(original.replace(/\n/g, '\r\n'), 'utf8')],
];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ingest-encodings-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a corpus report saved in each encoding', () => {
  it.each(VARIANTS)('reads %s as the identical text', async (name, bytes) => {
    const path = join(dir, `A-68-326 ${name}.txt`);
    writeFileSync(path, bytes);
    const source = await readDocument(path);
    expect(source).toEqual({ text: original, file: `A-68-326 ${name}.txt`, format: 'txt' });
  });

  it('reads a GB18030 web page that declares its charset', async () => {
    const html = `<html><head><meta charset="gb18030"><title>x</title></head><body><p><b>回顾</b>其决议，联合国伙伴关系</p></body></html>`;
    const path = join(dir, 'page.html');
    writeFileSync(path, iconv.encode(html, 'gb18030'));
    expect((await readDocument(path)).text).toBe('**回顾**其决议，联合国伙伴关系');
  });

  it('reads Markdown as text, its markup left for the parser', async () => {
    const path = join(dir, 'resolution.md');
    writeFileSync(path, iconv.encode('## 68/234. 建立全球伙伴关系\n\n**回顾**其决议<sup>1</sup>，\n', 'gb18030'));
    expect(await readDocument(path)).toEqual({ text: '## 68/234. 建立全球伙伴关系\n\n**回顾**其决议<sup>1</sup>，\n', file: 'resolution.md', format: 'md' });
  });
});
