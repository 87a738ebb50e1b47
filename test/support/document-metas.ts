import type { DocumentMeta } from '../../core/paragraph.ts';

/** Metadata shaped like the bundled corpus's five documents, for tests of question reading that need no index. */
export const doc = (symbol: string, kind: DocumentMeta['kind'], date: string): DocumentMeta => ({ symbol, kind, date, language: 'zh', title: symbol, file: `${symbol}.txt` });

export const BUNDLED_DOCUMENTS = [
  doc('A/RES/68/234', 'resolution', '2013-12-20'),
  doc('A/RES/56/76', 'resolution', '2001-12-11'),
  doc('A/68/326', 'report', '2013'),
  doc('A/58/227', 'report', '2003'),
  doc('A/76/319', 'report', '2021'),
];
