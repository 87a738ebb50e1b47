import { cut_for_search } from 'jieba-wasm';

/**
 * Chinese-aware tokenization shared by the lexical index and the question analysis, so that documents
 * and questions are cut the same way. Whitespace tokenization finds almost nothing in Chinese.
 * jieba-rs compiled to WebAssembly, with its bundled dictionary: no native binary per platform to fetch.
 */

/**
 * Function words, question words and boilerplate that say nothing about which paragraph answers:
 * questions are full of them ("什么", "怎么说", "哪些") and documents are not, so leaving them in
 * rewards paragraphs for accidental matches.
 */
const STOP_WORDS = new Set(
  `的 了 是 在 和 与 及 或 等 对 为 以 于 由 把 被 将 向 从 到 给 让 使 并 而 且 也 都 就 还 又 再 其 之 这 那 该 此 各 每
  有 没有 无 不 没 能 能不能 会 可 可以 可能 要 需要 应 应该 应当 得 着 过 吗 呢 吧 啊 呀 么 嘛 哪 哪些 哪个 哪一 哪一类 哪几个 哪两
  什么 什么样 怎么 怎么样 怎样 如何 为何 为什么 多少 多大 多长 几 几个 谁 是否 是不是 有没有 大概 大约 一下 一些 这些 那些 那份 这份
  说 讲 讲了 说的 怎么说 认为 指出 提到 根据 按照 依据 关于 方面 什么 内容 一个 一种 一类 们 我 我们 你 你们 他 他们 它 它们 自己
  分别 各自 之间 里 中 上 下 时 时候 当时 现在 目前 呢 哦 吗 请问 告诉 具体 主要 通常 一共 哪儿 哪里 所 所以 因为 如果 但 但是
  the a an of to in on at for by with and or is are was were be been what which who how why does do did
  according about that this these those it its from as`.split(/\s+/).filter(Boolean),
);

const HAS_CONTENT = /[\p{L}\p{N}]/u;
const CJK = /\p{Script=Han}/u;
const CJK_RUN = /\p{Script=Han}+/gu;

/** Width, case and digit-grouping differences ("２ ５００", "2 500") must not decide a match. */
export function normalizeForSearch(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/(\d)[\s,](?=\d{3}\b)/g, '$1');
}

/** Search-mode jieba cuts (words and their sub-words), without stop words and punctuation. */
export function words(text: string): string[] {
  return wordsOfNormalized(normalizeForSearch(text));
}

/** Both cuts of a paragraph, normalizing it once: the ingest's hot path. */
export function textTokens(text: string): { words: string[]; bigrams: string[] } {
  const normalized = normalizeForSearch(text);
  return { words: wordsOfNormalized(normalized), bigrams: bigramsOfNormalized(normalized) };
}

function wordsOfNormalized(normalized: string): string[] {
  const out: string[] = [];
  for (const raw of cut_for_search(normalized, true)) {
    const token = raw.trim();
    if (!token || !HAS_CONTENT.test(token) || STOP_WORDS.has(token)) continue;
    // A lone Han character that jieba could not attach to a word is mostly grammar ("将", "所").
    if (token.length === 1 && CJK.test(token)) continue;
    out.push(token);
  }
  return out;
}

/**
 * Character bigrams inside runs of Han characters: they catch the matches that segmentation misses
 * (different cuts of the same compound, "男女平等" vs "性别平等" sharing "平等").
 */
export function bigrams(text: string): string[] {
  return bigramsOfNormalized(normalizeForSearch(text));
}

function bigramsOfNormalized(normalized: string): string[] {
  const out: string[] = [];
  for (const run of normalized.match(CJK_RUN) ?? []) {
    for (let i = 0; i + 1 < run.length; i++) {
      const gram = run.slice(i, i + 2);
      if (!STOP_WORDS.has(gram)) out.push(gram);
    }
  }
  return out;
}
