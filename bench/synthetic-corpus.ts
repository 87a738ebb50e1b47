import { cut } from 'jieba-wasm';
import { seededRandom } from './seeded-random.ts';
import { type DocumentMeta, type Paragraph, paragraphId } from '../core/paragraph.ts';

/**
 * Synthetic Chinese UN-style corpora of any size, generated deterministically from the real corpus's
 * paragraphs, so that benchmarks at 10 thousand or a million paragraphs see text with the real vocabulary,
 * word statistics, paragraph lengths, labels and section headings. Text comes from an order-2 Markov chain
 * over jieba tokens of the real paragraphs; each synthetic document copies the label sequence and
 * sections of a real one. Symbols are synthetic ("A/RES/57/1003") and never meant to be cited.
 */

export interface Corpus {
  documents: DocumentMeta[];
  paragraphs: Paragraph[];
}

const SENTENCE_END = new Set(['。', '；', '！', '？']);

/** Word-level order-2 Markov chain with tokens interned as integers (fast enough for 10⁸ steps). */
class MarkovChain {
  private readonly tokens: string[] = [];
  private readonly ids = new Map<string, number>();
  private readonly next = new Map<number, number[]>();
  private readonly starts: [number, number][] = [];

  constructor(texts: string[]) {
    for (const text of texts) {
      const ids = cut(text, true).map((t) => this.intern(t));
      let sentenceStart = 0;
      for (let i = 0; i < ids.length; i++) {
        if (i === sentenceStart && i + 1 < ids.length) this.starts.push([ids[i], ids[i + 1]]);
        if (i >= 2) {
          const key = this.key(ids[i - 2], ids[i - 1]);
          let list = this.next.get(key);
          if (!list) this.next.set(key, (list = []));
          list.push(ids[i]);
        }
        if (SENTENCE_END.has(this.tokens[ids[i]])) sentenceStart = i + 1;
      }
    }
    if (this.starts.length === 0) throw new Error('the source corpus has no text to learn from');
  }

  private intern(token: string): number {
    let id = this.ids.get(token);
    if (id === undefined) {
      id = this.tokens.length;
      this.tokens.push(token);
      this.ids.set(token, id);
    }
    return id;
  }

  private key(a: number, b: number): number {
    return a * 1_048_576 + b;
  }

  /** Whole sentences until at least `length` characters, ending on a sentence end. */
  generate(length: number, random: () => number): string {
    let out = '';
    while (out.length < length) {
      let [a, b] = this.starts[Math.floor(random() * this.starts.length)];
      let sentence = this.tokens[a] + this.tokens[b];
      // A chain that wanders without reaching a sentence end is cut off; long run-ons add nothing.
      for (let steps = 0; steps < 200 && !SENTENCE_END.has(this.tokens[b]); steps++) {
        const options = this.next.get(this.key(a, b));
        if (!options) break;
        const c = options[Math.floor(random() * options.length)];
        sentence += this.tokens[c];
        [a, b] = [b, c];
      }
      out += SENTENCE_END.has(sentence.at(-1) ?? '') ? sentence : `${sentence}。`;
    }
    return out;
  }
}

/** `size` paragraphs in whole synthetic documents (the last one cut short), identical for the same inputs and seed. */
export function syntheticCorpus(source: Corpus, size: number, seed = 68_234): Corpus {
  if (source.paragraphs.length === 0) throw new Error('the source corpus has no paragraphs');
  const random = seededRandom(seed);
  const chain = new MarkovChain(source.paragraphs.map((p) => p.text));
  const templates = source.documents
    .map((meta) => ({ meta, paragraphs: source.paragraphs.filter((p) => p.symbol === meta.symbol) }))
    .filter((t) => t.paragraphs.length > 0);
  const documents: DocumentMeta[] = [];
  const paragraphs: Paragraph[] = [];
  for (let d = 0; paragraphs.length < size; d++) {
    const template = templates[Math.floor(random() * templates.length)];
    const session = 50 + (d % 30);
    const symbol = template.meta.kind === 'resolution' ? `A/RES/${session}/${1000 + d}` : `A/${session}/${1000 + d}`;
    const meta: DocumentMeta = {
      ...template.meta,
      symbol,
      date: `${1945 + session}`,
      title: chain.generate(12, random).slice(0, 40),
      titleEn: undefined,
      file: `synthetic-${d}.txt`,
    };
    documents.push(meta);
    for (const real of template.paragraphs) {
      if (paragraphs.length >= size) break;
      paragraphs.push({
        ...real,
        id: paragraphId(symbol, real.label),
        symbol,
        date: meta.date,
        text: chain.generate(Math.max(8, Math.round(real.text.length * (0.6 + 0.8 * random()))), random),
      });
    }
  }
  return { documents, paragraphs };
}
