import type { Language } from '../../core/answer.ts';

/**
 * The words that carry what a provision does, beyond its subject: how strongly it acts (decides,
 * requires, requests, encourages, invites), who acts, under which condition, over whom, and which way a
 * figure moved. A claim that says "requires" where the paragraph "encourages", or "all partners" where
 * it names some, misstates it even when every noun matches. Chinese lists follow the UN's Chinese
 * drafting (请 = requests, 吁请 = calls upon, 鼓励 = encourages); English lists are what staff write.
 */

/** 3: obligation · 2: decision, request, "should" · 1: encouragement, invitation, welcome, recommendation, permission. */
export type Strength = 1 | 2 | 3;

const STRENGTH_ZH: Array<[RegExp, Strength]> = [
  [/必须|务必|(?<![无必])须(?!知)|强制|一律|有义务|义务性|硬性/g, 3],
  [/决定|要求|责成|(?<![申邀])请(?!求|示|教)|应当|应该|(?<![本适相对响反供])应(?![对用邀])/g, 2],
  [/鼓励|邀请|吁请|促请|敦促|欢迎|建议|倡导|酌情|可以|(?<![许不])可(?![能持靠])/g, 1],
];
const STRENGTH_EN: Array<[RegExp, Strength]> = [
  [/\b(?:must|mandatory|mandate[sd]?|obliged|obligat\w*|compulsory|shall|required?|requires|requiring|prerequisite)\b/gi, 3],
  [/\b(?:decides?|decided|requests?|requested|asks?|asked|should|directs?|instructs?)\b/gi, 2],
  [/\b(?:encourages?|encouraged|invites?|invited|urges?|urged|calls? (?:up)?on|welcomes?|welcomed|recommends?|recommended|suggests?|may|can|could)\b/gi, 1],
];

/** The strongest act the text expresses, undefined when it expresses none (a report's statement of fact). */
export function strongestAct(text: string, language: Language): { strength: Strength; word: string } | undefined {
  for (const [pattern, strength] of language === 'zh' ? STRENGTH_ZH : STRENGTH_EN) {
    pattern.lastIndex = 0;
    const m = pattern.exec(text);
    if (m) return { strength, word: m[0] };
  }
  return undefined;
}

/** A claim that makes optional what the paragraph makes an obligation: "可以酌情决定" against "必须". */
const PERMISSION_ZH = /可以|可自行|自行决定|自愿|酌情决定|是否/;
const PERMISSION_EN = /\b(?:may|can|optional(?:ly)?|at (?:its|their) discretion|free to|voluntar\w*)\b/i;

export function permission(text: string, language: Language): string | undefined {
  return (language === 'zh' ? PERMISSION_ZH : PERMISSION_EN).exec(text)?.[0];
}

/** Words of a condition or precondition: the claim's "only if" must be the paragraph's too. */
const CONDITION_ZH = /只有|才能|才可|方可|前提|先决条件|条件是|以.{1,8}为条件|除非|必须先|须先|之前不得/;
const CONDITION_EN = /\b(?:only if|only when|provided that|on condition|as a condition|condition of|prerequisite|unless|before (?:they|it|any|being)|in order to be allowed)\b/i;

export function condition(text: string, language: Language): string | undefined {
  return (language === 'zh' ? CONDITION_ZH : CONDITION_EN).exec(text)?.[0];
}

/** Universal scope: "所有伙伴", "every entity". */
const UNIVERSAL_ZH = /所有|一切|全部|任何|每一?个|一律|均须|概无例外/;
const UNIVERSAL_EN = /\b(?:all|every|any|each|without exception)\b/i;

export function universal(text: string, language: Language): string | undefined {
  return (language === 'zh' ? UNIVERSAL_ZH : UNIVERSAL_EN).exec(text)?.[0];
}

