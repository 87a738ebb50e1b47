import type { Answer, Citation, Language, ScoredParagraph, Statement } from '../../core/answer.ts';
import { cite } from '../citation.ts';
import { plainModelText } from './plain-text.ts';

/**
 * Turns the model's text into an Answer whose every citation points at a paragraph the model was
 * given. The model writes sentences followed by markers [n] (1-based positions in the numbered
 * list it saw); nothing it writes is trusted as a reference:
 * - a marker outside 1..candidates is removed;
 * - a sentence left without a valid marker is dropped, unless it never had a marker and ends with a
 *   colon before a cited sentence ("The resolution asks for three things:"): a lead-in claims
 *   nothing by itself, any other unmarked sentence is an unsupported claim;
 * - references the model typed out itself ("（A/RES/68/234，第13段）") are removed, since channels
 *   render the verified citations from the markers;
 * - links, images and markup are removed (./plain-text.ts): the channels render the text as it is;
 * - an answer left with no cited sentence is undefined, and the caller answers extractively;
 * - NO_ANSWER with nothing cited is an abstention (the closest candidates become `related`); NO_ANSWER
 *   beside cited sentences is a partial answer, and the cited sentences stand.
 */

/** What the prompts tell the model to output when the paragraphs do not answer. */
export const NO_ANSWER = 'NO_ANSWER';

const RETRIEVED_LIMIT = 10;
const RELATED_LIMIT = 3;

interface RawStatement {
  text: string;
  markers: number[];
}

export function buildGeneratedAnswer(
  question: string,
  language: Language,
  candidates: ScoredParagraph[],
  output: string,
): Answer | undefined {
  const raw = parseStatements(output);
  const saysNoAnswer = raw.some((s) => s.text.includes(NO_ANSWER));
  const statements = raw.filter((s) => !s.text.includes(NO_ANSWER));
  const valid = (n: number) => Number.isInteger(n) && n >= 1 && n <= candidates.length;

  const citations: Citation[] = [];
  const citationIndex = new Map<number, number>();
  const kept: Statement[] = [];
  let lead: string | undefined;
  statements.forEach((statement, i) => {
    const markers = [...new Set(statement.markers.filter(valid))];
    if (markers.length === 0) {
      const leadIn = statement.markers.length === 0 && /[:：]$/.test(statement.text) && statements.slice(i + 1).some((next) => next.markers.some(valid));
      if (!leadIn) return;
      if (kept.length === 0 && lead === undefined) lead = statement.text;
      else kept.push({ text: statement.text, cites: [] });
      return;
    }
    const cites = markers.map((n) => {
      let index = citationIndex.get(n);
      if (index === undefined) {
        index = citations.push(cite(candidates[n - 1].paragraph, language)) - 1;
        citationIndex.set(n, index);
      }
      return index;
    });
    kept.push({ text: statement.text, cites });
  });

  const retrieved = candidates.slice(0, RETRIEVED_LIMIT);
  if (citations.length === 0) {
    if (!saysNoAnswer) return undefined;
    return {
      question,
      language,
      kind: 'abstain',
      abstained: true,
      statements: [{ text: language === 'zh' ? '所收录的文件没有回答这个问题。' : 'The indexed documents do not answer this question.', cites: [] }],
      citations: [],
      related: candidates.slice(0, RELATED_LIMIT).map((c) => cite(c.paragraph, language)),
      retrieved,
      mode: 'model',
    };
  }
  return { question, language, kind: 'answer', abstained: false, lead, statements: kept, citations, related: [], retrieved, mode: 'model' };
}

// [3] · [1, 2] · [1–3] · 【2】 · ［2，4］
const MARKER = /[[［【]\s*(\d{1,3}(?:\s*[,，、;；\-–~]\s*\d{1,3})*)\s*[\]］】]/gu;
// A terminator ends a sentence; a full stop does so only before a new sentence, so "e.g. the" stays whole.
const TERMINATOR = /[。！？!?；;]|\.(?=\s*$|\s*[[［【]|\s+["'“‘(A-Z\p{Script=Han}])/gu;
const TYPED_REFERENCE = /[（(][^（）()\n]{0,60}?\bA\/(?:RES\/)?\d+\/\d+[^（）()\n]{0,60}?[）)]/gu;

export function parseStatements(output: string): RawStatement[] {
  const statements: RawStatement[] = [];
  const text = plainModelText(output.replace(/```[a-z]*\n?/g, ''))
    .replace(/\*\*|__/g, '')
    .replace(TYPED_REFERENCE, '');
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/^\s*(?:#{1,6}\s+|[-*•·]\s+|\d{1,2}[.)、]\s+|[(（]\d{1,2}[)）]\s*)/u, '');
    let current: RawStatement = { text: '', markers: [] };
    let ended = false;
    const flush = () => {
      const cleaned = tidy(current.text);
      if (/[\p{L}\p{N}]/u.test(cleaned)) statements.push({ text: cleaned, markers: current.markers });
      else if (statements.length > 0) statements[statements.length - 1].markers.push(...current.markers);
      current = { text: '', markers: [] };
      ended = false;
    };
    const tokens = new RegExp(`${MARKER.source}|(${TERMINATOR.source})`, 'gu');
    let last = 0;
    for (let match = tokens.exec(line); match; match = tokens.exec(line)) {
      addText(line.slice(last, match.index));
      last = tokens.lastIndex;
      if (match[1] !== undefined) current.markers.push(...expandMarkers(match[1]));
      else {
        current.text += match[0];
        ended = true;
      }
    }
    addText(line.slice(last));
    flush();

    function addText(piece: string) {
      if (ended && /\S/.test(piece)) flush();
      current.text += piece;
    }
  }
  return statements;
}

function expandMarkers(group: string): number[] {
  const numbers: number[] = [];
  for (const part of group.split(/\s*[,，、;；]\s*/)) {
    const range = /^(\d+)\s*[-–~]\s*(\d+)$/.exec(part);
    if (!range) {
      numbers.push(Number(part));
      continue;
    }
    const [from, to] = [Number(range[1]), Number(range[2])];
    // A "range" such as [1-300] is noise, not a citation of 300 paragraphs.
    if (to >= from && to - from < 10) for (let n = from; n <= to; n++) numbers.push(n);
    else numbers.push(Number.NaN);
  }
  return numbers;
}

/** Removes the gaps that markers leave ("合作 。" → "合作。"). */
function tidy(text: string): string {
  return text
    .replace(/\s+([。，、；：！？,.;:!?）)])/gu, '$1')
    .replace(/\s{2,}/g, ' ')
    .trim();
}
