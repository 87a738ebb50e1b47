import { spawn, type ChildProcess } from 'node:child_process';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pino } from 'pino';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { catalogue, type Catalogue } from '../bot/catalogue/catalogue.ts';
import { createFeedbackStore } from '../bot/feedback/store.ts';
import { suggestedQuestions } from '../bot/onboarding.ts';
import { createServer } from '../bot/server.ts';
import { ConversationMemory } from '../bot/state/conversation-memory.ts';
import { createStorage } from '../bot/state/create-storage.ts';
import { openOrIngest } from '../cli/open-or-ingest.ts';
import { loadSettings } from '../config/settings.ts';
import { createAssistant } from '../knowledge/assistant.ts';

/**
 * `npm run e2e:teams`: the bot and the real Microsoft 365 Agents Playground (Teams mode), driven by
 * headless Chromium, as a new user would try them. Not part of `npm test`: it needs Debian's chromium
 * (/usr/bin/chromium, or CHROMIUM) and the Playground from npm (a devDependency).
 *
 * Checks, with screenshots in docs/images/: the welcome is English for the Playground's en-US user, and its
 * suggested questions read whole on their buttons; a Chinese question gets cited paragraphs, and the
 * citation pop-up opens on the sentence the answer quotes, linked to the document; a 👎 with a comment is
 * recorded with the question and answer it rates (the Playground's feedback invoke names no message).
 *
 * All traffic stays on 127.0.0.1: the Playground runs with scripts/loopback-only.cjs preloaded (it
 * reaches for Azure telemetry even with --disable-telemetry), and Chromium resolves no other host name
 * and has every request to another host aborted. What was blocked is printed.
 */

const ROOT = resolve(import.meta.dirname, '..');
const IMAGES = join(ROOT, 'docs', 'images');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const PLAYGROUND = join(ROOT, 'node_modules', '@microsoft', 'm365agentsplayground', 'cli.js');
const QUESTION = '联合国与企业合作时在尽职调查方面有什么要求？';
const COMMENT = '引用的段落需要再核对';
const TIMEOUT_MS = 30_000;

const work = await mkdtemp(join(tmpdir(), 'e2e-teams-'));
const settings = loadSettings({ ...process.env, LOG_LEVEL: 'warn', DATA_DIR: join(work, 'data'), INDEX_DIR: join(work, 'index'), HOST: '127.0.0.1' });
const logger = pino({ level: 'warn' });
const index = await openOrIngest(settings, logger);
const storage = createStorage(settings);
const feedback = createFeedbackStore(settings);
const server = createServer({ settings, assistant: createAssistant(index), storage, memory: new ConversationMemory(storage), feedback, logger });
await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/messages`;
const documents = index.documents;

const results: { check: string; ok: boolean; detail: string }[] = [];
function check(name: string, ok: boolean, detail: string): void {
  results.push({ check: name, ok, detail });
  console.log(`${ok ? 'PASS' : 'FAIL'}  ${name}: ${detail}`);
}

// A no-op xdg-open first on the PATH: the Playground opens its page with it and exits when that fails.
const bin = join(work, 'bin');
await mkdir(bin);
await writeFile(join(bin, 'xdg-open'), '#!/bin/sh\nexit 0\n');
await chmod(join(bin, 'xdg-open'), 0o755);
await mkdir(IMAGES, { recursive: true });

try {
  // The Playground (0.2.28) gives every activity the locale en-US, whatever the browser's or the system's.
  await session(catalogue('en'), async (page) => {
    await askAndOpenCitation(page);
    await rateDown(page);
  });
} catch (error) {
  check('the run itself', false, (error as Error).stack ?? String(error));
} finally {
  await new Promise<void>((done) => server.close(() => done()));
  await rm(work, { recursive: true, force: true });
}

const failed = results.filter((r) => !r.ok);
console.log(`\n${results.length - failed.length} of ${results.length} checks passed; screenshots in docs/images/`);
process.exit(failed.length ? 1 : 0);

/** One Playground, and one fresh headless Chromium on it, for a user whose locale is that of `words`. */
async function session(words: Catalogue, more: (page: Page) => Promise<void>): Promise<void> {
  const playground = await startPlayground();
  const profile = await mkdtemp(join(work, 'chromium-'));
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      locale: words.language === 'zh' ? 'zh-CN' : 'en-US',
      viewport: { width: 1280, height: 900 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE localhost , EXCLUDE 127.0.0.1',
      ],
    });
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1' || url.hostname === 'localhost') return route.continue();
      console.log(`[chromium] blocked ${url.origin}${url.pathname}`);
      return route.abort('blockedbyclient');
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(TIMEOUT_MS);
    await page.goto(`http://127.0.0.1:${playground.port}`);
    try {
      await checkWelcome(page, words);
      await more(page);
    } catch (error) {
      await page.screenshot({ path: join(IMAGES, `playground-failure-${words.language}.png`) }).catch(() => undefined);
      throw error;
    }
  } finally {
    await context?.close();
    playground.process.kill();
    await new Promise((done) => playground.process.once('exit', done));
  }
}

