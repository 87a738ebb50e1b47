import { HTMLElement, Node, NodeType, TextNode, parse } from 'node-html-parser';
import { decodeText } from './decode-text.ts';
import { ReadFailure } from './unreadable.ts';

/** Elements that start a new line of text. */
const BLOCK = new Set([
  'address', 'article', 'aside', 'blockquote', 'body', 'caption', 'dd', 'details', 'div', 'dl', 'dt',
  'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header',
  'hr', 'li', 'main', 'nav', 'ol', 'p', 'pre', 'section', 'summary', 'table', 'tbody', 'td', 'tfoot',
  'th', 'thead', 'tr', 'ul',
]);
/** Elements whose content is not document text. */
const DROPPED = new Set(['script', 'style', 'noscript', 'template', 'head', 'title', 'svg', 'canvas', 'iframe', 'object']);
const BOLD = new Set(['b', 'strong']);

/** Reads an HTML document: one line per block element, bold as `**…**`, superscripts as `<sup>…</sup>`. */
export async function readHtml(bytes: Uint8Array): Promise<string> {
  const html = decodeText(bytes, { declaredEncoding: declaredCharset(bytes) });
  const root = parse(html, { comment: false, blockTextElements: { pre: true } });
  const text = htmlToText(root);
  if (text.trim() === '') throw new ReadFailure('no text in the HTML document');
  return text;
}

/** The charset an HTML file declares in a <meta> tag; its ASCII-compatible head can be read before decoding. */
function declaredCharset(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 2048)).toString('latin1');
  return /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(head)?.[1];
}

/** Converts parsed HTML (also mammoth's output for DOCX) into the line-per-paragraph text the parser reads. */
export function htmlToText(root: HTMLElement): string {
  const lines: string[] = [];
  let line = '';
  const breakLine = () => {
    const cleaned = line.replace(/[ \t]+/g, ' ').trim();
    if (cleaned !== '') lines.push(cleaned);
    line = '';
  };

  const visit = (node: Node, preformatted: boolean): void => {
    if (node.nodeType === NodeType.TEXT_NODE) {
      const text = (node as TextNode).text;
      if (!preformatted) {
        line += collapseWhitespace(text);
        return;
      }
      const [first, ...rest] = text.split('\n');
      line += first;
      for (const next of rest) {
        breakLine();
        line = next;
      }
      return;
    }
    if (node.nodeType !== NodeType.ELEMENT_NODE) return;
    const element = node as HTMLElement;
    const tag = element.rawTagName?.toLowerCase() ?? '';
    if (DROPPED.has(tag)) return;
    if (tag === 'br') return breakLine();
    if (BOLD.has(tag) || tag === 'sup') {
      line += wrapInline(tag === 'sup' ? 'sup' : 'bold', inlineText(element), element.text);
      return;
    }
    if (BLOCK.has(tag)) breakLine();
    for (const child of element.childNodes) visit(child, preformatted || tag === 'pre');
    if (BLOCK.has(tag)) breakLine();
  };

  for (const child of root.childNodes) visit(child, false);
  breakLine();
  return lines.map(joinCjkBreaks).filter((text) => text !== '').join('\n');
}

/** An inline element's content rendered on its own, so that its markers wrap exactly its text. */
function inlineText(element: HTMLElement): string {
  const holder = new HTMLElement('span', {}, '');
  for (const child of element.childNodes) holder.appendChild(child.clone());
  return htmlToText(holder).replace(/\n/g, ' ');
}

/** Keeps the spaces around an inline run outside its markers: "** 回顾 **" would not read as bold. */
function wrapInline(kind: 'bold' | 'sup', inner: string, raw: string): string {
  const leading = /^\s/.test(raw) ? ' ' : '';
  const trailing = /\s$/.test(raw) ? ' ' : '';
  if (inner === '') return leading || trailing;
  return leading + (kind === 'sup' ? `<sup>${inner}</sup>` : `**${inner}**`) + trailing;
}

/** HTML collapses whitespace runs; a source line break is marked so that it can vanish between Chinese characters. */
function collapseWhitespace(text: string): string {
  return text.replace(/\s+/g, (run) => (run.includes('\n') ? '\u2028' : ' '));
}

const CJK = '\\u3000-\\u303f\\u3400-\\u9fff\\uf900-\\ufaff\\uff00-\\uffef';
const CJK_BREAK = new RegExp(`(?<=[${CJK}])[ \\u2028]*\\u2028[ \\u2028]*(?=[${CJK}])`, 'g');

/** As browsers do, a line break in the source between two Chinese characters is no space at all. */
function joinCjkBreaks(line: string): string {
  return line.replace(CJK_BREAK, '').replace(/\u2028/g, ' ').replace(/ {2,}/g, ' ').trim();
}
