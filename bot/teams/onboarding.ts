import { ActionTypes, type Activity } from 'botbuilder';
import type { DocumentMeta } from '../../core/paragraph.ts';

/**
 * What the bot says about itself: the welcome for a new member, `help` and `sources`. Everything about
 * the knowledge base is read from the indexed documents, so a re-ingested corpus is described correctly.
 */

export type Command = 'help' | 'sources';

const COMMANDS: Record<string, Command> = {
  help: 'help',
  '帮助': 'help',
  '?': 'help',
  '？': 'help',
  sources: 'sources',
  '来源': 'sources',
  '文件': 'sources',
  documents: 'sources',
};

/** The command a message is, if it is one: "help", "/help", "帮助", "sources", "来源", … */
export function commandOf(text: string): Command | undefined {
  const word = text.trim().replace(/^\//, '').replace(/[。.!！]+$/, '').toLowerCase();
  return COMMANDS[word];
}

/**
 * The welcome: what the bot knows and how to ask, then the suggested questions as suggested actions
 * (imBack), which Teams, the Agents Playground, Web Chat and the Emulator show as buttons that send the
 * question as if typed. Two messages, because some clients show a message with suggested actions as
 * plain text, without its formatting.
 */
export function welcomeActivities(documents: DocumentMeta[], newcomerIds: string[] = []): Partial<Activity>[] {
  const text = [
    '您好！我是**伙伴关系助手**：关于联合国与私营部门等伙伴合作的规则，我从已收录的联合国文件中找出答案，并注明出处段落（例如“A/RES/68/234，第13(c)段”），方便您核对原文。',
    documentList(documents),
    HOW_TO_ASK,
  ].join('\n\n');
  const actions = suggestedQuestions(documents).map((question) => ({ type: ActionTypes.ImBack, title: question, value: question }));
  return [
    { type: 'message', text, textFormat: 'markdown' },
    { type: 'message', text: '可以这样问（点一下即可发送）：', suggestedActions: { to: newcomerIds, actions } },
  ];
}

export function helpText(documents: DocumentMeta[]): string {
  return [
    '**怎样使用伙伴关系助手**',
    HOW_TO_ASK,
    `目前收录了 ${documents.length} 份文件，发送 **sources**（或“来源”）可查看列表。`,
    '命令：**help**（帮助）· **sources**（已收录的文件）',
  ].join('\n\n');
}

export function sourcesText(documents: DocumentMeta[]): string {
  if (documents.length === 0) return '目前还没有收录任何文件。';
  return documentList(documents);
}

/**
 * Three to five questions that show what the bot does with whatever is indexed: quote a paragraph of the
 * newest resolution, say what the newest documents set out (by their title's subject when it is short
 * enough for a button, else by a report's summary), and name the latest document.
 */
export function suggestedQuestions(documents: DocumentMeta[]): string[] {
  const newest = byDateDescending(documents);
  const questions: string[] = [];
  const resolution = newest.find((d) => d.kind === 'resolution');
  if (resolution) questions.push(`${resolution.symbol}第1段是怎么说的？`);
  for (const document of newest) {
    if (questions.length >= 4) break;
    const topic = subject(document);
    if (Array.from(topic).length <= BUTTON_SUBJECT_CHARS) questions.push(`${document.symbol}怎样论述${topic}？`);
    else if (document.kind === 'report') questions.push(`${document.symbol}的摘要是怎么说的？`);
  }
  if (newest.length > 1) questions.push('关于与私营部门合作，最新的文件是哪一份？');
  return [...new Set(questions)].slice(0, 5);
}

/** Longer subjects make a button too long to read in Teams. */
const BUTTON_SUBJECT_CHARS = 16;

const HOW_TO_ASK = [
  '**怎样提问**：直接用中文或英文提问即可，例如某类合作有什么规则、某份文件的某一段说了什么。可以接着追问（“那第14段呢？”）。',
  '在群聊和频道中请先 @ 我；在一对一聊天中直接发送问题。',
  '答案中的 [1]、[2] 等标注指向原文段落，可以点开核对。文件中没有答案时，我会如实说明。',
].join('\n\n');

function documentList(documents: DocumentMeta[]): string {
  const lines = byDateDescending(documents).map((d) => `- **${d.symbol}**（${d.date}）${d.title}`);
  return [`**已收录的文件（${documents.length} 份）**`, ...lines].join('\n');
}

function byDateDescending(documents: DocumentMeta[]): DocumentMeta[] {
  return [...documents].sort((a, b) => b.date.localeCompare(a.date) || a.symbol.localeCompare(b.symbol));
}

// A report's title ends with who wrote it ("：秘书长的报告"); the subject is what comes before.
function subject(document: DocumentMeta): string {
  return document.title.split(/[：:]/)[0].trim();
}
