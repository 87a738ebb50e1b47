import type { ClaimCheck, Language } from '../../core/answer.ts';
import type { KnowledgeIndex } from '../../index/knowledge-index.ts';
import { detectLanguage } from '../question/language.ts';
import { checkCitedClaim, type CheckDeps } from './check.ts';
import { citedClaims } from './claims.ts';

/**
 * A whole draft: every citation in it, each with the sentence it supports, checked. A citation without
 * a document of its own takes the one the draft named last ("……（A/RES/68/234，第5段）。……（第7段）").
 */
export async function checkDraft(text: string, index: KnowledgeIndex, deps: Omit<CheckDeps, 'index'> = {}): Promise<{ language: Language; checks: ClaimCheck[] }> {
  const language = detectLanguage(text);
  const checks: ClaimCheck[] = [];
  for (const claim of citedClaims(text, index.documents)) checks.push((await checkCitedClaim(claim, { index, ...deps }, language)).check);
  return { language, checks };
}

/** A draft passes when every citation is supported. */
export function draftPasses(checks: ClaimCheck[]): boolean {
  return checks.every((c) => c.verdict === 'supported');
}
