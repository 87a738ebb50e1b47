import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Command } from 'commander';
import { loadSettings, SettingsError } from '../config/settings.ts';
import { FORMAT_VERSION, INDEX_FILES, readLexiconData, readManifestFile, servedIndexDir } from '../index/layout.ts';
import { words } from '../index/lexical/tokenize.ts';
import { Lexicon, type WeightedWord } from '../index/lexicon/lexicon.ts';

/**
 * `npm run --silent lexicon -- [--index DIR] [--json] TEXT…`: what the index's lexicon makes of each
 * text — English → the index's Chinese words, Chinese → each word's CC-CEDICT senses and near-synonyms
 * in the index — with the lexicon file's size and load time. For looking into answers, not for scripts
 * that need the whole index (nothing but the lexicon is loaded).
 */

const HAS_LATIN = /\p{Script=Latin}/u;

interface Reading {
  text: string;
  translations?: WeightedWord[];
  words?: Array<{ word: string; meanings: string[]; parts?: string[]; synonyms: WeightedWord[] }>;
}

function read(lexicon: Lexicon, text: string): Reading {
  if (HAS_LATIN.test(text)) return { text, translations: lexicon.translate(text) };
  return {
    text,
    words: [...new Set(words(text))].map((word) => ({ word, meanings: lexicon.meanings(word), parts: lexicon.partsOf(word), synonyms: lexicon.synonyms(word) })),
  };
}

const listed = (found: WeightedWord[]) => (found.length ? found.map((f) => `${f.word} ${f.weight.toFixed(2)}`).join(', ') : '—');

function printed(reading: Reading): string {
  if (reading.translations) return `${reading.text}\n  → ${listed(reading.translations)}`;
  const lines = [reading.text];
  for (const w of reading.words ?? []) {
    const meaning = w.meanings.length ? w.meanings.join(' / ') : '(not an index word)';
    lines.push(`  ${w.word}${w.parts ? ` = ${w.parts.join(' + ')}` : ''}: ${meaning}`, `    ≈ ${listed(w.synonyms)}`);
  }
  return lines.join('\n');
}

async function main(): Promise<number> {
  const command = new Command()
    .name('lexicon')
    .description("Show the index lexicon's translations (English) and near-synonyms (Chinese) of each text.")
    .argument('<text...>', 'English words or phrases, or Chinese words or phrases')
    .option('--json', 'one JSON object per text per line, and nothing else on stdout')
    .option('--index <dir>', 'index directory (default: INDEX_DIR)')
    .parse();
  const options = command.opts<{ json?: boolean; index?: string }>();

  let indexDir: string;
  try {
    // The files lie in the version that `current` points at; a directory without that link is one version itself.
    indexDir = await servedIndexDir(options.index ?? loadSettings().INDEX_DIR);
  } catch (error) {
    if (error instanceof SettingsError) {
      console.error(error.message);
      return 2;
    }
    throw error;
  }

  let lexicon: Lexicon;
  let loadMs: number;
  try {
    const manifest = await readManifestFile(indexDir);
    if (manifest.formatVersion !== FORMAT_VERSION) throw new Error(`format version ${manifest.formatVersion}, this version reads ${FORMAT_VERSION}`);
    const started = performance.now();
    lexicon = new Lexicon(await readLexiconData(indexDir));
    loadMs = performance.now() - started;
  } catch (error) {
    console.error(`The lexicon of the index at ${indexDir} cannot be read (${error instanceof Error ? error.message : String(error)}): run \`npm run ingest\`.`);
    return 1;
  }

  const readings = command.args.map((text) => read(lexicon, text));
  if (options.json) {
    for (const reading of readings) console.log(JSON.stringify(reading));
    return 0;
  }
  const bytes = (await stat(join(indexDir, INDEX_FILES.lexicon))).size;
  console.log(`${lexicon.size} index words in ${(bytes / 1e6).toFixed(1)} MB, loaded in ${loadMs.toFixed(0)} ms — ${lexicon.source}\n`);
  console.log(readings.map(printed).join('\n\n'));
  return 0;
}

process.exitCode = await main();
