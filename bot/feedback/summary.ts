import type { FeedbackEntry } from './store.ts';

export interface RatingCounts {
  up: number;
  down: number;
  total: number;
}

export interface FeedbackSummary {
  totals: RatingCounts;
  /** Counts per channel, channels in alphabetical order. */
  byChannel: { channel: string; counts: RatingCounts }[];
  /** Every answer rated down, newest first: what to review. */
  down: FeedbackEntry[];
}

export function summarizeFeedback(entries: FeedbackEntry[]): FeedbackSummary {
  const totals = emptyCounts();
  const channels = new Map<string, RatingCounts>();
  for (const entry of entries) {
    count(totals, entry.rating);
    const counts = channels.get(entry.channel) ?? emptyCounts();
    count(counts, entry.rating);
    channels.set(entry.channel, counts);
  }
  return {
    totals,
    byChannel: [...channels].sort(([a], [b]) => a.localeCompare(b)).map(([channel, counts]) => ({ channel, counts })),
    down: entries.filter((e) => e.rating === 'down').sort((a, b) => b.time.localeCompare(a.time)),
  };
}

/** The report `npm run feedback` prints. */
export function formatSummary(summary: FeedbackSummary): string {
  const lines: string[] = [];
  const { totals } = summary;
  if (totals.total === 0) return 'No feedback recorded yet.\n';
  lines.push(`Feedback: ${totals.total} ratings — 👍 ${totals.up} · 👎 ${totals.down} (${percent(totals.up, totals.total)} positive)`, '');
  lines.push('By channel:');
  const width = Math.max(...summary.byChannel.map((c) => c.channel.length));
  for (const { channel, counts } of summary.byChannel) {
    lines.push(`  ${channel.padEnd(width)}  👍 ${counts.up}  👎 ${counts.down}  (${counts.total})`);
  }
  lines.push('');
  if (summary.down.length === 0) {
    lines.push('No answers rated down.');
  } else {
    lines.push(`Answers rated down (${summary.down.length}), newest first:`);
    summary.down.forEach((entry, i) => {
      lines.push('', `${i + 1}. [${entry.time}] ${entry.channel}${entry.conversationId ? ` · ${entry.conversationId}` : ''}${entry.userId ? ` · ${entry.userId}` : ''}`);
      lines.push(`   Q: ${oneLine(entry.question)}`);
      lines.push(`   A: ${oneLine(entry.answer)}`);
      if (entry.citations.length === 0) lines.push('   Citations: none');
      else lines.push(`   Citations: ${entry.citations.map((c) => `${c.symbol} ¶${c.paragraph}`).join('; ')}`);
      if (entry.comment) lines.push(`   Comment: ${oneLine(entry.comment)}`);
    });
  }
  return `${lines.join('\n')}\n`;
}

function emptyCounts(): RatingCounts {
  return { up: 0, down: 0, total: 0 };
}

function count(counts: RatingCounts, rating: FeedbackEntry['rating']): void {
  counts[rating] += 1;
  counts.total += 1;
}

function percent(part: number, whole: number): string {
  return `${Math.round((part / whole) * 100)}%`;
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ⏎ ').trim();
}
