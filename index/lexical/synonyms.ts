/**
 * How staff ask versus how UN documents say it: everyday or colloquial words in questions and the
 * formal terms the resolutions and reports use for the same thing. Each group is a set of
 * interchangeable words; a question word found here also searches for the others, at lower weight.
 * General partnership vocabulary, not phrasings of particular questions.
 */
const GROUPS: string[][] = [
  ['企业', '公司', '工商界', '企业界', '商界', '私营部门'],
  ['男女平等', '性别平等', '两性平等', '妇女权能'],
  ['访谈', '采访', '访问', '面谈'],
  ['调研', '调查', '研究', '审查'],
  ['汇报', '报告', '提交'],
  ['规矩', '规则', '准则', '原则', '规定'],
  ['下定义', '定义', '界定'],
  ['钱', '资金', '经费', '筹资', '资源'],
  ['捐款', '捐助', '捐赠'],
  ['风险', '声誉风险'],
  ['审核', '尽职调查', '审查'],
  ['挑选', '选择', '筛选'],
  ['效果', '成效', '影响', '成果'],
  ['衡量', '评价', '评估', '计量'],
  ['不足', '挑战', '问题', '欠缺'],
  ['透明', '透明度', '公开'],
  ['疫情', '大流行', '新冠', '2019冠状病毒病'],
  ['中小企业', '中小型企业'],
  ['儿童', '儿童权利'],
  ['网站', '网页', '门户'],
  ['年会', '年度会议'],
  ['沟通', '对话', '交流'],
  ['材料', '资料', '数据'],
  ['好处', '益处', '惠益', '价值'],
  ['数目', '数量', '多少'],
  ['地方', '国家一级', '当地'],
  ['危机', '金融危机', '经济危机'],
  ['问责', '问责制', '责任'],
  ['廉洁', '诚信', '廉正'],
];

const bySynonym = new Map<string, string[]>();
for (const group of GROUPS) {
  for (const word of group) bySynonym.set(word, [...(bySynonym.get(word) ?? []), ...group.filter((w) => w !== word)]);
}

/** The other words of each group that `word` belongs to. */
export function synonymsOf(word: string): string[] {
  return bySynonym.get(word) ?? [];
}
