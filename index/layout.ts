import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, readdir, readFile, realpath, writeFile } from 'node:fs/promises';
import { once } from 'node:events';
import { StringDecoder } from 'node:string_decoder';
import { join, relative } from 'node:path';
import { z } from 'zod';
import type { DocumentMeta, Paragraph } from '../core/paragraph.ts';
import { LexicalIndex } from './lexical/bm25.ts';
import { checkLexiconData, type LexiconData, writeLexiconFile } from './lexicon/format.ts';
import type { IndexManifest } from './knowledge-index.ts';

/**
 * The files of an index and how each is read and written. manifest.json is written last, with the
 * sha256 of every other file, so a directory without one was never finished and a file that no longer
 * matches its checksum is damaged.
 */

/** Bump when any file below changes shape; older indexes then ask to be re-ingested. */
export const FORMAT_VERSION = 7;

/**
 * The link in an index directory to the version of the index it serves (./atomic-write.ts). A directory
 * without one holds a single index itself, as a copy of `current/` or a benchmark build does.
 */
export const CURRENT_LINK = 'current';

/** The directory whose files are the index that `indexDir` serves now, resolved once so that a concurrent swap cannot mix two versions. */
export async function servedIndexDir(indexDir: string): Promise<string> {
  return realpath(join(indexDir, CURRENT_LINK)).catch(() => indexDir);
}

export const INDEX_FILES = {
  manifest: 'manifest.json',
  /** Documents with their source file hashes (the incremental cache) and ingest problems. */
  documents: 'documents.json',
  /**
   * One paragraph per line as JSON, in UTF-16LE: what JavaScript strings hold, so that reading it copies
   * the text where UTF-8 would have it decoded, a third of the time to load 100k paragraphs of Chinese.
   * `npm run paragraphs` prints them.
   */
  paragraphs: 'paragraphs.utf16le.jsonl',
  /** LexicalIndex directory: binary postings. */
  lexical: 'lexical',
  /** HnswVectorStore directory, with model embeddings only. */
  vectors: 'vectors',
  /** The CC-CEDICT senses of the index's words (index/lexicon/format.ts). */
  lexicon: 'lexicon.json',
} as const;

/** One ingested source file: enough to skip re-parsing it while its bytes and manifest entry are unchanged. */
export interface StoredDocument {
  meta: DocumentMeta;
  /** sha256 of the file's bytes and the manifest entry it was parsed with. */
  sourceHash: string;
  warnings: string[];
}

/** A file that could not be ingested, kept so that an up-to-date re-run still reports it. */
export interface StoredFailure {
  file: string;
  sourceHash: string;
  reason: string;
}

export interface DocumentsFile {
  /** Hash of the parsing code: a changed parser invalidates every cached document. */
  parserHash: string;
  documents: StoredDocument[];
  failures: StoredFailure[];
}

const manifestSchema = z.object({
  formatVersion: z.number().int(),
  corpusHash: z.string(),
  embeddings: z.object({ provider: z.string(), model: z.string(), dimension: z.number().int().nonnegative() }),
  builtAt: z.string(),
  documents: z.number().int().nonnegative(),
  paragraphs: z.number().int().nonnegative(),
  files: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
});

export async function readManifestFile(dir: string): Promise<IndexManifest> {
  const raw: unknown = JSON.parse(await readFile(join(dir, INDEX_FILES.manifest), 'utf8'));
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`${INDEX_FILES.manifest} is malformed: ${parsed.error.issues[0]?.message ?? 'unknown shape'}`);
  return parsed.data;
}

export async function readDocumentsFile(dir: string, files = plainFiles(dir)): Promise<DocumentsFile> {
  const raw = JSON.parse(textOf(await files.bytes(INDEX_FILES.documents))) as DocumentsFile;
  if (typeof raw?.parserHash !== 'string' || !Array.isArray(raw.documents) || !Array.isArray(raw.failures)) {
    throw new Error(`${INDEX_FILES.documents} is malformed`);
  }
  return raw;
}

