import { writeFile } from 'node:fs/promises';
import type { Inline, TestDocument } from './test-document.ts';

/**
 * Writes a test document as a web page the way document sites serve them: a head with style and script,
 * headings, <strong> verbs, <sup> markers, entities, paragraphs whose source lines wrap mid-sentence,
 * and footnotes as a list at the end.
 */
export async function makeHtml(document: TestDocument, path: string): Promise<void> {
  const body = document.blocks.map((block) => {
    if (block.kind === 'heading') return `<h2>${escape(block.text)}</h2>`;
    if (block.kind === 'footnote') return `<p class="footnote"><sup>${block.number}</sup> ${escape(block.text)}</p>`;
    return `<p${block.indent ? ' class="sub"' : ''}>${wrapSource(block.runs.map(inline).join(''))}</p>`;
  });
  const html = `<!DOCTYPE html>
<html lang="zh"><head><meta charset="utf-8"><title>${escape(document.symbol)}</title>
<style>p.sub { margin-left: 2em } .footnote { font-size: small }</style>
<script>window.analytics = { page: "${escape(document.symbol)}" };</script></head>
<body><main>
${body.join('\n')}
</main></body></html>
`;
  await writeFile(path, html);
}

function inline(run: Inline): string {
  if (run.sup) return `<sup>${run.text}</sup>`;
  return run.bold ? `<strong>${escape(run.text)}</strong>` : escape(run.text);
}

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Breaks long source lines between Chinese characters, as editors do; a browser shows no space there. */
function wrapSource(html: string): string {
  return html.replace(/([\u4e00-\u9fff]{30})(?=[\u4e00-\u9fff])/g, '$1\n');
}
