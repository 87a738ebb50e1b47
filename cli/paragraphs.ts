import { Command } from 'commander';
import { loadSettings, SettingsError } from '../config/settings.ts';
import { IndexError } from '../index/knowledge-index.ts';
import { readIndexedParagraphs } from '../knowledge/open-index.ts';
import type { Paragraph } from '../core/paragraph.ts';

/**
 * `npm run --silent paragraphs -- [--json] [--doc SYMBOL]`: exactly what the bot can cite, as stored in
 * the index. With --json, one object per paragraph per line and nothing else on stdout.
 */

function jsonLine(p: Paragraph): string {
  return JSON.stringify({ symbol: p.symbol, paragraph: p.label, section: p.section.join(' / '), text: p.text, date: p.date, kind: p.kind });
}

function listing(paragraphs: Paragraph[]): string {
  const out: string[] = [];
  let symbol: string | undefined;
  let section: string | undefined;
  for (const p of paragraphs) {
    if (p.symbol !== symbol) {
      symbol = p.symbol;
      section = undefined;
      out.push(`${out.length ? '\n' : ''}== ${p.symbol} (${p.kind}, ${p.date}) ==`);
    }
    const path = p.section.join(' / ');
    if (path !== section) {
      section = path;
      if (path) out.push(`\n  [${path}]`);
    }
    out.push(`  ${p.label.padEnd(8)} ${p.text.replace(/\s*\n\s*/g, ' ')}`);
  }
  return out.join('\n');
}

async function main(): Promise<number> {
  const options = new Command()
    .name('paragraphs')
    .description('List the indexed paragraphs (what answers can cite).')
    .option('--json', 'one JSON object per paragraph per line: {"symbol","paragraph","section","text","date","kind"}')
    .option('--doc <symbol>', 'only the paragraphs of this document, e.g. A/RES/68/234')
    .option('--index <dir>', 'index directory (default: INDEX_DIR)')
    .parse()
    .opts<{ json?: boolean; doc?: string; index?: string }>();

  let indexDir: string;
  try {
    indexDir = options.index ?? loadSettings().INDEX_DIR;
  } catch (error) {
    if (error instanceof SettingsError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }

  let paragraphs: Paragraph[];
  try {
    paragraphs = await readIndexedParagraphs(indexDir);
  } catch (error) {
    if (error instanceof IndexError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }

  if (options.doc) {
    const wanted = options.doc.trim().toUpperCase();
    const symbols = [...new Set(paragraphs.map((p) => p.symbol))];
    if (!symbols.some((s) => s.toUpperCase() === wanted)) {
      console.error(`No document ${options.doc} in the index at ${indexDir}. Indexed: ${symbols.join(', ')}.`);
      return 1;
    }
    paragraphs = paragraphs.filter((p) => p.symbol.toUpperCase() === wanted);
  }
  process.stdout.write(options.json ? paragraphs.map((p) => jsonLine(p) + '\n').join('') : listing(paragraphs) + '\n');
  return 0;
}

process.exitCode = await main();
