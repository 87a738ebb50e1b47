import { labelKind, type Paragraph } from '../core/paragraph.ts';
import type { Citation, Language } from '../core/answer.ts';

/**
 * How answers point at paragraphs: the human reference a focal point types into a memo, and the
 * document's address on undocs.org in the form the documents themselves link to
 * ("http://undocs.org/ch/A/RES/66/223"), over https.
 */

/** The paragraph part of a reference: "第13(c)段" / "para. 13 (c)". */
export function formatLabel(label: string, language: Language): string {
  const kind = labelKind(label);
  if (language === 'zh') {
    switch (kind) {
      case 'numbered':
      case 'sub':
        return `第${label}段`;
      case 'preambular':
        return `序言部分第${label.slice(2)}段`;
      case 'summary':
        return '摘要';
      case 'footnote':
        return `脚注${label.slice(2)}`;
      case 'box':
        return `方框${label.slice(3)}`;
      case 'annex':
        return '附件';
    }
  }
  switch (kind) {
    case 'numbered':
      return `para. ${label}`;
    case 'sub': {
      const [, number, letter] = /^(\d+)\(([a-z]+)\)$/.exec(label)!;
      return `para. ${number} (${letter})`;
    }
    case 'preambular':
      return `preambular para. ${label.slice(2)}`;
    case 'summary':
      return 'summary';
    case 'footnote':
      return `footnote ${label.slice(2)}`;
    case 'box':
      return `box ${label.slice(3)}`;
    case 'annex':
      return 'annex';
  }
}

/** "A/RES/68/234，第13(c)段" / "A/RES/68/234, para. 13 (c)". */
export function formatReference(symbol: string, label: string, language: Language): string {
  return language === 'zh' ? `${symbol}，${formatLabel(label, language)}` : `${symbol}, ${formatLabel(label, language)}`;
}

/** The documents link to Chinese versions with "ch"; English is "en". */
export function undocsUrl(symbol: string, language: Language): string {
  return `https://undocs.org/${language === 'zh' ? 'ch' : 'en'}/${symbol}`;
}

export function cite(paragraph: Paragraph, language: Language): Citation {
  return {
    paragraph,
    ref: formatReference(paragraph.symbol, paragraph.label, language),
    url: undocsUrl(paragraph.symbol, language),
  };
}