/** Read line by line: a million paragraphs make a file longer than the longest string V8 allows. */
export async function readParagraphsFile(dir: string, files = plainFiles(dir)): Promise<Paragraph[]> {
  const paragraphs: Paragraph[] = [];
  let number = 0;
  // A bad line is reported once the whole file is read: if the file fails its checksum, the reader says so
  // at its end, which names the cause (a damaged file) better than the line does.
  let bad: Error | undefined;
  for await (const lines of files.lines(INDEX_FILES.paragraphs, 'utf16le')) {
    for (const line of lines) {
      number++;
      if (bad || line.trim() === '') continue;
      try {
        const p = JSON.parse(line) as Paragraph;
        if (typeof p?.id !== 'string' || typeof p.text !== 'string' || typeof p.label !== 'string') throw new Error(`${INDEX_FILES.paragraphs} line ${number} is not a paragraph`);
        paragraphs.push(p);
      } catch (error) {
        bad = error as Error;
      }
    }
  }
  if (bad) throw bad;
  return paragraphs;
}

export async function readLexicalFile(dir: string, files = plainFiles(dir)): Promise<LexicalIndex> {
  return LexicalIndex.load((file) => files.bytes(`${INDEX_FILES.lexical}/${file}`));
}

export async function readLexiconData(dir: string, files = plainFiles(dir)): Promise<LexiconData> {
  return checkLexiconData(JSON.parse(textOf(await files.bytes(INDEX_FILES.lexicon))) as Partial<LexiconData>);
}

/** Where the readers above take an index's files from, by path relative to the index directory ("lexical/words.docs"). */
export interface IndexFileSource {
  /** A whole file, in a buffer of its own (offset 0), so that typed arrays can view it where it was read. */
  bytes(file: string): Promise<Uint8Array>;
  /** A file's lines, streamed a chunk's worth at a time: an await per line costs more than parsing it. */
  lines(file: string, encoding: LineEncoding): AsyncIterable<string[]>;
}

/** The files as they are on disk. */
export function plainFiles(dir: string): IndexFileSource {
  return {
    bytes: (file) => readWhole(join(dir, file)),
    lines: (file, encoding) => linesOf(join(dir, file), encoding),
  };
}

/** A file that is missing or does not match the checksum its manifest recorded. */
export class DamagedFileError extends Error {}

/**
 * The files checked against the checksums their manifest recorded as they are read: each file's bytes
 * are hashed where they land, so that checking costs no second read of the index. A whole file is
 * checked before it is handed out; a file read by lines is checked at its end, before the iteration
 * ends, so a reader that consumes every line has used nothing unchecked once it returns. `rest` checks
 * the files that were not read through it (those of readers of their own, such as the vector store's).
 */
export function checkedFiles(dir: string, manifest: IndexManifest): IndexFileSource & { rest(): Promise<void> } {
  const read = new Set<string>();
  const expected = (file: string) => {
    read.add(file);
    const sum = manifest.files[file];
    if (sum === undefined) throw new DamagedFileError(`${file} has no checksum in ${INDEX_FILES.manifest}`);
    return sum;
  };
  const matches = (file: string, sum: string, hash: Hash) => {
    if (hash.digest('hex') !== sum) throw new DamagedFileError(`${file} does not match its checksum`);
  };
  return {
    async bytes(file) {
      const sum = expected(file);
      const hash = createHash('sha256');
      const bytes = await readWhole(join(dir, file), hash).catch((error: NodeJS.ErrnoException) => Promise.reject(unreadable(file, error)));
      matches(file, sum, hash);
      return bytes;
    },
    async *lines(file, encoding) {
      const sum = expected(file);
      const hash = createHash('sha256');
      try {
        yield* linesOf(join(dir, file), encoding, hash);
      } catch (error) {
        throw unreadable(file, error as NodeJS.ErrnoException);
      }
      matches(file, sum, hash);
    },
    rest: () => verifyIndexFiles(dir, { ...manifest, files: Object.fromEntries(Object.entries(manifest.files).filter(([file]) => !read.has(file))) }),
  };
}

function unreadable(file: string, error: NodeJS.ErrnoException): Error {
  if (error.code === 'ENOENT') return new DamagedFileError(`${file} is missing`);
  if (error.code) return new DamagedFileError(`${file} cannot be read (${error.code})`);
  return error;
}

/**
 * Whole files are read one at a time, in pieces, each hashed and copied to its place while the next is
 * read: reads of several files at once finish together and have their pieces hashed in one turn of the
 * event loop (stalls of 150-200 ms at 40k paragraphs), and they queue in libuv's four threads ahead of the
 * paragraph stream's, for no faster a load. The pieces land in two buffers used over and over, not in
 * the file's own: on the machines measured, the kernel filling fresh pages and the first touch of them
 * afterwards cost more than copying from memory already in use (the lexical index at 100k: 550 against
 * 760 ms).
 */
