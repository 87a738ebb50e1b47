import mammoth from 'mammoth';
import { HTMLElement, parse } from 'node-html-parser';
import { htmlToText } from './html.ts';
import { ReadFailure } from './unreadable.ts';

/**
 * Reads a Word document through mammoth's HTML: one paragraph per line, bold as `**…**`, superscripts as
 * `<sup>…</sup>`, and footnotes/endnotes as lines "<sup>n</sup> text" after the body, where the parser
 * expects footnote blocks.
 */
export async function readDocx(bytes: Uint8Array): Promise<string> {
  let html: string;
  try {
    html = (await mammoth.convertToHtml({ buffer: Buffer.from(bytes) }, { ignoreEmptyParagraphs: true })).value;
  } catch (error) {
    throw new ReadFailure(`corrupt DOCX: ${error instanceof Error ? error.message : String(error)}`);
  }
  const root = parse(html);
  numberNotes(root);
  const text = htmlToText(root);
  if (text.trim() === '') throw new ReadFailure('no text in the DOCX document');
  return text;
}

/**
 * mammoth marks a note reference "[n]" inside <sup><a href="#footnote-ID"> and lists the notes as
 * <li id="footnote-ID"> ending in a "↑" back link; the document's own form is the bare number.
 */
function numberNotes(root: HTMLElement): void {
  const numbers = new Map<string, string>();
  for (const anchor of root.querySelectorAll('sup > a[href^="#"]')) {
    const number = /^\[(\d+)\]$/.exec(anchor.text.trim())?.[1];
    if (!number) continue;
    numbers.set(anchor.getAttribute('href')!.slice(1), number);
    anchor.replaceWith(number);
  }
  for (const note of root.querySelectorAll('li[id]')) {
    const number = numbers.get(note.id);
    if (!number) continue;
    for (const backLink of note.querySelectorAll('a[href^="#"]')) {
      if (backLink.text.trim() === '↑') backLink.remove();
    }
    const first = note.querySelector('p') ?? note;
    first.insertAdjacentHTML('afterbegin', `<sup>${number}</sup> `);
  }
}
