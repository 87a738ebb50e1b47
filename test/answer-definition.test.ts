import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Assistant } from '../core/answer.ts';
import { createAssistant } from '../knowledge/assistant.ts';
import { ingestedIndex } from './support/bundled-index.ts';

/**
 * A term that a resolution uses in every paragraph, and defines in one of them that the words alone
 * rank below thirty others: asked what the term means, the assistant answers from the definition.
 */

const ACTIVITIES = ['植树', '修路', '办学', '供水', '养老', '托幼', '卫生', '扫盲', '防灾', '节能', '回收', '助残', '就业', '培训', '调解', '文化', '体育', '治安', '环保', '助农'];

function resolution(): string {
  const paragraphs = ACTIVITIES.flatMap((a, i) => [
    `请各会员国扶持社区合作社开展${a}活动，并报告社区合作社的进展；`,
    `鼓励社区合作社在${a}方面交流社区合作社的经验，第${i + 1}次报告应载有这方面的资料；`,
  ]);
  paragraphs.splice(17, 0, '强调指出，社区合作社是居民为满足共同需要而自愿联合、民主管理、共同所有并按照章程分享收益和承担风险的互助组织，各国政府在尊重其独立性的前提下，可以在登记、税收、培训和信贷等方面为其提供便利，同时不得干预其日常经营；');
  return ['99/1. 社区合作社', '', '大会，', '', '回顾其以往关于社区发展的决议，', '', ...paragraphs.map((p, i) => `${i + 1}. ${p}\n`)].join('\n');
}

let root: string;
let assistant: Assistant;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'definition-'));
  await mkdir(join(root, 'corpus'));
  await writeFile(join(root, 'corpus', 'A_RES_99_1.txt'), resolution());
  assistant = createAssistant(await ingestedIndex(join(root, 'corpus'), join(root, 'index')));
});

afterAll(() => rm(root, { recursive: true, force: true }));

describe('a question about what a term means', () => {
  it('is answered from the paragraph that defines the term', async () => {
    const answer = await assistant.ask('社区合作社指的是什么？');
    expect(answer.abstained).toBe(false);
    expect(answer.citations[0].paragraph).toMatchObject({ symbol: 'A/RES/99/1', label: '18' });
  });
});
