import chardet from 'chardet';
import iconv from 'iconv-lite';
import { ReadFailure } from './unreadable.ts';

export interface DecodeOptions {
  /** Encoding the file declares for itself (an HTML <meta charset>), tried before guessing. */
  declaredEncoding?: string;
}

/**
 * Decodes a text file whatever its encoding: UTF-8 (with or without BOM), UTF-16 LE/BE (with BOM, or
 * without when its NUL pattern gives it away) and legacy encodings such as GB18030/GBK, so that the
 * same document in any of them yields the identical string. Line endings are normalised to "\n":
 * they are an artefact of the platform that saved the file, not part of the document.
 */
export function decodeText(bytes: Uint8Array, options: DecodeOptions = {}): string {
  if (bytes.length === 0) throw new ReadFailure('empty file');
  const text = normaliseLineEndings(decodeBytes(bytes, options));
  if (text.trim() === '') throw new ReadFailure('empty file');
  return text;
}

function decodeBytes(bytes: Uint8Array, options: DecodeOptions): string {
  const bom = bomEncoding(bytes);
  if (bom) return checkedText(iconv.decode(Buffer.from(bytes.subarray(bom.length)), bom.encoding));

  const utf16 = sniffUtf16(bytes);
  if (utf16) return checkedText(iconv.decode(Buffer.from(bytes), utf16));

  if (looksBinary(bytes)) throw new ReadFailure('binary content, not text');

  const utf8 = strictUtf8(bytes);
  if (utf8 !== undefined) return checkedText(utf8);

  for (const encoding of legacyCandidates(bytes, options.declaredEncoding)) {
    const text = iconv.decode(Buffer.from(bytes), encoding);
    if (!text.includes('\uFFFD')) return checkedText(text);
  }
  throw new ReadFailure('unknown text encoding (not UTF-8, UTF-16 or a recognised legacy encoding)');
}

function bomEncoding(bytes: Uint8Array): { encoding: string; length: number } | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { encoding: 'utf8', length: 3 };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf16be', length: 2 };
  return undefined;
}

/**
 * Without a BOM, UTF-16 shows itself through the zero high bytes of ASCII characters (digits, spaces,
 * line breaks — plentiful even in Chinese text), all on one side of each byte pair.
 */
function sniffUtf16(bytes: Uint8Array): 'utf16le' | 'utf16be' | undefined {
  if (bytes.length < 4 || bytes.length % 2 !== 0) return undefined;
  const pairs = Math.min(bytes.length, 64 * 1024) / 2;
  let evenZeros = 0;
  let oddZeros = 0;
  for (let i = 0; i < pairs * 2; i += 2) {
    if (bytes[i] === 0) evenZeros++;
    if (bytes[i + 1] === 0) oddZeros++;
  }
  const candidate = oddZeros > evenZeros ? 'utf16le' : 'utf16be';
  const [many, few] = oddZeros > evenZeros ? [oddZeros, evenZeros] : [evenZeros, oddZeros];
  // Chinese characters such as 一 (U+4E00) put zeros on the other side too, but far fewer.
  if (many < pairs * 0.05 || few > many * 0.25) return undefined;
  const text = iconv.decode(Buffer.from(bytes), candidate);
  return hasLoneSurrogate(text) || controlShare(text) > 0 ? undefined : candidate;
}

function hasLoneSurrogate(text: string): boolean {
  return /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);
}

/** Control characters other than tab, line feed, vertical tab, form feed and carriage return never occur in text. */
const CONTROL = /[\x00-\x08\x0E-\x1F\x7F]/g;

function controlShare(text: string): number {
  return (text.match(CONTROL)?.length ?? 0) / Math.max(text.length, 1);
}

/**
 * No text encoding this reader accepts (other than UTF-16, handled before) puts C0 control bytes inside
 * characters, so a NUL or more than a stray control byte means the file is not text at all.
 */
function looksBinary(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 64 * 1024);
  let controls = 0;
  for (const byte of sample) {
    if (byte === 0) return true;
    if ((byte < 0x09 || (byte > 0x0d && byte < 0x20 && byte !== 0x1b)) || byte === 0x7f) controls++;
  }
  return controls > sample.length * 0.001;
}

function strictUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Encodings to try, best first: the one the file declares, chardet's guesses, then GB18030 (a superset
 * of GBK and GB2312), the legacy encoding Chinese documents most often come in.
 */
function legacyCandidates(bytes: Uint8Array, declared: string | undefined): string[] {
  const guesses = chardet.analyse(bytes).map((match) => match.name);
  const names = [declared, ...guesses, 'gb18030'].filter((name): name is string => !!name);
  return [...new Set(names.map(canonicalEncoding))].filter((name) => iconv.encodingExists(name));
}

/** GB2312 and GBK files routinely contain GBK-only characters; GB18030 decodes all three alike. */
function canonicalEncoding(name: string): string {
  const lower = name.toLowerCase();
  return ['gb2312', 'gbk', 'x-gbk', 'cp936', 'euc-cn'].includes(lower) ? 'gb18030' : lower;
}

function checkedText(text: string): string {
  if (controlShare(text) > 0.001) throw new ReadFailure('binary content, not text');
  return text;
}

function normaliseLineEndings(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}
