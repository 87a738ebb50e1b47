import type { Language } from '../../core/answer.ts';

/** The assistant's own words in answers, per language. */
const MESSAGES = {
  zh: {
    notInDocuments: '文件中没有相关信息。',
    unknownDocument: (written: string, indexed: string) => `索引中没有 ${written}。已收录的文件：${indexed}。`,
    missingParagraph: (symbol: string, written: string, range: string) => `${symbol} 没有${written}。${symbol} 有${range}。`,
    whichDocument: (written: string, indexed: string) => `请说明${written}属于哪份文件。已收录的文件：${indexed}。`,
    noSuchPoint: (n: number, available: number) => `上一个回答只有${available}点，没有第${n}点。`,
    noPrevious: '没有上一个回答可以参照，请完整地提出问题。',
    mostRecent: (symbol: string, year: string) => `以上文件中最新的是 ${symbol}（${year}年）。`,
    latestDocument: (symbol: string, year: string, title: string) => `已收录的文件中最新的是 ${symbol}（${year}年）：${title}。`,
    modelUnavailable: '模型暂时不可用，以下为直接摘录的原文。',
    point: (n: number) => `第${n}点出自以下段落：`,
  },
  en: {
    notInDocuments: 'The documents do not contain this information.',
    unknownDocument: (written: string, indexed: string) => `${written} is not in the index. Indexed documents: ${indexed}.`,
    missingParagraph: (symbol: string, written: string, range: string) => `${symbol} has no ${written}. ${symbol} has ${range}.`,
    whichDocument: (written: string, indexed: string) => `Which document is ${written} in? Indexed documents: ${indexed}.`,
    noSuchPoint: (n: number, available: number) => `The previous answer had ${available} point(s), not ${n}.`,
    noPrevious: 'There is no previous answer to refer to; please ask the full question.',
    mostRecent: (symbol: string, year: string) => `The most recent of these documents is ${symbol} (${year}).`,
    latestDocument: (symbol: string, year: string, title: string) => `The most recent indexed document is ${symbol} (${year}): ${title}.`,
    modelUnavailable: 'The model is unavailable right now; these are direct quotes from the documents.',
    point: (n: number) => `Point ${n} comes from this paragraph:`,
  },
};

/** Offline English: the documents are Chinese, and so are the quotes. */
export const OFFLINE_ENGLISH = {
  notFound:
    'Offline mode answers English questions by quoting the Chinese documents; it could not find a paragraph that answers this one. ' +
    'Ask in Chinese, name a paragraph (e.g. "A/RES/68/234, para. 13 (c)"), or configure a model for full English answers.',
  chineseQuotes: 'From the Chinese documents (offline mode quotes them untranslated):',
};

export function messages(language: Language) {
  return MESSAGES[language];
}
