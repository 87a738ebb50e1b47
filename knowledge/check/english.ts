import { translateQuestion } from './glossary.ts';

/**
 * English claims are checked against the Chinese documents offline through the product's glossary and
 * the words that claims add to questions: the verbs of resolutions and reports and the qualities they
 * name. General vocabulary, no wording of any document or evaluation case.
 */

const CLAIM_WORDS: Array<[string, string]> = [
  ['ways and means', '方式和方法'],
  ['intergovernmental', '政府间'],
  ['consultations', '协商'],
  ['consultation', '协商'],
  ['impartiality', '公正性'],
  ['independence', '独立性'],
  ['integrity', '完整性|廉洁'],
  ['neutrality', '中立'],
  ['maintained', '维护'],
  ['maintain', '维护'],
  ['upheld', '维护'],
  ['uphold', '维护'],
  ['promoted', '促进'],
  ['promote', '促进'],
  ['improved', '改进'],
  ['improve', '改进'],
  ['improving', '改进'],
  ['strengthen', '加强'],
  ['strengthened', '加强'],
  ['enhancing', '加强'],
  ['enhance', '加强'],
  ['disclose', '披露'],
  ['disclosing', '披露'],
  ['disclosure', '披露'],
  ['signatories', '签署方'],
  ['signatory', '签署方'],
  ['signed', '签署'],
  ['assets under management', '管理资产'],
  ['assets', '资产'],
  ['launched', '启动'],
  ['launch', '启动'],
  ['established', '设立'],
  ['establish', '设立'],
  ['citizenship', '公民'],
  ['perspective', '视角'],
  ['priority', '优先'],
  ['prioritize', '优先'],
  ['replace', '取代'],
  ['substitute', '取代'],
  ['complement', '补充'],
  ['appoint', '指定'],
  ['designate', '指定'],
  ['dedicated', '专职'],
  ['trained', '培训'],
  ['core', '核心'],
  ['custodians', '守护者'],
  ['schools', '学校'],
  ['connectivity', '上网'],
  ['invest', '投资'],
  ['investors', '投资者'],
  ['responsible investment', '负责任投资'],
  ['surveyed', '调查'],
  ['chief executive officers', '首席执行官'],
  ['ceos', '首席执行官'],
  ['reliance', '依赖'],
  ['rely', '依赖'],
  ['networks', '网络'],
  ['memorandum of understanding', '谅解备忘录'],
  ['memoranda of understanding', '谅解备忘录'],
  ['agenda', '议程'],
  ['session', '届会议'],
  ['implementation', '执行'],
  ['encourages', '鼓励'],
  ['encourage', '鼓励'],
  ['encouraged', '鼓励'],
  ['invites', '邀请'],
  ['invite', '邀请'],
  ['invited', '邀请'],
  ['welcomes', '欢迎'],
  ['welcome', '欢迎'],
  ['stresses', '强调|着重指出'],
  ['stress', '强调|着重指出'],
  ['emphasizes', '强调|着重指出'],
  ['recognizes', '认识到'],
  ['recognize', '认识到'],
  ['reaffirms', '重申'],
  ['recalls', '回顾'],
  ['recommend', '建议'],
  ['recommends', '建议'],
  ['observe', '遵守'],
  ['comply', '遵守'],
  ['mutual', '互利'],
  ['balanced representation', '均衡的代表'],
  ['developing countries', '发展中国家'],
  ['developed countries', '发达国家'],
  ['resources', '资源'],
  ['governments', '政府'],
  ['secretary-general', '秘书长'],
  ['member states', '会员国'],
  ['fund', '基金'],
  ['foundation', '基金会'],
  ['peace', '和平'],
  ['conflict', '冲突'],
  ['projects', '项目'],
  ['project', '项目'],
  ['entities', '实体'],
  ['entity', '实体'],
];

const SORTED = [...CLAIM_WORDS].sort((a, b) => b[0].length - a[0].length);

export interface EnglishTerms {
  /** Chinese terms, space-separated, for search. */
  query: string;
  /** Each English word's Chinese renderings: the documents use either ("integrity": 完整性 or 廉洁). */
  groups: string[][];
  /** How many English content words found a Chinese term. */
  matched: number;
  /** English content words left without one. */
  unmatched: string[];
}

/** The Chinese terms of an English claim. */
export function chineseTermsOf(claim: string): EnglishTerms {
  let rest = ` ${claim.toLowerCase().replace(/[“”"?!,;:()]/g, ' ').replace(/\s+/g, ' ')} `;
  const found: string[][] = [];
  for (const [en, zh] of SORTED) {
    const pattern = new RegExp(`(?<=\\s)${en.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=[\\s.'])`, 'g');
    rest = rest.replace(pattern, (match) => {
      found.push(zh.split('|'));
      return ' '.repeat(match.length);
    });
  }
  const glossary = translateQuestion(rest);
  const groups = [...found, ...glossary.query.split(' ').filter(Boolean).map((zh) => [zh])];
  return {
    query: [...new Set(groups.flat())].join(' '),
    groups,
    matched: found.length + glossary.matched,
    unmatched: glossary.unmatched,
  };
}

/** The Chinese terms of one English phrase, for the words a negation governs. */
export function chineseOfPhrase(phrase: string): string[] {
  return chineseTermsOf(phrase).groups.flat();
}
