import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ingestCorpus } from '../ingest/build.ts';
import { loadSettings, type Settings } from '../config/settings.ts';
import type { Assistant } from '../core/answer.ts';
import { createAssistant } from '../knowledge/assistant.ts';
import { loadRankingModel } from '../knowledge/answer/rank.ts';
import type { MemoryIndex } from '../index/knowledge-index.ts';
import { openIndex } from '../knowledge/open-index.ts';
import { createModelAnswerer } from '../knowledge/model/create-model-answerer.ts';
import { chatCompletion, httpError, startFakeOpenAI, type FakeOpenAIServer, type RecordedRequest } from './support/fake-openai-server.ts';

/**
 * The whole path with a model: ingest of two bundled documents with embeddings from an OpenAI-compatible
 * server, the index opened with the same settings, and the assistant answering through the model,
 * or extractively, with a notice, when the model fails.
 */

/** A resolution and a later report are enough for the path, and ingest twice as fast as the whole corpus. */
const DOCUMENTS = ['A/RES/68/234', 'A/76/319'];
const QUESTION = '联合国与私营部门合作时，大会要求加强哪些尽职措施？';
let server: FakeOpenAIServer;
let root: string;
let settings: Settings;
let assistant: Assistant;
let index: MemoryIndex;

/** The model answers from the first paragraph it was shown, as a well-behaved model would. */
let quoted = '';
const citeFirst = (request: RecordedRequest) => {
  quoted = /\[1\] [^\n]*?）: ([^\n。；;！？!?.]{1,20})/.exec(request.body.messages[1].content)?.[1] ?? '';
  return chatCompletion(`文件指出：“${quoted}”[1]。`);
};

/** An assistant whose offline decision always answers, so that a fallback has an extractive answer to fall back to. */
const answering = () => createAssistant(index, { model: createModelAnswerer(settings, { retry: { baseDelayMs: 1 } }), ranking: { ...loadRankingModel(), answerThreshold: 0 } });

beforeAll(async () => {
  server = await startFakeOpenAI();
  root = await mkdtemp(join(tmpdir(), 'model-e2e-'));
  settings = loadSettings({ OPENAI_BASE_URL: server.baseUrl, MODEL_TIMEOUT_MS: '1000', MODEL_MAX_RETRIES: '1' });
  const manifest = JSON.parse(await readFile('corpus/manifest.json', 'utf8'));
  const documents = manifest.documents.filter((d: { symbol: string }) => DOCUMENTS.includes(d.symbol));
  await mkdir(join(root, 'corpus'));
  for (const d of documents) await copyFile(join('corpus', d.file), join(root, 'corpus', d.file));
  await writeFile(join(root, 'corpus', 'manifest.json'), JSON.stringify({ ...manifest, documents }));
  const report = await ingestCorpus({ corpusDir: join(root, 'corpus'), indexDir: join(root, 'index'), settings });
  expect(report.documents).toBe(DOCUMENTS.length);
  index = await openIndex(join(root, 'index'), settings);
  assistant = createAssistant(index, { model: createModelAnswerer(settings, { retry: { baseDelayMs: 1 } }) });
}, 30_000);
afterAll(async () => {
  await server.close();
  await rm(root, { recursive: true, force: true });
});
beforeEach(() => {
  server.requests.length = 0;
});

describe('with an OpenAI-compatible server', () => {
  it('embeds the corpus at ingest through the server and records the provider in the manifest', async () => {
    const manifest = JSON.parse(await readFile(join(root, 'index', 'current', 'manifest.json'), 'utf8'));
    expect(manifest.embeddings).toEqual({ provider: 'compatible', model: 'text-embedding-3-small', dimension: 64 });
  });

  it('embeds the question through the server and answers with the model, citing what it retrieved', async () => {
    server.script('chat', citeFirst);
    const answer = await assistant.ask(QUESTION);
    expect(server.requestsTo('embeddings').length).toBeGreaterThan(0);
    expect(server.requestsTo('chat')).toHaveLength(1);
    expect(answer).toMatchObject({ mode: 'model', kind: 'answer', abstained: false });
    expect(answer.statements).toEqual([{ text: `文件指出：“${quoted}”。`, cites: [0] }]);
    expect(answer.citations[0].paragraph.id).toBe(answer.retrieved[0].paragraph.id);
  });

  it('falls back to the extractive answer with a notice when the server keeps failing', async () => {
    server.script('chat', httpError(500));
    const answer = await answering().ask(QUESTION);
    expect(server.requestsTo('chat')).toHaveLength(2);
    expect(answer).toMatchObject({ mode: 'offline', kind: 'answer', abstained: false });
    expect(answer.note).toContain('模型暂时不可用');
    expect(answer.citations.length).toBeGreaterThan(0);
  });

  it('falls back to the extractive answer, without a notice, when the model cites only invented paragraphs', async () => {
    server.script('chat', chatCompletion('应加强尽职措施[42]。'));
    const answer = await answering().ask(QUESTION);
    expect(answer).toMatchObject({ mode: 'offline', kind: 'answer' });
    expect(answer.note ?? '').not.toContain('模型暂时不可用');
    expect(answer.citations.every((c) => answer.retrieved.some((r) => r.paragraph.id === c.paragraph.id))).toBe(true);
  });

  it('lets the model answer a question the offline decision would abstain on', async () => {
    const strict = createAssistant(index, { model: createModelAnswerer(settings, { retry: { baseDelayMs: 1 } }), ranking: { ...loadRankingModel(), answerThreshold: 1.1 } });
    expect((await createAssistant(index, { ranking: { ...loadRankingModel(), answerThreshold: 1.1 } }).ask(QUESTION)).abstained).toBe(true);
    server.script('chat', citeFirst);
    const answer = await strict.ask(QUESTION);
    expect(server.requestsTo('chat')).toHaveLength(1);
    expect(answer).toMatchObject({ mode: 'model', kind: 'answer', abstained: false });
  });

  it('abstains when the model says the paragraphs do not answer, whatever the offline decision', async () => {
    const eager = createAssistant(index, { model: createModelAnswerer(settings, { retry: { baseDelayMs: 1 } }), ranking: { ...loadRankingModel(), answerThreshold: 0 } });
    server.script('chat', chatCompletion('NO_ANSWER'));
    const answer = await eager.ask(QUESTION);
    expect(answer).toMatchObject({ mode: 'model', abstained: true, citations: [] });
  });

  it('embeds an English question as asked while searching the Chinese paragraphs with its translation', async () => {
    server.script('chat', citeFirst);
    const question = 'What due diligence does the General Assembly ask for?';
    const answer = await assistant.ask(question);
    const embedded = server.requestsTo('embeddings').map((r) => JSON.stringify(r.body.input));
    expect(embedded.some((input) => input.includes(question))).toBe(true);
    expect(answer.mode).toBe('model');
  });

  it('rewrites a follow-up with the model, and still answers when the rewrite fails', async () => {
    server.script('chat', citeFirst);
    const first = await assistant.ask('2013年的报告对尽职调查有什么要求？');
    server.requests.length = 0;
    server.script('chat', chatCompletion('2021年的报告对尽职调查有什么要求？'), citeFirst);
    await assistant.ask('那2021年的报告呢？', { history: [{ question: first.question, answer: first }] });
    const [rewrite] = server.requestsTo('chat');
    expect(rewrite.body.messages[1].content).toMatch(/<question>\s*那2021年的报告呢？\s*<\/question>/);

    server.script('chat', httpError(500));
    const offline = await assistant.ask('那2021年的报告呢？', { history: [{ question: first.question, answer: first }] });
    expect(offline.mode).toBe('offline');
  });
});
