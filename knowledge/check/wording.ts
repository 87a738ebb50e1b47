import type { ClaimCheck, Difference, Language, Verdict } from '../../core/answer.ts';
import { formatLabel, formatReference } from '../citation.ts';

/** How a check is said, in the message's language; every channel renders these same words. */

export const BADGE: Record<Language, Record<Verdict, string>> = {
  zh: { supported: '✅ 属实', not_supported: '❌ 不属实', no_such_paragraph: '⚠️ 没有这一段', cannot_tell: '❔ 无法判断' },
  en: { supported: '✅ Supported', not_supported: '❌ Not supported', no_such_paragraph: '⚠️ No such paragraph', cannot_tell: '❔ Cannot tell' },
};

function citedRef(check: ClaimCheck, language: Language): string {
  if (!check.cited) return language === 'zh' ? '所引段落' : 'the cited paragraph';
  return formatReference(check.cited.symbol, check.cited.label, language);
}

/** The verdict as a sentence: what the bot found about the cited paragraph. */
export function verdictLine(check: ClaimCheck, language: Language): string {
  const ref = citedRef(check, language);
  const zh = language === 'zh';
  switch (check.verdict) {
    case 'supported':
      return zh ? `${ref}确实这样说。` : `${ref} says this.`;
    case 'not_supported':
      if (check.located.length) return zh ? `${ref}没有这样说。` : `${ref} does not say this.`;
      if (check.differences.some((d) => d.kind !== 'content')) return zh ? `${ref}的说法与此不同。` : `${ref} says something different.`;
      return zh ? `${ref}没有这样说，索引中也没有找到这样说的段落。` : `${ref} does not say this, and no indexed paragraph does.`;
    case 'no_such_paragraph': {
      const label = formatLabel(check.cited!.label, language);
      const range = check.range ? (zh ? `${check.cited!.symbol} 有${check.range}。` : ` ${check.cited!.symbol} has ${check.range}.`) : '';
      return zh ? `${check.cited!.symbol} 没有${label}。${range}` : `${check.cited!.symbol} has no ${label}.${range}`;
    }
    case 'cannot_tell':
      if (!check.cited) return zh ? '无法确定所引的是哪份文件，请写明文件号（如 A/RES/68/234）。' : 'Which document is cited could not be told; please give its symbol (e.g. A/RES/68/234).';
      if (!check.paragraph) return zh ? `索引中没有 ${check.cited.symbol}，无法核对。` : `${check.cited.symbol} is not in the index; it cannot be checked.`;
      return zh ? `无法确定${ref}是否这样说，请对照原文：` : `Whether ${ref} says this cannot be told for sure; compare with the text:`;
  }
}

/** "这一内容见 A/RES/68/234，第13(b)段。" */
export function pointerLine(check: ClaimCheck, language: Language): string | undefined {
  if (!check.located.length) return undefined;
  const refs = check.located.map((q) => q.citation.ref);
  return language === 'zh' ? `这一内容见 ${refs.join('；')}。` : `This is said in ${refs.join('; ')}.`;
}

const KIND = {
  zh: { number: '数字', year: '年份', binding: '数字所指', direction: '变化方向', negation: '肯定与否定', modality: '措辞强度', actor: '行为者', condition: '条件', scope: '范围', content: '内容' },
  en: { number: 'number', year: 'year', binding: 'what the number refers to', direction: 'direction', negation: 'negation', modality: 'strength of the verb', actor: 'actor', condition: 'condition', scope: 'scope', content: 'content' },
} satisfies Record<Language, Record<Difference['kind'], string>>;

const DIRECTION = { zh: { up: '增长', down: '下降' }, en: { up: 'a rise', down: 'a fall' } };

function one(d: Difference, language: Language): string {
  const zh = language === 'zh';
  const claim = d.kind === 'direction' ? DIRECTION[language][d.claim as 'up' | 'down'] : d.claim;
  const paragraph = d.kind === 'direction' && d.paragraph ? DIRECTION[language][d.paragraph as 'up' | 'down'] : d.paragraph;
  if (d.kind === 'content') return zh ? `原文没有“${claim}”` : `the paragraph does not mention "${claim}"`;
  if (d.kind === 'condition' || d.kind === 'scope') return zh ? `${KIND.zh[d.kind]}：原文没有“${claim}”` : `${KIND.en[d.kind]}: the paragraph has no "${claim}"`;
  if (!paragraph) return zh ? `${KIND.zh[d.kind]}：原文没有“${claim}”` : `${KIND.en[d.kind]}: the paragraph has no "${claim}"`;
  return zh ? `${KIND.zh[d.kind]}：说法为“${claim}”，原文为“${paragraph}”` : `${KIND.en[d.kind]}: the claim says "${claim}", the paragraph "${paragraph}"`;
}

/** "不同之处：措辞强度：说法为“必须”，原文为“鼓励”；条件：原文没有“才能”。" */
export function differencesLine(check: ClaimCheck, language: Language): string | undefined {
  if (check.verdict === 'supported' || check.differences.length === 0) return undefined;
  const parts = check.differences.map((d) => one(d, language));
  return language === 'zh' ? `不同之处：${parts.join('；')}。` : `What differs: ${parts.join('; ')}.`;
}

export const WORDS = {
  zh: { claim: '说法', report: (n: number, bad: number) => `共核对 ${n} 处引用，其中 ${bad} 处有问题。`, notChecked: (n: number) => `另有 ${n} 处引用未核对；整篇文稿请用 npm run check 核对。`, modelUnavailable: '模型暂时不可用，以下为离线核对结果。' },
  en: { claim: 'Claim', report: (n: number, bad: number) => `${n} citations checked; ${bad} with problems.`, notChecked: (n: number) => `${n} more citations not checked; check a whole draft with npm run check.`, modelUnavailable: 'The model is unavailable right now; this is the offline check.' },
};
