import type { ScoredParagraph } from '../../core/answer.ts';
import { paragraphId, type Paragraph } from '../../core/paragraph.ts';

/** Paragraphs as the corpus has them (A/RES/68/234, 2013-12-20), for answerer tests that need no index. */
function paragraph(label: string, position: number, text: string): Paragraph {
  const symbol = 'A/RES/68/234';
  return { id: paragraphId(symbol, label), symbol, kind: 'resolution', date: '2013-12-20', language: 'zh', label, section: [], text, position };
}

export const CANDIDATES: ScoredParagraph[] = [
  paragraph('13(c)', 20, '加强可维护本组织声誉和确保建立信任的尽职措施；'),
  paragraph('12', 17, '鼓励联合国系统继续为其参加的伙伴关系制定系统性共同办法，更多地注重透明度、一致性、影响力、问责制和尽职尽责，不在伙伴关系协定中作出过于刻板的规定；'),
  paragraph('13(b)', 19, '披露包括国家一级在内的所有相关伙伴关系的伙伴、捐款和对等捐款情况；'),
].map((p, i) => ({ paragraph: p, score: 1 - i / 10 }));
