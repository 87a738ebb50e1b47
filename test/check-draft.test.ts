import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readDocument } from '../ingest/readers/index.ts';
import { checkReportTable } from '../bot/render/check-text.ts';
import { checkDraft, draftPasses } from '../knowledge/check/draft.ts';
import { openIndex } from '../knowledge/open-index.ts';
import type { MemoryIndex } from '../index/knowledge-index.ts';
import { buildTestAssistant } from './support/assistant-server.ts';
import { makeDocx } from './support/make-docx.ts';
import { makeHtml } from './support/make-html.ts';
import { makePdf } from './support/make-pdf.ts';
import { plain, type TestDocument } from './support/test-document.ts';

/** A memo in the drafter's own words: one faithful citation, one overstated, one to a paragraph that does not exist. */
const SENTENCES = [
  '全球契约和开发计划署于2003年创立了项目伙伴关系论坛（A/58/227，第41段）。',
  '大会还要求国际社会必须把国际劳工组织的全球就业契约用到伙伴关系里（A/RES/68/234，第18段）。',
  '大会请秘书长每两年向会员国通报一次全球契约的经费情况（A/RES/68/234，第30段）。',
];
const EXPECTED = [
  ['A/58/227', '41', 'supported'],
  ['A/RES/68/234', '18', 'not_supported'],
  ['A/RES/68/234', '30', 'no_such_paragraph'],
];
const MEMO: TestDocument = {
  symbol: '内部备忘录',
  jobNumber: 'MEMO-1',
  blocks: [{ kind: 'heading', text: '关于与企业合作的说明' }, ...SENTENCES.map((s) => ({ kind: 'paragraph' as const, runs: plain(s) }))],
};

let env: Awaited<ReturnType<typeof buildTestAssistant>>;
let index: MemoryIndex;
let dir: string;
const run = promisify(execFile);

beforeAll(async () => {
  env = await buildTestAssistant();
  index = await openIndex(env.settings.INDEX_DIR, env.settings);
  dir = await mkdtemp(join(tmpdir(), 'check-draft-'));
  await writeFile(join(dir, 'memo.txt'), SENTENCES.join('\n'));
  await writeFile(join(dir, 'memo.md'), `# 关于与企业合作的说明\n\n${SENTENCES.map((s) => `- ${s}`).join('\n')}\n`);
  await makeDocx(MEMO, join(dir, 'memo.docx'));
  await makePdf(MEMO, join(dir, 'memo.pdf'));
  await makeHtml(MEMO, join(dir, 'memo.html'));
  await writeFile(join(dir, 'faithful.txt'), SENTENCES[0]);
}, 60_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await env.cleanup();
});

const cli = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'cli/check.ts', ...args], { env: { ...process.env, INDEX_DIR: env.settings.INDEX_DIR, CORPUS_DIR: env.settings.CORPUS_DIR, LOG_LEVEL: 'silent' } }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

describe('checking a whole draft', () => {
  it.each(['memo.txt', 'memo.md', 'memo.docx', 'memo.pdf', 'memo.html'])('%s: every citation is checked against the sentence it supports', async (file) => {
    const { text } = await readDocument(join(dir, file));
    const { checks } = await checkDraft(text, index);
    expect(checks.map((c) => [c.cited?.symbol, c.cited?.label, c.verdict])).toEqual(EXPECTED);
    expect(checks[0].evidence.map((e) => e.quote)).toEqual([expect.stringContaining('于 2003 年创立了项目伙伴关系论坛')]);
    expect(checks[1].differences).toContainEqual(expect.objectContaining({ kind: 'modality', claim: '必须', paragraph: '鼓励' }));
    expect(checks[2].range).toContain('第1至27段');
    expect(draftPasses(checks)).toBe(false);
  });

  it('prints one JSON object per citation and exits 1 when a citation fails', async () => {
    const { code, stdout } = await cli('--json', join(dir, 'memo.md'));
    expect(code).toBe(1);
    const lines = stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.cited.symbol, l.cited.paragraph, l.verdict])).toEqual(EXPECTED);
  }, 60_000);

  it('reports to a person as a table: each verdict and citation, what differs, the valid range', async () => {
    const { text } = await readDocument(join(dir, 'memo.docx'));
    const { checks, language } = await checkDraft(text, index);
    const table = checkReportTable(checks, language).split('\n');
    expect(table[2]).toMatch(/^1\s+✅ 属实\s+A\/58\/227，第41段\s+全球契约和开发计划署/);
    expect(table[3]).toMatch(/^2\s+❌ 不属实\s+A\/RES\/68\/234，第18段/);
    expect(table[4]).toMatch(/^3\s+⚠️ 没有这一段\s+A\/RES\/68\/234，第30段/);
    expect(table).toContain('3. A/RES/68/234 有第1至27段，序言部分第1至19段，脚注1至8。');
    expect(table.at(-1)).toBe('共 3 处引用，2 处有问题。');
  });

  it('exits 0 when every citation holds', async () => {
    const passing = await cli(join(dir, 'faithful.txt'));
    expect(passing.code).toBe(0);
    expect(passing.stdout).toContain('✅ 属实');
  }, 60_000);

  it('names an unreadable file and exits 2', async () => {
    const { code, stderr } = await cli(join(dir, 'nowhere.docx'));
    expect(code).toBe(2);
    expect(stderr).toContain('nowhere.docx');
  }, 60_000);
});
