import { Command } from 'commander';
import { loadSettings } from '../config/settings.ts';
import { createFeedbackStore } from '../bot/feedback/store.ts';
import { formatSummary, summarizeFeedback } from '../bot/feedback/summary.ts';

const program = new Command()
  .name('feedback')
  .description('Summarizes the 👍/👎 ratings recorded from every channel and lists the answers rated down with their citations.')
  .option('--json', 'print the summary as JSON')
  .action(async (options: { json?: boolean }) => {
    const summary = summarizeFeedback(await createFeedbackStore(loadSettings()).list());
    process.stdout.write(options.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary));
  });

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
