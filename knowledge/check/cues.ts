/**
 * How staff ask whether a citation holds: "核对一下：…", "…对吗？", "…是不是说…？", "…（A/RES/68/234，第16段）。
 * 请核对。", "Does para 13(c) of resolution 68/234 say …?", "… Is that right?". The cue words are taken
 * out of the claim, so that only what the claim asserts is compared with the paragraph.
 */

/** Words that ask whether something holds: a check even inside a longer question. */
const VERDICT_ZH = /对吗|对不对|对么|是吗|是不是|是否|正确吗|准确吗|属实|没错吧|有没有(?:说|提到|讲)|这么引用|这样引用|引用(?:得)?(?:对|正确|准确)|说法(?:对|正确|准确)/;
/** Words that ask for a check of what follows; a what-question that uses them ("帮我核实一下：第9段写了什么？") is a lookup. */
const CHECK_ZH = /核对|核实|核查|查证|查核/;
const CHECK_EN = /\b(?:check|verify|confirm|fact-check|is (?:that|this|it) (?:right|correct|true|accurate)|correct\?|right\?|true\?|accurate\?)|^\s*(?:does|did|do|is|are|was|were|has|have)\b/i;
/** Questions that ask what a paragraph says rather than whether it says something. */
const ASKS_WHAT_ZH = /什么|哪些|哪个|哪里|哪儿|多少|如何|怎么|怎样|为什么|为何|几个|几项/;
const ASKS_WHAT_EN = /^\s*(?:what|which|how|why|when|where|who)\b/i;

export function asksToCheck(text: string, language: 'zh' | 'en'): boolean {
  if (language === 'en') return CHECK_EN.test(text) && !ASKS_WHAT_EN.test(text);
  if (VERDICT_ZH.test(text)) return true;
  return !ASKS_WHAT_ZH.test(text) && (CHECK_ZH.test(text) || /吗\s*[？?]?\s*$/.test(text));
}

const STRIP_ZH = [
  /(?:请|麻烦|帮我|帮忙)?(?:核对|核实|核查|查证|查核)(?:一下)?[：:，,。]?/g,
  /(?:这个|这种|这样|这么)?(?:说法|引用|提法|表述)?(?:是)?(?:对|正确|准确)(?:吗|不对|么)[？?。]?/g,
  /(?:对|是)(?:吗|不对|么)[？?]?/g,
  /(?:这么|这样)引用(?:对|正确|准确)?(?:吗)?[？?]?/g,
  /是不是(?:说|讲|提到|认为|指出|规定|把)?/g,
  /是否(?:说|讲|提到|认为|指出|规定)?/g,
  /有没有(?:说|提到|讲)/g,
  /(?:^|[，,。])\s*根据/g,
  // Words that frame what a paragraph is said to contain, not the content itself.
  /提到|提及|指出|援引|介绍了?|讲的是|列为|列出|列举|之一|(?<=段|框|注)\s*[称说]/g,
  /[？?]\s*$/g,
];
const STRIP_EN = [
  /\b(?:is (?:that|this|it) (?:right|correct|true|accurate)|correct|right|true|accurate)\s*\?/gi,
  /\b(?:please\s+)?(?:check|verify|confirm)(?: this| that| whether| if)?\s*:?/gi,
  /^\s*(?:does|did|do|is|are|was|were|has|have)\b/i,
  /\b(?:according to|per|under)\b/gi,
  /\?\s*$/g,
];

/** The claim without the words that ask for the check. */
export function withoutCues(text: string, language: 'zh' | 'en'): string {
  let out = text;
  for (const pattern of language === 'zh' ? STRIP_ZH : STRIP_EN) out = out.replace(pattern, ' ');
  return out.replace(/\s+/g, ' ').trim();
}
