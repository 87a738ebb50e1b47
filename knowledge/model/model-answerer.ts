import type { Answer, ClaimJudgement, Language, ModelAnswerer, ScoredParagraph, Turn } from '../../core/answer.ts';
import type { Paragraph } from '../../core/paragraph.ts';
import { formatReference } from '../citation.ts';
import { detectLanguage } from '../question/language.ts';
import type { ChatClient } from './chat-client.ts';
import { parseClaimJudgement } from './claim-judgement.ts';
import { buildGeneratedAnswer } from './generated-answer.ts';
import { asData, renderPrompt } from './prompts.ts';

/**
 * Generated answers and follow-up rewriting over a chat client. Failures to reach the model surface
 * as ModelUnavailableError from both methods, so that the caller answers offline with a notice:
 * - answer(): a reply without a usable cited statement is undefined (extractive fallback, no notice);
 * - rewrite(): a failed call is not hidden by returning the follow-up unchanged, because the caller
 *   then still has its offline way of carrying the subject forward, which knows it must; an empty
 *   reply from a working model, though, means "nothing to rewrite" and gives back the question.
 */

/** Long paragraphs (report summaries) are cut so that ten candidates fit any model's context. */
const PARAGRAPH_CHARS = 1_500;
const HISTORY_TURNS = 3;
const HISTORY_ANSWER_CHARS = 400;

export class ChatModelAnswerer implements ModelAnswerer {
  constructor(private readonly chat: ChatClient) {}

  async answer(question: string, language: Language, candidates: ScoredParagraph[]): Promise<Answer | undefined> {
    if (candidates.length === 0) return undefined;
    const messages = renderPrompt('answer', language, {
      paragraphs: candidates.map((c, i) => numberedParagraph(i + 1, c, language)).join('\n\n'),
      question: asData(question),
    });
    const output = await this.chat.complete(messages, 'generating an answer');
    return buildGeneratedAnswer(question, language, candidates, output);
  }

  async judgeClaim(claim: string, language: Language, cited: Paragraph[], others: Paragraph[]): Promise<ClaimJudgement | undefined> {
    if (cited.length === 0) return undefined;
    const messages = renderPrompt('check', language, {
      paragraphs: [...cited, ...others].map((p, i) => numberedParagraph(i + 1, { paragraph: p, score: 0 }, language, i < cited.length)).join('\n\n'),
      claim: asData(claim),
    });
    return parseClaimJudgement(await this.chat.complete(messages, 'checking a claim'));
  }

  async rewrite(question: string, history: Turn[]): Promise<string> {
    const turns = history.slice(-HISTORY_TURNS);
    if (turns.length === 0) return question;
    const language = detectLanguage(question);
    const messages = renderPrompt('rewrite', language, {
      history: turns.map((turn) => conversationTurn(turn, language)).join('\n\n'),
      question: asData(question),
    });
    const output = await this.chat.complete(messages, 'rewriting a follow-up question');
    const rewritten = output.split(/\r?\n/).map((line) => line.trim()).find(Boolean)?.replace(/^["“「『]|["”」』]$/gu, '').trim();
    // A reply far longer than any question is the model answering instead of rewriting.
    if (!rewritten || rewritten.length > question.length * 4 + 200) return question;
    return rewritten;
  }
}

/** "[1] A/RES/68/234，第13(c)段（2013-12-20）: text…", marked when it is the paragraph a claim cites. */
function numberedParagraph(n: number, candidate: ScoredParagraph, language: Language, cited = false): string {
  const p = candidate.paragraph;
  const mark = cited ? (language === 'zh' ? '（所引段落）' : ' (cited)') : '';
  const date = (language === 'zh' ? `（${p.date}）` : ` (${p.date})`) + mark;
  const text = p.text.length > PARAGRAPH_CHARS ? `${p.text.slice(0, PARAGRAPH_CHARS)}…` : p.text;
  return `[${n}] ${formatReference(p.symbol, p.label, language)}${date}: ${asData(text)}`;
}

function conversationTurn(turn: Turn, language: Language): string {
  const said = [turn.answer.lead, ...turn.answer.statements.map((s) => s.text)].filter(Boolean).join(' ');
  const sources = turn.answer.citations.map((c) => c.ref).join('; ');
  const answer = `${said}${sources ? ` (${sources})` : ''}`;
  const short = answer.length > HISTORY_ANSWER_CHARS ? `${answer.slice(0, HISTORY_ANSWER_CHARS)}…` : answer;
  return language === 'zh' ? `问：${asData(turn.question)}\n答：${asData(short)}` : `Q: ${asData(turn.question)}\nA: ${asData(short)}`;
}