const PIECE = 1 << 20;
const landing = [new Uint8Array(PIECE), new Uint8Array(PIECE)];

let reading: Promise<unknown> = Promise.resolve();

function readWhole(path: string, hash?: Hash): Promise<Uint8Array> {
  const read = reading.then(() => readPieces(path, hash));
  reading = read.catch(() => {});
  return read;
}

async function readPieces(path: string, hash?: Hash): Promise<Uint8Array> {
  const handle = await open(path);
  try {
    const { size } = await handle.stat();
    const bytes = new Uint8Array(size);
    let at = 0;
    let next = 0;
    let pending = size > 0 ? handle.read(landing[next], 0, Math.min(PIECE, size), 0) : undefined;
    while (pending) {
      const { bytesRead, buffer } = await pending;
      if (bytesRead === 0) throw new Error(`${path} is shorter than its size`);
      const end = at + bytesRead;
      next ^= 1;
      pending = end < size ? handle.read(landing[next], 0, Math.min(PIECE, size - end), end) : undefined;
      const piece = buffer.subarray(0, bytesRead);
      hash?.update(piece);
      bytes.set(piece, at);
      at = end;
    }
    return bytes;
  } finally {
    await handle.close();
  }
}

type LineEncoding = 'utf8' | 'utf16le';

/** Lines end with "\n" alone: the files are written by writeJsonLines. */
async function* linesOf(path: string, encoding: LineEncoding, hash?: Hash): AsyncGenerator<string[]> {
  const input = (await open(path)).createReadStream();
  const decoder = new StringDecoder(encoding);
  let rest = '';
  try {
    for await (const chunk of input) {
      hash?.update(chunk as Buffer);
      const lines = (rest + decoder.write(chunk as Buffer)).split('\n');
      rest = lines.pop()!;
      yield lines;
    }
    rest += decoder.end();
    if (rest !== '') yield [rest];
  } finally {
    input.destroy();
  }
}

function textOf(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

/** Writes one JSON value per line, streamed, waiting for the disk when its buffer is full. */
export async function writeJsonLines(path: string, values: Iterable<unknown>, encoding: LineEncoding = 'utf8'): Promise<void> {
  const out = createWriteStream(path, encoding);
  const failed = once(out, 'error').then(([error]) => Promise.reject(error as Error));
  failed.catch(() => {});
  for (const value of values) {
    if (!out.write(JSON.stringify(value) + '\n')) await Promise.race([once(out, 'drain'), failed]);
  }
  out.end();
  await Promise.race([once(out, 'finish'), failed]);
}

export interface IndexFiles {
  /** Without the checksums: writeIndexFiles records them. */
  manifest: Omit<IndexManifest, 'files'>;
  documents: DocumentsFile;
  paragraphs: Paragraph[];
  lexical: LexicalIndex;
  lexicon: LexiconData;
}

/**
 * Writes the plain files, then the manifest with the checksum of every file in `dir`; the vectors
 * directory is written by its store before.
 */
export async function writeIndexFiles(dir: string, files: IndexFiles): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, INDEX_FILES.documents), JSON.stringify(files.documents, null, 1));
  await writeJsonLines(join(dir, INDEX_FILES.paragraphs), files.paragraphs, 'utf16le');
  await files.lexical.save(join(dir, INDEX_FILES.lexical));
  await writeLexiconFile(join(dir, INDEX_FILES.lexicon), files.lexicon);
  const manifest: IndexManifest = { ...files.manifest, files: await checksums(dir) };
  await writeFile(join(dir, INDEX_FILES.manifest), JSON.stringify(manifest, null, 2) + '\n');
}

/** sha256 of every file under `dir` but the manifest, by path relative to `dir` ("lexical/words.docs"). */
async function checksums(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'))
    .filter((file) => file !== INDEX_FILES.manifest)
    .sort();
  const sums: Record<string, string> = {};
  for (const file of files) sums[file] = await sha256(join(dir, file));
  return sums;
}

/** Streamed, so that hashing a large index neither holds it in memory nor blocks the event loop. */
async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Throws naming the first file that is missing or no longer matches the checksum the manifest recorded for it. */
export async function verifyIndexFiles(dir: string, manifest: IndexManifest): Promise<void> {
  for (const [file, expected] of Object.entries(manifest.files)) {
    const actual = await sha256(join(dir, file)).catch((error: NodeJS.ErrnoException) => Promise.reject(unreadable(file, error)));
    if (actual !== expected) throw new DamagedFileError(`${file} does not match its checksum`);
  }
}