/** Which way a figure moved. */
const UP_ZH = /增长|增加|上升|提高|上涨|扩大|翻了|翻番/;
const DOWN_ZH = /下降|下跌|减少|降低|下滑|缩小|萎缩|回落/;
const UP_EN = /\b(?:increas\w*|gr[eo]w\w*|rose|risen|rising|up by|doubled|tripled|expand\w*)\b/i;
const DOWN_EN = /\b(?:decreas\w*|declin\w*|fell|fallen|falling|dropp?\w*|down by|shrank|reduc\w*)\b/i;

export function direction(text: string, language: Language): 'up' | 'down' | undefined {
  const [up, down] = language === 'zh' ? [UP_ZH, DOWN_ZH] : [UP_EN, DOWN_EN];
  const u = up.exec(text);
  const d = down.exec(text);
  if (u && !d) return 'up';
  if (d && !u) return 'down';
  return undefined;
}

/**
 * A negation right before a word ("不能取代", "未提", "并非"), allowing a modal and then a coverb that
 * governs the word ("不能靠单打独斗", "不以营利为目的") in between. Coverbs of place and target (在, 对)
 * are left out: "不对" and "不在" mostly mean something else.
 */
const NEGATED_BEFORE = /(?:不|未|没有|没|无|非|并非|绝不|从未|毫无|而不是)(?:能够|能|得|应当|应该|应|会|可以|可|是|再|必|需|曾)?(?:靠|凭|以|把|将|被)?\s*$/;
const NEGATION_REACH = 7;

export function negatedAt(text: string, index: number): boolean {
  return NEGATED_BEFORE.test(text.slice(Math.max(0, index - NEGATION_REACH), index));
}

/** English negations and the few words after them that they govern: "without any prior review". */
export function englishNegatedWords(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\b(?:not|no|never|without|cannot|can't|rather than|instead of|neither|nor)\b\s+((?:[a-z-]+\s+){0,3}[a-z-]+)/gi)) out.push(m[1].toLowerCase());
  return out;
}

/**
 * Who acts. A claim's actor that the paragraph (with its lead-in) never names, where the paragraph names
 * another, is "another actor". The General Assembly is left out: it is the implied subject of every
 * operative paragraph and is rarely written in one.
 */
const ACTORS: Array<{ zh: RegExp; en: RegExp; name: { zh: string; en: string }; inDocuments?: RegExp }> = [
  // The Secretary-General's reports speak in the first person: "我鼓励会员国……".
  { zh: /秘书长(?!报告|的报告)/, en: /\bSecretary[- ]General\b(?!'s report)/i, name: { zh: '秘书长', en: 'the Secretary-General' }, inDocuments: /(?<![自本])我(?![们国])/ },
  { zh: /会员国|成员国|各国政府/, en: /\bMember States\b|\bGovernments\b/i, name: { zh: '会员国', en: 'Member States' } },
  { zh: /联合国系统|联合国各实体|联合国实体|各机构、基金和方案/, en: /\bUN system\b|\bUnited Nations system\b|\bUN entities\b|\bUnited Nations entities\b/i, name: { zh: '联合国系统', en: 'the UN system' } },
  { zh: /全球契约办公室/, en: /\bGlobal Compact Office\b/i, name: { zh: '全球契约办公室', en: 'the Global Compact Office' } },
  { zh: /伙伴关系办公室/, en: /\bOffice for Partnerships\b/i, name: { zh: '伙伴关系办公室', en: 'the Office for Partnerships' } },
  { zh: /民间社会|非政府组织/, en: /\bcivil society\b|\bnon-governmental organi[sz]ations?\b|\bNGOs?\b/i, name: { zh: '民间社会', en: 'civil society' } },
];

export function actorsIn(text: string, language: Language): Array<{ zh: string; en: string }> {
  return ACTORS.filter((a) => (language === 'zh' ? a.zh : a.en).test(text)).map((a) => a.name);
}

/** Whether a paragraph (always Chinese here) names an actor. */
export function paragraphNames(text: string, actor: { zh: string }): boolean {
  const known = ACTORS.find((a) => a.name.zh === actor.zh)!;
  return known.zh.test(text) || !!known.inDocuments?.test(text);
}
