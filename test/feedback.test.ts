import { execFile } from 'node:child_process';
import { appendFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFeedbackStore, FeedbackError, type FeedbackEntry } from '../bot/feedback/store.ts';
import { formatSummary, summarizeFeedback } from '../bot/feedback/summary.ts';

const run = promisify(execFile);

let dataDir: string;
beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'feedback-'));
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

function entry(overrides: Partial<FeedbackEntry> = {}): FeedbackEntry {
  return {
    question: '联合国与企业合作时在尽职调查方面有什么要求？',
    answer: '要加强可维护本组织声誉的尽职措施（A/RES/68/234，第13(c)段）',
    citations: [{ symbol: 'A/RES/68/234', paragraph: '13(c)' }],
    rating: 'up',
    channel: 'slack',
    time: '2025-01-02T03:04:05.000Z',
    ...overrides,
  };
}

describe('the feedback store', () => {
  it('keeps every rating in a JSON-lines file under DATA_DIR that a restarted server reads back', async () => {
    const first = createFeedbackStore({ DATA_DIR: dataDir });
    await first.record(entry());
    await first.record(entry({ rating: 'down', comment: '引用不对', channel: 'msteams', conversationId: 'c1', userId: 'u1' }));

    const restarted = createFeedbackStore({ DATA_DIR: dataDir });
    expect(await restarted.list()).toEqual([entry(), entry({ rating: 'down', comment: '引用不对', channel: 'msteams', conversationId: 'c1', userId: 'u1' })]);
    const lines = (await readFile(join(dataDir, 'feedback.jsonl'), 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(2);
  });

  it('loses no rating and mixes no lines when two writers append at the same time', async () => {
    const a = createFeedbackStore({ DATA_DIR: dataDir });
    const b = createFeedbackStore({ DATA_DIR: dataDir });
    // Lines longer than a pipe buffer (4 KiB), where interleaving writes would show.
    const long = '很长的回答。'.repeat(1_000);
    await Promise.all(Array.from({ length: 60 }, (_, i) => (i % 2 ? a : b).record(entry({ answer: `${i}:${long}`, rating: i % 3 ? 'up' : 'down' }))));
    const entries = await createFeedbackStore({ DATA_DIR: dataDir }).list();
    expect(entries.map((e) => Number(e.answer.split(':')[0])).sort((x, y) => x - y)).toEqual(Array.from({ length: 60 }, (_, i) => i));
  });

  it('is empty before the first rating', async () => {
    expect(await createFeedbackStore({ DATA_DIR: join(dataDir, 'not-yet') }).list()).toEqual([]);
  });

  it('refuses an entry without what the summary needs, and writes nothing', async () => {
    const store = createFeedbackStore({ DATA_DIR: dataDir });
    await expect(store.record({ ...entry(), rating: 'meh' as 'up' })).rejects.toThrow(FeedbackError);
    await expect(store.record({ ...entry(), channel: '' })).rejects.toThrow(/channel/);
    expect(await store.list()).toEqual([]);
  });

  it('after a torn last line, the next rating is still a line of its own, and `npm run feedback` reports the torn one and goes on', async () => {
    const file = join(dataDir, 'feedback.jsonl');
    await writeFile(file, `${JSON.stringify(entry())}\n{"question":"半`);
    await createFeedbackStore({ DATA_DIR: dataDir }).record(entry({ rating: 'down' }));
    const damaged: string[] = [];
    expect(await createFeedbackStore({ DATA_DIR: dataDir }).list((problem) => damaged.push(problem))).toEqual([entry(), entry({ rating: 'down' })]);
    expect(damaged).toEqual([expect.stringMatching(/feedback\.jsonl:2: .*skipped/)]);
    const { stdout, stderr } = await run('npm', ['run', '--silent', 'feedback'], { env: { ...process.env, DATA_DIR: dataDir }, cwd: process.cwd() });
    expect(stdout).toContain('2 ratings');
    expect(stderr).toMatch(/feedback\.jsonl:2: .*skipped/);
  });

  it('skips and reports a damaged line anywhere, keeping every whole record', async () => {
    const file = join(dataDir, 'feedback.jsonl');
    await writeFile(file, [JSON.stringify(entry()), '{"question": 1', JSON.stringify({ rating: 'up' }), JSON.stringify(entry({ rating: 'down' })), ''].join('\n'));
    const damaged: string[] = [];
    expect(await createFeedbackStore({ DATA_DIR: dataDir }).list((problem) => damaged.push(problem))).toEqual([entry(), entry({ rating: 'down' })]);
    expect(damaged).toEqual([expect.stringMatching(/:2: not a JSON line/), expect.stringMatching(/:3: not a feedback entry/)]);
  });
});

describe('the feedback summary', () => {
  const entries = [
    entry({ time: '2025-01-01T00:00:00.000Z' }),
    entry({ channel: 'msteams', time: '2025-01-02T00:00:00.000Z' }),
    entry({ rating: 'down', question: '旧的问题', citations: [{ symbol: 'A/68/326', paragraph: '45' }], time: '2025-01-03T00:00:00.000Z' }),
    entry({ rating: 'down', channel: 'msteams', question: '新的问题', comment: '缺少年份', citations: [], time: '2025-01-04T00:00:00.000Z' }),
  ];

  it('counts ratings in total and per channel, and lists the answers rated down newest first', () => {
    const summary = summarizeFeedback(entries);
    expect(summary.totals).toEqual({ up: 2, down: 2, total: 4 });
    expect(summary.byChannel).toEqual([
      { channel: 'msteams', counts: { up: 1, down: 1, total: 2 } },
      { channel: 'slack', counts: { up: 1, down: 1, total: 2 } },
    ]);
    expect(summary.down.map((e) => e.question)).toEqual(['新的问题', '旧的问题']);
  });

  it('prints each answer rated down with its question, answer, citations and comment', () => {
    const text = formatSummary(summarizeFeedback(entries));
    expect(text).toContain('4 ratings — 👍 2 · 👎 2');
    expect(text).toMatch(/msteams\s+👍 1\s+👎 1/);
    expect(text).toContain('Q: 旧的问题');
    expect(text).toContain('Citations: A/68/326 ¶45');
    expect(text).toContain('Citations: none');
    expect(text).toContain('Comment: 缺少年份');
    expect(formatSummary(summarizeFeedback([]))).toBe('No feedback recorded yet.\n');
  });

  it('shows control characters and direction overrides from questions, comments and ids as visible escapes, never raw', () => {
    const hostile = entry({
      rating: 'down',
      question: '清屏\u001b[2J\u001b[H问题',
      answer: '回答\u009b31m红',
      comment: '隐藏\u001b[8m看不见\u001b]0;标题\u0007\u202e反向',
      userId: 'U1\u001b[1A\r覆盖',
      conversationId: 'c\u0000\u0008',
      channel: 'slack\u001b[5m',
    });
    const text = formatSummary(summarizeFeedback([hostile]));
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(text).toContain('清屏\\x1b[2J\\x1b[H问题');
    expect(text).toContain('隐藏\\x1b[8m看不见');
    expect(text).toContain('\\u202e反向');
  });

  it('is what `npm run feedback` prints for the ratings under DATA_DIR', async () => {
    const store = createFeedbackStore({ DATA_DIR: dataDir });
    for (const e of entries) await store.record(e);
    const { stdout } = await run('npm', ['run', '--silent', 'feedback'], { env: { ...process.env, DATA_DIR: dataDir }, cwd: process.cwd() });
    expect(stdout).toBe(formatSummary(summarizeFeedback(entries)));
  });
});
