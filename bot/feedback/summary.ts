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

/**
 * A person may rate the same answer again (a second click, a changed mind): only their last rating of it
 * counts. Entries without an answerId (older ones) each count.
 */
export function latestRatings(entries: FeedbackEntry[]): FeedbackEntry[] {
  const last = new Map<string, number>();
  entries.forEach((entry, i) => {
    if (entry.answerId !== undefined) last.set(JSON.stringify([entry.channel, entry.answerId, entry.userId ?? '']), i);
  });
  return entries.filter((entry, i) => entry.answerId === undefined || last.get(JSON.stringify([entry.channel, entry.answerId, entry.userId ?? ''])) === i);
}

export function summarizeFeedback(recorded: FeedbackEntry[]): FeedbackSummary {
  const entries = latestRatings(recorded);
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

/**
 * The report `npm run feedback` prints to a terminal. Every field comes from whoever used a channel, so
 * each is shown through `visible`: an escape sequence in a question could otherwise clear the screen,
 * hide text or rewrite earlier lines.
 */
export function formatSummary(summary: FeedbackSummary): string {
  const lines: string[] = [];
  const { totals } = summary;
  if (totals.total === 0) return 'No feedback recorded yet.\n';
  lines.push(`Feedback: ${totals.total} ratings — 👍 ${totals.up} · 👎 ${totals.down} (${percent(totals.up, totals.total)} positive)`, '');
  lines.push('By channel:');
  const channels = summary.byChannel.map(({ channel, counts }) => ({ channel: visible(channel), counts }));
  const width = Math.max(...channels.map((c) => c.channel.length));
  for (const { channel, counts } of channels) {
    lines.push(`  ${channel.padEnd(width)}  👍 ${counts.up}  👎 ${counts.down}  (${counts.total})`);
  }
  lines.push('');
  if (summary.down.length === 0) {
    lines.push('No answers rated down.');
  } else {
    lines.push(`Answers rated down (${summary.down.length}), newest first:`);
    summary.down.forEach((entry, i) => {
      lines.push('', `${i + 1}. [${visible(entry.time)}] ${visible(entry.channel)}${entry.conversationId ? ` · ${visible(entry.conversationId)}` : ''}${entry.userId ? ` · ${visible(entry.userId)}` : ''}`);
      if (!entry.question && !entry.answer) {
        lines.push('   (the rated answer was not found: the rating named no message this bot remembers)');
      } else {
        lines.push(`   Q: ${oneLine(entry.question)}`, `   A: ${oneLine(entry.answer)}`);
        lines.push(entry.citations.length === 0 ? '   Citations: none' : `   Citations: ${entry.citations.map((c) => visible(`${c.symbol} ¶${c.paragraph}`)).join('; ')}`);
      }
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
  return visible(text.replace(/\s*\n\s*/g, ' ⏎ ').trim());
}

/**
 * Control characters (C0, DEL, C1: what terminal escape sequences are made of) as \xNN, and the
 * invisible direction marks and overrides that reorder what is shown as \uNNNN.
 */
export function visible(text: string): string {
  return text
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
    .replace(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
