import { Command } from 'commander';
import { loadSettings } from '../config/settings.ts';
import { createFeedbackStore } from '../bot/feedback/store.ts';
import { formatSummary, summarizeFeedback, visible } from '../bot/feedback/summary.ts';

const program = new Command()
  .name('feedback')
  .description('Summarizes the 👍/👎 ratings recorded from every channel and lists the answers rated down with their citations.')
  .option('--json', 'print the summary as JSON')
  .action(async (options: { json?: boolean }) => {
    // A damaged record is reported and skipped: the others still make a summary.
    const entries = await createFeedbackStore(loadSettings()).list((problem) => process.stderr.write(`${visible(problem)}\n`));
    const summary = summarizeFeedback(entries);
    process.stdout.write(options.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary));
  });

program.parseAsync().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
