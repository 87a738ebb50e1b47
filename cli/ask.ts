import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { Command } from 'commander';
import { pino } from 'pino';
import { loadSettings, SettingsError } from '../config/settings.ts';
import type { Assistant } from '../core/answer.ts';
import { createAssistant } from '../knowledge/assistant.ts';
import { IndexError } from '../index/knowledge-index.ts';
import { createModelAnswerer } from '../knowledge/model/create-model-answerer.ts';
import { openOrIngest } from './open-or-ingest.ts';
import { toAskJson } from '../bot/render/json.ts';
import { renderText } from '../bot/render/text.ts';

/**
 * `npm run ask -- "问题"` (an answer for a person), `--json` (one JSON object), `--json --batch FILE.jsonl`
 * (one object per input line, same ids, input order, index loaded once). Only answers go to stdout;
 * logs go to stderr.
 */

interface BatchLine {
  id: string;
  q: string;
}

function parseLine(line: string, lineNumber: number): BatchLine | { id?: string; error: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { error: `line ${lineNumber}: not valid JSON` };
  }
  const record = value as Partial<Record<'id' | 'q', unknown>>;
  const id = typeof record?.id === 'string' || typeof record?.id === 'number' ? String(record.id) : undefined;
  if (id === undefined) return { error: `line ${lineNumber}: missing "id"` };
  if (typeof record.q !== 'string' || !record.q.trim()) return { id, error: `line ${lineNumber}: missing "q"` };
  return { id, q: record.q };
}

async function runBatch(assistant: Assistant, file: string, write: (line: string) => void): Promise<number> {
  await access(file).catch(() => {
    throw new Error(`Cannot read the batch file ${file}.`);
  });
  let failures = 0;
  let lineNumber = 0;
  for await (const line of createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity })) {
    lineNumber++;
    if (!line.trim()) continue;
    const parsed = parseLine(line, lineNumber);
    if ('error' in parsed) {
      failures++;
      process.stderr.write(`${parsed.error}\n`);
      write(JSON.stringify({ ...(parsed.id === undefined ? {} : { id: parsed.id }), error: parsed.error }));
      continue;
    }
    write(JSON.stringify(toAskJson(await assistant.ask(parsed.q), parsed.id)));
  }
  return failures;
}

async function main(argv: string[]): Promise<void> {
  const program = new Command()
    .name('ask')
    .description('Ask the partnership assistant a question about the indexed UN documents.')
    .argument('[question...]', 'the question, in Chinese or English')
    .option('--json', 'print one JSON object per answer')
    .option('--batch <file>', 'answer every line ({"id","q"}) of a JSONL file, one JSON object per line')
    .showHelpAfterError();
  program.parse(argv);
  const opts = program.opts<{ json?: boolean; batch?: string }>();
  const question = program.args.join(' ').trim();
  if (!opts.batch && !question) program.error('Give a question, e.g. npm run ask -- "全球契约地方网络的作用是什么？"');
  if (opts.batch && question) program.error('Give either a question or --batch FILE, not both.');

  const settings = loadSettings();
  const logger = pino({ level: settings.LOG_LEVEL, name: 'ask' }, pino.destination(2));
  const index = await openOrIngest(settings, logger);
  const assistant = createAssistant(index, { model: createModelAnswerer(settings) });
  const write = (line: string) => process.stdout.write(`${line}\n`);

  if (opts.batch) {
    const failures = await runBatch(assistant, opts.batch, write);
    if (failures) process.exitCode = 1;
    return;
  }
  const answer = await assistant.ask(question);
  write(opts.json ? JSON.stringify(toAskJson(answer)) : renderText(answer));
}

main(process.argv).catch((error: unknown) => {
  console.error(error instanceof SettingsError || error instanceof IndexError || error instanceof Error ? error.message : error);
  process.exit(1);
});
