/**
 * Decoded document text -> labelled paragraphs. Readers (ingest/readers/) turn files into text; this is
 * where text becomes citable units.
 */
import { cluesFromFrontMatter, detectLanguage, resolveMeta } from './metadata.ts';
import { labelKind, paragraphId, type DocumentMeta, type Paragraph, type ParsedDocument } from '../core/paragraph.ts';
import { structure } from './structure.ts';

export type SourceFormat = 'txt' | 'md' | 'pdf' | 'docx' | 'html';

export interface SourceText {
  text: string;
  file: string;
  format: SourceFormat;
}

/** Formats whose readers give one line per paragraph of the source: nothing in them is wrapped. */
const PARAGRAPH_FORMATS: ReadonlySet<SourceFormat> = new Set(['docx', 'html']);

export function parseDocument(source: SourceText, manifestEntry?: Partial<DocumentMeta>): ParsedDocument {
  const warnings: string[] = [];
  const result = structure(source.text, source.file, manifestEntry?.kind, PARAGRAPH_FORMATS.has(source.format));
  warnings.push(...result.warnings);

  const clues = {
    ...cluesFromFrontMatter(result.frontMatter),
    ...result.clues,
    language: detectLanguage(source.text),
  };
  const meta = resolveMeta(source.file, manifestEntry, clues, warnings);

  const seen = new Map<string, number>();
  const paragraphs: Paragraph[] = result.units.map((unit, position) => {
    let label = unit.label;
    const count = (seen.get(label) ?? 0) + 1;
    seen.set(label, count);
    if (count > 1) {
      const unique = `${label}-${count}`;
      warnings.push(`${source.file}: label ${label} occurs more than once; occurrence ${count} is labelled ${unique}`);
      label = unique;
    }
    return {
      id: paragraphId(meta.symbol, label),
      symbol: meta.symbol,
      kind: meta.kind,
      date: meta.date,
      language: meta.language,
      label,
      section: unit.section,
      text: unit.text,
      position,
    };
  });

  checkNumbering(paragraphs, source.file, warnings);
  if (paragraphs.length === 0) warnings.push(`${source.file}: no paragraphs found`);
  return { meta, paragraphs, warnings };
}

/** Numbered paragraphs should run 1..N without gaps; a gap means a paragraph was missed or mislabelled. */
function checkNumbering(paragraphs: Paragraph[], file: string, warnings: string[]): void {
  const numbers = paragraphs.filter((p) => labelKind(p.label) === 'numbered').map((p) => Number(p.label));
  numbers.forEach((n, k) => {
    const expected = k === 0 ? 1 : numbers[k - 1] + 1;
    if (n !== expected) warnings.push(`${file}: numbered paragraph ${n} follows ${k === 0 ? 'the start' : numbers[k - 1]}`);
  });
}