async function startPlayground(): Promise<{ process: ChildProcess; port: number }> {
  const child = spawn(process.execPath, [PLAYGROUND, '-e', endpoint, '-c', 'msteams', '--disable-telemetry', '-p', '56150'], {
    // Its log file and configuration are looked for in the working directory: keep them out of the repository.
    cwd: work,
    env: {
      ...process.env,
      PATH: `${bin}:${process.env.PATH ?? ''}`,
      NODE_OPTIONS: `--require ${join(ROOT, 'scripts', 'loopback-only.cjs')}`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stderr!.on('data', (chunk: Buffer) => process.stderr.write(`[playground] ${chunk}`));
  const port = await new Promise<number>((done, fail) => {
    const timer = setTimeout(() => fail(new Error('the Playground did not start listening')), TIMEOUT_MS);
    child.stdout!.on('data', (chunk: Buffer) => {
      const listening = /Listening on (\d+)/.exec(String(chunk));
      if (listening) {
        clearTimeout(timer);
        done(Number(listening[1]));
      }
    });
    child.once('exit', (code) => fail(new Error(`the Playground exited (${code})`)));
  });
  return { process: child, port };
}

/** The welcome in the locale's language, and each suggested question's title whole on its button. */
async function checkWelcome(page: Page, words: Catalogue): Promise<void> {
  const locale = words.language === 'zh' ? 'zh-CN' : 'en-US';
  const expected = suggestedQuestions(documents, words);
  const buttons = page.locator('button', { has: page.locator('span') }).filter({ hasText: new RegExp(`^(${expected.map((s) => escapeRegExp(s.title)).join('|')})$`) });
  await buttons.first().waitFor();
  const welcome = page.getByText(words.greeting.replace(/\*\*/g, '').slice(0, 12), { exact: false }).first();
  await welcome.waitFor();
  check(`welcome in ${words.language} for ${locale}`, true, (await welcome.innerText()).slice(0, 60));
  const shown = await buttons.evaluateAll((elements) =>
    elements.map((button) => {
      const label = button.querySelector('span')!;
      const box = button.getBoundingClientRect();
      const text = label.getBoundingClientRect();
      return { title: label.textContent ?? '', whole: label.scrollWidth <= label.clientWidth + 1 && text.left >= box.left - 1 && text.right <= box.right + 1, width: Math.round(box.width) };
    }),
  );
  check(
    `suggested questions read whole (${locale})`,
    shown.length === expected.length && shown.every((b) => b.whole),
    shown.map((b) => `${b.whole ? '✓' : '✗'} "${b.title}" in ${b.width}px`).join(', '),
  );
  await page.screenshot({ path: join(IMAGES, 'playground-welcome.png') });
}

/** Asks a question; opens the first citation; the pop-up must start with a sentence the answer quotes. */
async function askAndOpenCitation(page: Page): Promise<void> {
  const compose = page.locator('textarea, [contenteditable=true], input[type=text]').first();
  await compose.fill(QUESTION);
  await compose.press('Enter');
  const answer = page.locator('p', { has: page.locator('a[role=button][aria-expanded]') }).last();
  await answer.waitFor();
  const pill = answer.locator('a[role=button][aria-expanded]').first();
  await pill.focus();
  await pill.press('Enter');
  const popup = page.locator('[id^=preview-surface]').last();
  await popup.waitFor();
  const sentence = (await popup.locator('a[target=_blank]').first().innerText()).trim();
  const reference = (await popup.innerText()).replace(sentence, '').replace(/^\s*\d+\s*/, '').trim();
  const quoted = (await answer.innerText()).replace(/\s+/g, '');
  const opening = sentence.replace(/…$/, '').replace(/\s+/g, '');
  check('the citation pop-up opens on the quoted sentence', opening.length > 10 && quoted.includes(opening), `“${sentence}” — ${reference}`);
  const href = await popup.locator('a[target=_blank]').first().getAttribute('href');
  check('the pop-up links the document', /^https:\/\/undocs\.org\//.test(href ?? ''), href ?? '(no link)');
  // The pop-up fades in; photograph it once it is opaque.
  await popup.evaluate((element) => new Promise((done) => setTimeout(done, 1_000, element)));
  await page.screenshot({ path: join(IMAGES, 'playground-citation.png') });
  await page.keyboard.press('Escape');
}

/** 👎 with a comment on the latest answer; the stored rating must carry that answer's question and text. */
async function rateDown(page: Page): Promise<void> {
  const before = (await feedback.list()).length;
  await page.getByRole('button', { name: 'Dislike' }).last().click();
  const dialog = page.getByRole('dialog').last();
  const comment = dialog.locator('textarea, [contenteditable=true], input[type=text]').first();
  await comment.waitFor();
  await comment.fill(COMMENT);
  await page.screenshot({ path: join(IMAGES, 'playground-feedback.png') });
  await dialog.getByRole('button', { name: /submit/i }).click();
  const deadline = Date.now() + TIMEOUT_MS;
  let entries = await feedback.list();
  while (entries.length === before && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    entries = await feedback.list();
  }
  const entry = entries.at(-1);
  check(
    'a 👎 with a comment is recorded with its answer',
    entries.length === before + 1 && entry?.question === QUESTION && Boolean(entry.answer) && entry.citations.length > 0 && entry.comment === COMMENT && entry.rating === 'down',
    entry ? `question “${entry.question}”, ${entry.citations.length} citations, comment “${entry.comment ?? ''}”, answerId ${entry.answerId ?? '(none)'}` : 'nothing recorded',
  );
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
