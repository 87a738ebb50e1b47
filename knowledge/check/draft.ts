import type { ClaimCheck, Language } from '../../core/answer.ts';
import type { KnowledgeIndex } from '../../index/knowledge-index.ts';
import { joinBroken, spacingConvention } from '../../ingest/clean.ts';
import { detectLanguage } from '../question/language.ts';
import { checkCitedClaim, type CheckDeps } from './check.ts';
import { citedClaims } from './claims.ts';

/**
 * A whole draft, as the ingest readers read it: every citation in it, each with the sentence it
 * supports, checked. A citation without a document of its own takes the one the draft named last
 * ("……（A/RES/68/234，第5段）。……（第7段）").
 */
export async function checkDraft(read: string, index: KnowledgeIndex, deps: Omit<CheckDeps, 'index'> = {}): Promise<{ language: Language; checks: ClaimCheck[] }> {
  const text = unwrapped(read);
  const language = detectLanguage(text);
  const checks: ClaimCheck[] = [];
  const view = await index.view({ texts: [text] });
  for (const claim of citedClaims(text, index.documents)) checks.push((await checkCitedClaim(claim, { index: view, ...deps }, language)).check);
  return { language, checks };
}

/** A draft passes when every citation is supported. */
export function draftPasses(checks: ClaimCheck[]): boolean {
  return checks.every((c) => c.verdict === 'supported');
}

/**
 * PDF and wrapped text break lines (and citations: "A/RES/68/" + "234") where the layout ran out of
 * width; such a line is joined to the next as ingest joins lines. A short line (a heading, a running
 * header) or one that ends a sentence was not broken by the layout and stays a line of its own.
 */
function unwrapped(text: string): string {
  const lines = text.split(/\n|\f/);
  const convention = spacingConvention(lines);
  const out: string[] = [];
  let carried = false;
  for (const line of lines) {
    if (carried && out.length) out[out.length - 1] = joinBroken(out[out.length - 1], line, convention);
    else out.push(line);
    const trimmed = line.trim();
    carried = trimmed.length >= WRAPPED_LINE && !/[。！？!?；;：:]$|^#|^\*\*.*\*\*$/.test(trimmed);
  }
  return out.join('\n');
}

/** Lines at least this long that end mid-sentence were wrapped by the layout. */
const WRAPPED_LINE = 20;
