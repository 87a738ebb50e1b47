import type { Language } from '../../core/answer.ts';

const HAN = /\p{Script=Han}/gu;
const LATIN_WORD = /[A-Za-z]{2,}/g;

/**
 * The answer's language follows the question's. Document symbols ("A/RES/68/234") and URLs are Latin
 * in Chinese questions too, so a question is Chinese as soon as it has a few Han characters or more
 * Han characters than Latin words.
 */
export function detectLanguage(question: string): Language {
  const han = question.match(HAN)?.length ?? 0;
  const latin = question.replace(/\b[A-Z]+(?:\/[A-Z0-9.]+)+/g, '').match(LATIN_WORD)?.length ?? 0;
  return han >= 2 || (han > 0 && han >= latin) ? 'zh' : 'en';
}
